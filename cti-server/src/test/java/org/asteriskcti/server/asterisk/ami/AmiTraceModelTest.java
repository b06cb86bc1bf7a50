package org.asteriskcti.server.asterisk.ami;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * The whole AMI path against the real Asterisk 22.10.1 traces: recorded bytes -> FakeAmiServer ->
 * AmiConnector (asterisk-java) -> AsteriskEvents -> CallModel. Asserts the resulting calls.
 */
class AmiTraceModelTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final FakeClock clock = FakeClock.at("2026-11-23T08:30:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final RecordingModelListener out = new RecordingModelListener();
    private CallModel model;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Replays the trace, waits until the recorded stream is fully delivered, applies it to a model. */
    private List<AsteriskEvent> replay(String trace) {
        FakeAmiServer server = FakeAmiServer.replaying(trace).start();
        open.add(server);
        AmiSettings s = AmiSettings.of("127.0.0.1", server.port(), "cti", "cti-secret")
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200));
        EventRecorder events = new EventRecorder();
        AmiConnector connector = new AmiConnector(s, events, Clock.systemUTC());
        open.add(connector);
        connector.start();
        await().atMost(20, TimeUnit.SECONDS).until(server::scriptFinished);
        // The connector holds live events back until its resync snapshot is out: wait for it, then let
        // the reader drain what the server wrote last.
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(AsteriskEvent.ResyncSnapshot.class));
        int[] last = {-1};
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
            int n = events.all().size();
            boolean stable = n == last[0];
            last[0] = n;
            return stable;
        });
        TenantDirectory directory = new TenantDirectory(ConfigLoader.load(null, Map.of()));
        model = new CallModel(loop, directory, out, EnumSet.of(Source.AMI));
        List<AsteriskEvent> all = events.all();
        for (AsteriskEvent e : all) {
            loop.execute(() -> model.apply(e));
        }
        scheduler.runAll();
        return all;
    }

    private List<String> callIds() {
        Set<String> ids = new LinkedHashSet<>();
        out.calls.forEach(c -> ids.add(c.callId()));
        return List.copyOf(ids);
    }

    private List<String> recordingStates(String callId) {
        List<String> states = new ArrayList<>();
        for (CallView c : out.calls) {
            if (c.callId().equals(callId) && c.recording() != null
                    && (states.isEmpty() || !states.get(states.size() - 1).equals(c.recording()))) {
                states.add(c.recording());
            }
        }
        return states;
    }

    @Test
    void ami01_queueCallAnsweredByAgent1001AfterAboutTwoSecondsOfRinging() {
        replay("ami-01-queue-answered");
        assertThat(callIds()).hasSize(1);
        CallView end = out.last(callIds().get(0));
        assertThat(end.tenant()).isEqualTo("demo");
        assertThat(end.state()).isEqualTo("ENDED");
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.direction()).isEqualTo("INBOUND");
        assertThat(end.callerNumber()).isEqualTo("2001");
        assertThat(end.dialled()).isEqualTo("600");
        assertThat(end.queue()).isEqualTo("support");
        assertThat(end.ringSeconds()).isEqualTo(2);
        assertThat(end.agents()).containsExactly("agent-1001");
        assertThat(end.connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1001");
        assertThat(out.statesOf(end.callId())).containsExactly("STARTED", "RINGING", "CONNECTED", "ENDED");
        assertThat(model.activeCallCount()).isZero();
    }

    @Test
    void ami02_callerAbandonsWhileTheAgentRings() {
        replay("ami-02-queue-abandoned");
        assertThat(callIds()).hasSize(1);
        CallView end = out.last(callIds().get(0));
        assertThat(end.disposition()).isEqualTo("ABANDONED");
        assertThat(end.queue()).isEqualTo("support");
        assertThat(end.connectedAt()).isNull();
        assertThat(out.statesOf(end.callId())).containsExactly("STARTED", "RINGING", "ENDED");
    }

    @Test
    void ami03a_blindTransferTo1003() {
        replay("ami-03a-blind-transfer");
        assertThat(callIds()).hasSize(1);
        CallView end = out.last(callIds().get(0));
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1001", "PJSIP/1003");
        assertThat(end.transfers()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo("BLIND");
            assertThat(t.target()).isEqualTo("1003");
        });
        assertThat(out.statesOf(end.callId())).containsSubsequence("CONNECTED", "RINGING", "CONNECTED", "ENDED");
    }

    @Test
    void ami03b_redirectTo1003HasNoTransferEventButTheCallReachesIt() {
        replay("ami-03b-redirect-transfer");
        assertThat(callIds()).hasSize(1);
        CallView end = out.last(callIds().get(0));
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1001", "PJSIP/1003");
        assertThat(end.transfers()).isEmpty();
    }

    @Test
    void ami03c_attendedTransferTo1003() {
        replay("ami-03c-attended-transfer");
        CallView end = out.last(callIds().get(0));
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.connectedDevices()).contains("PJSIP/2001", "PJSIP/1001", "PJSIP/1003");
        assertThat(end.transfers()).extracting(CallView.TransferView::kind).containsExactly("ATTENDED");
        // Every call of the trace ended; none is left behind in the model.
        assertThat(model.activeCallCount()).isZero();
        for (String id : callIds()) {
            assertThat(out.last(id).state()).isEqualTo("ENDED");
        }
    }

    @Test
    void ami04a_recordingStartedMutedUnmutedStopped() {
        replay("ami-04a-mixmonitor");
        String call = callIds().get(0);
        assertThat(recordingStates(call)).containsExactly("STARTED", "MUTED", "UNMUTED", "STOPPED");
        // AMI's MixMonitor events do not name the file (only the action did): nothing is invented.
        assertThat(out.last(call).recordingFile()).isNull();
        assertThat(out.last(call).callerNumber()).isEqualTo("2002");
        assertThat(out.last(call).disposition()).isEqualTo("ANSWERED");
    }

    @Test
    void ami04b_threePartiesInOneConference() {
        replay("ami-04b-confbridge-3-parties");
        Set<String> inRoom = new LinkedHashSet<>();
        for (CallView c : out.calls) {
            if ("lab-room".equals(c.conference())) {
                inRoom.add(c.callId());
            }
        }
        assertThat(inRoom).hasSize(3);
        Set<String> devices = new LinkedHashSet<>();
        for (String id : inRoom) {
            out.last(id).legs().forEach(l -> devices.add(l.device()));
            assertThat(out.last(id).state()).isEqualTo("ENDED");
        }
        assertThat(devices).contains("PJSIP/2001", "PJSIP/2002", "PJSIP/1003");
        assertThat(model.conference("lab-room")).isEmpty();
    }

    @Test
    void ami06_statusActionsDuringACallLeaveTheModelIntact() {
        replay("ami-06-status-actions-during-call");
        CallView end = out.last(callIds().get(0));
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.agents()).containsExactly("agent-1001");
        assertThat(model.activeCallCount()).isZero();
    }

    @Test
    void ami07_clickToCallAgentLegFirstThenTheCustomer() {
        replay("ami-07-click-to-call-originate");
        assertThat(callIds()).containsExactly("c2c-agent-leg-1");
        CallView end = out.last("c2c-agent-leg-1");
        assertThat(end.direction()).isEqualTo("OUTBOUND");
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.legs()).extracting(CallView.LegView::channelId).startsWith("c2c-agent-leg-1");
        assertThat(end.legs()).extracting(CallView.LegView::device).containsExactly("PJSIP/1001", "PJSIP/2002");
        assertThat(end.agents()).containsExactly("agent-1001");
    }
}
