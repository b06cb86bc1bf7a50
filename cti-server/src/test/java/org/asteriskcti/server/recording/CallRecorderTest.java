package org.asteriskcti.server.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.control.DialPlan;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.MemoryRecordingStore;
import org.junit.jupiter.api.Test;

/** Recording follows call control's conversations: the ALWAYS policy, agents joining, the end. */
class CallRecorderTest {

    private static final TenantId DEMO = TenantId.of("demo");
    private static final QueueId SUPPORT = QueueId.of("support");
    private static final QueueId SALES = QueueId.of("sales");
    private static final AgentId A1 = AgentId.of("agent-1001");

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final MemoryRecordingStore store = new MemoryRecordingStore();
    private final List<RecordingEvent> published = new ArrayList<>();
    /** demo: ON_DEMAND; queue sales ALWAYS. */
    private final RecordingService service = new RecordingService(loop, asterisk, RecordingPolicies.of(
            Map.of(DEMO, RecordingPolicy.ON_DEMAND), Map.of(SALES, Map.entry(DEMO, RecordingPolicy.ALWAYS))),
            store, published::add, new CtiMetrics());
    private final CallRecorder recorder = new CallRecorder(loop, service, ch -> Optional.of(CallId.of("linked-" + ch.value())));
    private final CallControl control = new CallControl(loop, asterisk, new DialPlan(ConfigLoader.load(null, Map.of())),
            recorder, (customer, party, tenant, queue, arrival) -> { }, "t", Duration.ofSeconds(30), "default");

    private <T> T call(Supplier<T> task) {
        CompletableFuture<T> f = loop.call(task);
        scheduler.runAll();
        try {
            return f.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private <T> T await(Supplier<CompletableFuture<T>> command) {
        CompletableFuture<T> f = call(command);
        scheduler.runAll();
        try {
            return f.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private EventMeta meta() {
        return new EventMeta(Source.ARI, clock.instant(), clock.instant(), 0);
    }

    private void event(AsteriskEvent e) {
        call(() -> {
            control.onEvent(e);
            service.onEvent(e);
            return null;
        });
    }

    private void answered(String channel) {
        event(new AsteriskEvent.StasisStarted(meta(), new ChannelSnapshot(ChannelId.of(channel), "PJSIP/x-1", ChannelState.UP,
                Party.EMPTY, Party.EMPTY, null, "", "", "", "en", null), "cti", List.of(CallControl.APP_ARG, "x")));
    }

    private Conversation acdCall(QueueId queue) {
        return call(() -> control.adoptAcd(BridgeId.of("acd-mix-l1"), DEMO, queue,
                queue == null ? null : org.asteriskcti.server.acd.EntryId.of("c1/1"), Instant.parse("2026-11-23T08:59:00Z"),
                ChannelId.of("c1"), new Party("2001", "Customer One"), ChannelId.of("l1"), A1, CompletableFuture.completedFuture(null)));
    }

    @Test
    void givenAQueueWithPolicyAlways_whenTheCallIsAnswered_thenItsBridgeIsRecordedUnderTheModelsCallId() {
        acdCall(SALES);

        assertThat(asterisk.lines("record ")).singleElement().asString().startsWith("record acd-mix-l1 cti-demo-");
        RecordingView r = call(() -> service.active(CallId.of("linked-c1"))).orElseThrow();
        assertThat(r.startedBy()).isEqualTo(RecordingRequest.POLICY);
        assertThat(r.agents()).containsExactly(A1);
    }

    @Test
    void givenOnDemand_thenNothingIsRecordedUntilAnAgentStartsIt_andATransferTargetAgentIsAdded() {
        Conversation c = acdCall(SUPPORT);
        assertThat(asterisk.lines("record ")).isEmpty();

        RecordingView started = await(() -> recorder.start(c, "demo1001"));
        assertThat(started.startedBy()).isEqualTo("demo1001");
        await(() -> control.consult(A1, "agent:agent-1002"));
        answered(lastOriginate());

        RecordingView now = call(() -> service.find(started.id())).orElseThrow();
        assertThat(now.agents()).containsExactly(A1, AgentId.of("agent-1002"));
    }

    @Test
    void givenARecordedCall_whenPausedAndResumed_thenTheRecordingIsMutedAndUnmuted_andASecondStartIsRefused() {
        Conversation c = acdCall(SUPPORT);
        await(() -> recorder.start(c, "demo1001"));
        String name = asterisk.lines("record ").get(0).split(" ")[2];

        await(() -> recorder.pause(c, "demo1001", "card number"));
        await(() -> recorder.resume(c, "demo1001"));

        assertThat(asterisk.log).contains("record.mute " + name, "record.unmute " + name);
        assertThatThrownBy(() -> await(() -> recorder.start(c, "demo1001")))
                .isInstanceOf(RecordingException.class).hasMessageContaining("already being recorded");
    }

    @Test
    void givenARecordedCall_whenItEnds_thenTheRecordingEnds() {
        Conversation c = acdCall(SALES);
        RecordingView r = call(() -> service.active(CallId.of("linked-c1"))).orElseThrow();

        event(new AsteriskEvent.ChannelHungUp(meta(), ChannelId.of("c1"), 16, ""));

        assertThat(c.ended()).isTrue();
        assertThat(call(() -> service.active(CallId.of("linked-c1")))).isEmpty();
        RecordingEvent last = published.get(published.size() - 1);
        assertThat(last.recording().id()).isEqualTo(r.id());
        assertThat(last.recording().status()).isNotIn(RecordingStatus.RECORDING, RecordingStatus.PAUSED);
        assertThat(last.recording().endedAt()).isNotNull();
    }

    @Test
    void givenNoRecording_whenPaused_thenRefusedAsNotActive() {
        Conversation c = acdCall(SUPPORT);

        assertThatThrownBy(() -> call(() -> recorder.pause(c, "demo1001", null)))
                .isInstanceOf(RecordingException.class)
                .extracting(e -> ((RecordingException) e).errorId()).isEqualTo("recording.not_active");
    }

    // ---- after a CTI restart ----------------------------------------------------------------------

    private static final String NAME = "cti-demo-linked-c1-k3x9a0b1";

    /** The last process recorded the call's bridge and died; the new one took it back and Asterisk still records. */
    private RecordingView recordedBeforeRestart(QueueId queue, boolean paused) {
        Instant t0 = Instant.parse("2026-11-23T08:59:30Z");
        RecordingView v = new RecordingView(RecordingId.of("rec-before"), DEMO, CallId.of("linked-c1"), Optional.of(queue),
                BridgeId.of("acd-mix-l1"), List.of(A1), NAME, "wav", RecordingPolicy.ON_DEMAND,
                paused ? RecordingStatus.PAUSED : RecordingStatus.RECORDING, "demo1001", t0, null, null, null, null,
                paused ? List.of(new RecordingView.Pause(t0.plusSeconds(10), "demo1001", "card number", null, null, false))
                        : List.of());
        store.put(v);
        asterisk.liveRecordings.put(NAME, org.asteriskcti.server.asterisk.LiveRecordingState.RECORDING);
        call(() -> {
            service.recover();
            return null;
        });
        call(() -> {
            service.onEvent(new AsteriskEvent.ResyncSnapshot(meta(), List.of(), List.of(new org.asteriskcti.server.asterisk
                    .BridgeSnapshot(BridgeId.of("acd-mix-l1"), "mixing", "simple_bridge", "Stasis", "", List.of()))));
            return null;
        });
        return v;
    }

    @Test
    void givenARecordingPausedBeforeTheRestart_whenItsConversationIsBack_thenResumeAndStopWorkOnIt() {
        RecordingView before = recordedBeforeRestart(SUPPORT, true);
        Conversation c = acdCall(SUPPORT);

        assertThat(call(() -> recorder.of(c))).contains(before.id());
        RecordingView resumed = await(() -> recorder.resume(c, "demo1001"));
        assertThat(resumed.id()).isEqualTo(before.id());
        assertThat(resumed.status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(resumed.pauses()).singleElement().extracting(RecordingView.Pause::resumedBy).isEqualTo("demo1001");
        RecordingView stopped = await(() -> recorder.stop(c, "demo1001"));

        assertThat(asterisk.lines("record.")).containsExactly("record.get " + NAME,
                "record.unmute " + NAME, "record.stop " + NAME);
        assertThat(stopped.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(stopped.endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(asterisk.lines("record ")).as("no new recording").isEmpty();
    }

    @Test
    void givenARecordingFromBeforeTheRestartUnderPolicyAlways_whenItsConversationIsBackAndEnds_thenNoSecondRecordingAndItEnds() {
        RecordingView before = recordedBeforeRestart(SALES, false);
        Conversation c = acdCall(SALES);

        assertThat(asterisk.lines("record ")).as("the bridge is recorded already").isEmpty();
        assertThat(call(() -> recorder.of(c))).contains(before.id());

        event(new AsteriskEvent.ChannelHungUp(meta(), ChannelId.of("c1"), 16, ""));

        assertThat(c.ended()).isTrue();
        RecordingView ended = store.latest(before.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(ended.endReason()).isEqualTo(EndReason.CALL_ENDED);
        assertThat(call(() -> service.activeOn(BridgeId.of("acd-mix-l1")))).isEmpty();
    }

    private String lastOriginate() {
        return asterisk.originates.get(asterisk.originates.size() - 1).channelId().value();
    }
}
