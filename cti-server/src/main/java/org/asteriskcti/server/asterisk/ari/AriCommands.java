package org.asteriskcti.server.asterisk.ari;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/** {@link AsteriskCommands} over ARI REST: translation only. */
public final class AriCommands implements AsteriskCommands {

    private final AriClient client;

    public AriCommands(AriClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Void> continueInDialplan(ChannelId channel, String context, String exten, int priority) {
        return client.continueInDialplan(channel, context, exten, priority);
    }

    @Override
    public CompletableFuture<Void> answer(ChannelId channel) {
        return client.answer(channel);
    }

    @Override
    public CompletableFuture<Void> setVariable(ChannelId channel, String name, String value) {
        return client.setChannelVariable(channel, name, value);
    }

    @Override
    public CompletableFuture<Void> hangup(ChannelId channel, HangupCause cause) {
        HangupReason reason = switch (cause) {
            case NORMAL -> HangupReason.NORMAL;
            case NO_ANSWER -> HangupReason.NO_ANSWER;
            case BUSY -> HangupReason.BUSY;
        };
        return client.hangup(channel, reason);
    }

    @Override
    public CompletableFuture<Void> originate(Originate r) {
        OriginateRequest req = new OriginateRequest(r.endpoint(), client.settings().app(), r.appArgs(), r.channelId(),
                null, r.originator(), r.callerId(), r.timeout(), r.variables());
        return client.originate(req).thenApply(c -> null);
    }

    @Override
    public CompletableFuture<Void> createBridge(BridgeId bridge, BridgeKind kind) {
        String type = kind == BridgeKind.HOLDING ? "holding" : "mixing";
        return client.createBridge(bridge, type, bridge.value()).handle((b, err) -> {
            if (err == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            AriException e = AriException.unwrap(err);
            if (e != null && e.kind() == AriException.Kind.CONFLICT) {
                return CompletableFuture.<Void>completedFuture(null); // already there (e.g. kept across our restart)
            }
            return CompletableFuture.<Void>failedFuture(err);
        }).thenCompose(f -> f);
    }

    @Override
    public CompletableFuture<Void> destroyBridge(BridgeId bridge) {
        return client.destroyBridge(bridge);
    }

    @Override
    public CompletableFuture<Void> addToBridge(BridgeId bridge, ChannelId channel) {
        return client.addChannel(bridge, channel);
    }

    @Override
    public CompletableFuture<Void> removeFromBridge(BridgeId bridge, ChannelId channel) {
        return client.removeChannel(bridge, channel);
    }

    @Override
    public CompletableFuture<Void> startBridgeMusic(BridgeId bridge, String mohClass) {
        return client.startBridgeMoh(bridge, mohClass);
    }

    @Override
    public CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media) {
        return client.playOnChannel(channel, String.join(",", media), null, playbackId).thenApply(p -> null);
    }

    @Override
    public CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media, String language) {
        return client.playOnChannel(channel, String.join(",", media), language, playbackId).thenApply(p -> null);
    }

    @Override
    public CompletableFuture<Void> stopPlayback(String playbackId) {
        return client.stopPlayback(playbackId);
    }

    @Override
    public CompletableFuture<Map<String, Boolean>> watchEndpoints(List<String> endpoints) {
        // Only a read: subscribing the app to the endpoints would also bring every channel event of
        // those phones over ARI (calls the app does not own, without Linkedid), which the call model
        // must take from AMI. Later changes arrive as AMI DeviceStateChange (UNAVAILABLE = unregistered).
        return client.listEndpoints().thenApply(all -> {
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (String e : endpoints) {
                out.put(e, "online".equalsIgnoreCase(all.get(e)));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> startMusic(ChannelId channel, String mohClass) {
        return client.startChannelMoh(channel, mohClass);
    }

    @Override
    public CompletableFuture<Void> stopMusic(ChannelId channel) {
        return client.stopChannelMoh(channel);
    }

    @Override
    public CompletableFuture<Void> muteInput(ChannelId channel) {
        return client.mute(channel, AriMediaDirection.IN);
    }

    @Override
    public CompletableFuture<Void> unmuteInput(ChannelId channel) {
        return client.unmute(channel, AriMediaDirection.IN);
    }

    @Override
    public CompletableFuture<Void> sendDtmf(ChannelId channel, String digits) {
        return client.sendDtmf(channel, digits, null);
    }

    @Override
    public CompletableFuture<Void> snoop(ChannelId target, ChannelId snoopId, SnoopMode mode, List<String> appArgs) {
        AriMediaDirection whisper = mode == SnoopMode.WHISPER ? AriMediaDirection.OUT : AriMediaDirection.NONE;
        return client.snoop(target, AriMediaDirection.BOTH, whisper, client.settings().app(), appArgs, snoopId)
                .thenApply(c -> null);
    }

    @Override
    public CompletableFuture<Void> recordBridge(BridgeId bridge, String name) {
        RecordOptions o = RecordOptions.of(name, "wav").withIfExists(RecordOptions.IfExists.OVERWRITE).withBeep(false);
        return client.recordBridge(bridge, o).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> muteRecording(String name) {
        return client.muteRecording(name);
    }

    @Override
    public CompletableFuture<Void> unmuteRecording(String name) {
        return client.unmuteRecording(name);
    }

    @Override
    public CompletableFuture<Void> stopRecording(String name) {
        return client.stopRecording(name);
    }

    @Override
    public CompletableFuture<Optional<LiveRecordingState>> liveRecording(String name) {
        return client.getLiveRecording(name).handle((r, err) -> {
            if (err == null) {
                return Optional.of(liveState(r.state()));
            }
            AriException e = AriException.unwrap(err);
            if (e != null && e.kind() == AriException.Kind.NOT_FOUND) {
                return Optional.<LiveRecordingState>empty();
            }
            throw err instanceof CompletionException c ? c : new CompletionException(err);
        });
    }

    @Override
    public CompletableFuture<Void> recordChannel(ChannelId channel, ChannelRecording r) {
        RecordOptions o = RecordOptions.of(r.name(), "wav").withIfExists(RecordOptions.IfExists.FAIL).withBeep(true)
                .withMaxDuration(r.maxDuration()).withMaxSilence(r.maxSilence())
                .withTerminateOn(String.valueOf(r.terminateOn()));
        return client.recordChannel(channel, o).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> deleteStoredRecording(String name) {
        return client.deleteStoredRecording(name);
    }

    /** ARI's live recording states: queued, recording, paused, done, failed, canceled. */
    static LiveRecordingState liveState(String state) {
        return switch (state == null ? "" : state.toLowerCase(Locale.ROOT)) {
            case "queued" -> LiveRecordingState.QUEUED;
            case "recording" -> LiveRecordingState.RECORDING;
            case "paused" -> LiveRecordingState.PAUSED;
            case "done", "failed", "canceled" -> LiveRecordingState.ENDED;
            // A state we do not know: it is still listed as live, so it is not taken for over.
            default -> LiveRecordingState.RECORDING;
        };
    }
}
