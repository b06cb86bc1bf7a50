package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.api.HistoryFixture.entry;
import static org.asteriskcti.server.api.HistoryFixture.missed;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call history on the stream, with fake connections on a manual loop: the {@code history} of the
 * {@code agent:<id>} snapshot and {@code history.added} as calls end, each only to whoever may follow
 * that agent in its tenant.
 */
class HistoryApiTest {

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final Events ami = new Events(clock, Source.AMI);
    private HistoryFixture f;

    private final Principal agent1001 = principal("a1", "demo", CtiConfig.Role.AGENT, "agent-1001");
    private final Principal agent1002 = principal("a2", "demo", CtiConfig.Role.AGENT, "agent-1002");
    private final Principal supervisor = principal("sup", "demo", CtiConfig.Role.SUPERVISOR, null);
    private final Principal otherSupervisor = principal("osup", "other", CtiConfig.Role.SUPERVISOR, null);

    private static Principal principal(String user, String tenant, CtiConfig.Role role, String agent) {
        return new Principal(UserId.of(user), TenantId.of(tenant), role, agent == null ? null : AgentId.of(agent),
                Instant.parse("2026-11-23T12:00:00Z"));
    }

    @BeforeEach
    void setUp() {
        f = new HistoryFixture(loop, HistoryFixture.config(dir, "users: []\n", Map.of()), List.of(
                entry("old-1", "demo", "agent-1001", 1, List.of()),
                missed("old-2", "demo", "agent-1001", 2),
                entry("old-3", "demo", "agent-1001", 3, List.of("rec-9")),
                entry("o-1", "other", "agent-3001", 4, List.of())));
    }

    private void run(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private FakeConnection connect(Principal p, String... topics) {
        FakeConnection c = new FakeConnection();
        run(() -> f.hub.connected(c, p, null, null));
        run(() -> f.hub.message(c, new ClientMessage(Protocol.Type.SUBSCRIBE, "s1", List.of(topics))));
        return c;
    }

    private void apply(AsteriskEvent... events) {
        for (AsteriskEvent e : events) {
            run(() -> f.model.apply(e));
        }
    }

    /** Customer 2001 to 600, answered by agent 1001 after 2 s, 5 s of talk; call id rec-c1 (it has a recording). */
    private void callAnsweredBy1001() {
        apply(ami.upsert(Events.channel("rec-c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "rec-c1", "600")),
                ami.upsert(Events.channel("a1", "PJSIP/1001-00000002", ChannelState.DOWN, "1001", "rec-c1", "s")),
                ami.dial("rec-c1", "a1"));
        clock.advance(Duration.ofSeconds(2));
        apply(ami.upsert(Events.channel("a1", "PJSIP/1001-00000002", ChannelState.UP, "1001", "rec-c1", "s")),
                ami.dialEnd("rec-c1", "a1", "ANSWER"), ami.enter("b1", "rec-c1"), ami.enter("b1", "a1"));
        clock.advance(Duration.ofSeconds(5));
        apply(ami.hangupRequest("rec-c1", false), ami.leave("b1", "rec-c1"), ami.hangup("rec-c1", 16),
                ami.hangupRequest("a1", true), ami.leave("b1", "a1"), ami.hangup("a1", 16));
    }

    private static List<JsonNode> events(FakeConnection c, String event) {
        return c.frames().stream().filter(x -> event.equals(x.path("event").asText())).toList();
    }

    private static JsonNode snapshot(FakeConnection c, String topic) {
        return c.frames().stream().filter(x -> "snapshot".equals(x.path("type").asText())
                && topic.equals(x.path("topic").asText())).findFirst().orElseThrow();
    }

    @Test
    void givenAStoredHistory_whenTheAgentSubscribesToTheirTopic_thenTheSnapshotCarriesItNewestFirst() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");

        JsonNode history = snapshot(c, "agent:agent-1001").at("/data/history");
        assertThat(history).extracting(e -> e.get("call_id").asText()).containsExactly("old-3", "old-2", "old-1");
        JsonNode newest = history.get(0);
        assertThat(newest.get("agent_id").asText()).isEqualTo("agent-1001");
        assertThat(newest.get("tenant").asText()).isEqualTo("demo");
        assertThat(newest.get("direction").asText()).isEqualTo("INBOUND");
        assertThat(newest.get("number").asText()).isEqualTo("2001");
        assertThat(newest.get("name").asText()).isEqualTo("Customer One");
        assertThat(newest.get("talk_seconds").asLong()).isEqualTo(30);
        assertThat(newest.get("disposition").asText()).isEqualTo("ANSWERED");
        assertThat(newest.get("call_disposition").asText()).isEqualTo("ANSWERED");
        assertThat(newest.get("queue").asText()).isEqualTo("support");
        assertThat(newest.get("started_at").asText()).isEqualTo("2026-11-23T08:03:00Z");
        assertThat(newest.at("/recordings/0/recording_id").asText()).isEqualTo("rec-9");
        assertThat(newest.at("/recordings/0/url").asText()).isEqualTo("/api/v1/recordings/rec-9");
        JsonNode missed = history.get(1);
        assertThat(missed.get("disposition").asText()).isEqualTo("MISSED");
        assertThat(missed.has("answered_at")).as("answered_at of a missed call").isFalse();
        assertThat(missed.get("recordings")).isEmpty();
    }

    @Test
    void givenTheAgentsTopic_whenTheirCallEnds_thenCallEndedThenHistoryAddedOnTheirTopicInTheStream() {
        FakeConnection c = connect(agent1001, "agent:agent-1001");
        callAnsweredBy1001();

        List<JsonNode> added = events(c, Protocol.Events.HISTORY_ADDED);
        assertThat(added).hasSize(1);
        JsonNode e = added.get(0);
        assertThat(e.get("topics")).extracting(JsonNode::asText).containsExactly("agent:agent-1001");
        assertThat(e.at("/data/call_id").asText()).isEqualTo("rec-c1");
        assertThat(e.at("/data/number").asText()).isEqualTo("2001");
        assertThat(e.at("/data/talk_seconds").asLong()).isEqualTo(5);
        assertThat(e.at("/data/answered_at").asText()).isEqualTo("2026-11-23T09:00:02Z");
        assertThat(e.at("/data/recordings/0/url").asText()).isEqualTo("/api/v1/recordings/rec-of-rec-c1");
        JsonNode ended = events(c, Protocol.Events.CALL_ENDED).get(0);
        assertThat(e.get("seq").asLong()).isEqualTo(ended.get("seq").asLong() + 1);
        // A later subscriber sees it first in the snapshot.
        FakeConnection later = connect(supervisor, "agent:agent-1001");
        assertThat(snapshot(later, "agent:agent-1001").at("/data/history/0/call_id").asText()).isEqualTo("rec-c1");
        assertThat(snapshot(later, "agent:agent-1001").at("/data/history")).hasSize(4);
    }

    @Test
    void givenOthersConnected_whenAgent1001sCallEnds_thenOnlyWhoFollowsAgent1001InTheTenantGetsHistoryAdded() {
        FakeConnection sup = connect(supervisor, "agent:agent-1001");
        FakeConnection colleague = connect(agent1002, "agent:agent-1002", "agents");
        FakeConnection other = connect(otherSupervisor, "agent:agent-3001", "agents");
        callAnsweredBy1001();

        assertThat(events(sup, Protocol.Events.HISTORY_ADDED)).hasSize(1);
        assertThat(events(colleague, Protocol.Events.HISTORY_ADDED)).isEmpty();
        assertThat(events(other, Protocol.Events.HISTORY_ADDED)).isEmpty();
        assertThat(other.sent).noneMatch(frame -> frame.contains("rec-c1") || frame.contains("old-3"));
    }

    @Test
    void givenAnotherTenantsSupervisor_whenSubscribingToADemoAgent_thenRefusedAndNoHistorySent() {
        FakeConnection c = connect(otherSupervisor, "agent:agent-1001");

        assertThat(c.first("error").at("/error/error_id").asText()).isEqualTo(Protocol.Errors.TOPIC_DENIED);
        assertThat(c.sent).noneMatch(frame -> frame.contains("old-1"));
        // Their own tenant's agent: its history only.
        FakeConnection own = connect(otherSupervisor, "agent:agent-3001");
        assertThat(snapshot(own, "agent:agent-3001").at("/data/history")).extracting(e -> e.get("call_id").asText())
                .containsExactly("o-1");
    }

    @Test
    void givenAnAgentWithNoHistory_thenTheSnapshotHasAnEmptyHistory() {
        FakeConnection c = connect(agent1002, "agent:agent-1002");

        JsonNode data = snapshot(c, "agent:agent-1002").get("data");
        assertThat(data.has("history")).isTrue();
        assertThat(data.get("history")).isEmpty();
        assertThat(data.at("/agent/agent_id").asText()).isEqualTo("agent-1002");
    }
}
