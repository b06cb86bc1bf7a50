package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Type;
import org.asteriskcti.server.acd.EnqueueRequest;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.CtiConfig.Role;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACD through the client hub, on a manual loop with a fake clock: agent commands as WebSocket
 * messages (replies, typed errors, who may do what), the events the ACD's changes become, and the
 * {@code queue:<id>} topic with its throttled statistics and gauges.
 */
class AcdApiTest {

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private AcdFixture f;
    private int requestNo;

    private final Principal supervisor = principal("sup", "demo", Role.SUPERVISOR, null);
    private final Principal agent1001 = principal("a1", "demo", Role.AGENT, "agent-1001");
    private final Principal otherSupervisor = principal("osup", "other", Role.SUPERVISOR, null);

    private static Principal principal(String user, String tenant, Role role, String agent) {
        return new Principal(UserId.of(user), TenantId.of(tenant), role, agent == null ? null : AgentId.of(agent),
                Instant.parse("2026-12-31T00:00:00Z"));
    }

    @BeforeEach
    void setUp() {
        f = new AcdFixture(loop, AcdFixture.config(dir, "users: []\n", Map.of()));
        scheduler.runAll();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private void run(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private <T> T call(Supplier<T> s) {
        CompletableFuture<T> result = loop.call(s);
        scheduler.runAll();
        return result.join();
    }

    private FakeConnection connect(Principal p, String... topics) {
        FakeConnection c = new FakeConnection();
        run(() -> f.hub.connected(c, p, null, null));
        if (topics.length > 0) {
            JsonNode r = send(c, new ClientMessage(Type.SUBSCRIBE, "sub", List.of(topics)));
            assertThat(r.path("ok").asBoolean()).as("subscribed to %s: %s", List.of(topics), r).isTrue();
        }
        return c;
    }

    /** Sends a message and returns its answer: the reply or error (outside the stream, no seq). */
    private JsonNode send(FakeConnection c, ClientMessage m) {
        int before = c.sent.size();
        run(() -> f.hub.message(c, m));
        List<JsonNode> written = c.frames().subList(before, c.sent.size());
        return written.stream().filter(x -> !x.has("seq")).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("no answer to " + m + " among " + written));
    }

    private ClientMessage cmd(String type, String agent) {
        return ClientMessage.agentCommand(type, "r" + ++requestNo, agent);
    }

    private static JsonNode error(JsonNode frame) {
        assertThat(frame.path("type").asText()).as("an error: %s", frame).isEqualTo("error");
        return frame.get("error");
    }

    private static JsonNode ok(JsonNode frame) {
        assertThat(frame.path("type").asText()).as("a reply: %s", frame).isEqualTo("reply");
        assertThat(frame.get("ok").asBoolean()).isTrue();
        return frame.get("data");
    }

    private static List<JsonNode> events(FakeConnection c, String event) {
        return c.frames().stream().filter(x -> "event".equals(x.path("type").asText()))
                .filter(x -> x.get("event").asText().equals(event)).toList();
    }

    private static List<String> eventNames(FakeConnection c, String prefix) {
        return c.frames().stream().filter(x -> "event".equals(x.path("type").asText()))
                .map(x -> x.get("event").asText()).filter(e -> e.startsWith(prefix)).toList();
    }

    private AgentState state(String agent) {
        return call(() -> f.acd.agent(AgentId.of(agent)).state());
    }

    private void phoneOnline(String agent) {
        run(() -> f.acd.phoneOnline(AgentId.of(agent)));
    }

    private void readyByAcd(String agent) {
        run(() -> {
            f.acd.phoneOnline(AgentId.of(agent));
            f.acd.agentLogin(AgentId.of(agent), true);
        });
    }

    private EntryId enqueue(String caller) {
        return call(() -> f.acd.enqueue(EnqueueRequest.newCaller(ChannelId.of(caller), QueueId.of("support"), clock.instant())));
    }

    private void answer(EntryId e, String agent) {
        run(() -> f.acd.agentLegAnswered(e, AgentId.of(agent)));
    }

    private void agentHangsUp(EntryId e, String agent) {
        run(() -> f.acd.agentLegHungUp(e, AgentId.of(agent)));
    }

    private void callerHangsUp(String caller) {
        run(() -> f.acd.callerHungUp(ChannelId.of(caller)));
    }

    private void advance(Duration d) {
        scheduler.advance(d);
    }

    /** agent-1001 ready, answers caller c1, and the call ends: WRAP_UP (10 s, at most 30 s). */
    private EntryId inWrapUp() {
        readyByAcd("agent-1001");
        EntryId e = enqueue("c1");
        answer(e, "agent-1001");
        advance(Duration.ofSeconds(20));
        agentHangsUp(e, "agent-1001");
        assertThat(state("agent-1001")).isEqualTo(AgentState.WRAP_UP);
        return e;
    }

    // ---- commands -----------------------------------------------------------------------------------

    @Test
    void givenAnAgentWithTheirPhoneOnline_whenTheyLogInReady_thenAgentUpdatedOnTheStreamThenAReplyWithTheAgent() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");
        phoneOnline("agent-1001");
        int before = c.sent.size();

        JsonNode reply = send(c, cmd(Type.AGENT_LOGIN, null).withReady(true));

        JsonNode agent = ok(reply);
        assertThat(reply.get("id").asText()).isEqualTo("r1");
        assertThat(agent.get("agent_id").asText()).isEqualTo("agent-1001");
        assertThat(agent.get("device").asText()).isEqualTo("PJSIP/1001");
        assertThat(agent.at("/acd/state").asText()).isEqualTo("READY");
        assertThat(agent.at("/acd/cause").asText()).isEqualTo("LOGIN");
        assertThat(agent.at("/acd/since").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(agent.at("/acd/phone_online").asBoolean()).isTrue();
        List<JsonNode> after = c.frames().subList(before, c.sent.size());
        assertThat(after).extracting(x -> x.get("type").asText()).containsExactly("event", "reply");
        assertThat(after.get(0).get("event").asText()).isEqualTo(Protocol.Events.AGENT_UPDATED);
        assertThat(after.get(0).get("topics")).extracting(JsonNode::asText).containsExactly("agents", "agent:agent-1001");
        assertThat(after.get(0).get("data")).isEqualTo(agent);
        assertThat(state("agent-1001")).isEqualTo(AgentState.READY);
    }

    @Test
    void givenNoReadyFlag_whenLoggingIn_thenNotReadyWithTheReasonLogin() {
        FakeConnection c = connect(agent1001);
        phoneOnline("agent-1001");

        JsonNode agent = ok(send(c, cmd(Type.AGENT_LOGIN, "agent-1001")));

        assertThat(agent.at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(agent.at("/acd/reason").asText()).isEqualTo("login");
    }

    @Test
    void givenALoggedInAgent_whenNotReadyThenReadyThenLogout_thenEachIsAppliedAndPublishedWithItsReason() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");
        readyByAcd("agent-1001");

        JsonNode lunch = ok(send(c, cmd(Type.AGENT_NOT_READY, null).withReason("lunch")));
        assertThat(lunch.at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(lunch.at("/acd/reason").asText()).isEqualTo("lunch");
        assertThat(lunch.at("/acd/cause").asText()).isEqualTo("AGENT_REQUEST");
        advance(Duration.ofMinutes(30));
        JsonNode ready = ok(send(c, cmd(Type.AGENT_READY, null)));
        assertThat(ready.at("/acd/state").asText()).isEqualTo("READY");
        assertThat(ready.at("/acd/reason").isMissingNode()).isTrue();
        assertThat(ready.at("/acd/since").asText()).isEqualTo("2026-11-23T09:30:00Z");
        JsonNode out = ok(send(c, cmd(Type.AGENT_LOGOUT, null)));
        assertThat(out.at("/acd/state").asText()).isEqualTo("LOGGED_OUT");

        assertThat(events(c, Protocol.Events.AGENT_UPDATED)).extracting(e -> e.at("/data/acd/state").asText())
                .containsExactly("READY", "NOT_READY", "READY", "LOGGED_OUT");
    }

    @Test
    void givenAReasonTheTenantDoesNotHave_whenNotReady_thenUnknownReasonNamingItAndTheAllowedOnes_andNothingChanges() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");
        readyByAcd("agent-1001");
        int updates = events(c, Protocol.Events.AGENT_UPDATED).size();

        JsonNode frame = send(c, cmd(Type.AGENT_NOT_READY, null).withReason("training"));

        JsonNode e = error(frame);
        assertThat(frame.get("id").asText()).isEqualTo("r1");
        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_UNKNOWN_REASON);
        assertThat(e.get("status").asInt()).isEqualTo(400);
        assertThat(e.get("message").asText()).contains("'training'");
        assertThat(e.at("/details/reason").asText()).isEqualTo("training");
        assertThat(e.at("/details/allowed")).extracting(JsonNode::asText).containsExactly("break", "lunch");
        assertThat(state("agent-1001")).isEqualTo(AgentState.READY);
        assertThat(events(c, Protocol.Events.AGENT_UPDATED)).hasSize(updates);
    }

    @Test
    void givenALoggedInAgent_whenLoggingInAgain_thenIllegalTransition409() {
        FakeConnection c = connect(agent1001);
        readyByAcd("agent-1001");

        JsonNode e = error(send(c, cmd(Type.AGENT_LOGIN, null)));

        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_ILLEGAL_TRANSITION);
        assertThat(e.get("status").asInt()).isEqualTo(409);
        assertThat(e.at("/details/from").asText()).isEqualTo("READY");
        assertThat(e.at("/details/agent").asText()).isEqualTo("agent-1001");
    }

    @Test
    void givenThePhoneNotRegistered_whenAskingForReady_thenPhoneUnregistered() {
        FakeConnection c = connect(agent1001);
        ok(send(c, cmd(Type.AGENT_LOGIN, null)));

        JsonNode e = error(send(c, cmd(Type.AGENT_READY, null)));

        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_PHONE_UNREGISTERED);
        assertThat(state("agent-1001")).isEqualTo(AgentState.NOT_READY);
    }

    @Test
    void givenAnAgentInWrapUp_whenExtendingWithinTheLimit_thenItsEndMovesAndClientsSeeIt_andBeyondTheLimitIsRefused() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");
        inWrapUp();
        Instant wrapStart = clock.instant();
        int updates = events(c, Protocol.Events.AGENT_UPDATED).size();

        JsonNode extended = ok(send(c, cmd(Type.AGENT_WRAP_UP_EXTEND, null).withSeconds(15L)));

        assertThat(extended.at("/acd/wrap_up_ends_at").asText()).isEqualTo(wrapStart.plusSeconds(25).toString());
        assertThat(extended.at("/acd/wrap_up_limit").asText()).isEqualTo(wrapStart.plusSeconds(30).toString());
        List<JsonNode> updated = events(c, Protocol.Events.AGENT_UPDATED);
        assertThat(updated).hasSize(updates + 1);
        assertThat(updated.get(updated.size() - 1).get("data")).isEqualTo(extended);

        JsonNode e = error(send(c, cmd(Type.AGENT_WRAP_UP_EXTEND, null).withSeconds(10L)));
        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_WRAP_UP_LIMIT);
        assertThat(e.get("status").asInt()).isEqualTo(409);
        assertThat(e.at("/details/remaining_seconds").asLong()).isEqualTo(5);

        // The extension moved the timer too: still in wrap-up after the original 10 s, out at 25 s.
        advance(Duration.ofSeconds(24));
        assertThat(state("agent-1001")).isEqualTo(AgentState.WRAP_UP);
        advance(Duration.ofSeconds(1));
        assertThat(state("agent-1001")).isEqualTo(AgentState.READY);
    }

    @Test
    void givenWrapUp_whenNotReadyThenEndWrapUp_thenTheWishIsShownAndAppliedWhenWrapUpEnds() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");
        inWrapUp();
        int updates = events(c, Protocol.Events.AGENT_UPDATED).size();

        JsonNode wish = ok(send(c, cmd(Type.AGENT_NOT_READY, null).withReason("break")));
        assertThat(wish.at("/acd/state").asText()).isEqualTo("WRAP_UP");
        assertThat(wish.at("/acd/next_state").asText()).isEqualTo("NOT_READY");
        assertThat(wish.at("/acd/next_reason").asText()).isEqualTo("break");
        assertThat(events(c, Protocol.Events.AGENT_UPDATED)).hasSize(updates + 1);

        JsonNode ended = ok(send(c, cmd(Type.AGENT_WRAP_UP_END, null)));
        assertThat(ended.at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(ended.at("/acd/reason").asText()).isEqualTo("break");
        assertThat(ended.at("/acd/cause").asText()).isEqualTo("WRAP_UP_ENDED");
        assertThat(events(c, Protocol.Events.AGENT_UPDATED)).hasSize(updates + 2);

        JsonNode again = error(send(c, cmd(Type.AGENT_WRAP_UP_END, null)));
        assertThat(again.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_NOT_IN_WRAP_UP);
    }

    @Test
    void givenAnotherTenantsAgent_whenASupervisorNamesIt_thenRefusedExactlyLikeAnAgentThatDoesNotExist() {
        FakeConnection c = connect(supervisor);
        phoneOnline("agent-3001");

        JsonNode other = error(send(c, cmd(Type.AGENT_LOGIN, "agent-3001").withReady(true)));
        JsonNode ghost = error(send(c, cmd(Type.AGENT_LOGIN, "agent-9999").withReady(true)));

        assertThat(other.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_UNKNOWN);
        assertThat(other.get("status").asInt()).isEqualTo(404);
        assertThat(other.toString().replace("agent-3001", "X")).isEqualTo(ghost.toString().replace("agent-9999", "X"));
        assertThat(state("agent-3001")).isEqualTo(AgentState.LOGGED_OUT);
        // The same from the other side, for the supervisor's override.
        JsonNode forced = error(send(connect(otherSupervisor), cmd(Type.AGENT_FORCE, "agent-1001").withState("LOGGED_OUT")));
        assertThat(forced.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_UNKNOWN);
    }

    @Test
    void givenAnAgentUser_whenActingOnAnotherAgentOfTheirTenant_thenForbiddenAndNothingChanges() {
        FakeConnection c = connect(agent1001);
        phoneOnline("agent-1002");

        JsonNode e = error(send(c, cmd(Type.AGENT_LOGIN, "agent-1002").withReady(true)));

        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(e.get("status").asInt()).isEqualTo(403);
        assertThat(state("agent-1002")).isEqualTo(AgentState.LOGGED_OUT);
    }

    @Test
    void givenAnAgentUser_whenForcingEvenTheirOwnState_thenForbidden() {
        FakeConnection c = connect(agent1001);
        readyByAcd("agent-1001");

        JsonNode e = error(send(c, cmd(Type.AGENT_FORCE, null).withState("LOGGED_OUT")));

        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(state("agent-1001")).isEqualTo(AgentState.READY);
    }

    @Test
    void givenAnAgentInWrapUp_whenTheirSupervisorForcesReady_thenReadyAtOnceAndTheCauseNamesTheSupervisor() {
        FakeConnection watcher = connect(supervisor, "agent:agent-1001");
        inWrapUp();

        JsonNode agent = ok(send(watcher, cmd(Type.AGENT_FORCE, "agent-1001").withState("ready")));

        assertThat(agent.at("/acd/state").asText()).isEqualTo("READY");
        assertThat(agent.at("/acd/cause").asText()).isEqualTo("FORCED_BY_SUPERVISOR");
        assertThat(agent.at("/acd/forced_by").asText()).isEqualTo("sup");
        assertThat(events(watcher, Protocol.Events.AGENT_UPDATED).get(events(watcher, Protocol.Events.AGENT_UPDATED).size() - 1)
                .at("/data/acd/forced_by").asText()).isEqualTo("sup");
    }

    @Test
    void givenAnAgentOnACall_whenTheyLogOut_thenIllegal_butTheirSupervisorCanForceItAndLogThemBackIn() {
        FakeConnection agent = connect(agent1001);
        FakeConnection sup = connect(supervisor);
        readyByAcd("agent-1001");
        answer(enqueue("c1"), "agent-1001");

        JsonNode refused = error(send(agent, cmd(Type.AGENT_LOGOUT, null)));
        assertThat(refused.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_ILLEGAL_TRANSITION);
        assertThat(state("agent-1001")).isEqualTo(AgentState.ON_CALL);

        JsonNode out = ok(send(sup, cmd(Type.AGENT_FORCE, "agent-1001").withState("LOGGED_OUT")));
        assertThat(out.at("/acd/state").asText()).isEqualTo("LOGGED_OUT");

        JsonNode in = ok(send(sup, cmd(Type.AGENT_FORCE, "agent-1001").withState("NOT_READY").withReason("break")));
        assertThat(in.at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(in.at("/acd/reason").asText()).isEqualTo("break");
    }

    @Test
    void givenASupervisor_whenSendingAPlainCommandForAnAgent_thenItActsAsTheAgentsOwnRequest() {
        FakeConnection sup = connect(supervisor);
        readyByAcd("agent-1002");

        JsonNode agent = ok(send(sup, cmd(Type.AGENT_NOT_READY, "agent-1002").withReason("lunch")));

        assertThat(agent.at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(agent.at("/acd/cause").asText()).isEqualTo("AGENT_REQUEST");
    }

    @Test
    void givenMissingOrWrongFields_thenInvalidRequestNamingTheField() {
        FakeConnection agent = connect(agent1001);
        FakeConnection sup = connect(supervisor);
        readyByAcd("agent-1001");

        assertThat(error(send(agent, cmd(Type.AGENT_NOT_READY, null))).at("/details/field").asText()).isEqualTo("reason");
        assertThat(error(send(agent, cmd(Type.AGENT_WRAP_UP_EXTEND, null).withSeconds(0L))).at("/details/field").asText())
                .isEqualTo("seconds");
        assertThat(error(send(sup, cmd(Type.AGENT_FORCE, "agent-1001").withState("ON_CALL"))).at("/details/field").asText())
                .isEqualTo("state");
        assertThat(error(send(sup, cmd(Type.AGENT_FORCE, "agent-1001").withState("NOT_READY"))).at("/details/field").asText())
                .isEqualTo("reason");
        JsonNode noAgent = error(send(sup, cmd(Type.AGENT_READY, null)));
        assertThat(noAgent.get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_INVALID_REQUEST);
        assertThat(noAgent.get("status").asInt()).isEqualTo(400);
        assertThat(noAgent.at("/details/field").asText()).isEqualTo("agent");
        assertThat(state("agent-1001")).isEqualTo(AgentState.READY);
    }

    @Test
    void givenTheServerWithoutTheAcd_whenAnAgentCommandOrAQueueTopic_thenAcdDisabledAndDenied() {
        ClientHub noAcd = new ClientHub(loop, f.model, f.directory, f.config.clientApi(), new CtiMetrics());
        FakeConnection c = new FakeConnection();
        run(() -> noAcd.connected(c, agent1001, null, null));

        run(() -> noAcd.message(c, cmd(Type.AGENT_LOGIN, null)));
        assertThat(error(c.last()).get("error_id").asText()).isEqualTo(Protocol.Errors.ACD_DISABLED);
        run(() -> noAcd.message(c, new ClientMessage(Type.SUBSCRIBE, "s", List.of("queue:support"))));
        assertThat(error(c.last()).get("error_id").asText()).isEqualTo(Protocol.Errors.TOPIC_DENIED);
        run(() -> noAcd.message(c, new ClientMessage(Type.SUBSCRIBE, "s", List.of("agent:agent-1001"))));
        JsonNode agent = c.frames().stream().filter(x -> "snapshot".equals(x.path("type").asText())).reduce((a, b) -> b)
                .orElseThrow().at("/data/agent");
        assertThat(agent.get("agent_id").asText()).isEqualTo("agent-1001");
        assertThat(agent.has("acd")).isFalse();
    }

    // ---- events -------------------------------------------------------------------------------------

    @Test
    void givenAPhoneChangeAndAnAcdChange_thenBothAreAgentUpdatedInOneShapeWithPhoneAndAcdState() {
        FakeConnection c = connect(supervisor, "agents");
        Events ami = new Events(clock, Source.AMI);

        run(() -> f.model.apply(new AsteriskEvent.DeviceStateChanged(ami.meta(), "PJSIP/1001", DeviceState.NOT_INUSE)));
        readyByAcd("agent-1001");

        List<JsonNode> updates = events(c, Protocol.Events.AGENT_UPDATED);
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0).at("/data/phone").asText()).isEqualTo("IDLE");
        assertThat(updates.get(0).at("/data/acd/state").asText()).isEqualTo("LOGGED_OUT");
        assertThat(updates.get(1).at("/data/phone").asText()).isEqualTo("IDLE");
        assertThat(updates.get(1).at("/data/acd/state").asText()).isEqualTo("READY");
        List<String> fields = iterable(updates.get(0).get("data"));
        assertThat(iterable(updates.get(1).get("data"))).isEqualTo(fields);
    }

    private static List<String> iterable(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void givenACallerFromAnIvr_whenOffered_thenTheAgentsScreenPopShowsWhatTheFlowLearnt() {
        FakeConnection agent = connect(agent1001, "agent:agent-1001");
        phoneOnline("agent-1001");
        java.util.Map<String, String> data = new java.util.LinkedHashMap<>();
        data.put("account", "12345");
        data.put("lookup.tier", "gold");
        org.asteriskcti.server.acd.ScreenPop pop = new org.asteriskcti.server.acd.ScreenPop("2001", "", java.util.Optional.of("north"),
                java.util.Optional.of("fr"), List.of(new org.asteriskcti.server.acd.ScreenPop.Choice("lang", "2"),
                        new org.asteriskcti.server.acd.ScreenPop.Choice("menu", "1")), data);
        call(() -> f.acd.enqueue(EnqueueRequest.newCaller(ChannelId.of("c1"), QueueId.of("support"), clock.instant())
                .withScreenPop(pop)));

        ok(send(agent, cmd(Type.AGENT_LOGIN, null).withReady(true)));

        JsonNode offered = events(agent, Protocol.Events.QUEUE_CALL_OFFERED).get(0);
        assertThat(offered.at("/data/screen_pop/caller_number").asText()).isEqualTo("2001");
        assertThat(offered.at("/data/screen_pop/caller_name").isMissingNode()).as("no name: left out").isTrue();
        assertThat(offered.at("/data/screen_pop/region").asText()).isEqualTo("north");
        assertThat(offered.at("/data/screen_pop/language").asText()).isEqualTo("fr");
        assertThat(offered.at("/data/screen_pop/choices/1/node").asText()).isEqualTo("menu");
        assertThat(offered.at("/data/screen_pop/choices/1/key").asText()).isEqualTo("1");
        assertThat(iterable(offered.at("/data/screen_pop/data"))).containsExactly("account", "lookup.tier");
        assertThat(offered.at("/data/screen_pop/data/lookup.tier").asText()).isEqualTo("gold");
    }

    @Test
    void givenACallerWhoWaits_whenOfferedAnsweredAndCompleted_thenQueueCallEventsWithTheWaitOnTheQueueAndAgentTopics() {
        FakeConnection sup = connect(supervisor, "queue:support");
        FakeConnection agent = connect(agent1001, "agent:agent-1001");
        phoneOnline("agent-1001");
        EntryId e = enqueue("c1");
        advance(Duration.ofSeconds(7));

        ok(send(agent, cmd(Type.AGENT_LOGIN, null).withReady(true)));
        answer(e, "agent-1001");
        advance(Duration.ofSeconds(60));
        agentHangsUp(e, "agent-1001");

        assertThat(eventNames(sup, "queue.call.")).containsExactly("queue.call.entered", "queue.call.offered",
                "queue.call.answered", "queue.call.ended");
        assertThat(eventNames(agent, "queue.call.")).containsExactly("queue.call.offered", "queue.call.answered",
                "queue.call.ended");
        JsonNode entered = events(sup, Protocol.Events.QUEUE_CALL_ENTERED).get(0);
        assertThat(entered.get("topics")).extracting(JsonNode::asText).containsExactly("queue:support");
        assertThat(entered.at("/data/entry_id").asText()).isEqualTo(e.value());
        assertThat(entered.at("/data/caller").asText()).isEqualTo("c1");
        assertThat(entered.at("/data/state").asText()).isEqualTo("WAITING");
        assertThat(entered.at("/data/previous_state").isMissingNode()).isTrue();
        assertThat(entered.at("/data/origin").asText()).isEqualTo("NEW");
        assertThat(entered.at("/data/arrived_at").asText()).isEqualTo("2026-11-23T09:00:00Z");
        JsonNode offered = events(sup, Protocol.Events.QUEUE_CALL_OFFERED).get(0);
        assertThat(offered.get("topics")).extracting(JsonNode::asText).containsExactly("queue:support", "agent:agent-1001");
        assertThat(offered.at("/data/agent").asText()).isEqualTo("agent-1001");
        assertThat(offered.at("/data/attempt").asInt()).isEqualTo(1);
        assertThat(offered.at("/data/previous_state").asText()).isEqualTo("WAITING");
        assertThat(offered.at("/data/wait_seconds").asLong()).isEqualTo(7);
        assertThat(events(sup, Protocol.Events.QUEUE_CALL_ANSWERED).get(0).at("/data/wait_seconds").asLong()).isEqualTo(7);
        JsonNode ended = events(sup, Protocol.Events.QUEUE_CALL_ENDED).get(0);
        assertThat(ended.at("/data/state").asText()).isEqualTo("COMPLETED");
        assertThat(ended.at("/data/wait_seconds").asLong()).as("the wait, not the talk").isEqualTo(7);
    }

    @Test
    void givenAnOfferThatRingsOut_thenRequeuedAndTheCallersWaitKeepsRunning() {
        FakeConnection sup = connect(supervisor, "queue:support");
        readyByAcd("agent-1001");
        enqueue("c1");

        advance(Duration.ofSeconds(15));

        assertThat(eventNames(sup, "queue.call.")).containsExactly("queue.call.entered", "queue.call.offered",
                "queue.call.requeued");
        JsonNode requeued = events(sup, Protocol.Events.QUEUE_CALL_REQUEUED).get(0);
        assertThat(requeued.at("/data/state").asText()).isEqualTo("WAITING");
        assertThat(requeued.at("/data/previous_state").asText()).isEqualTo("OFFERING");
        assertThat(requeued.at("/data/wait_seconds").asLong()).isEqualTo(15);
        assertThat(state("agent-1001")).isEqualTo(AgentState.NOT_READY);
    }

    // ---- queue topic and statistics -----------------------------------------------------------------

    @Test
    void givenTwoCallersWaiting_whenASupervisorSubscribesToTheQueue_thenASnapshotWithStatsAndTheCallersInOrder() {
        enqueue("c1");
        advance(Duration.ofSeconds(3));
        enqueue("c2");
        advance(Duration.ofSeconds(2));
        FakeConnection c = connect(supervisor);

        send(c, new ClientMessage(Type.SUBSCRIBE, "s", List.of("queue:support")));

        JsonNode snap = c.frames().stream().filter(x -> "snapshot".equals(x.path("type").asText())).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(snap.get("topic").asText()).isEqualTo("queue:support");
        JsonNode q = snap.get("data");
        assertThat(q.get("queue_id").asText()).isEqualTo("support");
        assertThat(q.get("name").asText()).isEqualTo("Support");
        assertThat(q.at("/stats/waiting").asInt()).isEqualTo(2);
        assertThat(q.at("/stats/longest_wait_seconds").asLong()).isEqualTo(5);
        assertThat(q.at("/stats/oldest_arrived_at").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(q.at("/stats/staffed").asInt()).isZero();
        assertThat(q.at("/stats/agents/LOGGED_OUT").asInt()).isEqualTo(2);
        assertThat(q.at("/stats/today/offered").asInt()).isEqualTo(2);
        assertThat(q.get("waiting")).hasSize(2);
        assertThat(q.at("/waiting/0/position").asInt()).isEqualTo(1);
        assertThat(q.at("/waiting/0/call/caller").asText()).isEqualTo("c1");
        assertThat(q.at("/waiting/0/call/wait_seconds").asLong()).isEqualTo(5);
        assertThat(q.at("/waiting/0/estimated_wait_seconds").asLong()).isEqualTo(180);
        assertThat(q.at("/waiting/1/call/caller").asText()).isEqualTo("c2");
        assertThat(q.at("/waiting/1/call/wait_seconds").asLong()).isEqualTo(2);
    }

    @Test
    void givenAnotherTenantsQueue_whenSubscribing_thenDeniedExactlyLikeAQueueThatDoesNotExist_butAgentsMayWatchTheirOwn() {
        FakeConnection c = connect(supervisor);

        JsonNode other = error(send(c, new ClientMessage(Type.SUBSCRIBE, "s", List.of("queue:other-q"))));
        JsonNode none = error(send(c, new ClientMessage(Type.SUBSCRIBE, "s", List.of("queue:nope"))));

        assertThat(other.get("error_id").asText()).isEqualTo(Protocol.Errors.TOPIC_DENIED);
        assertThat(other.toString().replace("other-q", "X")).isEqualTo(none.toString().replace("nope", "X"));
        assertThat(send(connect(agent1001), new ClientMessage(Type.SUBSCRIBE, "s", List.of("queue:support")))
                .path("ok").asBoolean()).isTrue();
    }

    @Test
    void givenChangesWithinASecond_thenOneStatsEventAtOnceAndOneWhenTheSecondIsOver_andNoneWhileNothingChanges() {
        FakeConnection c = connect(supervisor, "queue:support");

        enqueue("c1");
        assertThat(events(c, Protocol.Events.QUEUE_STATS)).hasSize(1);
        assertThat(events(c, Protocol.Events.QUEUE_STATS).get(0).at("/data/waiting").asInt()).isEqualTo(1);
        enqueue("c2");
        advance(Duration.ofMillis(999));
        assertThat(events(c, Protocol.Events.QUEUE_CALL_ENTERED)).hasSize(2);
        assertThat(events(c, Protocol.Events.QUEUE_STATS)).hasSize(1);

        advance(Duration.ofMillis(1));
        List<JsonNode> stats = events(c, Protocol.Events.QUEUE_STATS);
        assertThat(stats).hasSize(2);
        assertThat(stats.get(1).at("/data/waiting").asInt()).isEqualTo(2);
        assertThat(stats.get(1).get("topics")).extracting(JsonNode::asText).containsExactly("queue:support");

        advance(Duration.ofMinutes(2));
        assertThat(events(c, Protocol.Events.QUEUE_STATS)).hasSize(2);
    }

    @Test
    void givenAnsweredAbandonedAndShortAbandonedCallers_thenTodaysFiguresFollowTheDefinitions() {
        FakeConnection c = connect(supervisor, "queue:support");
        FakeConnection agent = connect(agent1001);
        phoneOnline("agent-1001");
        EntryId e1 = enqueue("c1");
        advance(Duration.ofSeconds(8));
        ok(send(agent, cmd(Type.AGENT_LOGIN, null).withReady(true)));
        answer(e1, "agent-1001");
        ok(send(agent, cmd(Type.AGENT_NOT_READY, null).withReason("break")));
        advance(Duration.ofSeconds(30));
        agentHangsUp(e1, "agent-1001");
        advance(Duration.ofSeconds(10));
        enqueue("c2");
        advance(Duration.ofSeconds(25));
        callerHangsUp("c2");
        enqueue("c3");
        advance(Duration.ofSeconds(2));
        callerHangsUp("c3");
        advance(Duration.ofSeconds(1));

        List<JsonNode> stats = events(c, Protocol.Events.QUEUE_STATS);
        JsonNode s = stats.get(stats.size() - 1).get("data");
        assertThat(s.get("waiting").asInt()).isZero();
        assertThat(s.at("/agents/NOT_READY").asInt()).isEqualTo(1);
        assertThat(s.at("/agents/LOGGED_OUT").asInt()).isEqualTo(1);
        assertThat(s.get("staffed").asInt()).isEqualTo(1);
        JsonNode today = s.get("today");
        assertThat(today.get("from").asText()).isEqualTo("2026-11-23T00:00:00Z");
        assertThat(today.get("offered").asInt()).isEqualTo(3);
        assertThat(today.get("answered").asInt()).isEqualTo(1);
        assertThat(today.get("answered_within_threshold").asInt()).isEqualTo(1);
        assertThat(today.get("abandoned").asInt()).isEqualTo(1);
        assertThat(today.get("short_abandoned").asInt()).isEqualTo(1);
        assertThat(today.get("completed").asInt()).isEqualTo(1);
        assertThat(today.get("service_level_percent").asDouble()).isEqualTo(50.0);
        assertThat(today.get("abandon_rate_percent").asDouble()).isEqualTo(50.0);
        assertThat(today.get("asa_seconds").asDouble()).isEqualTo(8.0);
        assertThat(today.get("aht_seconds").asDouble()).as("30 s talk + 10 s wrap-up").isEqualTo(40.0);
        assertThat(today.get("service_level_threshold_seconds").asLong()).isEqualTo(20);
    }

    @Test
    void givenSurveysEnded_whenTheSurveyTellsTheApi_thenTodaysSurveyFiguresArePublishedAtOnce() {
        FakeConnection c = connect(supervisor, "queue:support");
        advance(Duration.ofSeconds(5));
        int before = events(c, Protocol.Events.QUEUE_STATS).size();
        int[] scores = {5, 4, 3, 4};
        run(() -> {
            for (int i = 0; i < scores.length; i++) {
                f.events.append(new org.asteriskcti.server.acd.stats.QueueEvent.SurveyEnded(clock.instant(),
                        org.asteriskcti.server.domain.QueueId.of("support"), EntryId.of("c" + i + "/1"), AgentId.of("agent-1001"),
                        org.asteriskcti.server.acd.stats.QueueEvent.SurveyOutcome.ANSWERED, scores[i]));
            }
            f.events.append(new org.asteriskcti.server.acd.stats.QueueEvent.SurveyEnded(clock.instant(),
                    org.asteriskcti.server.domain.QueueId.of("support"), EntryId.of("c9/1"), AgentId.of("agent-1001"),
                    org.asteriskcti.server.acd.stats.QueueEvent.SurveyOutcome.HUNG_UP, 0));
            f.api.statisticsChanged(org.asteriskcti.server.domain.QueueId.of("support"));
        });

        List<JsonNode> stats = events(c, Protocol.Events.QUEUE_STATS);
        assertThat(stats).hasSize(before + 1);
        JsonNode survey = stats.get(stats.size() - 1).at("/data/today/survey");
        assertThat(survey.get("offered").asInt()).isEqualTo(5);
        assertThat(survey.get("answered").asInt()).isEqualTo(4);
        assertThat(survey.get("response_rate_percent").asDouble()).isEqualTo(80.0);
        assertThat(survey.get("csat_percent").asDouble()).isEqualTo(75.0);   // 5, 4, 4 of 5 4 3 4
        assertThat(survey.get("average_score").asDouble()).isEqualTo(4.0);   // 16 / 4
        assertThat(survey.get("scores")).extracting(JsonNode::asInt).containsExactly(0, 0, 1, 2, 1);
    }

    @Test
    void givenCallsYesterday_whenTheTenantsMidnightPasses_thenTodaysFiguresStartAgainWithoutAnyChange() {
        FakeConnection c = connect(supervisor, "queue:support");
        enqueue("c1");
        advance(Duration.ofSeconds(10));
        callerHangsUp("c1");
        assertThat(events(c, Protocol.Events.QUEUE_STATS)).hasSize(2);

        advance(Duration.between(clock.instant(), Instant.parse("2026-11-24T00:00:30Z")));

        List<JsonNode> stats = events(c, Protocol.Events.QUEUE_STATS);
        assertThat(stats).hasSize(3);
        JsonNode last = stats.get(2);
        assertThat(Instant.parse(last.get("at").asText())).isBetween(Instant.parse("2026-11-24T00:00:00Z"),
                Instant.parse("2026-11-24T00:00:30Z"));
        assertThat(last.at("/data/today/from").asText()).isEqualTo("2026-11-24T00:00:00Z");
        assertThat(last.at("/data/today/offered").asInt()).isZero();
        assertThat(last.at("/data/today/service_level_percent").isMissingNode()).isTrue();
        assertThat(stats.get(1).at("/data/today/offered").asInt()).isEqualTo(1);
    }

    @Test
    void theTenantsAgentsByStateGaugeFollowsEveryChangeAtOnce() {
        readyByAcd("agent-1001");
        readyByAcd("agent-1002");
        run(() -> f.acd.agentNotReady(AgentId.of("agent-1002"), org.asteriskcti.server.agent.NotReadyReason.of("lunch")));

        String scrape = f.metrics.scrape();
        assertThat(scrape).contains("cti_agents{state=\"READY\",tenant=\"demo\"} 1.0")
                .contains("cti_agents{state=\"NOT_READY\",tenant=\"demo\"} 1.0")
                .contains("cti_agents{state=\"LOGGED_OUT\",tenant=\"demo\"} 0.0")
                .contains("cti_agents{state=\"ON_CALL\",tenant=\"demo\"} 0.0")
                .contains("cti_agents{state=\"LOGGED_OUT\",tenant=\"other\"} 1.0");

        // No periodic refresh in between: the change itself updates the gauge.
        EntryId e = enqueue("c1");
        answer(e, "agent-1001");
        scrape = f.metrics.scrape();
        assertThat(scrape).contains("cti_agents{state=\"ON_CALL\",tenant=\"demo\"} 1.0")
                .contains("cti_agents{state=\"READY\",tenant=\"demo\"} 0.0");
    }

    @Test
    void givenCallersWaiting_thenThePrometheusGaugesCarryTheQueueTaggedByTenantAndQueue() {
        readyByAcd("agent-1002");
        run(() -> f.acd.agentNotReady(AgentId.of("agent-1002"), org.asteriskcti.server.agent.NotReadyReason.of("lunch")));
        enqueue("c1");
        advance(Duration.ofSeconds(12));

        String scrape = f.metrics.scrape();

        assertThat(scrape).contains("cti_acd_queue_waiting{queue=\"support\",tenant=\"demo\"} 1.0");
        assertThat(scrape).contains("cti_acd_queue_longest_wait_seconds{queue=\"support\",tenant=\"demo\"} 12.0");
        assertThat(scrape).contains("cti_acd_queue_offered_today{queue=\"support\",tenant=\"demo\"} 1.0");
        assertThat(scrape).contains("cti_acd_queue_agents{queue=\"support\",state=\"NOT_READY\",tenant=\"demo\"} 1.0");
        assertThat(scrape).contains("cti_acd_queue_agents{queue=\"support\",state=\"LOGGED_OUT\",tenant=\"demo\"} 1.0");
        assertThat(scrape).contains("cti_acd_queue_staffed{queue=\"support\",tenant=\"demo\"} 1.0");
        assertThat(scrape).contains("cti_acd_queue_service_level_ratio{queue=\"support\",tenant=\"demo\"} NaN");
        assertThat(scrape).contains("cti_acd_queue_waiting{queue=\"other-q\",tenant=\"other\"} 0.0");
        assertThat(scrape).contains("# HELP cti_acd_queue_waiting ");
    }

    @Test
    void givenAPendingStatsPublication_whenClosed_thenNoTimerIsLeftForTheLoopToWaitFor() {
        FakeConnection c = connect(supervisor, "queue:support");
        enqueue("c1");
        enqueue("c2");
        assertThat(scheduler.pendingTimers()).as("the periodic refresh and the pending publication").isEqualTo(2);

        run(f.api::close);

        assertThat(scheduler.pendingTimers()).isZero();
        advance(Duration.ofMinutes(1));
        assertThat(events(c, Protocol.Events.QUEUE_STATS)).hasSize(1);
    }
}
