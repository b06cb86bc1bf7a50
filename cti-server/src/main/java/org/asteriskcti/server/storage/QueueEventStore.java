package org.asteriskcti.server.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.domain.TenantId;

/**
 * Where the ACD's statistics log is kept, so that every figure can be recomputed from stored events
 * and today's survive a restart. {@link #append} is called on the domain loop and must never make it
 * wait for the database; {@link #load} and {@link #flush} may block and are for other threads
 * (start-up, reports, tests).
 */
public interface QueueEventStore extends AutoCloseable {

    /**
     * Takes one event to store, in the order given; returns at once. Never blocks on the database and
     * never throws because of it: while the database is unreachable events wait in memory.
     */
    void append(QueueEvent event);

    /** Stored events with {@code from <= at < to}, in time order (appended order among equal times). */
    List<QueueEvent> load(Instant from, Instant to);

    /** Like {@link #load(Instant, Instant)}, only those of {@code tenant} (its queues and agents). */
    List<QueueEvent> load(TenantId tenant, Instant from, Instant to);

    /**
     * Waits until every event appended before this call is stored (or refused by the database and
     * logged), at most {@code timeout}.
     *
     * @return false when the time ran out first (the database is unreachable)
     */
    boolean flush(Duration timeout) throws InterruptedException;

    /** Events appended but not stored yet (a gauge: growth means the database is down or too slow). */
    int pending();

    /** Stores what is pending (waiting a bounded time for the database) and stops. */
    @Override
    void close();
}
