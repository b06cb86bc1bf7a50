package org.asteriskcti.server.storage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEventLog;
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

    /**
     * The ACD's statistics log at start-up: today's stored events (from {@link #startOfToday}; none at
     * or after {@code now}, so that a clock that was ahead before the restart cannot put the log out of
     * order), then every event appended is stored here. Blocks on the database: call it before the
     * ACD starts, not on the domain loop.
     */
    default QueueEventLog restoreToday(AcdConfig acd, Instant now) {
        return new QueueEventLog(load(startOfToday(acd, now), now), this::append);
    }

    /**
     * The earliest midnight of {@code now}'s local date among the tenants' time zones (UTC for a tenant
     * without one, or when there is no tenant): from there every tenant's "today" is in the log.
     */
    static Instant startOfToday(AcdConfig acd, Instant now) {
        return Stream.concat(acd.timeZones().keySet().stream(), acd.queues().stream().map(QueueDefinition::tenant))
                .map(acd::zoneOf)
                .map(z -> LocalDate.ofInstant(now, z).atStartOfDay(z).toInstant())
                .min(Comparator.naturalOrder())
                .orElseGet(() -> LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
