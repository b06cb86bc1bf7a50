package org.asteriskcti.server.asterisk.ari;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.RecordingModelListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole ARI path against the real Asterisk 22.10.1 traces: recorded frames -> FakeAriServer ->
 * AriEventsConnector -> AsteriskEvents -> CallModel (ARI only: no Linkedid, StasisEnd ends a channel).
 */
class AriTraceModelTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T08:30:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final RecordingModelListener out = new RecordingModelListener();
    private final EventRecorder sink = new EventRecorder();
    private FakeAriServer server;
    private AriEventsConnector connector;
    private CallModel model;

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void replay(String trace) {
        server = FakeAriServer.start(trace, "cti-lab");
        server.stubEmptyResync();
        AriSettings settings = AriSettings.of(FakeAriServer.USER, FakeAriServer.PASSWORD).withBaseUrl(server.baseUrl())
                .withApp("cti-lab").withReconnect(Duration.ofMillis(50), Duration.ofMillis(600));
        connector = new AriEventsConnector(new AriClient(settings), sink, Clock.systemUTC());
        connector.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> !server.wsConnections().isEmpty()
                && server.wsConnections().get(0).framesSent() == server.trace().frames(0).size());
        // The connector holds live events back until its resync snapshot is out: wait for the snapshot,
        // then for the delivered stream to go quiet.
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.ofType(AsteriskEvent.ResyncSnapshot.class).isEmpty()
                && connector.stats().framesReceived() == server.trace().frames(0).size());
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
            int n = sink.all().size();
            boolean stable = n == last[0];
            last[0] = n;
            return stable;
        });
        TenantDirectory directory = new TenantDirectory(ConfigLoader.load(null, Map.of()));
        model = new CallModel(loop, directory, out, EnumSet.of(Source.ARI));
        List<AsteriskEvent> all = sink.all();
        for (AsteriskEvent e : all) {
            loop.execute(() -> model.apply(e));
        }
        scheduler.runAll();
    }

    @Test
    void ari05_callerBridgedWithTheOriginatedAgentLeg_recordedAndSnooped_thenEndsAtStasisEnd() {
        replay("ari-05-stasis-bridge-record-snoop");
        CallView caller = out.last("1795422593.31");
        assertThat(caller.tenant()).isEqualTo("demo");
        assertThat(caller.dialled()).isEqualTo("700");
        assertThat(out.statesOf("1795422593.31")).containsExactly("STARTED", "CONNECTED", "ENDED");
        assertThat(caller.connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1002");
        assertThat(caller.disposition()).isEqualTo("ANSWERED");
        assertThat(out.calls).filteredOn(c -> c.callId().equals("1795422593.31"))
                .extracting(CallView::recording).contains("STARTED", "STOPPED");
        // The snoop channel belongs to no tenant: never published, and gone at the end.
        assertThat(out.calls).noneMatch(c -> c.legs().stream().anyMatch(l -> l.name().startsWith("Snoop/")));
        assertThat(model.activeCallCount()).isZero();
    }

    @Test
    void ari08_agentLegJoinsItsCtiCallId_andTheCallerWasConnectedTo1001() {
        replay("ari-08-acd-answered");
        assertThat(out.last("1795424151.45").connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1001");
        assertThat(out.last("1795424151.45").disposition()).isEqualTo("ANSWERED");
        CallView agentCall = out.last("acd-08-call-1");
        assertThat(agentCall.legs()).extracting(CallView.LegView::channelId).containsExactly("acd-08-agent-1001");
        assertThat(agentCall.agents()).containsExactly("agent-1001");
        assertThat(agentCall.state()).isEqualTo("ENDED");
        assertThat(model.activeCallCount()).isZero();
    }

    @Test
    void ari09_busyAgentThenTheNextOneAnswers() {
        replay("ari-09-agent-busy-then-next");
        CallView caller = out.last("1795424167.49");
        assertThat(caller.connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1002");
        assertThat(caller.disposition()).isEqualTo("ANSWERED");
        // 1001 rejected with 486 (cause 17); 1002 answered and, being ours, ended at StasisEnd (no cause yet).
        assertThat(out.calls).filteredOn(c -> c.callId().equals("acd-09-call-1") && c.state().equals("ENDED"))
                .extracting(c -> c.legs().get(0).channelId() + ":" + c.legs().get(0).hangupCause() + ":" + c.disposition())
                .containsExactly("acd-09-agent-1001:17:UNANSWERED", "acd-09-agent-1002:null:ANSWERED");
    }

    @Test
    void ari10_callerAbandonsInTheHoldingBridgeWhileAgentsRing() {
        replay("ari-10-agent-no-answer-then-caller-abandons");
        String callerId = out.calls.stream().filter(c -> "2001".equals(c.callerNumber()) && c.legs().size() == 1
                && c.legs().get(0).device().equals("PJSIP/2001")).findFirst().orElseThrow().callId();
        CallView caller = out.last(callerId);
        assertThat(caller.disposition()).isEqualTo("ABANDONED");
        assertThat(caller.connectedAt()).isNull();
        // Each attempt carried CTI_CALL_ID acd-10-call-1; the first ended (ring timeout, cause 19) before
        // the second leg was originated, so the id names two successive, separately ended calls.
        assertThat(out.calls).filteredOn(c -> c.callId().equals("acd-10-call-1") && c.state().equals("ENDED"))
                .extracting(c -> c.legs().get(0).channelId() + ":" + c.legs().get(0).hangupCause() + ":" + c.disposition())
                .containsExactly("acd-10-agent-1001:19:UNANSWERED", "acd-10-agent-1002:16:UNANSWERED");
    }
}
