package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.SqlErrors.describe;
import static org.asteriskcti.server.storage.SqlValues.instant;
import static org.asteriskcti.server.storage.SqlValues.text;
import static org.asteriskcti.server.storage.SqlValues.time;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.recording.EndReason;
import org.asteriskcti.server.recording.RecordingId;
import org.asteriskcti.server.recording.RecordingPolicy;
import org.asteriskcti.server.recording.RecordingStatus;
import org.asteriskcti.server.recording.RecordingStore;
import org.asteriskcti.server.recording.RecordingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings in a SQL database (tables {@code recording}, {@code recording_agent}, {@code recording_pause},
 * see {@code V3__recordings.sql}).
 *
 * <p>{@link #save} only puts the recording's latest state in memory; one writer thread stores it (the
 * whole recording, in one transaction), so the domain loop never waits for the database. A recording
 * saved again before it was stored is stored once, as it is last. While the database is unreachable the
 * writer retries with a backoff (one WARN when the outage starts, one INFO when it ends) and nothing is
 * lost but what a shutdown in the middle of the outage cannot store (logged at ERROR, recording by
 * recording).
 *
 * <p>Reads run on two reader threads and see what is pending too: a recording saved a moment ago is
 * found even before it is stored.
 */
public final class JdbcRecordingStore implements RecordingStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcRecordingStore.class);

    private static final String COLUMNS = "id, tenant_id, call_id, queue_id, bridge_id, recording_name, format, policy, "
            + "state, started_by, started_at, ended_at, end_reason, stopped_by, duration_seconds";
    private static final String UPDATE = "UPDATE recording SET tenant_id = ?, call_id = ?, queue_id = ?, bridge_id = ?, "
            + "recording_name = ?, file_name = ?, format = ?, policy = ?, state = ?, started_by = ?, started_at = ?, "
            + "ended_at = ?, end_reason = ?, stopped_by = ?, duration_seconds = ? WHERE id = ?";
    private static final String INSERT = "INSERT INTO recording (tenant_id, call_id, queue_id, bridge_id, recording_name, "
            + "file_name, format, policy, state, started_by, started_at, ended_at, end_reason, stopped_by, "
            + "duration_seconds, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    /** Saved, not stored yet: each recording's latest state, stored one recording per transaction. */
    private final BatchWriter<RecordingView> writer;
    private final ExecutorService readers;

    /** The server's store: retries from 250 ms up to 30 s, 10 s to store what is pending at close. */
    public JdbcRecordingStore(DataSource dataSource) {
        this(dataSource, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public JdbcRecordingStore(DataSource dataSource, Duration retryMin, Duration retryMax, Duration closeTimeout) {
        this.dataSource = dataSource;
        this.readers = SqlValues.readers("cti-recording-read");
        this.writer = BatchWriter.coalescing(new BatchWriter.Names(log, "recording store", "recordings",
                "cti-recording-writer"), new BatchWriter.Settings(1, retryMin, retryMax, closeTimeout),
                RecordingView::id, (batch, done) -> store(batch.get(0)));
    }

    // ---- saving -------------------------------------------------------------------------------

    @Override
    public void save(RecordingView recording) {
        // Saved again before it was stored: stored once, as it is last, in the order of the last saves.
        if (!writer.append(recording)) {
            log.error("recording store is closed; recording NOT stored: {}", recording);
        }
    }

    @Override
    public int pending() {
        return writer.pending();
    }

    @Override
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout);
    }

    /** Writes the whole recording (row, agents, pauses) in one transaction. */
    private void store(RecordingView r) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                    bindRow(ps, r);
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                        bindRow(ps, r);
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM recording_agent WHERE recording_id = ?")) {
                    ps.setString(1, r.id().value());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM recording_pause WHERE recording_id = ?")) {
                    ps.setString(1, r.id().value());
                    ps.executeUpdate();
                }
                if (!r.agents().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO recording_agent (recording_id, position, agent_id) VALUES (?, ?, ?)")) {
                        for (int i = 0; i < r.agents().size(); i++) {
                            ps.setString(1, r.id().value());
                            ps.setInt(2, i);
                            ps.setString(3, text(r.agents().get(i).value()));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!r.pauses().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO recording_pause (recording_id, position, "
                            + "paused_at, paused_by, reason, resumed_at, resumed_by, ended_with_recording) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (int i = 0; i < r.pauses().size(); i++) {
                            RecordingView.Pause p = r.pauses().get(i);
                            ps.setString(1, r.id().value());
                            ps.setInt(2, i);
                            ps.setObject(3, time(p.pausedAt()));
                            ps.setString(4, text(p.pausedBy()));
                            ps.setString(5, text(p.reason()));
                            ps.setObject(6, time(p.resumedAt()));
                            ps.setString(7, text(p.resumedBy()));
                            ps.setBoolean(8, p.endedWithRecording());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken anyway
                }
                throw e;
            }
        }
    }

    private static void bindRow(PreparedStatement ps, RecordingView r) throws SQLException {
        ps.setString(1, text(r.tenant().value()));
        ps.setString(2, text(r.call().value()));
        ps.setString(3, r.queue().map(q -> text(q.value())).orElse(null));
        ps.setString(4, text(r.bridge().value()));
        ps.setString(5, r.name());
        ps.setString(6, r.file());
        ps.setString(7, r.format());
        ps.setString(8, r.policy().name());
        ps.setString(9, r.status().name());
        ps.setString(10, text(r.startedBy()));
        ps.setObject(11, time(r.startedAt()));
        ps.setObject(12, time(r.endedAt()));
        ps.setString(13, r.endReason() == null ? null : r.endReason().name());
        ps.setString(14, text(r.stoppedBy()));
        if (r.durationSeconds() == null) {
            ps.setNull(15, Types.INTEGER);
        } else {
            ps.setInt(15, r.durationSeconds());
        }
        ps.setString(16, r.id().value());
    }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Optional<RecordingView>> find(RecordingId id) {
        return read(() -> {
            List<RecordingView> pendingNow = pendingNow();
            List<RecordingView> rows = query("SELECT " + COLUMNS + " FROM recording WHERE id = ?", List.of(id.value()));
            List<RecordingView> merged = withPending(rows, pendingNow, r -> r.id().equals(id));
            return merged.isEmpty() ? Optional.empty() : Optional.of(merged.get(0));
        });
    }

    @Override
    public CompletableFuture<List<RecordingView>> byCall(TenantId tenant, CallId call) {
        return read(() -> {
            List<RecordingView> pendingNow = pendingNow();
            return withPending(query("SELECT " + COLUMNS + " FROM recording WHERE tenant_id = ? AND call_id = ? "
                    + "ORDER BY started_at, id", List.of(tenant.value(), call.value())), pendingNow,
                    r -> r.tenant().equals(tenant) && r.call().equals(call));
        });
    }

    @Override
    public CompletableFuture<List<RecordingView>> active() {
        return read(() -> {
            List<RecordingView> pendingNow = pendingNow();
            return withPending(query("SELECT " + COLUMNS + " FROM recording WHERE state IN ('STARTING', 'RECORDING', "
                    + "'PAUSED') ORDER BY started_at, id", List.of()), pendingNow, RecordingView::isActive);
        });
    }

    private interface Read<T> {
        T run() throws SQLException;
    }

    private <T> CompletableFuture<T> read(Read<T> read) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return read.run();
            } catch (SQLException e) {
                throw new StorageException("cannot read recordings: " + describe(e), e);
            }
        }, readers);
    }

    /**
     * The saves not stored yet, taken <em>before</em> a read's query: one stored between the two is then in the
     * query's rows, never lost between the two (the query seeing the old row, the pending save gone).
     */
    private List<RecordingView> pendingNow() {
        return writer.pendingItems();
    }

    /**
     * The stored rows with the pending saves laid over them (a pending one is newer), by start time. A pending
     * save no longer {@code wanted} (e.g. ended since) takes its stored row out.
     */
    private static List<RecordingView> withPending(List<RecordingView> rows, List<RecordingView> pendingNow,
            Predicate<RecordingView> wanted) {
        Map<RecordingId, RecordingView> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put(r.id(), r));
        for (RecordingView p : pendingNow) {
            if (wanted.test(p)) {
                out.put(p.id(), p);
            } else {
                out.remove(p.id());
            }
        }
        List<RecordingView> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(RecordingView::startedAt).thenComparing(r -> r.id().value()));
        return list;
    }

    private List<RecordingView> query(String sql, List<String> params) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Row> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString("id"), new Row(rs));
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            String in = String.join(", ", java.util.Collections.nCopies(rows.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT recording_id, agent_id FROM recording_agent "
                    + "WHERE recording_id IN (" + in + ") ORDER BY recording_id, position")) {
                bindIds(ps, rows.keySet());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.get(rs.getString(1)).agents.add(AgentId.of(rs.getString(2)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT recording_id, paused_at, paused_by, reason, resumed_at, "
                    + "resumed_by, ended_with_recording FROM recording_pause WHERE recording_id IN (" + in + ") "
                    + "ORDER BY recording_id, position")) {
                bindIds(ps, rows.keySet());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.get(rs.getString(1)).pauses.add(new RecordingView.Pause(instant(rs, 2), rs.getString(3),
                                rs.getString(4), instant(rs, 5), rs.getString(6), rs.getBoolean(7)));
                    }
                }
            }
            List<RecordingView> out = new ArrayList<>();
            for (Row r : rows.values()) {
                out.add(r.view());
            }
            return out;
        }
    }

    private static void bindIds(PreparedStatement ps, Iterable<String> ids) throws SQLException {
        int i = 1;
        for (String id : ids) {
            ps.setString(i++, id);
        }
    }

    /** One {@code recording} row while its agents and pauses are read. */
    private static final class Row {
        final RecordingId id;
        final TenantId tenant;
        final CallId call;
        final Optional<QueueId> queue;
        final BridgeId bridge;
        final String name;
        final String format;
        final RecordingPolicy policy;
        final RecordingStatus status;
        final String startedBy;
        final Instant startedAt;
        final Instant endedAt;
        final EndReason endReason;
        final String stoppedBy;
        final Integer duration;
        final List<AgentId> agents = new ArrayList<>();
        final List<RecordingView.Pause> pauses = new ArrayList<>();

        Row(ResultSet rs) throws SQLException {
            id = RecordingId.of(rs.getString("id"));
            tenant = TenantId.of(rs.getString("tenant_id"));
            call = CallId.of(rs.getString("call_id"));
            String q = rs.getString("queue_id");
            queue = q == null ? Optional.empty() : Optional.of(QueueId.of(q));
            bridge = BridgeId.of(rs.getString("bridge_id"));
            name = rs.getString("recording_name");
            format = rs.getString("format");
            policy = RecordingPolicy.valueOf(rs.getString("policy"));
            status = RecordingStatus.valueOf(rs.getString("state"));
            startedBy = rs.getString("started_by");
            startedAt = instant(rs, "started_at");
            endedAt = instant(rs, "ended_at");
            String end = rs.getString("end_reason");
            endReason = end == null ? null : EndReason.valueOf(end);
            stoppedBy = rs.getString("stopped_by");
            int d = rs.getInt("duration_seconds");
            duration = rs.wasNull() ? null : d;
        }

        RecordingView view() {
            return new RecordingView(id, tenant, call, queue, bridge, agents, name, format, policy, status, startedBy,
                    startedAt, endedAt, endReason, stoppedBy, duration, pauses);
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public void close() {
        List<RecordingView> left = writer.close();
        readers.shutdown();
        for (RecordingView r : left) {
            log.error("recording store: recording NOT stored at shutdown (the database did not answer): {}", r);
        }
    }
}
