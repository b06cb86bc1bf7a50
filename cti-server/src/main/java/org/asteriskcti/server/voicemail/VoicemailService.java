package org.asteriskcti.server.voicemail;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voicemail owned by the CTI: a caller sent here (a queue's overflow, an IVR flow's {@code voicemail:} node)
 * stays in our Stasis application, hears the greeting, and is recorded over ARI
 * ({@code POST /channels/{id}/record}: WAV, a beep first, {@code #} ends, the maximum length and silence from
 * {@link VoicemailSettings}); the message is stored with its tenant, mailbox, caller and origin, and Asterisk
 * keeps the audio as the stored recording {@code vm-<tenant>-<random>}. One {@link VoicemailSession} per caller
 * follows {@link VoicemailState}.
 *
 * <p>Runs on the domain loop: every method must be called there, and every future continues there.
 *
 * <p><b>The end of a message.</b> Asterisk ends the recording on {@code #}, at the maximum length, after the
 * maximum silence, or when the caller hangs up: in each case it keeps the file and sends
 * {@code RecordingFinished} with the length in whole seconds. A message shorter than the minimum (a caller
 * hanging up at the beep) is discarded: its row deleted, its file deleted from Asterisk, one log line. A caller
 * still there hears the thank-you (or, for a discarded message, a goodbye) and is hung up on. Should
 * {@code RecordingFinished} never come (a lost event), a guard timer asks Asterisk: a recording no longer live is
 * finished from its file (its length from the file's size).
 *
 * <p><b>Failures.</b> A recording Asterisk refuses or fails sends a caller still there to the dialplan context
 * {@value #FALLBACK_CONTEXT} ({@code VoiceMail(${CTI_VOICEMAIL},u)} of app_voicemail): the caller can still leave a
 * message, in Asterisk's spool (not listed by the CTI).
 *
 * <p><b>Crash safety.</b> The message is stored (state RECORDING) before Asterisk is asked to record, and the
 * caller's channel carries {@value #MARK_VAR} ({@link ChannelMark}). A restarted CTI ({@link #recover}) takes back
 * the RECORDING rows and, at ARI's resync, asks Asterisk about each: still recording → it goes on (the
 * RecordingFinished comes to the new connection); over (the caller hung up or pressed {@code #} while the CTI was
 * down) → finished from the stored file, or dropped when Asterisk has no file. Channels still in our application
 * whose mark says GREETING hear the greeting again; RECORDING without a row (lost before it was written) is
 * rebuilt from the mark; DONE (thank-you interrupted) is hung up.
 */
public final class VoicemailService {

    private static final Logger log = LoggerFactory.getLogger(VoicemailService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** On the caller's channel while they leave a message (see {@link ChannelMark}); ari.conf channelvars. */
    public static final String MARK_VAR = "CTI_VOICEMAIL_MSG";
    /** The dialplan fallback when Asterisk will not record: app_voicemail into {@value #FALLBACK_VAR}. */
    public static final String FALLBACK_CONTEXT = "cti-voicemail";
    public static final String FALLBACK_VAR = "CTI_VOICEMAIL";
    /** How long past the maximum length a RecordingFinished may take before Asterisk is asked. */
    static final Duration RECORDING_SLACK = Duration.ofSeconds(15);
    /** How long after the caller hung up a RecordingFinished may take before Asterisk is asked. */
    static final Duration AFTER_HANGUP = Duration.ofSeconds(10);
    /** WAV as Asterisk writes it: 8 kHz, 16-bit mono after a 44-byte header. */
    private static final long WAV_HEADER = 44;
    private static final long WAV_BYTES_PER_SECOND = 16_000;

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final RecordingFiles files;
    private final VoicemailStore store;
    private final VoicemailListener listener;
    private final CtiMetrics metrics;
    private final VoicemailSettings settings;
    private final Clock clock;

    private final Map<ChannelId, VoicemailSession> byChannel = new HashMap<>();
    private final Map<String, VoicemailSession> byRecording = new HashMap<>();
    private final Map<String, VoicemailSession> byPlayback = new HashMap<>();

    /** Done when the RECORDING rows were taken back (or could not be read); resyncs wait for it. */
    private CompletableFuture<Void> recovered = CompletableFuture.completedFuture(null);
    private boolean recoverAgain;
    private long stored;
    private long discarded;
    private long failed;

    public VoicemailService(DomainLoop loop, AsteriskCommands asterisk, RecordingFiles files, VoicemailStore store,
            VoicemailListener listener, CtiMetrics metrics, VoicemailSettings settings) {
        this.loop = loop;
        this.asterisk = asterisk;
        this.files = files;
        this.store = store;
        this.listener = listener;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = loop.clock();
    }

    // ---- a caller arrives ------------------------------------------------------------------------------

    /**
     * A caller in our application, answered and in no bridge, leaves a message: greeting, beep, recording. A
     * channel already leaving one is refused with a log line (the first goes on).
     */
    public void leave(VoicemailRequest request) {
        loop.assertInLoop();
        if (byChannel.containsKey(request.channel())) {
            log.warn("voicemail: {} is already leaving a message; {} ignored", request.channel(), request);
            return;
        }
        VoicemailSession s = new VoicemailSession(VoicemailId.random(), request, nameFor(request.tenant()),
                VoicemailState.GREETING);
        byChannel.put(s.channel, s);
        log.info("voicemail {} on {}: caller {} ({}) of {} from {} leaves a message in box {}: GREETING", s.id, s.channel,
                s.caller.number(), s.caller.name(), s.tenant, s.origin, s.mailbox);
        mark(s, ChannelMark.Phase.GREETING);
        play(s, settings.greeting(), "greeting");
    }

    private void play(VoicemailSession s, List<String> sounds, String what) {
        String playback = s.id.value() + "-" + what;
        s.playback = playback;
        byPlayback.put(playback, s);
        List<String> media = sounds.stream().map(x -> "sound:" + x).toList();
        send(s, "play " + what + " " + sounds, () -> asterisk.play(s.channel, playback, media), err -> {
            if (notFound(err)) {
                callerGone(s.channel, "was gone before the " + what);
            } else if (byPlayback.remove(playback, s)) {
                playbackOver(s, playback); // nothing will be played: go on as if it had been
            }
        });
    }

    private void playbackOver(VoicemailSession s, String playback) {
        if (!playback.equals(s.playback)) {
            return;
        }
        s.playback = null;
        if (s.state() == VoicemailState.GREETING) {
            startRecording(s);
        } else if (s.state() == VoicemailState.THANKING) {
            s.moveTo(VoicemailState.DONE, "thank-you played, hanging up");
            send(s, "hang up", () -> asterisk.hangup(s.channel, AsteriskCommands.HangupCause.NORMAL), e -> {});
            end(s);
        }
    }

    private void startRecording(VoicemailSession s) {
        s.startedAt = clock.instant();
        s.moveTo(VoicemailState.RECORDING, "greeting over");
        byRecording.put(s.recordingName, s);
        // Stored before Asterisk records: a CTI dying from here on finds it at its restart.
        save(s.recordingMessage());
        mark(s, ChannelMark.Phase.RECORDING);
        AsteriskCommands.ChannelRecording options = new AsteriskCommands.ChannelRecording(s.recordingName,
                settings.maxDuration(), settings.maxSilence(), VoicemailSettings.END_KEY);
        send(s, "record " + s.recordingName, () -> asterisk.recordChannel(s.channel, options),
                err -> recordingFailed(s, "Asterisk refused to record: " + describe(err)));
        guard(s, settings.maxDuration().plus(RECORDING_SLACK));
    }

    // ---- Asterisk's events -------------------------------------------------------------------------------

    /** Every Asterisk event, on the loop: our playbacks and recordings, callers leaving, ARI resyncs. */
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.PlaybackChanged p) {
            onPlayback(p);
        } else if (event instanceof AsteriskEvent.RecordingChanged r) {
            onRecording(r);
        } else if (event instanceof AsteriskEvent.HangupRequested h) {
            // Before Asterisk finishes the file on a hang-up (seen live: RecordingFinished may come before
            // StasisEnd): the caller is known to be leaving, so nothing is played to them.
            callerGone(h.channel(), "hung up");
        } else if (event instanceof AsteriskEvent.ChannelHungUp h) {
            callerGone(h.channel(), "hung up");
        } else if (event instanceof AsteriskEvent.StasisEnded e) {
            callerGone(e.channel(), "left the application");
        } else if (event instanceof AsteriskEvent.ResyncSnapshot r && r.meta().source() == Source.ARI) {
            if (recovered.isDone()) {
                resync(r);
            } else {
                recovered.thenRunAsync(() -> resync(r), loop);
            }
        }
    }

    private void onPlayback(AsteriskEvent.PlaybackChanged p) {
        if (p.state() != PlaybackState.FINISHED && p.state() != PlaybackState.FAILED) {
            return;
        }
        VoicemailSession s = byPlayback.remove(p.playbackId());
        if (s != null) {
            if (p.state() == PlaybackState.FAILED) {
                log.warn("voicemail {}: playback {} ({}) failed", s.id, p.playbackId(), p.media());
            }
            playbackOver(s, p.playbackId());
        }
    }

    private void onRecording(AsteriskEvent.RecordingChanged e) {
        VoicemailSession s = byRecording.get(e.recording());
        if (s == null) {
            return;
        }
        switch (e.state()) {
            case STARTED -> {
                s.recordingConfirmed = true;
                log.debug("voicemail {}: Asterisk records {}", s.id, e.recording());
            }
            case STOPPED -> recorded(s, e.durationSeconds(), "Asterisk finished the file");
            case FAILED -> recordingFailed(s, "Asterisk reports the recording failed");
            default -> log.debug("voicemail {}: recording {} {}", s.id, e.recording(), e.state());
        }
    }

    private void callerGone(ChannelId channel, String why) {
        VoicemailSession s = byChannel.get(channel);
        if (s == null || s.callerGone) {
            return;
        }
        s.callerGone = true;
        byPlayback.values().removeIf(x -> x == s);
        s.playback = null;
        switch (s.state()) {
            case GREETING -> {
                s.moveTo(VoicemailState.ABANDONED, "caller " + why + " during the greeting: no message");
                end(s);
            }
            case RECORDING -> {
                // Asterisk closes the file and reports RecordingFinished; asked should it not.
                log.info("voicemail {} on {}: caller {} while recording; waiting for Asterisk's end of {}", s.id,
                        s.channel, why, s.recordingName);
                guard(s, AFTER_HANGUP);
            }
            case THANKING -> {
                s.moveTo(VoicemailState.DONE, "caller " + why + " during the thank-you");
                end(s);
            }
            default -> log.debug("voicemail {}: caller {} in {}", s.id, why, s.state());
        }
    }

    // ---- the end of a recording --------------------------------------------------------------------------

    /** Asterisk finished the file; {@code seconds} is its length when Asterisk said, else it is read from the file. */
    private void recorded(VoicemailSession s, Integer seconds, String why) {
        if (s.state() != VoicemailState.RECORDING) {
            return;
        }
        s.cancelGuard();
        s.moveTo(VoicemailState.SAVING, why + (seconds == null ? "" : ", " + seconds + " s"));
        byRecording.remove(s.recordingName, s);
        if (!s.callerGone) {
            mark(s, ChannelMark.Phase.DONE);
        }
        if (seconds != null) {
            saved(s, seconds);
            return;
        }
        CompletableFuture<RecordingFiles.Audio> open;
        try {
            open = files.open(s.recordingName);
        } catch (RuntimeException e) {
            open = CompletableFuture.failedFuture(e);
        }
        open.whenCompleteAsync((audio, err) -> {
            if (audio != null) {
                try {
                    audio.close();
                } catch (java.io.IOException e) {
                    log.debug("voicemail {}: closing the file: {}", s.id, e.toString());
                }
            }
            if (err != null) {
                RecordingException re = RecordingException.unwrap(err);
                if (re != null && re.error() == org.asteriskcti.server.recording.RecordingError.AUDIO_MISSING) {
                    discard(s, "Asterisk has no file " + s.recordingName + " (nothing was recorded)", false);
                } else {
                    // The file is there, its length unknown: keep the message, timed by the clock.
                    int elapsed = elapsedSeconds(s);
                    log.warn("voicemail {}: cannot read {} from Asterisk ({}); length taken as {} s", s.id,
                            s.recordingName, describe(err), elapsed);
                    saved(s, elapsed);
                }
            } else {
                saved(s, audio.length().isPresent() ? wavSeconds(audio.length().getAsLong()) : elapsedSeconds(s));
            }
        }, loop);
    }

    private void saved(VoicemailSession s, int seconds) {
        if (seconds < settings.minDuration().toSeconds()) {
            discard(s, seconds + " s is shorter than the minimum " + settings.minDuration().toSeconds() + " s", true);
        } else {
            VoicemailMessage m = s.recordingMessage().completed(clock.instant(), seconds);
            save(m);
            stored++;
            metrics.voicemailStored(s.tenant.value());
            log.info("voicemail {}: message of {} s from {} stored for box {} of {} ({} in Asterisk)", s.id, seconds,
                    s.caller.number().isEmpty() ? "an unknown number" : s.caller.number(), s.mailbox, s.tenant, m.file());
            try {
                listener.added(m);
            } catch (RuntimeException e) {
                log.error("voicemail {}: publishing the new message failed; it is stored", s.id, e);
            }
        }
        afterSaving(s);
    }

    private void discard(VoicemailSession s, String why, boolean deleteFile) {
        s.discarded = true;
        discarded++;
        metrics.voicemailDiscarded();
        store.delete(s.id);
        log.info("voicemail {} on {}: message discarded: {}{}", s.id, s.channel, why,
                deleteFile ? "; deleting " + s.recordingName + " from Asterisk" : "");
        if (deleteFile) {
            asterisk(() -> asterisk.deleteStoredRecording(s.recordingName)).whenCompleteAsync((ok, err) -> {
                if (err != null && !notFound(err)) {
                    log.warn("voicemail {}: deleting {} from Asterisk failed: {}", s.id, s.recordingName, describe(err));
                }
            }, loop);
        }
        afterSaving(s);
    }

    private void afterSaving(VoicemailSession s) {
        if (s.callerGone) {
            s.moveTo(VoicemailState.DONE, "caller gone");
            end(s);
        } else {
            s.moveTo(VoicemailState.THANKING, s.discarded ? "caller still there: goodbye" : "caller still there: thanks");
            play(s, s.discarded ? VoicemailSettings.NOT_KEPT : settings.thanks(), "thanks");
        }
    }

    private void recordingFailed(VoicemailSession s, String why) {
        if (s.state() != VoicemailState.RECORDING) {
            return;
        }
        s.cancelGuard();
        s.moveTo(VoicemailState.FAILED, why);
        byRecording.remove(s.recordingName, s);
        store.delete(s.id);
        failed++;
        metrics.voicemailFailed();
        if (!s.callerGone) {
            log.warn("voicemail {} on {}: {}; the caller goes to dialplan {},s,1 (app_voicemail, box {})", s.id,
                    s.channel, why, FALLBACK_CONTEXT, s.mailbox);
            send(s, "clear " + MARK_VAR, () -> asterisk.setVariable(s.channel, MARK_VAR, ""), e -> {});
            send(s, "set " + FALLBACK_VAR, () -> asterisk.setVariable(s.channel, FALLBACK_VAR, s.mailbox.value()), e -> {});
            send(s, "continue to " + FALLBACK_CONTEXT, () -> asterisk.continueInDialplan(s.channel, FALLBACK_CONTEXT, "s",
                    1), e -> {});
        } else {
            log.warn("voicemail {} on {}: {}; the caller is gone", s.id, s.channel, why);
        }
        end(s);
    }

    /** A RecordingFinished is overdue: ask Asterisk whether it still records. */
    private void guard(VoicemailSession s, Duration after) {
        s.cancelGuard();
        s.guard = loop.schedule(() -> {
            s.guard = null;
            if (s.state() == VoicemailState.RECORDING) {
                log.info("voicemail {}: no end of {} from Asterisk after {} s; asking it", s.id, s.recordingName,
                        after.toSeconds());
                check(s);
            }
        }, after);
    }

    /**
     * Asks Asterisk whether the recording still goes on: yes → wait on (stopping it if it outlasted the maximum);
     * no → finished from the file.
     */
    private void check(VoicemailSession s) {
        if (s.checking || s.state() != VoicemailState.RECORDING) {
            return;
        }
        s.checking = true;
        asterisk(() -> asterisk.liveRecording(s.recordingName)).whenCompleteAsync((live, err) -> {
            s.checking = false;
            if (s.state() != VoicemailState.RECORDING) {
                return;
            }
            if (err != null) {
                log.warn("voicemail {}: cannot ask Asterisk about {} ({}); asking again later", s.id, s.recordingName,
                        describe(err));
                guard(s, AFTER_HANGUP);
            } else if (live.isPresent() && live.get().isLive()) {
                s.unconfirmed = false;
                s.recordingConfirmed = true;
                Instant deadline = s.startedAt.plus(settings.maxDuration()).plus(RECORDING_SLACK);
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    log.warn("voicemail {}: Asterisk still records {} past the maximum; stopping it", s.id,
                            s.recordingName);
                    send(s, "stop " + s.recordingName, () -> asterisk.stopRecording(s.recordingName), e -> {});
                    guard(s, AFTER_HANGUP);
                } else {
                    log.info("voicemail {}: Asterisk still records {} ({})", s.id, s.recordingName, live.get());
                    guard(s, left.compareTo(AFTER_HANGUP) < 0 ? AFTER_HANGUP : left);
                }
            } else {
                s.unconfirmed = false;
                recorded(s, null, "Asterisk no longer records it (" + live.map(Enum::name).orElse("404") + ")");
            }
        }, loop);
    }

    // ---- after a restart -----------------------------------------------------------------------------------

    /**
     * Takes back the messages the store has as RECORDING (see the class comment). Call on the loop at start,
     * before Asterisk's events; Asterisk is asked about them at ARI's resync. A store that cannot be read is read
     * again at the next resync.
     */
    public void recover() {
        loop.assertInLoop();
        CompletableFuture<Void> done = new CompletableFuture<>();
        recovered = done;
        recoverAgain = false;
        CompletableFuture<List<VoicemailMessage>> read;
        try {
            read = store.recording();
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenCompleteAsync((rows, err) -> {
            try {
                if (err != null) {
                    recoverAgain = true;
                    log.error("voicemail messages being recorded before the restart: cannot read them ({}); trying "
                            + "again at the next ARI resync", describe(err));
                } else {
                    for (VoicemailMessage m : rows) {
                        takeBack(m);
                    }
                    log.info("voicemail messages being recorded before the restart: {} taken back", rows.size());
                }
            } finally {
                done.complete(null);
            }
        }, loop);
    }

    private void takeBack(VoicemailMessage m) {
        if (byRecording.containsKey(m.recordingName()) || byChannel.containsKey(m.channel())) {
            return;
        }
        VoicemailSession s = new VoicemailSession(m.id(), new VoicemailRequest(m.channel(),
                new org.asteriskcti.server.asterisk.Party(m.callerNumber(), m.callerName()), m.tenant(), m.mailbox(),
                m.origin()), m.recordingName(), VoicemailState.RECORDING);
        s.startedAt = m.startedAt();
        s.unconfirmed = true;
        byChannel.put(s.channel, s);
        byRecording.put(s.recordingName, s);
        log.info("voicemail {} on {} ({}, box {}): being recorded as {} before the restart; taken back", s.id,
                s.channel, s.tenant, s.mailbox, s.recordingName);
    }

    /** ARI's complete state after a (re)connect: callers gone meanwhile, recordings to confirm, marked channels. */
    private void resync(AsteriskEvent.ResyncSnapshot r) {
        Map<ChannelId, ChannelSnapshot> listed = new HashMap<>();
        r.channels().forEach(c -> listed.put(c.id(), c));
        for (VoicemailSession s : List.copyOf(byChannel.values())) {
            if (!listed.containsKey(s.channel)) {
                callerGone(s.channel, "was gone at ARI's resync");
            }
        }
        java.util.Set<VoicemailSession> knownBefore = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        knownBefore.addAll(byChannel.values());
        for (ChannelSnapshot c : r.channels()) {
            String raw = c.var(MARK_VAR);
            if (raw == null || byChannel.containsKey(c.id())) {
                continue;
            }
            restoreMarked(c, raw);
        }
        // Events may have been missed while ARI was away: every recording is checked with Asterisk, and a
        // greeting or thank-you whose end may have been lost is stopped and taken as over (nobody left in silence).
        for (VoicemailSession s : List.copyOf(byChannel.values())) {
            if (s.state() == VoicemailState.RECORDING) {
                check(s);
            } else if (knownBefore.contains(s) && s.playback != null
                    && (s.state() == VoicemailState.GREETING || s.state() == VoicemailState.THANKING)) {
                String playback = s.playback;
                log.info("voicemail {} on {}: the ARI link went during its {}; taken as over", s.id, s.channel, s.state());
                asterisk(() -> asterisk.stopPlayback(playback));
                playbackOver(s, playback);
            }
        }
        if (recoverAgain) {
            recover();
        }
    }

    private void restoreMarked(ChannelSnapshot c, String raw) {
        ChannelMark mark;
        try {
            mark = ChannelMark.decode(raw);
        } catch (IllegalArgumentException e) {
            log.warn("voicemail: {} carries an unreadable {} ({}); hanging up", c.id(), MARK_VAR, e.getMessage());
            asterisk(() -> asterisk.hangup(c.id(), AsteriskCommands.HangupCause.NORMAL));
            return;
        }
        VoicemailRequest request = new VoicemailRequest(c.id(), c.caller(), mark.tenant(), mark.mailbox(), mark.origin());
        switch (mark.phase()) {
            case GREETING -> {
                log.info("voicemail {}: {} was hearing the greeting when the CTI stopped; it starts again", mark.id(),
                        c.id());
                leave(request);
            }
            case RECORDING -> {
                VoicemailSession s = new VoicemailSession(mark.id(), request, mark.recordingName(),
                        VoicemailState.RECORDING);
                s.startedAt = mark.startedAt() != null ? mark.startedAt() : clock.instant();
                s.unconfirmed = true;
                byChannel.put(s.channel, s);
                byRecording.put(s.recordingName, s);
                log.info("voicemail {}: {} was being recorded as {} (not in the store); taken back from the channel",
                        s.id, c.id(), s.recordingName);
                save(s.recordingMessage());
            }
            case DONE -> {
                log.info("voicemail {}: {} had left their message when the CTI stopped; hanging up", mark.id(), c.id());
                asterisk(() -> asterisk.hangup(c.id(), AsteriskCommands.HangupCause.NORMAL));
            }
        }
    }

    // ---- supervisors' actions ----------------------------------------------------------------------------

    /** Marks a complete message heard by {@code user}; one heard already stays as it was. */
    public VoicemailMessage markHeard(VoicemailMessage m, String user) {
        loop.assertInLoop();
        if (m.state() != MessageState.NEW) {
            return m;
        }
        VoicemailMessage heard = m.heard(user, clock.instant());
        save(heard);
        log.info("voicemail {} (box {} of {}): heard by {}", m.id(), m.mailbox(), m.tenant(), user);
        try {
            listener.updated(heard);
        } catch (RuntimeException e) {
            log.error("voicemail {}: publishing the change failed", m.id(), e);
        }
        return heard;
    }

    /**
     * Deletes a complete message: its file from Asterisk first (one already gone counts as deleted), then its row.
     * Fails with a {@link RecordingException} ({@code ASTERISK_FAILED}) when Asterisk refused: nothing is deleted.
     */
    public CompletableFuture<VoicemailMessage> delete(VoicemailMessage m, String user) {
        loop.assertInLoop();
        CompletableFuture<VoicemailMessage> result = new CompletableFuture<>();
        asterisk(() -> asterisk.deleteStoredRecording(m.recordingName())).whenCompleteAsync((ok, err) -> {
            if (err != null && !notFound(err)) {
                log.warn("voicemail {}: {} could not delete {} from Asterisk: {}", m.id(), user, m.file(), describe(err));
                result.completeExceptionally(err);
                return;
            }
            store.delete(m.id());
            log.info("voicemail {} (box {} of {}): deleted by {}", m.id(), m.mailbox(), m.tenant(), user);
            try {
                listener.deleted(m);
            } catch (RuntimeException e) {
                log.error("voicemail {}: publishing the deletion failed", m.id(), e);
            }
            result.complete(m);
        }, loop);
        return result;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /** The state of the caller on {@code channel} leaving a message; empty when none is. */
    public Optional<VoicemailState> state(ChannelId channel) {
        VoicemailSession s = byChannel.get(channel);
        return s == null ? Optional.empty() : Optional.of(s.state());
    }

    /** Callers leaving a message now. */
    public int active() {
        return byChannel.size();
    }

    public long stored() {
        return stored;
    }

    public long discarded() {
        return discarded;
    }

    public long failed() {
        return failed;
    }

    // ---- internals -----------------------------------------------------------------------------------------

    private void end(VoicemailSession s) {
        s.cancelGuard();
        byChannel.remove(s.channel, s);
        byRecording.remove(s.recordingName, s);
        byPlayback.values().removeIf(x -> x == s);
    }

    private void mark(VoicemailSession s, ChannelMark.Phase phase) {
        String value = s.mark(phase).encode();
        send(s, "mark " + phase, () -> asterisk.setVariable(s.channel, MARK_VAR, value), e -> {});
    }

    private void save(VoicemailMessage m) {
        try {
            store.save(m);
        } catch (RuntimeException e) {
            log.error("voicemail {}: cannot hand it to the store: {}", m.id(), e.toString(), e);
        }
    }

    /**
     * Sends a command once the caller's previous one was answered ({@link VoicemailSession#chain}); its failure (a
     * gone channel: 404, logged at INFO) goes to {@code onError} on the loop.
     */
    private void send(VoicemailSession s, String what, Supplier<CompletableFuture<Void>> command,
            Consumer<Throwable> onError) {
        CompletableFuture<Void> sent = s.chain.thenCompose(x -> asterisk(command));
        s.chain = sent.handle((x, e) -> null);
        sent.whenCompleteAsync((ok, err) -> {
            if (err == null) {
                return;
            }
            if (notFound(err)) {
                log.info("voicemail {} on {}: {}: the channel is gone", s.id, s.channel, what);
            } else {
                log.warn("voicemail {} on {}: {} failed: {}", s.id, s.channel, what, describe(err));
            }
            onError.accept(err);
        }, loop);
    }

    private static <T> CompletableFuture<T> asterisk(Supplier<CompletableFuture<T>> command) {
        try {
            CompletableFuture<T> f = command.get();
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private int elapsedSeconds(VoicemailSession s) {
        return (int) Math.max(0, Duration.between(s.startedAt, clock.instant()).toSeconds());
    }

    /** Whole seconds of audio in a WAV file of {@code bytes} as Asterisk writes it (8 kHz, 16-bit mono). */
    static int wavSeconds(long bytes) {
        return (int) Math.max(0, (bytes - WAV_HEADER) / WAV_BYTES_PER_SECOND);
    }

    private static boolean notFound(Throwable err) {
        return AriException.isNotFound(err);
    }

    private static String describe(Throwable err) {
        return AriException.describeFailure(err);
    }

    /**
     * Our name for the message's recording in Asterisk (and its file): {@code vm-<tenant>-<12 random>}, only letters,
     * digits, '_' and '-'; unique even across restarts.
     */
    static String nameFor(TenantId tenant) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            suffix.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        String t = tenant.value().replaceAll("[^A-Za-z0-9_-]", "_");
        return "vm-" + (t.length() > 40 ? t.substring(0, 40) : t) + "-" + suffix;
    }
}
