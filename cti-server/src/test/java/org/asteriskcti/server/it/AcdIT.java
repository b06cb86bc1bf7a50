package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.asteriskcti.server.acd.AcdService;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CTI's own ACD against a real Asterisk: sipp customers dial 700 (routed to queue support),
 * wait in our Stasis app's holding bridge, and sipp agent phones are rung, answer, are busy or do not
 * answer. Each test checks both ends: the phones' scripts ran to the end, and the ACD's statistics log
 * says what happened.
 */
class AcdIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final QueueId SUPPORT = QueueId.of("support");
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** Queue support with the given extra keys (YAML lines indented under the queue). */
    private static String support(String... keys) {
        StringBuilder y = new StringBuilder("queues:\n  - id: support\n    tenant: demo\n    overflow: {message: all-circuits-busy-now}\n");
        for (String k : keys) {
            y.append("    ").append(k).append('\n');
        }
        return y.toString();
    }

    private CtiUnderTest cti(String name, String yaml) {
        CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve(name), AsteriskUnderTest.AMI_PORT, yaml);
        CtiIt.awaitHealthUp(cti);
        return cti;
    }

    /** Logs agents in READY once their phones are seen online, in order (the first is idle longest). */
    private static void ready(CtiUnderTest cti, String... agents) {
        for (String a : agents) {
            AgentId id = AgentId.of(a);
            CtiIt.within(CtiIt.LINK_BOUND, a + "'s phone online", () -> cti.acd(acd -> acd.agent(id).phoneOnline()),
                    () -> cti.acd(acd -> acd.agent(id)).toString());
            cti.acd(acd -> {
                acd.agentLogin(id, true);
                return null;
            });
            AgentState state = cti.acd(acd -> acd.agent(id).state());
            assertThat(state).isIn(AgentState.READY, AgentState.RESERVED); // RESERVED: a caller was waiting
            sleep(20);
        }
    }

    private static AgentView agent(CtiUnderTest cti, String a) {
        return cti.acd(acd -> acd.agent(AgentId.of(a)));
    }

    private static <T extends QueueEvent> List<T> events(CtiUnderTest cti, Class<T> type) {
        return cti.acd(acd -> logged(cti, type));
    }

    /** On the loop only (inside a {@link CtiUnderTest#acd} query or an {@link #await} condition). */
    private static <T extends QueueEvent> List<T> logged(CtiUnderTest cti, Class<T> type) {
        return cti.server().acdEvents().events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static void await(CtiUnderTest cti, String what, Function<AcdService, Boolean> condition) {
        CtiIt.within(BOUND, what, () -> cti.acd(condition), () -> cti.acd(acd -> String.valueOf(cti.server().acdEvents().events())));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void givenAReadyAgent_whenACustomerCallsTheQueue_thenTheAgentIsRungWithTheCustomersNumberAndTheyTalk() {
        try (CtiUnderTest cti = cti("acd-answered", support("wrap-up: 2s", "announce-period: 0s"))) {
            ready(cti, "agent-1001");
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(800), 1);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(3));

            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(agent.messages()).contains("From: \"Customer One\" <sip:2001@");
            await(cti, "the call completed", acd -> !logged(cti, QueueEvent.Answered.class).isEmpty()
                    && acd.agent(AgentId.of("agent-1001")).state() != AgentState.ON_CALL);
            QueueEvent.Answered answered = events(cti, QueueEvent.Answered.class).get(0);
            assertThat(answered.agent()).isEqualTo(AgentId.of("agent-1001"));
            assertThat(answered.waited()).isLessThan(Duration.ofSeconds(5));
            assertThat(agent(cti, "agent-1001").state()).isIn(AgentState.WRAP_UP, AgentState.READY);
            await(cti, "wrap-up over", acd -> acd.agent(AgentId.of("agent-1001")).state() == AgentState.READY);
            assertThat(cti.acd(acd -> acd.today(SUPPORT)).toString()).contains("offered=1, answered=1");
        }
    }

    @Test
    void givenNoAgent_whenTheCustomerHangsUpWhileWaiting_thenItIsAnAbandonWhileWaiting() {
        try (CtiUnderTest cti = cti("acd-abandon-waiting", support("announce-period: 0s"))) {
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(2));
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            await(cti, "abandon recorded", acd -> !logged(cti, QueueEvent.Abandoned.class).isEmpty());
            QueueEvent.Abandoned a = events(cti, QueueEvent.Abandoned.class).get(0);
            assertThat(a.whileRinging()).isFalse();
            assertThat(a.waited()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
        }
    }

    @Test
    void givenAnAgentWhoseePhoneRings_whenTheCustomerHangsUp_thenTheRingIsCancelledAndTheAgentIsReadyAgain() {
        try (CtiUnderTest cti = cti("acd-abandon-ringing", support("announce-period: 0s", "ring-timeout: 20s"))) {
            ready(cti, "agent-1001");
            Sipp.Phone agent = env.sipp().agent("1001", "uas-noanswer.xml", Duration.ZERO, 1);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(3));
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND); // got the CANCEL
            await(cti, "abandon recorded", acd -> !logged(cti, QueueEvent.Abandoned.class).isEmpty());
            assertThat(events(cti, QueueEvent.Abandoned.class).get(0).whileRinging()).isTrue();
            assertThat(agent(cti, "agent-1001").state()).isEqualTo(AgentState.READY);
        }
    }

    @Test
    void givenTheFirstAgentDoesNotAnswer_thenTheCallGoesToTheNextAgent_andTheFirstIsNotReadyNoAnswer() {
        try (CtiUnderTest cti = cti("acd-rna", support("announce-period: 0s", "ring-timeout: 3s", "wrap-up: 0s"))) {
            ready(cti, "agent-1001", "agent-1002");
            Sipp.Phone first = env.sipp().agent("1001", "uas-noanswer.xml", Duration.ZERO, 1);
            Sipp.Phone second = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(6));
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            first.assertSucceeded(CtiIt.CALL_BOUND);
            second.assertSucceeded(CtiIt.CALL_BOUND);
            await(cti, "answered by 1002", acd -> !logged(cti, QueueEvent.Answered.class).isEmpty());
            assertThat(events(cti, QueueEvent.Answered.class).get(0).agent()).isEqualTo(AgentId.of("agent-1002"));
            assertThat(events(cti, QueueEvent.OfferEnded.class)).extracting(QueueEvent.OfferEnded::agent, QueueEvent.OfferEnded::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AgentId.of("agent-1001"), QueueEvent.OfferOutcome.NO_ANSWER));
            AgentView a1 = agent(cti, "agent-1001");
            assertThat(a1.state()).isEqualTo(AgentState.NOT_READY);
            assertThat(a1.reason()).isEqualTo(NotReadyReason.NO_ANSWER);
        }
    }

    @Test
    void givenTheFirstAgentsPhoneIsBusy_thenTheNextAgentIsRungAtOnce() {
        try (CtiUnderTest cti = cti("acd-busy", support("announce-period: 0s", "wrap-up: 0s"))) {
            ready(cti, "agent-1001", "agent-1002");
            Sipp.Phone first = env.sipp().agent("1001", "uas-busy.xml", Duration.ZERO, 1);
            Sipp.Phone second = env.sipp().agent("1002", "uas-answer-hangup.xml", Duration.ofMillis(300), 1);
            Sipp.Phone customer = env.sipp().customerCallingUntilHungUp("2001", "700");
            customer.assertSucceeded(CtiIt.CALL_BOUND); // the agent hung up; we hung the customer up
            first.assertSucceeded(CtiIt.CALL_BOUND);
            second.assertSucceeded(CtiIt.CALL_BOUND);
            await(cti, "answered by 1002", acd -> !logged(cti, QueueEvent.Completed.class).isEmpty());
            assertThat(events(cti, QueueEvent.Answered.class).get(0).agent()).isEqualTo(AgentId.of("agent-1002"));
            assertThat(events(cti, QueueEvent.OfferEnded.class).get(0).outcome()).isEqualTo(QueueEvent.OfferOutcome.BUSY);
            assertThat(agent(cti, "agent-1001").reason()).isEqualTo(NotReadyReason.PHONE_BUSY);
        }
    }

    @Test
    void givenASkillsQueue_thenOnlyTheAgentWithTheSkillIsRung_evenIfAnotherHasWaitedLonger() {
        String yaml = support("announce-period: 0s", "wrap-up: 0s", "skills: {billing: 5}")
                + "agents:\n"
                + "  - {id: agent-1001, tenant: demo, name: One, endpoint: PJSIP/1001, skills: {billing: 2}}\n"
                + "  - {id: agent-1002, tenant: demo, name: Two, endpoint: PJSIP/1002, skills: {billing: 7}}\n"
                // the default users' demo1005 acts as agent-1005: it stays (logged out) so they remain valid
                + "  - {id: agent-1005, tenant: demo, name: Five, endpoint: PJSIP/1005}\n";
        try (CtiUnderTest cti = cti("acd-skills", yaml)) {
            ready(cti, "agent-1001", "agent-1002");
            Sipp.Phone second = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(300), 1);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(2));
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            second.assertSucceeded(CtiIt.CALL_BOUND);
            await(cti, "answered", acd -> !logged(cti, QueueEvent.Answered.class).isEmpty());
            assertThat(events(cti, QueueEvent.Offered.class)).extracting(QueueEvent.Offered::agent)
                    .containsExactly(AgentId.of("agent-1002"));
            assertThat(agent(cti, "agent-1001").state()).isEqualTo(AgentState.READY);
        }
    }

    @Test
    void givenMaxWait_whenNoAgentTakesTheCaller_thenTheyOverflowToTheMessageAndAreHungUp() {
        try (CtiUnderTest cti = cti("acd-overflow", support("announce-period: 0s", "max-wait: 3s"))) {
            Sipp.Phone customer = env.sipp().customerCallingUntilHungUp("2001", "700");
            customer.assertSucceeded(CtiIt.CALL_BOUND); // hung up by the dialplan after the message
            await(cti, "overflow recorded", acd -> !logged(cti, QueueEvent.Overflowed.class).isEmpty());
            QueueEvent.Overflowed o = events(cti, QueueEvent.Overflowed.class).get(0);
            assertThat(o.waited()).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(5));
            assertThat(events(cti, QueueEvent.Abandoned.class)).isEmpty();
        }
    }

    @Test
    void givenTheCallbackKey_whenTheCallerPressesIt_thenTheyAreLetGoAndCalledBackWhenAnAgentTakesTheirTurn() {
        try (CtiUnderTest cti = cti("acd-callback", support("announce-period: 0s", "wrap-up: 0s", "callback-key: '*'"))) {
            Sipp.Phone caller = env.sipp().customerAskingForCallback("2001", "700");
            caller.assertSucceeded(CtiIt.CALL_BOUND); // thanked and hung up by the dialplan
            await(cti, "a callback waiting in the caller's place", acd -> acd.waiting(SUPPORT).size() == 1
                    && acd.waiting(SUPPORT).get(0).entry().caller().value().startsWith("callback-"));

            Sipp.Phone customer = env.sipp().customerAnswering("2001", "uas-answer.xml", Duration.ofMillis(500));
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(300), 1);
            ready(cti, "agent-1001");
            agent.assertSucceeded(CtiIt.CALL_BOUND);    // rang first, answered, talked to the customer, hung up
            customer.assertSucceeded(CtiIt.CALL_BOUND); // dialled after the agent answered, then hung up by us
            assertThat(agent.messages()).contains("From: \"Customer One\" <sip:2001@");

            await(cti, "the callback completed", acd -> !logged(cti, QueueEvent.Completed.class).isEmpty());
            assertThat(events(cti, QueueEvent.CallbackRequested.class)).hasSize(1);
            assertThat(events(cti, QueueEvent.CallbackDialled.class)).singleElement().satisfies(d -> {
                assertThat(d.agent()).isEqualTo(AgentId.of("agent-1001"));
                assertThat(d.outcome()).isEqualTo(QueueEvent.CallbackOutcome.ANSWERED);
            });
            assertThat(cti.acd(acd -> acd.today(SUPPORT)).toString()).contains("offered=1, answered=1");
        }
    }

    @Test
    void givenPositionAnnouncements_whenACallerWaits_thenTheAnnouncementIsPlayedToTheEnd() {
        try (CtiUnderTest cti = cti("acd-announce", support("announce-period: 2s"))) {
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(10));
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            await(cti, "an announcement played to the end", acd -> cti.server().acdPort().announcementsPlayed() >= 1);
        }
    }
}
