package org.asteriskcti.server.ivr;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;

/** Records what a session asks, one line per call; lookups wait for the test to complete them. */
final class FakeIvrPort implements IvrPort {

    final List<String> events = new ArrayList<>();
    final List<IvrPosition> positions = new ArrayList<>();
    final List<CompletableFuture<Map<String, String>>> lookups = new ArrayList<>();
    CallData handedOver;

    @Override
    public void play(long playback, List<Prompt> prompts, String language) {
        events.add("play#" + playback + " " + language + " " + prompts);
    }

    @Override
    public void stopPlayback(long playback) {
        events.add("stop#" + playback);
    }

    @Override
    public CompletableFuture<Map<String, String>> lookup(URI url, Map<String, String> params, Duration timeout) {
        events.add("lookup " + url + " " + new TreeMap<>(params) + " " + timeout.toMillis() + "ms");
        CompletableFuture<Map<String, String>> f = new CompletableFuture<>();
        lookups.add(f);
        return f;
    }

    @Override
    public void positionChanged(IvrPosition position) {
        positions.add(position);
    }

    @Override
    public void toQueue(QueueId queue, Map<String, Integer> skills, int priority, String language, CallData data) {
        events.add("queue " + queue + " " + new TreeMap<>(skills) + " priority " + priority + " " + language);
        handedOver = data;
    }

    @Override
    public void toAgent(AgentId agent, java.util.Optional<QueueId> queue, String language, CallData data) {
        events.add("agent " + agent + queue.map(q -> " in queue " + q + " " + language).orElse(""));
        handedOver = data;
    }

    @Override
    public void toExtension(String extension, CallData data) {
        events.add("extension " + extension);
        handedOver = data;
    }

    @Override
    public void toExternal(String number, CallData data) {
        events.add("external " + number);
        handedOver = data;
    }

    @Override
    public void toVoicemail(String mailbox, CallData data) {
        events.add("voicemail " + mailbox);
        handedOver = data;
    }

    @Override
    public void hangup(CallData data) {
        events.add("hangup");
        handedOver = data;
    }

    /** The events since the last call, and forgets them. */
    List<String> take() {
        List<String> out = List.copyOf(events);
        events.clear();
        return out;
    }

    static String vars(CallData d) {
        return d.vars().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
