package org.asteriskcti.server.testsupport;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.MessageState;
import org.asteriskcti.server.voicemail.VoicemailId;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.asteriskcti.server.voicemail.VoicemailStore;

/** A voicemail store in memory: every save and delete kept in order, reads see the latest. Thread-safe. */
public final class MemoryVoicemailStore implements VoicemailStore {

    public final List<VoicemailMessage> saves = new CopyOnWriteArrayList<>();
    public final List<VoicemailId> deletes = new CopyOnWriteArrayList<>();
    private final Map<VoicemailId, VoicemailMessage> latest = new LinkedHashMap<>();
    /** When set, {@link #recording} fails with it (the database does not answer). */
    public volatile RuntimeException recordingFailure;

    @Override
    public synchronized void save(VoicemailMessage message) {
        saves.add(message);
        latest.put(message.id(), message);
    }

    @Override
    public synchronized void delete(VoicemailId id) {
        deletes.add(id);
        latest.remove(id);
    }

    public synchronized Optional<VoicemailMessage> latest(VoicemailId id) {
        return Optional.ofNullable(latest.get(id));
    }

    public synchronized List<VoicemailMessage> all() {
        return List.copyOf(latest.values());
    }

    @Override
    public synchronized CompletableFuture<Optional<VoicemailMessage>> find(VoicemailId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(latest.get(id)));
    }

    @Override
    public synchronized CompletableFuture<List<VoicemailMessage>> list(TenantId tenant, Optional<Mailbox> mailbox,
            Optional<MessageState> state, int limit) {
        return CompletableFuture.completedFuture(latest.values().stream()
                .filter(m -> m.tenant().equals(tenant) && m.isComplete())
                .filter(m -> mailbox.map(m.mailbox()::equals).orElse(true))
                .filter(m -> state.map(m.state()::equals).orElse(true))
                .sorted(Comparator.comparing(VoicemailMessage::startedAt).reversed()).limit(limit).toList());
    }

    @Override
    public synchronized CompletableFuture<List<VoicemailMessage>> recording() {
        if (recordingFailure != null) {
            return CompletableFuture.failedFuture(recordingFailure);
        }
        return CompletableFuture.completedFuture(latest.values().stream()
                .filter(m -> m.state() == MessageState.RECORDING).toList());
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public int pending() {
        return 0;
    }

    @Override
    public void close() {}
}
