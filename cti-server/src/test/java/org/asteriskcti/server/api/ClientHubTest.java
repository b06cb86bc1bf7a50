package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.testsupport.Events.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientHubTest {

    private static final String TWO_TENANTS = """
            [{id: demo, endpoints: ["1001", "1002"], dids: ["600"]},
             {id: other, endpoints: ["3001"], dids: ["900"]}]""";
    private static final String AGENTS = """
            [{id: agent-1001, tenant: demo, endpoint: PJSIP/1001},
             {id: agent-1002, tenant: demo, endpoint: PJSIP/1002},
             {id: agent-3001, tenant: other, endpoint: PJSIP/3001}]""";

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final Events ami = new Events(clock, Source.AMI);
    private CallModel model;
    private ClientHub hub;
    private CtiMetrics metrics;

    private final Principal supervisor = principal("sup", "demo", CtiConfig.Role.SUPERVISOR, null);
    private final Principal agent1001 = principal("a1", "demo", CtiConfig.Role.AGENT, "agent-1001");
    private final Principal otherSupervisor = principal("osup", "other", CtiConfig.Role.SUPERVISOR, null);

    private static Principal principal(String user, String tenant, CtiConfig.Role role, String agent) {
        return new Principal(UserId.of(user), TenantId.of(tenant), role, agent == null ? null : AgentId.of(agent),
                Instant.parse("2026-11-23T12:00:00Z"));
    }

    @BeforeEach
    void setUp() {
        CtiConfig config = ConfigLoader.load(null, Map.of("CTI_TENANTS", TWO_TENANTS, "CTI_AGENTS", AGENTS,
                "CTI_USERS", "[]", "CTI_CLIENT_API_REPLAY_BUFFER", "10"));
        TenantDirectory directory = new TenantDirectory(config);
        metrics = new CtiMetrics();
        HubHolder holder = new HubHolder();
        model = new CallModel(loop, directory, holder, EnumSet.of(Source.AMI));
        hub = new ClientHub(loop, model, directory, config.clientApi(), metrics);
        holder.hub = hub;
    }

    /** The model is built before the hub; this forwards to it. */
    private static final class HubHolder implements org.asteriskcti.server.call.CallModelListener {
        ClientHub hub;

        @Override
        public void callChanged(org.asteriskcti.server.call.CallView call, org.asteriskcti.server.asterisk.EventMeta cause) {
            hub.callChanged(call, cause);
        }

        @Override
        public void agentPhoneChanged(TenantDirectory.Agent agent, org.asteriskcti.server.call.PhoneState state,
                org.asteriskcti.server.asterisk.EventMeta cause) {
            hub.agentPhoneChanged(agent, state, cause);
        }

        @Override
        public void syncChanged(org.asteriskcti.server.call.SyncStatus status) {
            hub.syncChanged(status);
        }
    }

    private void run(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private FakeConnection connect(Principal p, String resume, Long lastSeq) {
        FakeConnection c = new FakeConnection();
        run(() -> hub.connected(c, p, resume, lastSeq));
        return c;
    }

    private void subscribe(FakeConnection c, String id, String... topics) {
        run(() -> hub.message(c, new ClientMessage(Protocol.Type.SUBSCRIBE, id, List.of(topics))));
    }

    private void apply(AsteriskEvent e) {
        run(() -> model.apply(e));
    }

    /** One more event for tenant demo: a new customer call ringing in. */
    private int callNo;

    private void demoCall() {
        callNo++;
        apply(ami.upsert(channel("c" + callNo, "PJSIP/1001-0000000" + callNo, ChannelState.UP, "555" + callNo, "c" + callNo, "600")));
    }

    private void otherCall() {
        callNo++;
        apply(ami.upsert(channel("o" + callNo, "PJSIP/3001-0000000" + callNo, ChannelState.UP, "777", "o" + callNo, "900")));
    }

    @Test
    void givenANewConnection_thenWelcomeThenSystemSnapshotAsSeq1() {
        FakeConnection c = connect(supervisor, null, null);
        JsonNode welcome = c.frames().get(0);
        assertThat(welcome.get("type").asText()).isEqualTo("welcome");
        assertThat(welcome.get("v").asInt()).isEqualTo(1);
        assertThat(welcome.get("session_id").asText()).startsWith("s-");
        assertThat(welcome.get("resumed").asBoolean()).isFalse();
        assertThat(welcome.get("user").get("tenant").asText()).isEqualTo("demo");
        JsonNode snap = c.frames().get(1);
        assertThat(snap.get("seq").asLong()).isEqualTo(1);
        assertThat(snap.get("type").asText()).isEqualTo("snapshot");
        assertThat(snap.get("topic").asText()).isEqualTo("system");
        assertThat(snap.get("data").get("state").asText()).isEqualTo("stale");
    }

    @Test
    void givenASubscription_whenCallsChange_thenSeqIsContinuousAndOnlyTheTenantsCallsArrive() {
        FakeConnection c = connect(supervisor, null, null);
        subscribe(c, "r1", "calls");
        JsonNode reply = c.first("reply");
        assertThat(reply.get("id").asText()).isEqualTo("r1");
        assertThat(reply.get("topics")).extracting(JsonNode::asText).containsExactly("system", "calls");
        demoCall();
        otherCall();
        demoCall();
        assertThat(c.seqs()).containsExactly(1L, 2L, 3L, 4L);
        List<String> callIds = new ArrayList<>();
        for (JsonNode f : c.frames()) {
            if ("event".equals(f.path("type").asText())) {
                callIds.add(f.get("data").get("call_id").asText());
                assertThat(f.get("data").get("tenant").asText()).isEqualTo("demo");
            }
        }
        assertThat(callIds).containsExactly("c1", "c3");
    }

    @Test
    void givenAnotherTenantsSupervisor_whenDemoCallsHappen_thenTheySeeNothingOfThem() {
        FakeConnection other = connect(otherSupervisor, null, null);
        subscribe(other, "1", "calls");
        demoCall();
        demoCall();
        assertThat(other.frames()).noneMatch(f -> f.path("data").path("tenant").asText().equals("demo"));
        assertThat(other.seqs()).containsExactly(1L, 2L); // system + empty calls snapshot
    }

    @Test
    void givenATopicOfAnotherTenant_whenSubscribing_thenDeniedExactlyLikeAnUnknownAgent() {
        FakeConnection c = connect(supervisor, null, null);
        subscribe(c, "x", "agent:agent-3001");
        JsonNode err = c.last();
        assertThat(err.get("type").asText()).isEqualTo("error");
        assertThat(err.get("id").asText()).isEqualTo("x");
        assertThat(err.get("error").get("error_id").asText()).isEqualTo("subscription.denied");
        assertThat(err.get("error").get("message").asText()).isEqualTo("no agent 'agent-3001' in your tenant");
        subscribe(c, "y", "agent:no-such-agent");
        assertThat(c.last().get("error").get("message").asText()).isEqualTo("no agent 'no-such-agent' in your tenant");
        subscribe(c, "z", "weather");
        assertThat(c.last().get("error").get("error_id").asText()).isEqualTo("subscription.unknown_topic");
        assertThat(c.seqs()).containsExactly(1L); // nothing was subscribed
    }

    @Test
    void givenAnAgent_whenSubscribingToAllCallsOrAColleague_thenDenied_butTheirOwnTopicWorks() {
        FakeConnection c = connect(agent1001, null, null);
        subscribe(c, "1", "calls");
        assertThat(c.last().get("error").get("error_id").asText()).isEqualTo("subscription.denied");
        subscribe(c, "2", "agent:agent-1002");
        assertThat(c.last().get("error").get("error_id").asText()).isEqualTo("subscription.denied");
        subscribe(c, "3", "agent:agent-1001");
        assertThat(c.last().get("type").asText()).isEqualTo("snapshot");
        assertThat(c.last().get("data").get("agent").get("agent_id").asText()).isEqualTo("agent-1001");
    }

    @Test
    void givenADroppedConnection_whenResumingWithTheLastSeq_thenExactlyTheMissedFramesAreReplayed() {
        FakeConnection c1 = connect(supervisor, null, null);
        String session = c1.frames().get(0).get("session_id").asText();
        subscribe(c1, "1", "calls");
        demoCall();
        long lastSeen = c1.seqs().get(c1.seqs().size() - 1);
        run(() -> hub.disconnected(c1));
        demoCall();
        demoCall();
        FakeConnection c2 = connect(supervisor, session, lastSeen);
        JsonNode welcome = c2.frames().get(0);
        assertThat(welcome.get("resumed").asBoolean()).isTrue();
        assertThat(welcome.get("resume_result").asText()).isEqualTo("replay");
        assertThat(welcome.get("session_id").asText()).isEqualTo(session);
        assertThat(c2.seqs()).containsExactly(lastSeen + 1, lastSeen + 2);
        demoCall();
        assertThat(c2.seqs()).containsExactly(lastSeen + 1, lastSeen + 2, lastSeen + 3);
    }

    @Test
    void givenTheRingBufferWrapped_whenResumingInsideIt_thenTheReplayIsExactAcrossTheWrap() {
        FakeConnection c1 = connect(supervisor, null, null);
        String session = c1.frames().get(0).get("session_id").asText();
        subscribe(c1, "1", "calls");
        for (int i = 0; i < 6; i++) {
            demoCall(); // seq 3..8
        }
        assertThat(c1.seqs()).endsWith(8L);
        run(() -> hub.disconnected(c1));
        for (int i = 0; i < 7; i++) {
            demoCall(); // seq 9..15: the 10-slot ring has wrapped
        }
        FakeConnection c2 = connect(supervisor, session, 8L);
        assertThat(c2.frames().get(0).get("resume_result").asText()).isEqualTo("replay");
        assertThat(c2.seqs()).containsExactly(9L, 10L, 11L, 12L, 13L, 14L, 15L);
        List<String> ids = new ArrayList<>();
        c2.frames().stream().filter(f -> f.has("seq")).forEach(f -> ids.add(f.get("data").get("call_id").asText()));
        assertThat(ids).containsExactly("c7", "c8", "c9", "c10", "c11", "c12", "c13");
    }

    @Test
    void givenAResumeBeyondTheBuffer_thenSnapshotsFollowWithTheNextSeqs() {
        FakeConnection c1 = connect(supervisor, null, null);
        String session = c1.frames().get(0).get("session_id").asText();
        subscribe(c1, "1", "calls");
        run(() -> hub.disconnected(c1));
        for (int i = 0; i < 15; i++) {
            demoCall(); // buffer holds 10
        }
        FakeConnection c2 = connect(supervisor, session, 2L);
        JsonNode welcome = c2.frames().get(0);
        assertThat(welcome.get("resumed").asBoolean()).isTrue();
        assertThat(welcome.get("resume_result").asText()).isEqualTo("snapshot");
        assertThat(c2.frames()).filteredOn(f -> "snapshot".equals(f.path("type").asText()))
                .extracting(f -> f.get("topic").asText()).containsExactly("system", "calls");
        JsonNode calls = c2.frames().stream().filter(f -> "calls".equals(f.path("topic").asText())).findFirst().orElseThrow();
        assertThat(calls.get("data").get("calls")).hasSize(15);
        assertThat(c2.seqs()).containsExactly(18L, 19L);
    }

    @Test
    void givenAnUnknownSession_whenResuming_thenANewSessionStartsAndSaysWhy() {
        FakeConnection c = connect(supervisor, "s-gone", 4L);
        JsonNode welcome = c.frames().get(0);
        assertThat(welcome.get("resumed").asBoolean()).isFalse();
        assertThat(welcome.get("resume_result").asText()).isEqualTo("unknown_session");
        assertThat(welcome.get("session_id").asText()).isNotEqualTo("s-gone");
    }

    @Test
    void givenSomeoneElsesSession_whenResuming_thenRefused() {
        FakeConnection c1 = connect(supervisor, null, null);
        String session = c1.frames().get(0).get("session_id").asText();
        FakeConnection c2 = connect(otherSupervisor, session, 1L);
        assertThat(c2.frames().get(0).get("resume_result").asText()).isEqualTo("not_yours");
        assertThat(c2.frames().get(0).get("session_id").asText()).isNotEqualTo(session);
    }

    @Test
    void givenASlowClient_whenItStopsReading_thenOthersStillGetEverythingAndItCatchesUpWhenDrained() {
        FakeConnection slow = connect(supervisor, null, null);
        FakeConnection fast = connect(supervisor, null, null);
        subscribe(slow, "1", "calls");
        subscribe(fast, "1", "calls");
        slow.writable = false;
        for (int i = 0; i < 5; i++) {
            demoCall();
        }
        assertThat(fast.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(slow.seqs()).containsExactly(1L, 2L);
        slow.writable = true;
        run(() -> hub.writable(slow));
        assertThat(slow.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(slow.closeCode).isNull();
    }

    @Test
    void givenASlowClient_whenItsBacklogOutgrowsTheBuffer_thenClosedWith4429AndAResumeGetsASnapshot() {
        FakeConnection slow = connect(supervisor, null, null);
        String session = slow.frames().get(0).get("session_id").asText();
        subscribe(slow, "1", "calls");
        slow.writable = false;
        for (int i = 0; i < 11; i++) {
            demoCall();
        }
        assertThat(slow.closeCode).isEqualTo(Protocol.CloseCodes.SLOW_CONSUMER);
        run(() -> hub.disconnected(slow));
        FakeConnection again = connect(supervisor, session, 2L);
        assertThat(again.frames().get(0).get("resume_result").asText()).isEqualTo("snapshot");
        assertThat(metrics.scrape()).contains("cti_ws_slow_consumers_total 1.0");
    }

    @Test
    void givenADetachedSession_whenTheGracePeriodPasses_thenItIsForgotten() {
        FakeConnection c = connect(supervisor, null, null);
        String session = c.frames().get(0).get("session_id").asText();
        run(() -> hub.disconnected(c));
        assertThat(hub.sessionCount()).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(3));
        assertThat(hub.sessionCount()).isZero();
        FakeConnection late = connect(supervisor, session, 1L);
        assertThat(late.frames().get(0).get("resume_result").asText()).isEqualTo("unknown_session");
    }

    @Test
    void givenASessionResumedElsewhere_thenTheOldConnectionIsClosedAsTakenOver() {
        FakeConnection c1 = connect(supervisor, null, null);
        String session = c1.frames().get(0).get("session_id").asText();
        FakeConnection c2 = connect(supervisor, session, 1L);
        assertThat(c1.closeCode).isEqualTo(Protocol.CloseCodes.SESSION_TAKEN_OVER);
        assertThat(c2.frames().get(0).get("resumed").asBoolean()).isTrue();
    }

    @Test
    void givenAnExpiredToken_whenHousekeepingRuns_thenTheConnectionIsClosedWith4403() {
        FakeConnection c = connect(supervisor, null, null);
        clock.set(Instant.parse("2026-11-23T12:00:01Z"));
        run(() -> hub.closeExpired());
        assertThat(c.closeCode).isEqualTo(Protocol.CloseCodes.TOKEN_EXPIRED);
    }

    @Test
    void givenAPing_thenAPongWithTheSameId() {
        FakeConnection c = connect(supervisor, null, null);
        run(() -> hub.message(c, new ClientMessage("ping", "p7", List.of())));
        assertThat(c.last().get("type").asText()).isEqualTo("pong");
        assertThat(c.last().get("id").asText()).isEqualTo("p7");
    }
}
