package org.asteriskcti.server.history;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that keeps what it is given in memory (domain and API tests: no database). */
public final class MemoryHistoryStore implements CallHistoryStore {
    public final List<HistoryEntry> appended = new CopyOnWriteArrayList<>();

    @Override
    public void append(HistoryEntry entry) {
        appended.add(entry);
    }

    @Override
    public List<HistoryEntry> loadLatest(int perAgent) {
        return List.copyOf(appended);
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
        // nothing held
    }
}
