package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.protocol.CallCommand;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.MonitorInfo;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Type;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.control.DialPlan;
import org.asteriskcti.server.control.Supervision;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code call.monitor.*} through the client API as the server wires it (ControlApi, ClientHub, CallControl,
 * Supervision): who may, what the reply and the events say and to whom, idempotency. Two tenants: demo
 * (agent-1001; supervisor "supervisor" with phone PJSIP/1003; agent user demo1001) and other (supervisor
 * "sup-b").
 */
class SupervisionApiTest {

    private static final String HASH = "\"$argon2id$v=19$m=19456,t=2,p=1$vYKIDG0sQ3F2OnHaCRdToA$wQzAzimVFohEEiVAXUUrjB6nggH3Q6PZAdFk8+lVt8Y\"";
    private static final String CONFIG = """
            tenants:
              - {id: demo, endpoints: ["1001", "1003"], dids: ["700"]}
              - {id: other, endpoints: ["3001", "3002"], dids: ["900"]}
            agents:
              - {id: agent-1001, tenant: demo, endpoint: PJSIP/1001}
              - {id: agent-3001, tenant: other, endpoint: PJSIP/3001}
            queues: []
            users:
              - {username: supervisor, tenant: demo, role: supervisor, endpoint: PJSIP/1003, password-hash: %1$s}
              - {username: sup-b, tenant: other, role: supervisor, endpoint: PJSIP/3002, password-hash: %1$s}
              - {username: demo1001, tenant: demo, role: agent, agent: agent-1001, password-hash: %1$s}
            """.formatted(HASH);
    private static final ObjectMapper JSON = org.asteriskcti.protocol.Json.mapper();

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private ClientHub hub;
    private ControlApi api;
    private CallControl control;
    private Supervision supervision;

    private final Principal supervisor = principal("supervisor", "demo", CtiConfig.Role.SUPERVISOR, null);
    private final Principal agentUser = principal("demo1001", "demo", CtiConfig.Role.AGENT, "agent-1001");
    private final Principal otherSupervisor = principal("sup-b", "other", CtiConfig.Role.SUPERVISOR, null);

    private static Principal principal(String user, String tenant, CtiConfig.Role role, String agent) {
        return new Principal(UserId.of(user), TenantId.of(tenant), role, agent == null ? null : AgentId.of(agent),
                Instant.parse("2026-11-23T12:00:00Z"));
    }

    @BeforeEach
    void setUp(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, CONFIG);
        CtiConfig config = ConfigLoader.load(f, Map.of());
        TenantDirectory directory = new TenantDirectory(config);
        Forwarder forwarder = new Forwarder();
        CallModel model = new CallModel(loop, directory, forwarder, EnumSet.of(Source.ARI));
        hub = new ClientHub(loop, model, directory, config.clientApi(), new CtiMetrics());
        forwarder.hub = hub;
        api = new ControlApi(loop, hub, directory);
        DialPlan plan = new DialPlan(config);
        control = new CallControl(loop, asterisk, plan, api, (customer, party, tenant, queue, arrival) -> { }, "t",
                Duration.ofSeconds(30), "default");
        api.attach(control);
        supervision = new Supervision(loop, asterisk, control, plan, api, "t", Duration.ofSeconds(30));
        api.attach(supervision);
        hub.control(api);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void run(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private Object execute(Principal p, CallCommand cmd) {
        CompletableFuture<Object> f = loop.call(() -> api.execute(p, cmd)).thenCompose(x -> x);
        scheduler.runAll();
        return f.join();
    }

    private static CallCommand monitor(String type, String commandId, String call, String endpoint) {
        return new CallCommand(type, null, commandId, null, call, null, null, null, null, null, null, endpoint);
    }

    private Object listen(Principal p, String commandId, String call) {
        return execute(p, monitor(Type.CALL_MONITOR_LISTEN, commandId, call, null));
    }

    private static ErrorBody error(Object outcome) {
        assertThat(outcome).isInstanceOf(ErrorBody.class);
        return (ErrorBody) outcome;
    }

    private static MonitorInfo info(Object outcome) {
        assertThat(outcome).as("outcome %s", outcome).isInstanceOf(MonitorInfo.class);
        return (MonitorInfo) outcome;
    }

    private Conversation acdCall() {
        CompletableFuture<Conversation> f = loop.call(() -> control.adoptAcd(BridgeId.of("acd-mix-l1"), TenantId.of("demo"),
                QueueId.of("support"), org.asteriskcti.server.acd.EntryId.of("c1/1"), Instant.parse("2026-11-23T08:59:00Z"), ChannelId.of("c1"), new Party("2001", ""),
                ChannelId.of("l1"), AgentId.of("agent-1001"), CompletableFuture.completedFuture(null)));
        scheduler.runAll();
        asterisk.clear(); // the conversation's marks on its channels (CallControlTest covers them)
        return f.join();
    }

    private void event(AsteriskEvent e) {
        run(() -> {
            control.onEvent(e);
            supervision.onEvent(e);
        });
    }

    private void started(String channel, String... args) {
        EventMeta meta = new EventMeta(Source.ARI, clock.instant(), clock.instant(), 0);
        event(new AsteriskEvent.StasisStarted(meta, new ChannelSnapshot(ChannelId.of(channel), "PJSIP/x-1", ChannelState.UP,
                Party.EMPTY, Party.EMPTY, null, "", "", "", "en", null), "cti", List.of(args)));
    }

    private FakeConnection subscribed(Principal p, String topic) {
        FakeConnection c = new FakeConnection();
        run(() -> hub.connected(c, p, null, null));
        run(() -> hub.message(c, new ClientMessage(Protocol.Type.SUBSCRIBE, "s1", List.of(topic))));
        return c;
    }

    private static List<JsonNode> events(FakeConnection c, String event) {
        return c.frames().stream().filter(f -> "event".equals(f.path("type").asText()) && event.equals(f.path("event").asText()))
                .toList();
    }

    // ---- who may ------------------------------------------------------------------------------------------

    @Test
    void givenAnAgentUser_whenTheyAskToListenOrToStop_thenForbidden() {
        Conversation c = acdCall();

        ErrorBody e = error(listen(agentUser, "k1", c.id()));
        ErrorBody stop = error(execute(agentUser, monitor(Type.CALL_MONITOR_STOP, "k2", null, null)));

        assertThat(e.errorId()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(e.status()).isEqualTo(403);
        assertThat(stop.errorId()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(asterisk.log).isEmpty();
    }

    @Test
    void givenAnotherTenantsSupervisor_thenTheCallIsRefusedExactlyLikeOneThatDoesNotExist() {
        Conversation c = acdCall();

        ErrorBody theirs = error(listen(otherSupervisor, "k1", c.id()));
        ErrorBody none = error(listen(otherSupervisor, "k2", "call-does-not-exist"));

        assertThat(theirs.errorId()).isEqualTo(Protocol.Errors.CALL_UNKNOWN).isEqualTo(none.errorId());
        assertThat(theirs.status()).isEqualTo(404).isEqualTo(none.status());
        assertThat(theirs.message()).isEqualTo("no call '" + c.id() + "'");
        assertThat(theirs.details()).isEqualTo(Map.of("call", c.id()));
        assertThat(asterisk.log).isEmpty();
    }

    // ---- replies and events ---------------------------------------------------------------------------------

    @Test
    void givenASupervisor_whenTheyListen_thenTheReplyIsTheSession_andItsEventsGoToCallsButNotToTheAgent() {
        Conversation c = acdCall();
        FakeConnection wallboard = subscribed(supervisor, Protocol.Topics.CALLS);
        FakeConnection agentDesk = subscribed(agentUser, "agent:agent-1001");
        FakeConnection otherTenant = subscribed(otherSupervisor, Protocol.Topics.CALLS);

        MonitorInfo m = info(listen(supervisor, "k1", c.id()));
        started("mon-t-1-phone", Supervision.PHONE_ARG, "mon-t-1");
        started("mon-t-1-snoop-1", Supervision.SNOOP_ARG, "mon-t-1");

        assertThat(m.id()).isEqualTo("mon-t-1");
        assertThat(m.supervisor()).isEqualTo("supervisor");
        assertThat(m.endpoint()).isEqualTo("PJSIP/1003");
        assertThat(m.call()).isEqualTo(c.id());
        assertThat(m.agent()).isEqualTo("agent-1001");
        assertThat(m.mode()).isEqualTo("LISTEN");
        assertThat(m.state()).isEqualTo("RINGING_SUPERVISOR");
        assertThat(events(wallboard, Protocol.Events.MONITOR_UPDATED)).extracting(f -> f.path("data").path("state").asText())
                .containsExactly("RINGING_SUPERVISOR", "CONNECTING", "ACTIVE");
        assertThat(events(wallboard, Protocol.Events.MONITOR_UPDATED).get(0).path("topics").toString()).isEqualTo("[\"calls\"]");
        assertThat(agentDesk.sent).noneSatisfy(s -> assertThat(s).contains("mon-t-1"));
        assertThat(otherTenant.sent).noneSatisfy(s -> assertThat(s).contains("mon-t-1"));
    }

    @Test
    void givenARunningSession_thenTheCallsSnapshotListsIt_andStopEndsItWithMonitorEnded() {
        Conversation c = acdCall();
        listen(supervisor, "k1", c.id());

        FakeConnection late = subscribed(supervisor, Protocol.Topics.CALLS);
        JsonNode snapshot = late.frames().stream().filter(f -> "snapshot".equals(f.path("type").asText())
                && "calls".equals(f.path("topic").asText())).findFirst().orElseThrow();
        assertThat(snapshot.path("data").path("monitors").get(0).path("id").asText()).isEqualTo("mon-t-1");

        MonitorInfo ended = info(execute(supervisor, monitor(Type.CALL_MONITOR_STOP, "k2", null, null)));

        assertThat(ended.state()).isEqualTo("ENDED");
        assertThat(ended.reason()).isEqualTo("stopped by supervisor");
        assertThat(events(late, Protocol.Events.MONITOR_ENDED)).singleElement()
                .satisfies(f -> assertThat(f.path("data").path("reason").asText()).isEqualTo("stopped by supervisor"));
        assertThat(error(execute(supervisor, monitor(Type.CALL_MONITOR_STOP, "k3", null, null))).errorId())
                .isEqualTo(Protocol.Errors.MONITOR_NONE);
    }

    @Test
    void givenTheSameCall_whenAnotherModeIsAsked_thenTheSameSessionSwitches() {
        Conversation c = acdCall();
        listen(supervisor, "k1", c.id());
        started("mon-t-1-phone", Supervision.PHONE_ARG, "mon-t-1");
        started("mon-t-1-snoop-1", Supervision.SNOOP_ARG, "mon-t-1");

        MonitorInfo m = info(execute(supervisor, monitor(Type.CALL_MONITOR_WHISPER, "k2", c.id(), null)));

        assertThat(m.id()).isEqualTo("mon-t-1");
        assertThat(m.mode()).isEqualTo("WHISPER");
        assertThat(m.state()).isEqualTo("SWITCHING");
    }

    @Test
    void givenAPhoneNamedInTheCommand_thenItMustBeTheTenants_andItIsRung() {
        Conversation c = acdCall();

        assertThat(error(execute(supervisor, monitor(Type.CALL_MONITOR_BARGE, "k1", c.id(), "PJSIP/3001"))).errorId())
                .isEqualTo(Protocol.Errors.CALL_INVALID_TARGET);
        info(execute(supervisor, monitor(Type.CALL_MONITOR_BARGE, "k2", c.id(), "1003")));

        assertThat(asterisk.originates).singleElement().satisfies(o -> assertThat(o.endpoint()).isEqualTo("PJSIP/1003"));
    }

    // ---- idempotency ----------------------------------------------------------------------------------------

    @Test
    void givenTheSameCommandIdAgain_thenTheFirstOutcome_andThePhoneIsRungOnce_butAnotherCommandWithItIsRefused() {
        Conversation c = acdCall();

        MonitorInfo first = info(listen(supervisor, "k1", c.id()));
        MonitorInfo again = info(listen(supervisor, "k1", c.id()));
        ErrorBody reused = error(execute(supervisor, monitor(Type.CALL_MONITOR_BARGE, "k1", c.id(), null)));

        assertThat(again).isEqualTo(first);
        assertThat(asterisk.originates).hasSize(1);
        assertThat(reused.errorId()).isEqualTo(Protocol.Errors.COMMAND_ID_REUSED);
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    @Test
    void givenAMonitorCommandWithoutCall_thenItIsRefusedAsAMissingField_butStopNeedsNone() throws Exception {
        assertThatThrownBy(() -> ControlApi.readCommand(Type.CALL_MONITOR_LISTEN, "1", JSON.readTree("{\"command_id\":\"k\"}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.body().errorId()).isEqualTo(Protocol.Errors.MISSING_FIELD);
                    assertThat(e.getMessage()).contains("'call'");
                });
        CallCommand stop = ControlApi.readCommand(Type.CALL_MONITOR_STOP, "1", JSON.readTree("{\"command_id\":\"k\"}"));
        CallCommand barge = ControlApi.readCommand(Type.CALL_MONITOR_BARGE, "1",
                JSON.readTree("{\"command_id\":\"k\",\"call\":\"x\",\"endpoint\":\"PJSIP/1003\",\"agent\":\"agent-1001\"}"));
        assertThat(stop.call()).isNull();
        assertThat(barge.endpoint()).isEqualTo("PJSIP/1003");
        assertThat(barge.agent()).isEqualTo("agent-1001");
        assertThat(ControlApi.isCommand(Type.CALL_MONITOR_WHISPER)).isTrue();
    }

    /** The model is built before the hub; this forwards to it. */
    private static final class Forwarder implements CallModelListener {
        ClientHub hub;

        @Override
        public void callChanged(CallView call, EventMeta cause) {
            hub.callChanged(call, cause);
        }

        @Override
        public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {
            hub.agentPhoneChanged(agent, state, cause);
        }

        @Override
        public void syncChanged(SyncStatus status) {
            hub.syncChanged(status);
        }
    }
}
