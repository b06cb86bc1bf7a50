package org.asteriskcti.server.history;

import java.time.Duration;
import java.util.List;

/**
 * Where agents' call histories are kept so that they survive a restart. {@link #append} is called on
 * the domain loop and must never make it wait for the database; {@link #loadLatest} and
 * {@link #flush} may block and are for other threads (start-up, tests).
 */
public interface CallHistoryStore extends AutoCloseable {

    /** Takes one entry to store, in the order given; returns at once, never blocks on the database. */
    void append(HistoryEntry entry);

    /**
     * The newest {@code perAgent} stored entries of every agent (per tenant and agent), oldest first
     * (the order they were appended in).
     */
    List<HistoryEntry> loadLatest(int perAgent);

    /** Waits until every entry appended before this call is stored (or refused and logged), at most {@code timeout}. */
    boolean flush(Duration timeout) throws InterruptedException;

    /** Entries appended but not stored yet. */
    int pending();

    /** Stores what is pending (waiting a bounded time for the database) and stops. */
    @Override
    void close();
}
