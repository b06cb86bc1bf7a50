package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Type;
import org.asteriskcti.server.config.CtiConfig.Role;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.recording.RecordingPolicies;
import org.asteriskcti.server.recording.RecordingRequest;
import org.asteriskcti.server.recording.RecordingService;
import org.asteriskcti.server.recording.RecordingView;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.MemoryRecordingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording events on the stream, wired as the server wires them (service → RecordingApi → hub), on a
 * manual loop: {@code recording.*} reach supervisors on {@code calls} and the agents on the recording on
 * their {@code agent:<id>}, and nobody else.
 */
class RecordingApiTest {

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final MemoryRecordingStore store = new MemoryRecordingStore();
    private AcdFixture f;
    private RecordingApi api;
    private RecordingService service;

    private static Principal principal(String user, String tenant, Role role, String agent) {
        return new Principal(UserId.of(user), TenantId.of(tenant), role, agent == null ? null : AgentId.of(agent),
                Instant.parse("2026-12-31T00:00:00Z"));
    }

    @BeforeEach
    void setUp() {
        f = new AcdFixture(loop, AcdFixture.config(dir, "users: []\n", Map.of()));
        api = new RecordingApi(f.hub, store, RecordingFiles.UNAVAILABLE);
        f.hub.recordings(api);
        service = new RecordingService(loop, new FakeAsteriskCommands(), RecordingPolicies.from(f.config), store, api,
                f.metrics);
        scheduler.runAll();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private <T> T call(Supplier<T> s) {
        CompletableFuture<T> r = loop.call(s);
        scheduler.runAll();
        return r.join();
    }

    private FakeConnection connect(Principal p, String topic) {
        FakeConnection c = new FakeConnection();
        loop.execute(() -> {
            f.hub.connected(c, p, null, null);
            f.hub.message(c, new ClientMessage(Type.SUBSCRIBE, "sub", List.of(topic)));
        });
        scheduler.runAll();
        assertThat(c.frames()).as("subscribed to %s", topic).anyMatch(x -> "reply".equals(x.path("type").asText()));
        return c;
    }

    private static List<JsonNode> recordingEvents(FakeConnection c) {
        return c.frames().stream().filter(x -> "event".equals(x.path("type").asText()))
                .filter(x -> x.get("event").asText().startsWith("recording.")).toList();
    }

    @Test
    void whenARecordingStartsPausesAndStops_thenSupervisorsAndItsAgentsSeeEachStepAndNobodyElse() {
        FakeConnection sup = connect(principal("sup", "demo", Role.SUPERVISOR, null), Protocol.Topics.CALLS);
        FakeConnection a1001 = connect(principal("a1", "demo", Role.AGENT, "agent-1001"), "agent:agent-1001");
        FakeConnection a1002 = connect(principal("a2", "demo", Role.AGENT, "agent-1002"), "agent:agent-1002");
        FakeConnection otherSup = connect(principal("osup", "other", Role.SUPERVISOR, null), Protocol.Topics.CALLS);

        RecordingView r = call(() -> service.start(new RecordingRequest(TenantId.of("demo"), CallId.of("c-1"),
                BridgeId.of("mix-1"), List.of(AgentId.of("agent-1001")), Optional.of(QueueId.of("support")), "a1")))
                .join();
        call(() -> service.pause(r.id(), "a1", "card number")).join();
        call(() -> service.resume(r.id(), "a1")).join();
        call(() -> service.addAgent(r.id(), AgentId.of("agent-1002"))).join();
        call(() -> service.stop(r.id(), "sup")).join();

        List<String> all = List.of(Protocol.Events.RECORDING_STARTED, Protocol.Events.RECORDING_PAUSED,
                Protocol.Events.RECORDING_RESUMED, Protocol.Events.RECORDING_UPDATED, Protocol.Events.RECORDING_STOPPED);
        assertThat(recordingEvents(sup)).extracting(x -> x.get("event").asText()).containsExactlyElementsOf(all);
        assertThat(recordingEvents(a1001)).extracting(x -> x.get("event").asText()).containsExactlyElementsOf(all);
        assertThat(recordingEvents(a1002)).as("on the call from the transfer on").extracting(x -> x.get("event").asText())
                .containsExactly(Protocol.Events.RECORDING_UPDATED, Protocol.Events.RECORDING_STOPPED);
        assertThat(recordingEvents(otherSup)).isEmpty();

        JsonNode paused = recordingEvents(a1001).get(1);
        assertThat(paused.get("topics")).extracting(JsonNode::asText).containsExactly("calls", "agent:agent-1001");
        assertThat(paused.at("/data/recording_id").asText()).isEqualTo(r.id().value());
        assertThat(paused.at("/data/state").asText()).isEqualTo("PAUSED");
        assertThat(paused.at("/data/pauses/0/paused_by").asText()).isEqualTo("a1");
        assertThat(paused.at("/data/pauses/0/reason").asText()).isEqualTo("card number");
        JsonNode stopped = recordingEvents(sup).get(4);
        assertThat(stopped.at("/data/state").asText()).isEqualTo("STOPPED");
        assertThat(stopped.at("/data/stopped_by").asText()).isEqualTo("sup");
        assertThat(stopped.at("/data/agents")).extracting(JsonNode::asText).containsExactly("agent-1001", "agent-1002");
    }

    @Test
    void givenARecordingGoingOn_whenADesktopSubscribes_thenItsSnapshotListsIt_andNotAfterItStopped() {
        RecordingView r = call(() -> service.start(new RecordingRequest(TenantId.of("demo"), CallId.of("c-2"),
                BridgeId.of("mix-2"), List.of(AgentId.of("agent-1001")), Optional.of(QueueId.of("support")), "a1")))
                .join();

        FakeConnection agent = connect(principal("a1", "demo", Role.AGENT, "agent-1001"), "agent:agent-1001");
        FakeConnection other = connect(principal("a2", "demo", Role.AGENT, "agent-1002"), "agent:agent-1002");
        FakeConnection sup = connect(principal("sup", "demo", Role.SUPERVISOR, null), Protocol.Topics.CALLS);
        FakeConnection otherSup = connect(principal("osup", "other", Role.SUPERVISOR, null), Protocol.Topics.CALLS);

        assertThat(snapshot(agent).at("/data/recordings/0/recording_id").asText()).isEqualTo(r.id().value());
        assertThat(snapshot(other).at("/data/recordings")).isEmpty();
        assertThat(snapshot(sup).at("/data/recordings/0/recording_id").asText()).isEqualTo(r.id().value());
        assertThat(snapshot(otherSup).at("/data/recordings")).isEmpty();

        call(() -> service.stop(r.id(), "a1")).join();
        FakeConnection later = connect(principal("a1b", "demo", Role.AGENT, "agent-1001"), "agent:agent-1001");
        assertThat(snapshot(later).at("/data/recordings")).isEmpty();
    }

    private static JsonNode snapshot(FakeConnection c) {
        return c.frames().stream().filter(x -> "snapshot".equals(x.path("type").asText())
                && !"system".equals(x.path("topic").asText())).reduce((a, b) -> b).orElseThrow();
    }
}
