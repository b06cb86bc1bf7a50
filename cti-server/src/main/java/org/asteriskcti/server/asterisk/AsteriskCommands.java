package org.asteriskcti.server.asterisk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/**
 * What the domain may ask of Asterisk, in domain terms. Implemented over ARI by the edges
 * ({@code AriCommands}); every call returns at once and completes on an edge thread — domain code
 * re-enters the loop with {@code future.whenCompleteAsync(..., domainLoop)}. A failed request
 * completes exceptionally (over ARI with an {@code AriException} naming the status, e.g. 404 when the
 * channel is gone). Grows with the features (ACD, call control).
 */
public interface AsteriskCommands {

    /** The channel leaves our Stasis application and continues in the dialplan at context,exten,priority. */
    CompletableFuture<Void> continueInDialplan(ChannelId channel, String context, String exten, int priority);

    CompletableFuture<Void> answer(ChannelId channel);

    CompletableFuture<Void> setVariable(ChannelId channel, String name, String value);

    /** Hangs a channel up; {@code cause} becomes its hangup cause (ring timeout: NO_ANSWER → Q.850 19). */
    CompletableFuture<Void> hangup(ChannelId channel, HangupCause cause);

    /** Dials an endpoint into our Stasis application; the leg's StasisStart means it answered. */
    CompletableFuture<Void> originate(Originate request);

    /** Creates a bridge with our id; one that already exists (409) counts as created. */
    CompletableFuture<Void> createBridge(BridgeId bridge, BridgeKind kind);

    CompletableFuture<Void> destroyBridge(BridgeId bridge);

    /** Adds a channel to a bridge; a channel in another bridge is moved (it leaves that one first). */
    CompletableFuture<Void> addToBridge(BridgeId bridge, ChannelId channel);

    CompletableFuture<Void> removeFromBridge(BridgeId bridge, ChannelId channel);

    /** Music on hold for everyone in the bridge; it stops by itself when the bridge empties. */
    CompletableFuture<Void> startBridgeMusic(BridgeId bridge, String mohClass);

    /** Plays media (e.g. {@code sound:queue-thereare}, {@code number:3}) in order to one channel. */
    CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media);

    /**
     * As {@link #play(ChannelId, String, List)} in {@code language} (sounds of that language, e.g.
     * {@code fr}); its end comes as a {@code PlaybackChanged} FINISHED for {@code playbackId}.
     */
    CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media, String language);

    /** Stops a playback (it then ends as FINISHED); one already over (404) fails. */
    CompletableFuture<Void> stopPlayback(String playbackId);

    /**
     * Reads these endpoints' current state (e.g. {@code PJSIP/1001}): endpoint → online (registered or
     * a reachable static contact). Later changes come as device states ({@code UNAVAILABLE}: offline).
     */
    CompletableFuture<Map<String, Boolean>> watchEndpoints(List<String> endpoints);

    /** Music on hold to one channel that is in no bridge (what a held party hears). */
    CompletableFuture<Void> startMusic(ChannelId channel, String mohClass);

    CompletableFuture<Void> stopMusic(ChannelId channel);

    /** Nobody hears this channel any more (it still hears them): an agent's mute button. */
    CompletableFuture<Void> muteInput(ChannelId channel);

    CompletableFuture<Void> unmuteInput(ChannelId channel);

    /** Sends DTMF digits ({@code 0-9*#A-D}, {@code ,} = pause) to the phone or line on the channel. */
    CompletableFuture<Void> sendDtmf(ChannelId channel, String digits);

    /**
     * A snoop channel {@code snoopId} on {@code target} that enters our application with {@code appArgs}.
     * It always hears both directions of the target; {@link SnoopMode#WHISPER} also lets it speak to the
     * target (the target hears it, the others do not).
     */
    CompletableFuture<Void> snoop(ChannelId target, ChannelId snoopId, SnoopMode mode, List<String> appArgs);

    /** Records the bridge's mixed audio as the stored recording {@code name} (wav, overwrites, no beep). */
    CompletableFuture<Void> recordBridge(BridgeId bridge, String name);

    /** Silence instead of audio from now on, keeping the timeline (ari-11: zeros in the file). */
    CompletableFuture<Void> muteRecording(String name);

    CompletableFuture<Void> unmuteRecording(String name);

    /** Ends the live recording; the file is then stored under its name. */
    CompletableFuture<Void> stopRecording(String name);

    /**
     * The live recording's state now; empty when Asterisk has no such live recording (404: it ended, or
     * never was). A mute cannot be seen here (ari-11).
     */
    CompletableFuture<Optional<LiveRecordingState>> liveRecording(String name);

    /**
     * Records what the caller on {@code channel} says (a voicemail message), as the stored recording
     * {@code options.name()} in WAV: a beep first, then until {@code options.terminateOn()} is pressed, the
     * maximum length or the maximum silence is reached, or the caller hangs up (Asterisk keeps the file
     * and reports {@code RecordingFinished} then too). Fails when a stored recording of that name exists.
     */
    CompletableFuture<Void> recordChannel(ChannelId channel, ChannelRecording options);

    /** Deletes a stored recording (its file); one Asterisk does not have (404) fails. */
    CompletableFuture<Void> deleteStoredRecording(String name);

    /**
     * What {@link #recordChannel} records.
     *
     * @param maxSilence  ends the recording after this much silence (trailing silence is cut off); zero: never
     * @param terminateOn the DTMF key that ends the recording, e.g. {@code #}
     */
    record ChannelRecording(String name, Duration maxDuration, Duration maxSilence, char terminateOn) {
        public ChannelRecording {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(maxDuration, "maxDuration");
            Objects.requireNonNull(maxSilence, "maxSilence");
            if (name.isBlank() || !name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("a recording name is letters, digits, '_' and '-', got '" + name + "'");
            }
        }
    }

    enum SnoopMode { LISTEN, WHISPER }

    enum BridgeKind { HOLDING, MIXING }

    enum HangupCause { NORMAL, NO_ANSWER, BUSY }

    /**
     * Dial {@code endpoint} into our application with {@code appArgs}.
     *
     * @param channelId  our id for the new leg: its events can be matched before the request returns
     * @param originator the channel this call is for (links the two in Asterisk: same Linkedid)
     * @param callerId   shown on the phone, e.g. {@code "Customer One" <2001>}
     * @param timeout    how long Asterisk lets it ring (the domain usually runs a shorter timer)
     */
    record Originate(ChannelId channelId, String endpoint, List<String> appArgs, ChannelId originator,
            String callerId, Duration timeout, Map<String, String> variables) {
        public Originate {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(endpoint, "endpoint");
            appArgs = List.copyOf(appArgs);
            variables = Map.copyOf(variables);
        }
    }

    /** For a server without ARI: every command fails with a clear reason. */
    AsteriskCommands UNAVAILABLE = new Unavailable();

    final class Unavailable implements AsteriskCommands {
        private static <T> CompletableFuture<T> no(Object what) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "ARI is disabled (asterisk.ari.enabled=false): cannot control " + what));
        }

        @Override
        public CompletableFuture<Void> continueInDialplan(ChannelId channel, String context, String exten, int priority) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> answer(ChannelId channel) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> setVariable(ChannelId channel, String name, String value) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> hangup(ChannelId channel, HangupCause cause) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> originate(Originate request) {
            return no(request.endpoint());
        }

        @Override
        public CompletableFuture<Void> createBridge(BridgeId bridge, BridgeKind kind) {
            return no(bridge);
        }

        @Override
        public CompletableFuture<Void> destroyBridge(BridgeId bridge) {
            return no(bridge);
        }

        @Override
        public CompletableFuture<Void> addToBridge(BridgeId bridge, ChannelId channel) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> removeFromBridge(BridgeId bridge, ChannelId channel) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> startBridgeMusic(BridgeId bridge, String mohClass) {
            return no(bridge);
        }

        @Override
        public CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media, String language) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> stopPlayback(String playbackId) {
            return no("playback " + playbackId);
        }

        @Override
        public CompletableFuture<Map<String, Boolean>> watchEndpoints(List<String> endpoints) {
            return no(endpoints);
        }

        @Override
        public CompletableFuture<Void> startMusic(ChannelId channel, String mohClass) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> stopMusic(ChannelId channel) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> muteInput(ChannelId channel) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> unmuteInput(ChannelId channel) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> sendDtmf(ChannelId channel, String digits) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> snoop(ChannelId target, ChannelId snoopId, SnoopMode mode, List<String> appArgs) {
            return no(target);
        }

        @Override
        public CompletableFuture<Void> recordBridge(BridgeId bridge, String name) {
            return no(bridge);
        }

        @Override
        public CompletableFuture<Void> muteRecording(String name) {
            return no("recording " + name);
        }

        @Override
        public CompletableFuture<Void> unmuteRecording(String name) {
            return no("recording " + name);
        }

        @Override
        public CompletableFuture<Void> stopRecording(String name) {
            return no("recording " + name);
        }

        @Override
        public CompletableFuture<Optional<LiveRecordingState>> liveRecording(String name) {
            return no("recording " + name);
        }

        @Override
        public CompletableFuture<Void> recordChannel(ChannelId channel, ChannelRecording options) {
            return no(channel);
        }

        @Override
        public CompletableFuture<Void> deleteStoredRecording(String name) {
            return no("recording " + name);
        }
    }
}
