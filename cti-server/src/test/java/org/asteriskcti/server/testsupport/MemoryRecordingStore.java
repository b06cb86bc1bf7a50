package org.asteriskcti.server.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.recording.RecordingId;
import org.asteriskcti.server.recording.RecordingStore;
import org.asteriskcti.server.recording.RecordingView;

/** A recording store in memory: every save is kept in order ({@link #saves}), reads see the latest. Thread-safe. */
public final class MemoryRecordingStore implements RecordingStore {

    public final List<RecordingView> saves = new CopyOnWriteArrayList<>();
    private final Map<RecordingId, RecordingView> latest = new LinkedHashMap<>();
    /** When set, {@link #active} fails with it (the database does not answer). */
    public volatile RuntimeException activeFailure;

    @Override
    public synchronized void save(RecordingView recording) {
        saves.add(recording);
        latest.put(recording.id(), recording);
    }

    /** Puts a recording in as if saved long ago (tests of the API). */
    public void put(RecordingView recording) {
        save(recording);
    }

    public synchronized Optional<RecordingView> latest(RecordingId id) {
        return Optional.ofNullable(latest.get(id));
    }

    @Override
    public synchronized CompletableFuture<Optional<RecordingView>> find(RecordingId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(latest.get(id)));
    }

    @Override
    public synchronized CompletableFuture<List<RecordingView>> byCall(TenantId tenant, CallId call) {
        List<RecordingView> out = new ArrayList<>();
        for (RecordingView r : latest.values()) {
            if (r.tenant().equals(tenant) && r.call().equals(call)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(RecordingView::startedAt));
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized CompletableFuture<List<RecordingView>> active() {
        if (activeFailure != null) {
            return CompletableFuture.failedFuture(activeFailure);
        }
        List<RecordingView> out = new ArrayList<>();
        for (RecordingView r : latest.values()) {
            if (r.isActive()) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(RecordingView::startedAt));
        return CompletableFuture.completedFuture(out);
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
    public void close() {
    }
}
