package org.asteriskcti.server.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.MemoryRecordingStore;
import org.junit.jupiter.api.Test;

/**
 * The recording service on a manual loop with a fake clock and a fake Asterisk: policies, the state
 * machine (start, pause, resume, stop, the call's end), the pause audit, and what happens when
 * Asterisk refuses.
 */
class RecordingServiceTest {

    private static final TenantId DEMO = TenantId.of("demo");
    private static final TenantId OTHER = TenantId.of("other");
    private static final QueueId SUPPORT = QueueId.of("support");
    private static final QueueId SALES = QueueId.of("sales");
    private static final QueueId HEALTH = QueueId.of("health");
    private static final BridgeId MIX = BridgeId.of("acd-mix-1");
    private static final CallId CALL = CallId.of("1795424151.47");
    private static final AgentId A1 = AgentId.of("agent-1001");
    private static final AgentId A2 = AgentId.of("agent-1002");

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final MemoryRecordingStore store = new MemoryRecordingStore();
    private final List<RecordingEvent> published = new ArrayList<>();
    private final CtiMetrics metrics = new CtiMetrics();
    private final Events ari = new Events(clock, Source.ARI);
    /** demo: ON_DEMAND, sales ALWAYS, health NEVER; other: NEVER. */
    private final RecordingPolicies policies = RecordingPolicies.of(
            Map.of(DEMO, RecordingPolicy.ON_DEMAND, OTHER, RecordingPolicy.NEVER),
            Map.of(SALES, Map.entry(DEMO, RecordingPolicy.ALWAYS), HEALTH, Map.entry(DEMO, RecordingPolicy.NEVER)));
    private final RecordingService service = new RecordingService(loop, asterisk, policies, store, published::add, metrics);

    // ---- helpers ----------------------------------------------------------------------------------

    /** Runs {@code s} on the loop, then everything it queued; returns its (maybe still open) future. */
    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> s) {
        CompletableFuture<CompletableFuture<T>> f = loop.call(s);
        scheduler.runAll();
        return f.join();
    }

    private <T> T value(Supplier<T> s) {
        CompletableFuture<T> f = loop.call(s);
        scheduler.runAll();
        return f.join();
    }

    private void run(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private static RecordingRequest request(Optional<QueueId> queue, String by) {
        return new RecordingRequest(DEMO, CALL, MIX, List.of(A1), queue, by);
    }

    private RecordingView started(Optional<QueueId> queue, String by) {
        CompletableFuture<RecordingView> f = onLoop(() -> service.start(request(queue, by)));
        assertThat(f).as("start").isCompleted();
        return f.join();
    }

    private RecordingView started() {
        return started(Optional.of(SUPPORT), "demo1001");
    }

    private static RecordingException refusal(CompletableFuture<?> f) {
        assertThat(f).as("refused").isCompletedExceptionally();
        RecordingException e = RecordingException.unwrap(f.handle((v, err) -> err).join());
        assertThat(e).as("a RecordingException").isNotNull();
        return e;
    }

    private List<RecordingEvent.Kind> kinds() {
        return published.stream().map(RecordingEvent::kind).toList();
    }

    private double counter(String name, String... tags) {
        var c = metrics.registry().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    // ---- policy -----------------------------------------------------------------------------------

    @Test
    void givenTenantAndQueueRules_whenAskedThePolicy_thenTheQueueOverridesItsOwnTenantOnly() {
        assertThat(service.policyFor(DEMO, Optional.empty())).isEqualTo(RecordingPolicy.ON_DEMAND);
        assertThat(service.policyFor(DEMO, Optional.of(SUPPORT))).isEqualTo(RecordingPolicy.ON_DEMAND);
        assertThat(service.policyFor(DEMO, Optional.of(SALES))).isEqualTo(RecordingPolicy.ALWAYS);
        assertThat(service.policyFor(DEMO, Optional.of(HEALTH))).isEqualTo(RecordingPolicy.NEVER);
        assertThat(service.policyFor(OTHER, Optional.of(SALES))).as("another tenant's queue rule does not apply")
                .isEqualTo(RecordingPolicy.NEVER);
        assertThat(service.policyFor(TenantId.of("nobody"), Optional.empty())).isEqualTo(RecordingPolicy.NEVER);
    }

    @Test
    void givenPolicyNever_whenStarting_thenRefusedAndAsteriskNeverAsked() {
        RecordingException e = refusal(onLoop(() -> service.start(request(Optional.of(HEALTH), "demo1001"))));

        assertThat(e.errorId()).isEqualTo("recording.forbidden_by_policy");
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.details()).containsEntry("queue", "health").containsEntry("policy", "NEVER");
        assertThat(asterisk.log).isEmpty();
        assertThat(value(() -> service.active(CALL))).isEmpty();
    }

    @Test
    void givenPolicyAlways_whenTheAgentStops_thenRefusedButPausingIsAllowed() {
        RecordingView r = started(Optional.of(SALES), RecordingRequest.POLICY);
        assertThat(r.policy()).isEqualTo(RecordingPolicy.ALWAYS);
        assertThat(r.startedBy()).isEqualTo("policy");

        RecordingException e = refusal(onLoop(() -> service.stop(r.id(), "demo1001")));
        assertThat(e.errorId()).isEqualTo("recording.forbidden_by_policy");
        assertThat(asterisk.lines("record.stop")).isEmpty();

        RecordingView paused = onLoop(() -> service.pause(r.id(), "demo1001", "card number")).join();
        assertThat(paused.status()).isEqualTo(RecordingStatus.PAUSED);
    }

    @Test
    void givenPolicyOnDemand_whenAUserStartsAndStops_thenRecordedThenStoppedByThem() {
        RecordingView r = started();
        clock.advance(Duration.ofSeconds(42));

        RecordingView stopped = onLoop(() -> service.stop(r.id(), "demo1001")).join();

        assertThat(stopped.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(stopped.endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(stopped.stoppedBy()).isEqualTo("demo1001");
        assertThat(stopped.endedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:42Z"));
        assertThat(stopped.durationSeconds()).isEqualTo(42);
        assertThat(asterisk.log).containsExactly("record acd-mix-1 " + r.name(), "record.stop " + r.name());
        assertThat(value(() -> service.active(CALL))).isEmpty();
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STARTED, RecordingEvent.Kind.STOPPED);
        assertThat(store.latest(r.id())).contains(stopped);
        assertThat(counter("cti.recordings.finished", "end", "stopped")).isEqualTo(1);
    }

    // ---- start ------------------------------------------------------------------------------------

    @Test
    void whenStarted_thenTheBridgeIsRecordedUnderOurOwnUnguessableNameAndShown() {
        RecordingView r = started();

        assertThat(r.status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(r.name()).matches("cti-demo-1795424151_47-[a-z0-9]{8}");
        assertThat(r.file()).isEqualTo(r.name() + ".wav");
        assertThat(r.id().value()).matches("rec-[A-Za-z0-9_-]{22}");
        assertThat(r.agents()).containsExactly(A1);
        assertThat(r.queue()).contains(SUPPORT);
        assertThat(r.startedBy()).isEqualTo("demo1001");
        assertThat(r.startedAt()).isEqualTo(clock.instant());
        assertThat(asterisk.log).containsExactly("record acd-mix-1 " + r.name());
        assertThat(value(() -> service.active(CALL))).contains(r);
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STARTED);
        assertThat(store.saves).containsExactly(r);
        assertThat(counter("cti.recordings.started")).isEqualTo(1);

        onLoop(() -> service.stop(r.id(), "demo1001")).join();
        RecordingView second = started();
        assertThat(second.name()).as("a second recording of the same call").isNotEqualTo(r.name());
        assertThat(second.id()).isNotEqualTo(r.id());
    }

    @Test
    void givenARecordingGoingOn_whenStartingAgain_thenAlreadyActive() {
        RecordingView r = started();

        RecordingException e = refusal(onLoop(() -> service.start(request(Optional.empty(), "supervisor"))));

        assertThat(e.errorId()).isEqualTo("recording.already_active");
        assertThat(e.details()).containsEntry("recording_id", r.id().value());
        assertThat(asterisk.lines("record ")).hasSize(1);
    }

    @Test
    void givenAsteriskRefusesTheRecord_whenStarting_thenTheErrorSurfacesAndNoRecordingRemains() {
        asterisk.failWhen(line -> line.startsWith("record ")
                ? new AriException(404, AriException.Kind.NOT_FOUND, "Bridge not found", "POST", "/ari/bridges/acd-mix-1/record", null)
                : null);

        RecordingException e = refusal(onLoop(() -> service.start(request(Optional.empty(), "demo1001"))));

        assertThat(e.errorId()).isEqualTo("recording.asterisk_failed");
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).contains("Bridge not found");
        assertThat(value(() -> service.active(CALL))).as("no phantom active recording").isEmpty();
        assertThat(value(service::activeRecordings)).isEmpty();
        assertThat(published).isEmpty();
        assertThat(store.saves).isEmpty();
        assertThat(counter("cti.recordings.start.failed")).isEqualTo(1);

        asterisk.failWhen(line -> null);
        assertThat(started().status()).as("a new start works").isEqualTo(RecordingStatus.RECORDING);
    }

    @Test
    void givenTheStartIsOnItsWay_whenPaused_thenThePauseFollowsTheStartAndASecondPauseIsRefusedAtOnce() {
        asterisk.hold();
        CompletableFuture<RecordingView> start = onLoop(() -> service.start(request(Optional.empty(), "demo1001")));
        RecordingView starting = value(() -> service.active(CALL)).orElseThrow();
        assertThat(starting.status()).isEqualTo(RecordingStatus.STARTING);

        CompletableFuture<RecordingView> pause = onLoop(() -> service.pause(starting.id(), "demo1001", "card number"));
        RecordingException twice = refusal(onLoop(() -> service.pause(starting.id(), "demo1001", "again")));

        assertThat(twice.errorId()).isEqualTo("recording.already_paused");
        assertThat(asterisk.log).as("the mute waits for the start's answer").containsExactly("record acd-mix-1 " + starting.name());
        assertThat(start).isNotDone();
        assertThat(pause).isNotDone();
        assertThat(published).as("nothing shown before Asterisk confirmed").isEmpty();

        asterisk.completeHeld();
        scheduler.runAll();
        asterisk.completeHeld();
        scheduler.runAll();

        assertThat(start.join().status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(pause.join().status()).isEqualTo(RecordingStatus.PAUSED);
        assertThat(asterisk.log).containsExactly("record acd-mix-1 " + starting.name(), "record.mute " + starting.name());
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STARTED, RecordingEvent.Kind.PAUSED);
    }

    // ---- pause and resume -------------------------------------------------------------------------

    @Test
    void whenPausedAndResumed_thenAsteriskMutesAndUnmutesAndThePauseIsAuditedWithWhoAndWhen() {
        RecordingView r = started();
        clock.advance(Duration.ofSeconds(10));

        RecordingView paused = onLoop(() -> service.pause(r.id(), "demo1001", "card number")).join();

        assertThat(paused.status()).isEqualTo(RecordingStatus.PAUSED);
        assertThat(paused.pauses()).containsExactly(new RecordingView.Pause(Instant.parse("2026-11-23T09:00:10Z"),
                "demo1001", "card number", null, null, false));
        assertThat(paused.openPause()).isPresent();

        clock.advance(Duration.ofSeconds(25));
        RecordingView resumed = onLoop(() -> service.resume(r.id(), "supervisor")).join();

        assertThat(resumed.status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(resumed.pauses()).containsExactly(new RecordingView.Pause(Instant.parse("2026-11-23T09:00:10Z"),
                "demo1001", "card number", Instant.parse("2026-11-23T09:00:35Z"), "supervisor", false));
        assertThat(resumed.openPause()).isEmpty();
        assertThat(asterisk.log).containsExactly("record acd-mix-1 " + r.name(), "record.mute " + r.name(),
                "record.unmute " + r.name());
        assertThat(asterisk.lines("record.pause")).as("ARI pause drops the span: never used").isEmpty();
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STARTED, RecordingEvent.Kind.PAUSED,
                RecordingEvent.Kind.RESUMED);
        assertThat(store.latest(r.id())).contains(resumed);
        assertThat(counter("cti.recordings.pauses")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        RecordingView again = onLoop(() -> service.pause(r.id(), "demo1001", null)).join();
        assertThat(again.pauses()).hasSize(2);
        assertThat(again.pauses().get(1).reason()).isNull();
    }

    @Test
    void givenPaused_whenPausedAgain_thenAlreadyPausedAndNothingSent() {
        RecordingView r = started();
        onLoop(() -> service.pause(r.id(), "demo1001", "card number")).join();
        asterisk.clear();

        RecordingException e = refusal(onLoop(() -> service.pause(r.id(), "demo1001", "card number")));

        assertThat(e.errorId()).isEqualTo("recording.already_paused");
        assertThat(e.status()).isEqualTo(409);
        assertThat(asterisk.log).isEmpty();
        assertThat(store.latest(r.id()).orElseThrow().pauses()).hasSize(1);
    }

    @Test
    void givenRecording_whenResumed_thenNotPaused() {
        RecordingView r = started();

        RecordingException e = refusal(onLoop(() -> service.resume(r.id(), "demo1001")));

        assertThat(e.errorId()).isEqualTo("recording.not_paused");
        assertThat(asterisk.lines("record.unmute")).isEmpty();
    }

    @Test
    void givenAsteriskFailsTheMute_whenPaused_thenTheErrorSurfacesTheRecordingIsNotPausedAndCanBePausedAgain() {
        RecordingView r = started();
        asterisk.failWhen(line -> line.startsWith("record.mute")
                ? new AriException(0, AriException.Kind.UNAVAILABLE, "timed out", "POST", "/ari/recordings/live/x/mute", null)
                : null);

        RecordingException e = refusal(onLoop(() -> service.pause(r.id(), "demo1001", "card number")));

        assertThat(e.errorId()).isEqualTo("recording.asterisk_failed");
        RecordingView now = value(() -> service.find(r.id())).orElseThrow();
        assertThat(now.status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(now.pauses()).as("no pause is audited that Asterisk did not confirm").isEmpty();
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STARTED);

        asterisk.failWhen(line -> null);
        assertThat(onLoop(() -> service.pause(r.id(), "demo1001", "card number")).join().status())
                .isEqualTo(RecordingStatus.PAUSED);
    }

    @Test
    void givenAnUnknownId_whenPaused_thenUnknown() {
        RecordingException e = refusal(onLoop(() -> service.pause(RecordingId.of("rec-nope"), "demo1001", null)));

        assertThat(e.errorId()).isEqualTo("recording.unknown");
        assertThat(e.status()).isEqualTo(404);
    }

    // ---- the end ----------------------------------------------------------------------------------

    @Test
    void givenPaused_whenTheBridgeIsGone_thenTheRecordingEndsAndThePauseIsClosedAtTheEnd() {
        RecordingView r = started();
        clock.advance(Duration.ofSeconds(3));
        onLoop(() -> service.pause(r.id(), "demo1001", "card number")).join();
        clock.advance(Duration.ofSeconds(7));

        run(() -> service.bridgeGone(MIX));

        RecordingView ended = store.latest(r.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(ended.endReason()).isEqualTo(EndReason.CALL_ENDED);
        assertThat(ended.stoppedBy()).isNull();
        assertThat(ended.endedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:10Z"));
        assertThat(ended.pauses()).containsExactly(new RecordingView.Pause(Instant.parse("2026-11-23T09:00:03Z"),
                "demo1001", "card number", Instant.parse("2026-11-23T09:00:10Z"), null, true));
        assertThat(asterisk.lines("record.stop")).as("Asterisk stops a bridge recording itself").isEmpty();
        assertThat(kinds()).endsWith(RecordingEvent.Kind.STOPPED);
        assertThat(value(() -> service.active(CALL))).isEmpty();

        RecordingException e = refusal(onLoop(() -> service.resume(r.id(), "demo1001")));
        assertThat(e.errorId()).as("an ended recording is no longer going on").isEqualTo("recording.unknown");
        run(() -> service.bridgeGone(MIX));
        assertThat(kinds()).as("idempotent").filteredOn(k -> k == RecordingEvent.Kind.STOPPED).hasSize(1);
    }

    @Test
    void givenRecording_whenBridgeDestroyedArrives_thenItEndsWithTheCall() {
        RecordingView r = started();

        run(() -> service.onEvent(new AsteriskEvent.BridgeDestroyed(ari.meta(), MIX)));

        assertThat(store.latest(r.id()).orElseThrow().endReason()).isEqualTo(EndReason.CALL_ENDED);
    }

    @Test
    void givenRecording_whenAsteriskReportsItFinished_thenItEndsWithAsterisksDuration() {
        RecordingView r = started();
        clock.advance(Duration.ofSeconds(6));

        run(() -> service.onEvent(new AsteriskEvent.RecordingChanged(ari.meta(), r.name(), null, MIX,
                RecordingState.STOPPED, r.file(), 6)));

        RecordingView ended = store.latest(r.id()).orElseThrow();
        assertThat(ended.endReason()).isEqualTo(EndReason.ENDED_BY_ASTERISK);
        assertThat(ended.durationSeconds()).isEqualTo(6);
    }

    @Test
    void givenStoppedByUs_whenAsterisksRecordingFinishedFollows_thenItsDurationIsKept() {
        RecordingView r = started();
        clock.advance(Duration.ofMillis(6400));
        onLoop(() -> service.stop(r.id(), "demo1001")).join();
        assertThat(store.latest(r.id()).orElseThrow().durationSeconds()).isEqualTo(6);

        run(() -> service.onEvent(new AsteriskEvent.RecordingChanged(ari.meta(), r.name(), null, MIX,
                RecordingState.STOPPED, r.file(), 7)));

        RecordingView ended = store.latest(r.id()).orElseThrow();
        assertThat(ended.durationSeconds()).isEqualTo(7);
        assertThat(ended.endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(kinds()).filteredOn(k -> k == RecordingEvent.Kind.STOPPED).hasSize(1);
    }

    @Test
    void givenAsteriskReportsTheRecordingFailed_thenItEndsFailed() {
        RecordingView r = started();

        run(() -> service.onEvent(new AsteriskEvent.RecordingChanged(ari.meta(), r.name(), null, MIX,
                RecordingState.FAILED, r.file(), null)));

        RecordingView ended = store.latest(r.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(RecordingStatus.FAILED);
        assertThat(ended.endReason()).isEqualTo(EndReason.FAILED);
        assertThat(counter("cti.recordings.finished", "end", "failed")).isEqualTo(1);
    }

    @Test
    void givenTheRecordingIsAlreadyGoneInAsterisk_whenStopped_thenTheStopCountsAsDone() {
        RecordingView r = started();
        asterisk.failWhen(line -> line.startsWith("record.stop")
                ? new AriException(404, AriException.Kind.NOT_FOUND, "Recording not found", "POST", "/ari/recordings/live/x/stop", null)
                : null);

        RecordingView stopped = onLoop(() -> service.stop(r.id(), "demo1001")).join();

        assertThat(stopped.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(stopped.endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(value(() -> service.active(CALL))).isEmpty();
    }

    @Test
    void givenAStopOnItsWay_whenTheBridgeGoes_thenTheStopCompletesAndTheEndIsTheUsersStop() {
        RecordingView r = started();
        asterisk.hold();
        CompletableFuture<RecordingView> stop = onLoop(() -> service.stop(r.id(), "demo1001"));
        RecordingException again = refusal(onLoop(() -> service.stop(r.id(), "demo1001")));
        assertThat(again.errorId()).isEqualTo("recording.not_active");

        run(() -> service.bridgeGone(MIX));
        asterisk.completeHeld();
        scheduler.runAll();

        assertThat(stop.join().endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(stop.join().stoppedBy()).isEqualTo("demo1001");
        assertThat(kinds()).filteredOn(k -> k == RecordingEvent.Kind.STOPPED).hasSize(1);
    }

    @Test
    void givenTheCallEndsBeforeAsteriskConfirmedTheStart_thenTheStartFailsAndNothingIsShown() {
        asterisk.hold();
        CompletableFuture<RecordingView> start = onLoop(() -> service.start(request(Optional.empty(), "demo1001")));

        run(() -> service.bridgeGone(MIX));
        asterisk.completeHeld();
        scheduler.runAll();

        assertThat(refusal(start).errorId()).isEqualTo("recording.not_active");
        assertThat(published).isEmpty();
        assertThat(store.saves).isEmpty();
    }

    @Test
    void givenAriResyncedWithoutTheBridge_thenTheRecordingHasEnded() {
        RecordingView r = started();

        run(() -> service.onEvent(new AsteriskEvent.ResyncSnapshot(ari.meta(), List.of(),
                List.of(new BridgeSnapshot(BridgeId.of("another"), "mixing", "simple_bridge", "Stasis", "", List.of())))));

        assertThat(store.latest(r.id()).orElseThrow().endReason()).isEqualTo(EndReason.CALL_ENDED);
    }

    // ---- agents -----------------------------------------------------------------------------------

    @Test
    void whenAnotherAgentJoins_thenTheyAreOnTheRecordingOnce() {
        RecordingView r = started();

        RecordingView two = onLoop(() -> service.addAgent(r.id(), A2)).join();
        onLoop(() -> service.addAgent(r.id(), A2)).join();

        assertThat(two.agents()).containsExactly(A1, A2);
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STARTED, RecordingEvent.Kind.UPDATED);
        assertThat(store.latest(r.id()).orElseThrow().agents()).containsExactly(A1, A2);
    }

    // ---- after a restart --------------------------------------------------------------------------

    private static final Instant BEFORE = Instant.parse("2026-11-23T08:58:00Z");
    private static final String NAME = "cti-demo-1795424151_47-k3x9a0b1";

    /** A recording the last process stored as going on; paused (open pause) when {@code paused}. */
    private RecordingView storedBeforeRestart(boolean paused) {
        List<RecordingView.Pause> pauses = paused
                ? List.of(new RecordingView.Pause(BEFORE.plusSeconds(20), "demo1001", "card number", null, null, false))
                : List.of();
        RecordingView v = new RecordingView(RecordingId.of("rec-before"), DEMO, CALL, Optional.of(SALES), MIX,
                List.of(A1, A2), NAME, "wav", RecordingPolicy.ALWAYS,
                paused ? RecordingStatus.PAUSED : RecordingStatus.RECORDING, "policy", BEFORE, null, null, null, null,
                pauses);
        store.put(v);
        store.saves.clear();
        return v;
    }

    private void ariResync(BridgeId... bridges) {
        List<BridgeSnapshot> list = new ArrayList<>();
        for (BridgeId b : bridges) {
            list.add(new BridgeSnapshot(b, "mixing", "simple_bridge", "Stasis", "", List.of()));
        }
        run(() -> service.onEvent(new AsteriskEvent.ResyncSnapshot(ari.meta(), List.of(), list)));
    }

    @Test
    void givenARecordingThatEndedWhileTheCtiWasDown_whenRecoveredAndAriResynced_thenStoppedCtiRestartAndItsPauseClosed() {
        RecordingView before = storedBeforeRestart(true);

        run(service::recover);
        assertThat(value(() -> service.activeOn(MIX))).as("held as going on until Asterisk answered").isPresent();
        assertThat(asterisk.lines("record.get")).as("Asterisk is asked once ARI is synced").isEmpty();
        ariResync(MIX);

        assertThat(asterisk.lines("record.get")).containsExactly("record.get " + NAME);
        RecordingView ended = store.latest(before.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(ended.endReason()).isEqualTo(EndReason.CTI_RESTART);
        assertThat(ended.endedAt()).isEqualTo(clock.instant());
        assertThat(ended.agents()).containsExactly(A1, A2);
        assertThat(ended.pauses()).containsExactly(new RecordingView.Pause(BEFORE.plusSeconds(20), "demo1001",
                "card number", clock.instant(), null, true));
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.STOPPED);
        assertThat(value(() -> service.activeOn(MIX))).isEmpty();
        assertThat(value(() -> service.recordingsOf(DEMO, CALL))).as("the call history still links it")
                .containsExactly(before.id());
    }

    @Test
    void givenTheRecordedBridgeIsGoneAfterTheRestart_whenAriResyncs_thenItEndedWhileDownWithoutAskingFurther() {
        RecordingView before = storedBeforeRestart(false);
        asterisk.liveRecordings.put(NAME, LiveRecordingState.RECORDING);
        run(service::recover);

        ariResync(BridgeId.of("another"));

        assertThat(store.latest(before.id()).orElseThrow().endReason()).isEqualTo(EndReason.CTI_RESTART);
        assertThat(asterisk.lines("record.get")).isEmpty();
    }

    @Test
    void givenARecordingStillRecordedByAsterisk_whenRecovered_thenItGoesOnAndCanBePausedAndStopped() {
        RecordingView before = storedBeforeRestart(false);
        asterisk.liveRecordings.put(NAME, LiveRecordingState.RECORDING);
        ariResync(MIX); // ARI synced before the store answered: asked at once
        run(service::recover);

        assertThat(asterisk.lines("record.get")).containsExactly("record.get " + NAME);
        RecordingView back = value(() -> service.active(CALL)).orElseThrow();
        assertThat(back.id()).isEqualTo(before.id());
        assertThat(back.status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(back.startedAt()).isEqualTo(BEFORE);
        assertThat(back.agents()).containsExactly(A1, A2);
        assertThat(asterisk.lines("record.mute")).isEmpty();
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.UPDATED);

        RecordingView paused = onLoop(() -> service.pause(before.id(), "demo1002", "card number")).join();
        assertThat(paused.status()).isEqualTo(RecordingStatus.PAUSED);
        assertThat(asterisk.lines("record.mute")).containsExactly("record.mute " + NAME);
        assertThat(refusal(onLoop(() -> service.stop(before.id(), "demo1002"))).errorId())
                .as("its stored policy ALWAYS holds").isEqualTo("recording.forbidden_by_policy");
        assertThat(refusal(onLoop(() -> service.start(new RecordingRequest(DEMO, CALL, MIX, List.of(A1),
                Optional.of(SALES), RecordingRequest.POLICY)))).errorId())
                .as("no second recording of the bridge").isEqualTo("recording.already_active");
        assertThat(asterisk.lines("record ")).isEmpty();
    }

    @Test
    void givenARecordingPausedBeforeTheRestart_whenStillLive_thenPausedNoSecondMuteAndResumeClosesTheSamePause() {
        RecordingView before = storedBeforeRestart(true);
        asterisk.liveRecordings.put(NAME, LiveRecordingState.RECORDING); // a mute cannot be seen (ari-11)
        run(service::recover);
        ariResync(MIX);

        RecordingView back = value(() -> service.find(before.id())).orElseThrow();
        assertThat(back.status()).as("the store's open pause is the truth").isEqualTo(RecordingStatus.PAUSED);
        assertThat(asterisk.lines("record.")).as("Asterisk kept the mute; a second one would toggle it off")
                .containsExactly("record.get " + NAME);
        assertThat(refusal(onLoop(() -> service.pause(before.id(), "demo1001", null))).errorId())
                .isEqualTo("recording.already_paused");

        clock.advance(Duration.ofSeconds(5));
        RecordingView resumed = onLoop(() -> service.resume(before.id(), "supervisor")).join();

        assertThat(asterisk.lines("record.unmute")).containsExactly("record.unmute " + NAME);
        assertThat(resumed.status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(resumed.pauses()).containsExactly(new RecordingView.Pause(BEFORE.plusSeconds(20), "demo1001",
                "card number", clock.instant(), "supervisor", false));
        assertThat(store.latest(before.id()).orElseThrow().pauses()).isEqualTo(resumed.pauses());
    }

    @Test
    void givenARecoveredRecording_whenItsBridgeGoes_thenItEndsWithTheCall() {
        RecordingView before = storedBeforeRestart(false);
        asterisk.liveRecordings.put(NAME, LiveRecordingState.RECORDING);
        run(service::recover);
        ariResync(MIX);

        run(() -> service.onEvent(new AsteriskEvent.BridgeDestroyed(ari.meta(), MIX)));

        RecordingView ended = store.latest(before.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(RecordingStatus.STOPPED);
        assertThat(ended.endReason()).isEqualTo(EndReason.CALL_ENDED);
    }

    @Test
    void givenAsteriskDoesNotAnswerAboutIt_whenResynced_thenItIsKeptAsItWasAndAskedAgainAtTheNextResync() {
        RecordingView before = storedBeforeRestart(true);
        asterisk.liveRecordings.put(NAME, LiveRecordingState.RECORDING);
        asterisk.failWhen(line -> line.startsWith("record.get")
                ? new AriException(500, AriException.Kind.SERVER_ERROR, "Internal Server Error", "GET",
                        "/ari/recordings/live/" + NAME, null) : null);
        run(service::recover);
        ariResync(MIX);

        assertThat(value(() -> service.find(before.id())).orElseThrow().status()).isEqualTo(RecordingStatus.PAUSED);
        assertThat(store.saves).as("nothing of it changed").isEmpty();
        assertThat(published).isEmpty();

        asterisk.failWhen(line -> null);
        ariResync(MIX);

        assertThat(asterisk.lines("record.get")).hasSize(2);
        assertThat(kinds()).containsExactly(RecordingEvent.Kind.UPDATED);
        assertThat(value(() -> service.find(before.id())).orElseThrow().status()).isEqualTo(RecordingStatus.PAUSED);
    }

    @Test
    void givenTheStoreCannotBeReadAtStart_thenStartsAreNotHeldUpAndTheRecordingsAreTakenBackAtTheNextResync() {
        RecordingView before = storedBeforeRestart(false);
        store.activeFailure = new IllegalStateException("database down");
        run(service::recover);
        assertThat(value(() -> service.activeOn(MIX))).isEmpty();

        RecordingView other = onLoop(() -> service.start(new RecordingRequest(DEMO, CallId.of("other-call"),
                BridgeId.of("other-mix"), List.of(A2), Optional.empty(), "demo1002"))).join();
        assertThat(other.status()).isEqualTo(RecordingStatus.RECORDING);

        store.activeFailure = null;
        asterisk.liveRecordings.put(NAME, LiveRecordingState.RECORDING);
        ariResync(MIX, BridgeId.of("other-mix")); // ARI already synced: the taken-back recording is asked at once

        assertThat(value(() -> service.find(before.id())).orElseThrow().status()).isEqualTo(RecordingStatus.RECORDING);
        assertThat(asterisk.lines("record.get")).containsExactly("record.get " + NAME);
    }

    @Test
    void givenAStartAskedWhileTheStoreIsStillRead_thenItWaitsAndIsRefusedWhenTheBridgeIsRecordedAlready() {
        storedBeforeRestart(false);
        CompletableFuture<RecordingView> start = loop.call(() -> {
            service.recover();
            return service.start(new RecordingRequest(DEMO, CALL, MIX, List.of(A1), Optional.of(SALES),
                    RecordingRequest.POLICY));
        }).thenCompose(f -> f);
        scheduler.runAll();

        assertThat(refusal(start).errorId()).isEqualTo("recording.already_active");
        assertThat(asterisk.lines("record ")).isEmpty();
    }
}
