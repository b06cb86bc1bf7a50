package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.SqlErrors.describe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.retention}: deletes statistics events ({@code queue_event}, by {@code occurred_at}), call
 * history rows ({@code call_history}) and call detail records ({@code call_record}), both by {@code ended_at},
 * older than the retention, once a day on a thread of its own. Rows go in batches of {@link #BATCH} (one short transaction each), so the event
 * writer is never held up for long. Recording and voicemail metadata are left alone: they index audio
 * kept in Asterisk and hold the PCI pause audit.
 */
public final class Retention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** Rows deleted per transaction. */
    static final int BATCH = 5_000;

    /** What one run deleted. */
    public record Deleted(Instant before, long queueEvents, long historyRows, long callRecords) {}

    private final DataSource dataSource;
    private final Duration keep;
    private final Clock clock;
    private ScheduledExecutorService timer;

    /** @param keep how long rows are kept (positive) */
    public Retention(DataSource dataSource, Duration keep, Clock clock) {
        if (keep.isZero() || keep.isNegative()) {
            throw new IllegalArgumentException("retention must be positive: " + keep);
        }
        this.dataSource = dataSource;
        this.keep = keep;
        this.clock = clock;
    }

    /** Runs {@link #runOnce} after {@code firstDelay}, then every 24 hours; failures are logged and retried the next day. */
    public synchronized void start(Duration firstDelay) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cti-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("retention: deleting rows older than {} days failed ({}); next try in 24 hours", keep.toDays(),
                        e.getMessage());
            }
        }, firstDelay.toMillis(), Duration.ofDays(1).toMillis(), TimeUnit.MILLISECONDS);
        log.info("retention: statistics events, call history and call records older than {} days are deleted daily", keep.toDays());
    }

    /** Deletes what is older than the retention now; blocking. */
    public Deleted runOnce() {
        Instant before = clock.instant().minus(keep);
        long events = delete("queue_event", "occurred_at", before);
        long history = delete("call_history", "ended_at", before);
        long records = delete("call_record", "ended_at", before);
        if (events > 0 || history > 0 || records > 0) {
            log.info("retention: deleted {} statistics events, {} call history rows and {} call records older than {}",
                    events, history, records, before);
        }
        return new Deleted(before, events, history, records);
    }

    private long delete(String table, String column, Instant before) {
        // Same SQL on PostgreSQL and H2: a bounded sub-select keeps each transaction short.
        String sql = "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + column
                + " < ? ORDER BY id LIMIT " + BATCH + ")";
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            int n;
            do {
                ps.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                n = ps.executeUpdate();
                total += n;
            } while (n == BATCH);
        } catch (SQLException e) {
            throw new StorageException("cannot delete " + table + " rows older than " + before + ": " + describe(e), e);
        }
        return total;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
