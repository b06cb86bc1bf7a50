package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** storage.retention: what a run deletes and what it keeps (H2 in PostgreSQL mode). */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");
    private final FakeClock clock = new FakeClock(NOW);
    private Database db;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:mem:retention-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 2);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void givenEventsAndHistoryAroundTheCutoff_whenItRuns_thenOnlyOlderRowsGo_andRecordingsAndVoicemailStay() throws Exception {
        Instant cutoff = NOW.minus(Duration.ofDays(400));
        JdbcQueueEventStore store = new JdbcQueueEventStore(db.dataSource(), Map.of(), new JdbcQueueEventStore.Settings(
                100, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(5), Optional.empty()));
        int old = Retention.BATCH + 7; // more than one batch
        for (int i = 0; i < old; i++) {
            store.append(entered(cutoff.minusSeconds(old - i), "old" + i));
        }
        store.append(entered(cutoff, "at-cutoff"));
        store.append(entered(NOW.minusSeconds(60), "new"));
        assertThat(store.flush(Duration.ofSeconds(60))).isTrue();
        store.close();
        history("h-old", cutoff.minusSeconds(1));
        history("h-new", cutoff.plusSeconds(1));
        execute("INSERT INTO recording (id, tenant_id, call_id, bridge_id, recording_name, file_name, format, policy, state, "
                + "started_by, started_at) VALUES ('r1', 'demo', 'c', 'b', 'n', 'f', 'wav', 'ALWAYS', 'STOPPED', 'policy', ?)",
                cutoff.minus(Duration.ofDays(30)));

        Retention.Deleted d = new Retention(db.dataSource(), Duration.ofDays(400), clock).runOnce();

        assertThat(d.before()).isEqualTo(cutoff);
        assertThat(d.queueEvents()).isEqualTo(old);
        assertThat(d.historyRows()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM queue_event")).isEqualTo(2); // at the cutoff is kept
        assertThat(count("SELECT COUNT(*) FROM call_history WHERE call_id = 'h-new'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM call_history")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM recording")).isEqualTo(1);
        // a second run finds nothing more
        assertThat(new Retention(db.dataSource(), Duration.ofDays(400), clock).runOnce().queueEvents()).isZero();
    }

    @Test
    void givenCallRecordsAroundTheCutoff_whenItRuns_thenOnlyThoseThatEndedBeforeItGo() throws Exception {
        Instant cutoff = NOW.minus(Duration.ofDays(30));
        JdbcCallRecordStore records = new JdbcCallRecordStore(db.dataSource(), new BatchWriter.Settings(10,
                Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5)));
        records.append(record("c-old", cutoff.minusSeconds(1)));
        records.append(record("c-at", cutoff));
        records.append(record("c-new", NOW.minusSeconds(60)));
        assertThat(records.flush(Duration.ofSeconds(30))).isTrue();
        records.close();

        Retention.Deleted d = new Retention(db.dataSource(), Duration.ofDays(30), clock).runOnce();

        assertThat(d.callRecords()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM call_record WHERE call_id = 'c-old'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM call_record")).isEqualTo(2);
    }

    private static org.asteriskcti.server.cdr.CallRecord record(String call, Instant ended) {
        return new org.asteriskcti.server.cdr.CallRecord(org.asteriskcti.server.domain.CallId.of(call),
                TenantId.of("demo"), org.asteriskcti.server.call.Direction.INBOUND, ended.minusSeconds(90), null, ended,
                "", "", "700", "700", null, java.util.List.of(), 90, 0, 0, 0, 0, java.util.List.of(), java.util.List.of(),
                java.util.List.of(), null, null, 0, org.asteriskcti.server.cdr.CdrDisposition.ABANDONED, true,
                java.util.List.of());
    }

    @Test
    void givenNoRetention_thenTheJobCannotBeMade() {
        assertThatThrownBy(() -> new Retention(db.dataSource(), Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static QueueEvent entered(Instant at, String caller) {
        return new QueueEvent.Entered(at, QueueId.of("sales"), TenantId.of("demo"), EntryId.of(caller + "/1"),
                ChannelId.of(caller), at, EntryOrigin.NEW, 0, "700");
    }

    private void history(String call, Instant ended) throws SQLException {
        execute("INSERT INTO call_history (tenant_id, agent_id, call_id, direction, other_number, other_name, started_at, "
                + "ended_at, talk_seconds, disposition, call_disposition, recordings) VALUES ('demo', 'a1', '" + call
                + "', 'INBOUND', '', '', ?, ?, 0, 'MISSED', 'ABANDONED', '[]')", ended.minusSeconds(30), ended);
    }

    private void execute(String sql, Instant... times) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                ps.setObject(i + 1, OffsetDateTime.ofInstant(times[i], ZoneOffset.UTC));
            }
            ps.executeUpdate();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
