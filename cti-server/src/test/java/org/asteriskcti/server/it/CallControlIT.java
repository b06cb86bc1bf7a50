package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.control.PartyState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Call control against a real Asterisk, over the REST client API as an agent's desktop would use it:
 * click-to-dial, hold / mute / DTMF / hang-up, blind transfer to an agent and to a queue, attended
 * transfer (complete; target busy), conference and pickup. sipp plays every phone; each test checks
 * the phones' scripts ran to their end (the SIP side) and what the CTI's model says (the CTI side).
 */
class CallControlIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final AgentId A1001 = AgentId.of("agent-1001");
    private static final AgentId A1002 = AgentId.of("agent-1002");
    private static final AtomicInteger COMMANDS = new AtomicInteger();

    private static final String QUEUES = """
            queues:
              - id: support
                tenant: demo
                announce-period: 0s
                wrap-up: 30s
                overflow: {message: all-circuits-busy-now}
              - id: sales
                tenant: demo
                announce-period: 0s
                wrap-up: 0s
                overflow: {message: all-circuits-busy-now}
            """;

    private CtiUnderTest cti(String name) {
        CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve(name), AsteriskUnderTest.AMI_PORT, QUEUES);
        CtiIt.awaitHealthUp(cti);
        return cti;
    }

    private static void ready(CtiUnderTest cti, String... agents) {
        for (String a : agents) {
            AgentId id = AgentId.of(a);
            CtiIt.within(CtiIt.LINK_BOUND, a + "'s phone online", () -> cti.acd(acd -> acd.agent(id).phoneOnline()),
                    () -> cti.acd(acd -> acd.agent(id)).toString());
            cti.acd(acd -> {
                acd.agentLogin(id, true);
                return null;
            });
        }
    }

    private static void loggedInNotReady(CtiUnderTest cti, String agent) {
        AgentId id = AgentId.of(agent);
        CtiIt.within(CtiIt.LINK_BOUND, agent + "'s phone online", () -> cti.acd(acd -> acd.agent(id).phoneOnline()),
                () -> cti.acd(acd -> acd.agent(id)).toString());
        cti.acd(acd -> {
            acd.agentLogin(id, false);
            return null;
        });
    }

    private static <T> T control(CtiUnderTest cti, Function<CallControl, T> query) {
        return cti.server().loop().call(() -> query.apply(cti.server().control())).join();
    }

    /** The agent's conversation, with every party in the given state (in order), within the bound. */
    private static Conversation awaitParties(CtiUnderTest cti, AgentId agent, String what, PartyState... states) {
        CtiIt.within(BOUND, what, () -> control(cti, cc -> cc.of(agent).map(c -> c.active().stream()
                        .map(p -> p.state()).toList().equals(List.of(states))).orElse(false)),
                () -> control(cti, cc -> cc.of(agent).map(Object::toString).orElse("no conversation of " + agent)));
        return control(cti, cc -> cc.of(agent).orElseThrow());
    }

    /** The bridge the call model sees the channel in, or null. */
    private static String bridgeOf(CtiUnderTest cti, String channel) {
        return cti.server().loop().call(() -> cti.server().model().activeCalls(org.asteriskcti.server.domain.TenantId.of("demo"))
                .stream().flatMap(v -> v.legs().stream()).filter(l -> l.channelId().equals(channel))
                .map(l -> l.bridge()).filter(java.util.Objects::nonNull).findFirst().orElse(null)).join();
    }

    private static AgentState stateOf(CtiUnderTest cti, AgentId agent) {
        return cti.acd(acd -> acd.agent(agent).state());
    }

    private static JsonNode command(CtiClient client, String type, String fields) {
        String body = "{\"command_id\":\"it-" + COMMANDS.incrementAndGet() + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        return client.post("/api/v1/call-control/" + type, body);
    }

    private static CtiClient agentClient(CtiUnderTest cti) {
        return CtiClient.login(cti.base(), "demo1001", "demo1001");
    }

    /** An ACD call: customer 2001 (stays until BYE) to 700, answered by agent 1001 (stays until BYE). */
    private static Sipp.Phone[] acdCall(CtiUnderTest cti) {
        return acdCall(cti, null);
    }

    /** As {@link #acdCall(CtiUnderTest)}, the customer hanging up {@code talk} after being answered. */
    private static Sipp.Phone[] acdCall(CtiUnderTest cti, Duration talk) {
        ready(cti, "agent-1001");
        Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(500), 1);
        Sipp.Phone customer = talk == null ? env.sipp().customerCallingUntilHungUp("2001", "700")
                : env.sipp().customerCalling("2001", "700", talk);
        awaitParties(cti, A1001, "the ACD call handed over to call control", PartyState.CONNECTED, PartyState.CONNECTED);
        return new Sipp.Phone[] {customer, agent};
    }

    @Test
    void givenAnAgent_whenTheyClickToDial_thenTheirPhoneRingsFirstShowingTheNumber_andTheNumberIsDialledWhenTheyAnswer() {
        try (CtiUnderTest cti = cti("ctl-dial")) {
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerAnswering("2002", "uas-answer-hangup.xml", Duration.ofMillis(500));

            JsonNode r = command(agentClient(cti), "call.dial", "\"number\":\"2002\"");
            assertThat(r.path("origin").asText()).isEqualTo("DIAL");
            assertThat(r.path("parties").get(0).path("state").asText()).isEqualTo("DIALLING");

            customer.assertSucceeded(CtiIt.CALL_BOUND); // answered, talked 2 s, hung up
            agent.assertSucceeded(CtiIt.CALL_BOUND); // got the BYE that followed
            assertThat(agent.messages()).contains("From: \"2002\" <sip:2002@");
            String id = r.path("id").asText();
            CtiIt.within(BOUND, "conversation ended", () -> control(cti, cc -> cc.byId(id).isEmpty()), () -> "");
        }
    }

    @Test
    void givenAMalformedNumber_whenDialled_thenRefusedWithAClearError_andNoPhoneRings() {
        try (CtiUnderTest cti = cti("ctl-dial-bad")) {
            CtiClient.Answer a = agentClient(cti).postAnswer("/api/v1/call-control/call.dial",
                    "{\"command_id\":\"x1\",\"number\":\"12ab\"}");

            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body().path("error_id").asText()).isEqualTo("call.invalid_number");
            assertThat(a.body().path("message").asText()).contains("'12ab'");
            Optional<Conversation> none = control(cti, cc -> cc.of(A1001));
            assertThat(none).isEmpty();
        }
    }

    @Test
    void givenAnAcdCall_whenTheAgentHoldsMutesSendsDtmfAndHangsUp_thenAsteriskDoesEachAndBothPhonesAreReleased() {
        try (CtiUnderTest cti = cti("ctl-hold")) {
            Sipp.Phone[] phones = acdCall(cti);
            CtiClient client = agentClient(cti);

            JsonNode held = command(client, "call.hold", "");
            assertThat(held.path("parties").get(0).path("state").asText()).isEqualTo("HELD");
            Conversation c = awaitParties(cti, A1001, "customer held", PartyState.HELD, PartyState.CONNECTED);
            String customer = c.active().get(0).channel().value();
            // What Asterisk says (the call model, from AMI/ARI bridge events): out of the bridge while held.
            CtiIt.within(BOUND, "customer out of the bridge", () -> !c.bridge().value().equals(bridgeOf(cti, customer)), () -> "");
            command(client, "call.unhold", "");
            awaitParties(cti, A1001, "customer back", PartyState.CONNECTED, PartyState.CONNECTED);
            CtiIt.within(BOUND, "customer back in the bridge", () -> c.bridge().value().equals(bridgeOf(cti, customer)),
                    () -> String.valueOf(bridgeOf(cti, customer)));
            JsonNode muted = command(client, "call.mute", "");
            assertThat(muted.path("parties").get(1).path("muted").asBoolean()).isTrue();
            command(client, "call.unmute", "");
            command(client, "call.dtmf", "\"digits\":\"12#\"");

            command(client, "call.hangup", "");

            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(phones[0].messages()).contains("INFO sip:", "Signal=1").as("DTMF as SIP INFO or RTP");
            CtiIt.within(BOUND, "conversation over", () -> control(cti, cc -> cc.byId(c.id()).isEmpty()), () -> "");
            CtiIt.within(BOUND, "agent in wrap-up", () -> cti.acd(acd -> acd.agent(A1001).state() == AgentState.WRAP_UP), () -> "");
        }
    }

    @Test
    void givenAnAcdCall_whenBlindTransferredToAnotherAgent_thenTheFirstIsReleasedAndTheCustomerTalksToTheSecond() {
        try (CtiUnderTest cti = cti("ctl-blind")) {
            Sipp.Phone[] phones = acdCall(cti);
            Sipp.Phone second = env.sipp().agent("1002", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);

            JsonNode r = command(agentClient(cti), "call.transfer.blind", "\"target\":\"agent:agent-1002\"");
            assertThat(r.path("transfer").path("state").asText()).isEqualTo("BLIND_RINGING");

            phones[1].assertSucceeded(CtiIt.CALL_BOUND); // agent 1001 got its BYE at once
            second.assertSucceeded(CtiIt.CALL_BOUND); // 1002 answered, talked 2 s, hung up
            phones[0].assertSucceeded(CtiIt.CALL_BOUND); // the customer was then released
            assertThat(second.messages()).contains("From: \"Customer One\" <sip:2001@");
            assertThat(stateOf(cti, A1001)).isIn(AgentState.WRAP_UP, AgentState.READY);
        }
    }

    @Test
    void givenAnAcdCall_whenBlindTransferredToAnotherQueue_thenTheCustomerWaitsThereFromTheirFirstArrival() {
        try (CtiUnderTest cti = cti("ctl-blind-queue")) {
            Sipp.Phone[] phones = acdCall(cti);
            Sipp.Phone sales = env.sipp().agent("1002", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);

            command(agentClient(cti), "call.transfer.blind", "\"target\":\"queue:sales\"");
            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
            ready(cti, "agent-1002");

            sales.assertSucceeded(CtiIt.CALL_BOUND);
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            List<QueueEvent.Entered> entered = cti.acd(acd -> cti.server().acdEvents().events().stream()
                    .filter(QueueEvent.Entered.class::isInstance).map(QueueEvent.Entered.class::cast).toList());
            assertThat(entered).extracting(e -> e.queue().value()).containsExactly("support", "sales");
            assertThat(entered.get(1).toString()).contains("TRANSFERRED");
            List<QueueEvent.Answered> answered = cti.acd(acd -> cti.server().acdEvents().events().stream()
                    .filter(QueueEvent.Answered.class::isInstance).map(QueueEvent.Answered.class::cast).toList());
            assertThat(answered).hasSize(2);
            // The wait in sales counts from the first arrival in support: longer than the talk before the transfer.
            assertThat(answered.get(1).waited()).isGreaterThan(answered.get(0).waited());
            assertThat(answered.get(1).queue()).isEqualTo(QueueId.of("sales"));
        }
    }

    @Test
    void givenAnAcdCall_whenTheAgentConsultsAnotherAgentAndCompletes_thenTheCustomerIsWithTheTarget() {
        try (CtiUnderTest cti = cti("ctl-attended")) {
            // The customer hangs up 12 s after the CTI answered them: after the transfer is complete.
            Sipp.Phone[] phones = acdCall(cti, Duration.ofSeconds(12));
            Sipp.Phone target = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(500), 1);
            CtiClient client = agentClient(cti);

            command(client, "call.transfer.attended", "\"target\":\"agent:agent-1002\"");
            Conversation c = awaitParties(cti, A1001, "consulting the target", PartyState.HELD, PartyState.CONNECTED,
                    PartyState.CONNECTED);
            assertThat(c.transferState()).contains("TALKING_TO_TARGET");
            command(client, "call.transfer.swap", "");
            awaitParties(cti, A1001, "swapped", PartyState.CONNECTED, PartyState.CONNECTED, PartyState.HELD);
            command(client, "call.transfer.complete", "");

            phones[1].assertSucceeded(CtiIt.CALL_BOUND); // the transferring agent left
            awaitParties(cti, A1002, "customer with the target", PartyState.CONNECTED, PartyState.CONNECTED);
            // Then the customer hangs up: the target's phone gets its BYE.
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            target.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(stateOf(cti, A1001)).isIn(AgentState.WRAP_UP, AgentState.READY);
        }
    }

    @Test
    void givenAConsultationOfABusyTarget_thenTheAgentGetsTheCustomerBack() {
        try (CtiUnderTest cti = cti("ctl-attended-busy")) {
            Sipp.Phone[] phones = acdCall(cti);
            Sipp.Phone busy = env.sipp().agent("1002", "uas-busy.xml", Duration.ZERO, 1);
            CtiClient client = agentClient(cti);

            command(client, "call.transfer.attended", "\"target\":\"agent:agent-1002\"");

            busy.assertSucceeded(CtiIt.CALL_BOUND);
            Conversation c = awaitParties(cti, A1001, "customer back with the agent", PartyState.CONNECTED, PartyState.CONNECTED);
            assertThat(c.transferState()).isEmpty();
            command(client, "call.hangup", "");
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
        }
    }

    @Test
    void givenAnAcdCall_whenAThirdPartyIsAddedAndTheAgentLeaves_thenTheConferenceGoesOn() {
        try (CtiUnderTest cti = cti("ctl-conference")) {
            Sipp.Phone[] phones = acdCall(cti);
            Sipp.Phone third = env.sipp().customerAnswering("2002", "uas-answer.xml", Duration.ofMillis(500));
            CtiClient client = agentClient(cti);

            JsonNode r = command(client, "call.conference.add", "\"target\":\"2002\"");
            String id = r.path("id").asText();
            awaitParties(cti, A1001, "three in the conference", PartyState.CONNECTED, PartyState.CONNECTED,
                    PartyState.CONNECTED);
            JsonNode list = command(client, "call.conference.list", "\"call\":\"" + id + "\"");
            assertThat(list.path("parties")).hasSize(3);
            String thirdId = list.path("parties").get(2).path("id").asText();
            command(client, "call.conference.mute", "\"call\":\"" + id + "\",\"participant\":\"" + thirdId + "\",\"muted\":true");

            command(client, "call.hangup", "");
            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(BOUND, "customer and third party still together", () -> control(cti, cc -> cc.byId(id)
                    .map(c -> c.active().size() == 2).orElse(false)), () -> control(cti, cc -> String.valueOf(cc.byId(id))));

            // A supervisor removes the third party: the customer is alone, so the call ends.
            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            command(boss, "call.conference.kick", "\"call\":\"" + id + "\",\"participant\":\"" + thirdId + "\"");
            third.assertSucceeded(CtiIt.CALL_BOUND);
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
        }
    }

    @Test
    void givenACustomerWaiting_whenANotReadyAgentPicksUpTheQueue_thenTheirPhoneRingsAndTheyTalk() {
        try (CtiUnderTest cti = cti("ctl-pickup")) {
            loggedInNotReady(cti, "agent-1001");
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(4));
            CtiIt.within(BOUND, "customer waiting", () -> cti.acd(acd -> acd.oldestWaiting(QueueId.of("support")).isPresent()),
                    () -> "");

            JsonNode r = command(agentClient(cti), "call.pickup", "\"target\":\"queue:support\"");
            assertThat(r.path("state").asText()).isEqualTo("RINGING");

            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(BOUND, "agent back to NOT_READY after wrap-up", () -> cti.acd(acd -> {
                var v = acd.agent(A1001);
                return v.state() == AgentState.WRAP_UP || v.state() == AgentState.NOT_READY;
            }), () -> cti.acd(acd -> acd.agent(A1001)).toString());
        }
    }

    @Test
    void givenTheSameCommandIdTwice_thenTheCommandIsCarriedOutOnce_andAnotherCommandWithItIsRefused() {
        try (CtiUnderTest cti = cti("ctl-idempotent")) {
            Sipp.Phone agent = env.sipp().agent("1001", "uas-noanswer.xml", Duration.ZERO, 1);
            CtiClient client = agentClient(cti);
            String body = "{\"command_id\":\"same-1\",\"number\":\"2002\"}";

            JsonNode first = client.post("/api/v1/call-control/call.dial", body);
            JsonNode again = client.post("/api/v1/call-control/call.dial", body);
            CtiClient.Answer other = client.postAnswer("/api/v1/call-control/call.hangup", "{\"command_id\":\"same-1\"}");

            assertThat(again.path("id").asText()).isEqualTo(first.path("id").asText());
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.body().path("error_id").asText()).isEqualTo("command.id_reused");
            Optional<Conversation> c = control(cti, cc -> cc.of(A1001));
            assertThat(c).isPresent();
            assertThat(c.get().parties()).hasSize(1);
            command(client, "call.hangup", "");
            agent.assertSucceeded(CtiIt.CALL_BOUND); // got the CANCEL
        }
    }

    @Test
    void givenAnAcdCall_whenBlindTransferredToAnExternalNumber_thenThatNumberRingsWithTheCustomersCallerId() {
        try (CtiUnderTest cti = cti("ctl-blind-number")) {
            Sipp.Phone[] phones = acdCall(cti);
            Sipp.Phone outside = env.sipp().customerAnswering("2002", "uas-answer-hangup.xml", Duration.ofMillis(500));

            command(agentClient(cti), "call.transfer.blind", "\"target\":\"2002\"");

            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
            outside.assertSucceeded(CtiIt.CALL_BOUND); // answered, talked 2 s, hung up
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(outside.messages()).contains("From: \"Customer One\" <sip:2001@");
        }
    }

    @Test
    void givenAConsultation_whenTheAgentConferencesIn_thenAllThreeTalk_andTheCallGoesOnWithoutTheAgent() {
        try (CtiUnderTest cti = cti("ctl-attended-conference")) {
            Sipp.Phone[] phones = acdCall(cti);
            Sipp.Phone target = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(500), 1);
            CtiClient client = agentClient(cti);

            command(client, "call.transfer.attended", "\"target\":\"agent:agent-1002\"");
            awaitParties(cti, A1001, "consulting", PartyState.HELD, PartyState.CONNECTED, PartyState.CONNECTED);
            JsonNode r = command(client, "call.transfer.conference", "");
            assertThat(r.path("transfer").isMissingNode() || r.path("transfer").isNull()).isTrue();
            awaitParties(cti, A1001, "all three", PartyState.CONNECTED, PartyState.CONNECTED, PartyState.CONNECTED);

            command(client, "call.hangup", "");
            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
            Conversation c = awaitParties(cti, A1002, "customer and agent-1002 go on", PartyState.CONNECTED, PartyState.CONNECTED);
            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            command(boss, "call.hangup", "\"agent\":\"agent-1002\"");
            target.assertSucceeded(CtiIt.CALL_BOUND);
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(BOUND, "conversation over", () -> control(cti, cc -> cc.byId(c.id()).isEmpty()), () -> "");
        }
    }

    @Test
    void givenACallerRingingAtOneAgent_whenAnotherPicksItUp_thenTheFirstStopsRingingAndTheSecondTalks() {
        try (CtiUnderTest cti = cti("ctl-pickup-agent")) {
            ready(cti, "agent-1001");
            loggedInNotReady(cti, "agent-1002");
            Sipp.Phone ringing = env.sipp().agent("1001", "uas-noanswer.xml", Duration.ZERO, 1);
            Sipp.Phone picker = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(300), 1);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(5));
            CtiIt.within(BOUND, "agent-1001 rung", () -> cti.acd(acd -> acd.ringingAt(A1001).isPresent()), () -> "");

            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            command(boss, "call.pickup", "\"agent\":\"agent-1002\",\"target\":\"agent:agent-1001\"");

            ringing.assertSucceeded(CtiIt.CALL_BOUND); // got its CANCEL
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            picker.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(stateOf(cti, A1001)).isEqualTo(AgentState.READY);
        }
    }

    @Test
    void givenAnAcdCall_whenTheAgentConsultsAQueue_thenItsFreeAgentIsRung_andTakesTheCustomerOnComplete() {
        try (CtiUnderTest cti = cti("ctl-attended-queue")) {
            Sipp.Phone[] phones = acdCall(cti, Duration.ofSeconds(12));
            ready(cti, "agent-1002");
            Sipp.Phone colleague = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(500), 1);
            CtiClient client = agentClient(cti);

            JsonNode r = command(client, "call.transfer.attended", "\"target\":\"queue:sales\"");
            assertThat(r.path("transfer").path("target").asText()).isEqualTo("agent:agent-1002");
            awaitParties(cti, A1001, "consulting sales' free agent", PartyState.HELD, PartyState.CONNECTED,
                    PartyState.CONNECTED);
            command(client, "call.transfer.complete", "");

            phones[1].assertSucceeded(CtiIt.CALL_BOUND);
            awaitParties(cti, A1002, "customer with agent-1002", PartyState.CONNECTED, PartyState.CONNECTED);
            phones[0].assertSucceeded(CtiIt.CALL_BOUND);
            colleague.assertSucceeded(CtiIt.CALL_BOUND);
        }
    }
}
