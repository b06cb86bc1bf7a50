package org.asteriskcti.server.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/**
 * Records every command as one line ({@code answer c1}, {@code originate leg PJSIP/1001 args=[agent, e]...})
 * and answers each with a future: completed at once by default, or held ({@link #hold}) until the test
 * completes it, or failed ({@link #failWhen}).
 */
public final class FakeAsteriskCommands implements AsteriskCommands {

    public final List<String> log = new ArrayList<>();
    public final List<Originate> originates = new ArrayList<>();
    private final Map<String, CompletableFuture<Void>> held = new LinkedHashMap<>();
    private Function<String, Throwable> failure = line -> null;
    private boolean holdAll;
    public Map<String, Boolean> endpointStates = new LinkedHashMap<>();
    /** What {@link #liveRecording} answers, by name; a name not here is gone (404: empty). */
    public Map<String, LiveRecordingState> liveRecordings = new LinkedHashMap<>();

    /** From now on every command's future stays open until {@link #completeHeld()}. */
    public FakeAsteriskCommands hold() {
        holdAll = true;
        return this;
    }

    /** Commands whose line the function maps to an exception fail with it. */
    public FakeAsteriskCommands failWhen(Function<String, Throwable> f) {
        failure = f;
        return this;
    }

    /** Completes every held command, in the order they were sent. */
    public void completeHeld() {
        holdAll = false;
        List<CompletableFuture<Void>> all = new ArrayList<>(held.values());
        held.clear();
        all.forEach(f -> f.complete(null));
    }

    /** The recorded lines starting with {@code prefix}. */
    public List<String> lines(String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    public void clear() {
        log.clear();
        originates.clear();
    }

    private CompletableFuture<Void> record(String line) {
        log.add(line);
        Throwable t = failure.apply(line);
        if (t != null) {
            return CompletableFuture.failedFuture(t);
        }
        if (holdAll) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            held.put(line + "#" + log.size(), f);
            return f;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> continueInDialplan(ChannelId channel, String context, String exten, int priority) {
        return record("continue " + channel + " " + context + "," + exten + "," + priority);
    }

    @Override
    public CompletableFuture<Void> answer(ChannelId channel) {
        return record("answer " + channel);
    }

    @Override
    public CompletableFuture<Void> setVariable(ChannelId channel, String name, String value) {
        return record("setvar " + channel + " " + name + "=" + value);
    }

    @Override
    public CompletableFuture<Void> hangup(ChannelId channel, HangupCause cause) {
        return record("hangup " + channel + " " + cause);
    }

    @Override
    public CompletableFuture<Void> originate(Originate r) {
        originates.add(r);
        return record("originate " + r.channelId() + " " + r.endpoint() + " args=" + r.appArgs() + " originator="
                + r.originator() + " callerId=" + r.callerId());
    }

    @Override
    public CompletableFuture<Void> createBridge(BridgeId bridge, BridgeKind kind) {
        return record("bridge.create " + bridge + " " + kind);
    }

    @Override
    public CompletableFuture<Void> destroyBridge(BridgeId bridge) {
        return record("bridge.destroy " + bridge);
    }

    @Override
    public CompletableFuture<Void> addToBridge(BridgeId bridge, ChannelId channel) {
        return record("bridge.add " + bridge + " " + channel);
    }

    @Override
    public CompletableFuture<Void> removeFromBridge(BridgeId bridge, ChannelId channel) {
        return record("bridge.remove " + bridge + " " + channel);
    }

    @Override
    public CompletableFuture<Void> startBridgeMusic(BridgeId bridge, String mohClass) {
        return record("bridge.moh " + bridge + " " + mohClass);
    }

    @Override
    public CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media) {
        return record("play " + channel + " " + media);
    }

    @Override
    public CompletableFuture<Void> play(ChannelId channel, String playbackId, List<String> media, String language) {
        return record("play " + channel + " " + playbackId + " " + media + " lang=" + language);
    }

    @Override
    public CompletableFuture<Void> stopPlayback(String playbackId) {
        return record("playback.stop " + playbackId);
    }

    @Override
    public CompletableFuture<Map<String, Boolean>> watchEndpoints(List<String> endpoints) {
        return record("watch " + endpoints).thenApply(x -> {
            Map<String, Boolean> out = new LinkedHashMap<>();
            endpoints.forEach(e -> out.put(e, endpointStates.getOrDefault(e, true)));
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> startMusic(ChannelId channel, String mohClass) {
        return record("moh.start " + channel + " " + mohClass);
    }

    @Override
    public CompletableFuture<Void> stopMusic(ChannelId channel) {
        return record("moh.stop " + channel);
    }

    @Override
    public CompletableFuture<Void> muteInput(ChannelId channel) {
        return record("mute " + channel);
    }

    @Override
    public CompletableFuture<Void> unmuteInput(ChannelId channel) {
        return record("unmute " + channel);
    }

    @Override
    public CompletableFuture<Void> sendDtmf(ChannelId channel, String digits) {
        return record("dtmf " + channel + " " + digits);
    }

    @Override
    public CompletableFuture<Void> snoop(ChannelId target, ChannelId snoopId, SnoopMode mode, List<String> appArgs) {
        return record("snoop " + target + " " + snoopId + " " + mode + " args=" + appArgs);
    }

    @Override
    public CompletableFuture<Void> recordBridge(BridgeId bridge, String name) {
        return record("record " + bridge + " " + name);
    }

    @Override
    public CompletableFuture<Void> muteRecording(String name) {
        return record("record.mute " + name);
    }

    @Override
    public CompletableFuture<Void> unmuteRecording(String name) {
        return record("record.unmute " + name);
    }

    @Override
    public CompletableFuture<Void> stopRecording(String name) {
        return record("record.stop " + name);
    }

    @Override
    public CompletableFuture<Optional<LiveRecordingState>> liveRecording(String name) {
        return record("record.get " + name).thenApply(x -> Optional.ofNullable(liveRecordings.get(name)));
    }

    @Override
    public CompletableFuture<Void> recordChannel(ChannelId channel, ChannelRecording r) {
        return record("record.channel " + channel + " " + r.name() + " max=" + r.maxDuration().toSeconds() + "s silence="
                + r.maxSilence().toSeconds() + "s end=" + r.terminateOn());
    }

    @Override
    public CompletableFuture<Void> deleteStoredRecording(String name) {
        return record("record.delete " + name);
    }
}
