package org.asteriskcti.server.recording;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call recording: one recording of a call's mixing bridge at a time, with PCI pauses that keep one
 * file (Asterisk's <em>mute</em> of a live recording writes silence and keeps the timeline, ari-11;
 * its <em>pause</em> would drop the span and is never used), each pause audited with who and when.
 *
 * <p>Runs on the domain loop: every method must be called there, and every future completes there.
 * Refusals are futures failed with a {@link RecordingException} (a stable error id), never thrown.
 *
 * <p><b>Commands in order.</b> A recording's commands (start, pause, resume, stop) reach Asterisk one
 * after the other, each once the one before it was answered. A command is checked against the state the
 * recording will be in once the commands accepted before it are done ({@code planned}), so a pause asked
 * while the start is still on its way is accepted and follows it, and a second pause is refused
 * ({@code recording.already_paused}) even before the first is confirmed. The recording's state moves
 * only when Asterisk confirmed: PAUSED means Asterisk said the mute is on.
 *
 * <p><b>Shown from RECORDING on.</b> A recording is stored and published to clients once Asterisk
 * confirmed it records. One Asterisk refused, or whose call ended first, never was: the start's future
 * fails and nothing else remains of it.
 *
 * <p><b>The end.</b> A recording ends when a user stops it, when its bridge is gone (the call ended:
 * {@link #bridgeGone}, a {@code BridgeDestroyed}, or a bridge missing from ARI's resync), or when
 * Asterisk reports it finished or failed. A pause still open then is closed at the end. A stop that
 * Asterisk answers 404 (the recording was already over) counts as done.
 *
 * <p><b>After a restart.</b> Asterisk goes on recording while the CTI is down (kill -9 included), and a
 * mute stays on. {@link #recover} takes back what the store still has as going on (RECORDING, PAUSED):
 * each is held as going on at once (so the policy does not start a second recording of its bridge, and
 * commands work on it), and checked with Asterisk ({@code GET /recordings/live/{name}}) at once and at every
 * ARI resync until Asterisk answered. Gone (or its bridge gone) → it ended while we were away: STOPPED,
 * end reason {@link EndReason#CTI_RESTART}, an open pause closed. Still live → it goes on as stored; an
 * open pause means PAUSED (a mute cannot be seen in Asterisk's state, ari-11, so the store is the truth;
 * Asterisk kept the mute, and it is not sent again: a second mute toggles it off). {@link CallRecorder} finds it by its bridge ({@link #activeOn}).
 *
 * <p><b>Policy.</b> NEVER refuses every start; ALWAYS refuses every stop (the call's end ends it;
 * pauses are allowed: card numbers are never recorded); ON_DEMAND allows both.
 */
public final class RecordingService {

    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** The file format asked of Asterisk ({@code AsteriskCommands#recordBridge} records WAV). */
    public static final String FORMAT = "wav";
    /** Ended recordings remembered for Asterisk's late RecordingFinished (it carries the file's length). */
    private static final int ENDED_KEPT = 1000;

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final RecordingPolicies policies;
    private final RecordingStore store;
    private final RecordingListener listener;
    private final CtiMetrics metrics;
    private final Clock clock;
    private final Map<RecordingId, Recording> active = new LinkedHashMap<>();
    private final Map<String, Recording> byName = new LinkedHashMap<>();
    private final Map<String, Recording> ended = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recording> eldest) {
            return size() > ENDED_KEPT;
        }
    };

    /** Done when the store's recordings going on were taken back (or could not be read); starts wait for it. */
    private CompletableFuture<Void> recovered = DONE;
    /** The store could not be read at {@link #recover}: try again at the next ARI resync. */
    private boolean recoverAgain;
    /** ARI's state was read at least once (a resync): Asterisk can be asked about recordings. */
    private boolean ariResynced;

    public RecordingService(DomainLoop loop, AsteriskCommands asterisk, RecordingPolicies policies,
            RecordingStore store, RecordingListener listener, CtiMetrics metrics) {
        this.loop = loop;
        this.asterisk = asterisk;
        this.policies = policies;
        this.store = store;
        this.listener = listener;
        this.metrics = metrics;
        this.clock = loop.clock();
    }

    // ---- queries ---------------------------------------------------------------------------------

    /**
     * The recordings made of a call (running, or ended recently: the last {@value #ENDED_KEPT}), oldest
     * first, of this tenant only; for the call history entries made when a call ends. From memory.
     */
    public List<RecordingId> recordingsOf(TenantId tenant, CallId call) {
        List<Recording> found = new java.util.ArrayList<>();
        for (Recording r : ended.values()) {
            if (r.tenant.equals(tenant) && r.call.equals(call) && r.status != RecordingStatus.STARTING) {
                found.add(r);
            }
        }
        for (Recording r : active.values()) {
            if (r.tenant.equals(tenant) && r.call.equals(call) && r.status != RecordingStatus.STARTING && !found.contains(r)) {
                found.add(r);
            }
        }
        found.sort(java.util.Comparator.comparing(r -> r.startedAt));
        return found.stream().map(r -> r.id).toList();
    }

    /** The policy for a call of {@code tenant} through {@code queue}: the queue's override, else the tenant's. */
    public RecordingPolicy policyFor(TenantId tenant, Optional<QueueId> queue) {
        return policies.policyFor(tenant, queue);
    }

    /** The call's recording going on (starting, recording or paused), if any. */
    public Optional<RecordingView> active(CallId call) {
        loop.assertInLoop();
        return active.values().stream().filter(r -> r.call.equals(call)).findFirst().map(Recording::view);
    }

    /** The bridge's recording going on (starting, recording or paused), if any. */
    public Optional<RecordingView> activeOn(BridgeId bridge) {
        loop.assertInLoop();
        return active.values().stream().filter(r -> r.bridge.equals(bridge)).findFirst().map(Recording::view);
    }

    /** A recording going on, by id. */
    public Optional<RecordingView> find(RecordingId id) {
        loop.assertInLoop();
        return Optional.ofNullable(active.get(id)).map(Recording::view);
    }

    /** Every recording going on, oldest first. */
    public List<RecordingView> activeRecordings() {
        loop.assertInLoop();
        return active.values().stream().map(Recording::view).toList();
    }

    // ---- commands --------------------------------------------------------------------------------

    /**
     * Starts recording the call's bridge. Completes with the recording (RECORDING) once Asterisk
     * confirmed; fails with {@code FORBIDDEN_BY_POLICY} (policy NEVER), {@code ALREADY_ACTIVE} (the call
     * or the bridge is being recorded), {@code ASTERISK_FAILED} (Asterisk refused or did not answer: no
     * recording remains), {@code NOT_ACTIVE} (the call ended before Asterisk confirmed).
     */
    public CompletableFuture<RecordingView> start(RecordingRequest req) {
        loop.assertInLoop();
        if (!recovered.isDone()) {
            // The recordings of before a restart first: this call's may be among them.
            return recovered.thenComposeAsync(x -> start(req), loop);
        }
        RecordingPolicy policy = policyFor(req.tenant(), req.queue());
        if (policy == RecordingPolicy.NEVER) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("policy", policy.name());
            req.queue().ifPresent(q -> details.put("queue", q.value()));
            return refused(new RecordingException(RecordingError.FORBIDDEN_BY_POLICY,
                    "calls of tenant " + req.tenant() + req.queue().map(q -> " through queue " + q).orElse("")
                            + " are never recorded", details));
        }
        for (Recording other : active.values()) {
            if (other.call.equals(req.call()) || other.bridge.equals(req.bridge())) {
                return refused(new RecordingException(RecordingError.ALREADY_ACTIVE,
                        "call " + req.call() + " is being recorded already (" + other.id + ")",
                        Map.of("recording_id", other.id.value())));
            }
        }
        Recording r = new Recording(RecordingId.random(), req, policy, nameFor(req.tenant(), req.call()));
        r.startedAt = clock.instant(); // asked now; set again when Asterisk confirms
        active.put(r.id, r);
        byName.put(r.name, r);
        log.info("recording {} of call {} (bridge {}, file {}.{}): starting, asked by {}, policy {}", r.id, r.call,
                r.bridge, r.name, FORMAT, r.startedBy, policy);
        CompletableFuture<RecordingView> result = new CompletableFuture<>();
        r.queued = 1;
        r.tail = send(() -> asterisk.recordBridge(r.bridge, r.name)).handleAsync((v, err) -> {
            r.queued--;
            if (!r.status.isActive()) {
                result.completeExceptionally(new RecordingException(RecordingError.NOT_ACTIVE,
                        "call " + r.call + " ended before its recording started", Map.of("recording_id", r.id.value())));
            } else if (err != null) {
                r.status = RecordingStatus.FAILED;
                r.planned = RecordingStatus.FAILED;
                forget(r);
                metrics.recordingStartFailed();
                log.warn("recording {} of call {}: Asterisk did not start it: {}", r.id, r.call, describe(err));
                result.completeExceptionally(asteriskFailed("start recording", r, err));
            } else {
                r.status = RecordingStatus.RECORDING;
                r.startedAt = clock.instant();
                metrics.recordingStarted();
                log.info("recording {} of call {}: RECORDING", r.id, r.call);
                changed(r, RecordingEvent.Kind.STARTED);
                result.complete(r.view());
            }
            return null;
        }, loop);
        return result;
    }

    /**
     * Pauses the recording (Asterisk mutes it: silence in the file from now until resumed). Completes
     * with the recording PAUSED and the pause in its audit once Asterisk confirmed; fails with
     * {@code UNKNOWN}, {@code NOT_ACTIVE}, {@code ALREADY_PAUSED}, {@code ASTERISK_FAILED} (the recording
     * is then not paused: tell the user).
     *
     * @param by     the user pausing it
     * @param reason why (e.g. {@code card number}); may be null
     */
    public CompletableFuture<RecordingView> pause(RecordingId id, String by, String reason) {
        loop.assertInLoop();
        Recording r = active.get(id);
        RecordingException refused = r == null ? unknown(id) : r.planned == RecordingStatus.PAUSED
                ? new RecordingException(RecordingError.ALREADY_PAUSED, "recording " + id + " is paused already",
                        Map.of("recording_id", id.value()))
                : r.planned != RecordingStatus.RECORDING ? notActive(r) : null;
        if (refused != null) {
            return refused(refused);
        }
        String who = actor(by);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        r.planned = RecordingStatus.PAUSED;
        return enqueue(r, "pause", false, () -> asterisk.muteRecording(r.name), x -> {
            x.status = RecordingStatus.PAUSED;
            x.pauses.add(new RecordingView.Pause(clock.instant(), who, why, null, null, false));
            metrics.recordingPaused();
            log.info("recording {} of call {}: PAUSED by {} ({})", x.id, x.call, who, why == null ? "no reason given" : why);
            changed(x, RecordingEvent.Kind.PAUSED);
        });
    }

    /**
     * Resumes a paused recording (Asterisk unmutes it). Fails with {@code UNKNOWN}, {@code NOT_ACTIVE},
     * {@code NOT_PAUSED}, {@code ASTERISK_FAILED}.
     */
    public CompletableFuture<RecordingView> resume(RecordingId id, String by) {
        loop.assertInLoop();
        Recording r = active.get(id);
        RecordingException refused = r == null ? unknown(id) : r.planned == RecordingStatus.RECORDING
                ? new RecordingException(RecordingError.NOT_PAUSED, "recording " + id + " is not paused",
                        Map.of("recording_id", id.value()))
                : r.planned != RecordingStatus.PAUSED ? notActive(r) : null;
        if (refused != null) {
            return refused(refused);
        }
        String who = actor(by);
        r.planned = RecordingStatus.RECORDING;
        return enqueue(r, "resume", false, () -> asterisk.unmuteRecording(r.name), x -> {
            x.status = RecordingStatus.RECORDING;
            int last = x.pauses.size() - 1;
            if (last >= 0 && x.pauses.get(last).resumedAt() == null) {
                RecordingView.Pause p = x.pauses.get(last);
                x.pauses.set(last, new RecordingView.Pause(p.pausedAt(), p.pausedBy(), p.reason(), clock.instant(), who,
                        false));
            }
            log.info("recording {} of call {}: RECORDING again, resumed by {}", x.id, x.call, who);
            changed(x, RecordingEvent.Kind.RESUMED);
        });
    }

    /**
     * Stops the recording; Asterisk then stores the file. Completes with the recording STOPPED (also when
     * Asterisk had ended it already); fails with {@code UNKNOWN}, {@code NOT_ACTIVE},
     * {@code FORBIDDEN_BY_POLICY} (policy ALWAYS: the call's end stops it), {@code ASTERISK_FAILED}.
     */
    public CompletableFuture<RecordingView> stop(RecordingId id, String by) {
        loop.assertInLoop();
        Recording r = active.get(id);
        RecordingException refused = r == null ? unknown(id)
                : !r.planned.isActive() ? notActive(r)
                : r.policy == RecordingPolicy.ALWAYS ? new RecordingException(RecordingError.FORBIDDEN_BY_POLICY,
                        "calls of tenant " + r.tenant + r.queue.map(q -> " through queue " + q).orElse("")
                                + " are always recorded to the end; pause it instead",
                        Map.of("recording_id", id.value(), "policy", r.policy.name()))
                : null;
        if (refused != null) {
            return refused(refused);
        }
        String who = actor(by);
        r.planned = RecordingStatus.STOPPED;
        r.stopBy = who;
        return enqueue(r, "stop", true, () -> asterisk.stopRecording(r.name),
                x -> finish(x, EndReason.STOPPED, who, null));
    }

    /**
     * Another agent is on the recorded call now (a transfer, a conference): they see its events and may
     * fetch it later. Completes with the recording; fails with {@code UNKNOWN} or {@code NOT_ACTIVE}.
     */
    public CompletableFuture<RecordingView> addAgent(RecordingId id, AgentId agent) {
        loop.assertInLoop();
        Recording r = active.get(id);
        if (r == null) {
            return refused(unknown(id));
        }
        if (!r.agents.contains(agent)) {
            r.agents.add(agent);
            log.info("recording {} of call {}: agent {} joined", r.id, r.call, agent);
            if (r.status != RecordingStatus.STARTING) {
                changed(r, RecordingEvent.Kind.UPDATED);
            }
        }
        return CompletableFuture.completedFuture(r.view());
    }

    /**
     * The bridge is gone (the call ended): its recordings are over (Asterisk closes the file of a bridge
     * recording when the bridge is destroyed). A pause still open is closed now. Idempotent.
     */
    public void bridgeGone(BridgeId bridge) {
        loop.assertInLoop();
        for (Recording r : List.copyOf(active.values())) {
            if (r.bridge.equals(bridge)) {
                finish(r, r.stopBy != null ? EndReason.STOPPED : EndReason.CALL_ENDED, r.stopBy, null);
            }
        }
    }

    // ---- after a restart ---------------------------------------------------------------------------

    /**
     * Takes back the recordings the store still has as going on (see the class comment). Call on the loop
     * at start, before Asterisk's events; a store that cannot be read is asked again at the next ARI resync.
     */
    public void recover() {
        loop.assertInLoop();
        CompletableFuture<Void> done = new CompletableFuture<>();
        recovered = done;
        recoverAgain = false;
        CompletableFuture<List<RecordingView>> read;
        try {
            read = store.active();
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenCompleteAsync((stored, err) -> {
            try {
                if (err != null) {
                    recoverAgain = true;
                    log.error("recordings going on before the restart: cannot read them from the store ({}); trying "
                            + "again at the next ARI resync", describe(err));
                } else {
                    takeBack(stored);
                }
            } finally {
                done.complete(null);
            }
        }, loop);
    }

    private void takeBack(List<RecordingView> stored) {
        int taken = 0;
        for (RecordingView v : stored) {
            if (!v.isActive() || active.containsKey(v.id()) || byName.containsKey(v.name())) {
                continue;
            }
            Recording r = new Recording(v);
            active.put(r.id, r);
            byName.put(r.name, r);
            taken++;
            log.info("recording {} of call {} (bridge {}, file {}): {} before the restart, taken back; asking Asterisk{}",
                    r.id, r.call, r.bridge, v.file(), r.status, ariResynced ? "" : " once ARI is synced");
            if (ariResynced) {
                check(r);
            }
        }
        log.info("recordings going on before the restart: {} taken back", taken);
    }

    /** Asks Asterisk whether a recording taken back still records; see the class comment. */
    private void check(Recording r) {
        if (!r.unconfirmed || r.checking) {
            return;
        }
        r.checking = true;
        CompletableFuture<Optional<LiveRecordingState>> asked;
        try {
            asked = asterisk.liveRecording(r.name);
            if (asked == null) {
                asked = CompletableFuture.failedFuture(new IllegalStateException("no future"));
            }
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        asked.whenCompleteAsync((state, err) -> {
            r.checking = false;
            if (!r.unconfirmed || !r.status.isActive()) {
                return; // ended meanwhile (its bridge went, a stop) or settled by another check
            }
            if (err != null) {
                log.warn("recording {} of call {}: cannot ask Asterisk whether it still records ({}); kept {}, asking "
                        + "again at the next ARI resync", r.id, r.call, describe(err), r.status);
            } else if (state.isEmpty() || !state.get().isLive()) {
                r.unconfirmed = false;
                log.info("recording {} of call {}: Asterisk no longer has it ({}): it ended while the CTI was down",
                        r.id, r.call, state.map(Enum::name).orElse("404"));
                finish(r, EndReason.CTI_RESTART, null, null);
            } else {
                confirmed(r);
            }
        }, loop);
    }

    private void confirmed(Recording r) {
        r.unconfirmed = false;
        // A PAUSED one stays muted: Asterisk keeps the mute across our restart. It is not sent again: underneath,
        // Asterisk's mute is a toggle of the recorder (AST_CONTROL_RECORD_MUTE), and a second mute on 22.10.1
        // unmuted it (seen live in RecordingRestartIT: speech in the file from the re-sent mute to the resume).
        log.info("recording {} of call {}: still recorded by Asterisk, {} again", r.id, r.call, r.status);
        changed(r, RecordingEvent.Kind.UPDATED);
    }

    // ---- Asterisk's events -----------------------------------------------------------------------

    /** Every Asterisk event, on the loop: recordings finished or failed, bridges destroyed, ARI resyncs. */
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.RecordingChanged rc) {
            onRecording(rc);
        } else if (event instanceof AsteriskEvent.BridgeDestroyed bd) {
            bridgeGone(bd.bridge());
        } else if (event instanceof AsteriskEvent.ResyncSnapshot s && s.meta().source() == Source.ARI) {
            // Events missed while ARI was away: a recorded bridge that is no longer there has ended.
            ariResynced = true;
            Set<BridgeId> bridges = new HashSet<>();
            for (BridgeSnapshot b : s.bridges()) {
                bridges.add(b.id());
            }
            for (Recording r : List.copyOf(active.values())) {
                if (r.unconfirmed && !bridges.contains(r.bridge)) {
                    r.unconfirmed = false;
                    log.info("recording {}: bridge {} is gone after ARI's resync: it ended while the CTI was down",
                            r.id, r.bridge);
                    finish(r, EndReason.CTI_RESTART, null, null);
                } else if (r.unconfirmed) {
                    check(r);
                } else if (r.status != RecordingStatus.STARTING && !bridges.contains(r.bridge)) {
                    log.info("recording {}: bridge {} is gone after ARI's resync", r.id, r.bridge);
                    bridgeGone(r.bridge);
                }
            }
            if (recoverAgain) {
                recover();
            }
        }
    }

    private void onRecording(AsteriskEvent.RecordingChanged e) {
        Recording r = byName.get(e.recording());
        if (r == null) {
            Recording done = ended.get(e.recording());
            if (done != null && e.state() == org.asteriskcti.server.asterisk.RecordingState.STOPPED
                    && e.durationSeconds() != null && !e.durationSeconds().equals(done.duration)) {
                done.duration = e.durationSeconds(); // Asterisk's own length of the file
                save(done);
            }
            return;
        }
        switch (e.state()) {
            case STOPPED -> finish(r, r.stopBy != null ? EndReason.STOPPED : EndReason.ENDED_BY_ASTERISK, r.stopBy,
                    e.durationSeconds());
            case FAILED -> finish(r, EndReason.FAILED, null, e.durationSeconds());
            default -> log.debug("recording {}: Asterisk says {}", r.id, e.state());
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    /**
     * Runs {@code command} after the recording's earlier commands; {@code onDone} applies its confirmed
     * effect. When the recording ended meanwhile the command is not sent (or its answer is moot): a stop
     * then completes with the ended recording, anything else fails {@code NOT_ACTIVE}.
     */
    private CompletableFuture<RecordingView> enqueue(Recording r, String what, boolean isStop,
            Supplier<CompletableFuture<Void>> command, Consumer<Recording> onDone) {
        CompletableFuture<RecordingView> result = new CompletableFuture<>();
        r.queued++;
        r.tail = r.tail.thenCompose(ignored -> {
            if (!r.status.isActive()) {
                r.queued--;
                settleEnded(r, isStop, result);
                return DONE;
            }
            return send(command).handleAsync((v, err) -> {
                r.queued--;
                try {
                    if (!r.status.isActive()) {
                        settleEnded(r, isStop, result);
                    } else if (err == null) {
                        onDone.accept(r);
                        result.complete(r.view());
                    } else if (notFound(err)) {
                        // Asterisk has no such live recording: it is over (the bridge went, it failed).
                        log.info("recording {} of call {}: Asterisk no longer has it ({} answered 404)", r.id, r.call,
                                what);
                        finish(r, isStop ? EndReason.STOPPED : EndReason.ENDED_BY_ASTERISK, isStop ? r.stopBy : null, null);
                        settleEnded(r, isStop, result);
                    } else {
                        if (r.queued == 0) {
                            r.planned = r.status; // nothing accepted after it: plan from what is true
                        }
                        if (isStop) {
                            r.stopBy = null;
                        }
                        log.warn("recording {} of call {}: {} failed, still {}: {}", r.id, r.call, what, r.status,
                                describe(err));
                        result.completeExceptionally(asteriskFailed(what, r, err));
                    }
                } catch (RuntimeException e) {
                    log.error("recording {}: applying {} failed", r.id, what, e);
                    result.completeExceptionally(e);
                }
                return null;
            }, loop);
        });
        return result;
    }

    private static void settleEnded(Recording r, boolean isStop, CompletableFuture<RecordingView> result) {
        if (isStop && r.status != RecordingStatus.FAILED) {
            result.complete(r.view());
        } else {
            result.completeExceptionally(notActive(r));
        }
    }

    /** Calls Asterisk; a command that throws counts as a failed future. */
    private static CompletableFuture<Void> send(Supplier<CompletableFuture<Void>> command) {
        try {
            CompletableFuture<Void> f = command.get();
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The recording is over: close an open pause, store and publish its end. Does nothing when it is over already. */
    private void finish(Recording r, EndReason reason, String by, Integer durationSeconds) {
        if (!r.status.isActive()) {
            return;
        }
        boolean shown = r.status != RecordingStatus.STARTING;
        Instant now = clock.instant();
        r.status = reason == EndReason.FAILED ? RecordingStatus.FAILED : RecordingStatus.STOPPED;
        r.planned = r.status;
        forget(r);
        if (!shown) {
            log.info("recording {} of call {}: ended ({}) before Asterisk confirmed its start", r.id, r.call, reason);
            return;
        }
        r.endedAt = now;
        r.endReason = reason;
        r.stoppedBy = reason == EndReason.STOPPED ? by : null;
        int last = r.pauses.size() - 1;
        if (last >= 0 && r.pauses.get(last).resumedAt() == null) {
            RecordingView.Pause p = r.pauses.get(last);
            r.pauses.set(last, new RecordingView.Pause(p.pausedAt(), p.pausedBy(), p.reason(), now, null, true));
        }
        r.duration = durationSeconds != null ? durationSeconds
                : (int) Math.max(0, Math.round(Duration.between(r.startedAt, now).toMillis() / 1000.0));
        ended.put(r.name, r);
        metrics.recordingFinished(reason.name().toLowerCase(Locale.ROOT));
        log.info("recording {} of call {}: {} ({}{}), {} s, {} pause(s)", r.id, r.call, r.status, reason,
                r.stoppedBy == null ? "" : " by " + r.stoppedBy, r.duration, r.pauses.size());
        changed(r, RecordingEvent.Kind.STOPPED);
    }

    private void forget(Recording r) {
        active.remove(r.id);
        byName.remove(r.name, r);
    }

    /** Stores the recording as it is now and tells the listener; neither may break the service. */
    private void changed(Recording r, RecordingEvent.Kind kind) {
        RecordingView v = r.view();
        save(r);
        try {
            listener.recordingChanged(new RecordingEvent(kind, v));
        } catch (RuntimeException e) {
            log.error("publishing recording {} {} failed; the recording goes on", r.id, kind, e);
        }
    }

    private void save(Recording r) {
        try {
            store.save(r.view());
        } catch (RuntimeException e) {
            log.error("recording {}: cannot hand it to the store: {}", r.id, e.toString(), e);
        }
    }

    private static <T> CompletableFuture<T> refused(RecordingException e) {
        log.info("recording command refused: {}", e.getMessage());
        return CompletableFuture.failedFuture(e);
    }

    private static RecordingException unknown(RecordingId id) {
        return new RecordingException(RecordingError.UNKNOWN, "no recording " + id + " going on",
                Map.of("recording_id", id.value()));
    }

    private static RecordingException notActive(Recording r) {
        return new RecordingException(RecordingError.NOT_ACTIVE, "recording " + r.id + " has ended or is ending ("
                + r.status + ")", Map.of("recording_id", r.id.value(), "state", r.status.name()));
    }

    private static RecordingException asteriskFailed(String what, Recording r, Throwable err) {
        return new RecordingException(RecordingError.ASTERISK_FAILED, "Asterisk did not " + what + " " + r.id + ": "
                + describe(err), Map.of("recording_id", r.id.value(), "state", r.status.name()));
    }

    private static String actor(String by) {
        return by == null || by.isBlank() ? "unknown" : by.strip();
    }

    /** Asterisk answered 404: the live recording does not exist (any more). */
    private static boolean notFound(Throwable err) {
        return AriException.isNotFound(err);
    }

    private static String describe(Throwable err) {
        return AriException.describeFailure(err);
    }

    /**
     * Our name for the recording in Asterisk (and its file): {@code cti-<tenant>-<call>-<8 random>}, only
     * letters, digits, '_' and '-', never a client's text; unique even across restarts.
     */
    static String nameFor(TenantId tenant, CallId call) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            suffix.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return "cti-" + sanitize(tenant.value()) + "-" + sanitize(call.value()) + "-" + suffix;
    }

    private static String sanitize(String s) {
        String t = s.replaceAll("[^A-Za-z0-9_-]", "_");
        return t.length() > 40 ? t.substring(0, 40) : t;
    }

    /** One recording's state: the loop's only. */
    private static final class Recording {
        final RecordingId id;
        final TenantId tenant;
        final CallId call;
        final Optional<QueueId> queue;
        final BridgeId bridge;
        final List<AgentId> agents;
        final String name;
        final RecordingPolicy policy;
        final String startedBy;
        RecordingStatus status = RecordingStatus.STARTING;
        /** What it will be once every command accepted so far is done. */
        RecordingStatus planned = RecordingStatus.RECORDING;
        /** Completes (never exceptionally) when the last accepted command is done, on the loop. */
        CompletableFuture<Void> tail = DONE;
        /** Commands accepted and not done. */
        int queued;
        /** Who asked for the stop on its way. */
        String stopBy;
        Instant startedAt;
        Instant endedAt;
        EndReason endReason;
        String stoppedBy;
        Integer duration;
        final List<RecordingView.Pause> pauses = new ArrayList<>();
        /** Taken back from the store after a restart; Asterisk has not said yet that it still records. */
        boolean unconfirmed;
        /** A question to Asterisk about it ({@link #check}) is on its way. */
        boolean checking;

        Recording(RecordingId id, RecordingRequest req, RecordingPolicy policy, String name) {
            this.id = id;
            this.tenant = req.tenant();
            this.call = req.call();
            this.queue = req.queue();
            this.bridge = req.bridge();
            this.agents = new ArrayList<>(new java.util.LinkedHashSet<>(req.agents()));
            this.name = name;
            this.policy = policy;
            this.startedBy = req.startedBy().strip();
        }

        /** One stored as going on before a restart: RECORDING, or PAUSED when its last pause is open. */
        Recording(RecordingView v) {
            this.id = v.id();
            this.tenant = v.tenant();
            this.call = v.call();
            this.queue = v.queue();
            this.bridge = v.bridge();
            this.agents = new ArrayList<>(v.agents());
            this.name = v.name();
            this.policy = v.policy();
            this.startedBy = v.startedBy();
            this.startedAt = v.startedAt();
            this.pauses.addAll(v.pauses());
            this.status = v.openPause().isPresent() ? RecordingStatus.PAUSED : RecordingStatus.RECORDING;
            this.planned = status;
            this.unconfirmed = true;
        }

        RecordingView view() {
            return new RecordingView(id, tenant, call, queue, bridge, agents, name, FORMAT, policy, status, startedBy,
                    startedAt, endedAt, endReason, stoppedBy, duration, pauses);
        }
    }
}
