package org.asteriskcti.server.history;

import static org.asteriskcti.server.storage.SqlErrors.describe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.storage.BatchWriter;
import org.asteriskcti.server.storage.OneByOneOnRefusal;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' call histories in the server's SQL database (table {@code call_history}, see
 * {@code V2__call_history.sql}), in the manner of the statistics log's store:
 * <ul>
 *   <li>{@link #append} only adds the entry to an in-memory backlog; one writer thread stores it,
 *       oldest first, up to {@link Settings#writeBatch} entries per transaction, so the domain loop
 *       never waits for the database. An entry leaves the backlog once its transaction committed.</li>
 *   <li>With each batch the rows of the agents it touched beyond their newest {@link Settings#perAgent}
 *       are deleted: the table holds what desktops are shown, not an archive of every call.</li>
 *   <li><b>Database unreachable</b>: the batch stays and is retried with a backoff doubling from
 *       {@link Settings#retryMin} to {@link Settings#retryMax}; one WARN when the outage starts, one
 *       INFO when it ends. The backlog is bounded by the calls that end during the outage.</li>
 *   <li><b>An entry refused by the database</b> (SQL state 22 data, 23 constraint, e.g. the same call
 *       twice for one agent): the batch is stored entry by entry and each refused one logged at WARN
 *       and dropped.</li>
 *   <li><b>Shut down while unreachable</b>: {@link #close} waits {@link Settings#closeTimeout}, then logs
 *       each entry it could not store at WARN (history is a convenience for desktops, not a record
 *       others are computed from: no spill file).</li>
 * </ul>
 */
public final class JdbcCallHistoryStore implements CallHistoryStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcCallHistoryStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private static final String COLUMNS = "tenant_id, agent_id, call_id, direction, other_number, other_name, started_at, "
            + "answered_at, ended_at, talk_seconds, disposition, call_disposition, queue_id, recordings";
    private static final String INSERT = "INSERT INTO call_history (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PRUNE = "DELETE FROM call_history WHERE tenant_id = ? AND agent_id = ? AND id NOT IN "
            + "(SELECT id FROM call_history WHERE tenant_id = ? AND agent_id = ? ORDER BY id DESC LIMIT ?)";
    private static final String LOAD = "SELECT id, " + COLUMNS + " FROM (SELECT h.*, ROW_NUMBER() OVER "
            + "(PARTITION BY tenant_id, agent_id ORDER BY id DESC) AS newest FROM call_history h) latest "
            + "WHERE newest <= ? ORDER BY id";

    /**
     * @param writeBatch   most entries stored in one transaction
     * @param perAgent     rows kept per agent ({@code history.per-agent}); older ones are deleted
     * @param retryMin     first wait before retrying after the database failed; doubles per failure
     * @param retryMax     longest wait between retries
     * @param closeTimeout how long {@link #close} waits for the backlog to be stored
     */
    public record Settings(int writeBatch, int perAgent, Duration retryMin, Duration retryMax, Duration closeTimeout) {
        public Settings {
            if (writeBatch < 1 || perAgent < 1) {
                throw new IllegalArgumentException("writeBatch and perAgent must be at least 1, got " + writeBatch
                        + ", " + perAgent);
            }
            new BatchWriter.Settings(writeBatch, retryMin, retryMax, closeTimeout); // checks them
        }

        /** The writer's part. */
        BatchWriter.Settings writing() {
            return new BatchWriter.Settings(writeBatch, retryMin, retryMax, closeTimeout);
        }

        /** The server's: {@code storage.write-batch}, {@code history.per-agent}, retries 250 ms to 30 s, 10 s to close. */
        public static Settings of(CtiConfig.Storage storage, CtiConfig.History history) {
            return new Settings(storage.writeBatch(), history.perAgent(), Duration.ofMillis(250), Duration.ofSeconds(30),
                    Duration.ofSeconds(10));
        }
    }

    private final DataSource dataSource;
    private final Settings settings;

    private final BatchWriter<HistoryEntry> writer;

    public static JdbcCallHistoryStore open(Database database, CtiConfig.Storage storage, CtiConfig.History history) {
        return new JdbcCallHistoryStore(database.dataSource(), Settings.of(storage, history));
    }

    public JdbcCallHistoryStore(DataSource dataSource, Settings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.writer = new BatchWriter<>(new BatchWriter.Names(log, "call history store", "entries",
                "cti-call-history-writer"), settings.writing(), this::store);
    }

    // ---- appending ----------------------------------------------------------------------------

    @Override
    public void append(HistoryEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (!writer.append(entry)) {
            log.warn("call history store is closed; entry NOT stored: {}", entry);
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

    // ---- the writer's sink --------------------------------------------------------------------

    /**
     * Stores {@code batch} (the head of the backlog) and prunes its agents in one transaction, or entry
     * by entry when the database refuses one of them.
     *
     * @throws SQLException the database failed for another reason: nothing more was finished
     */
    private void store(List<HistoryEntry> batch, BatchWriter.Progress done) throws SQLException {
        OneByOneOnRefusal.store(dataSource, batch, done, (c, entries) -> {
            insert(c, entries);
            prune(c, entries);
        }, log, "call history store", "entry");
    }

    private static void insert(Connection c, List<HistoryEntry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (HistoryEntry e : entries) {
                ps.setString(1, e.tenant().value());
                ps.setString(2, e.agent().value());
                ps.setString(3, e.call().value());
                ps.setString(4, e.direction().name());
                ps.setString(5, e.number());
                ps.setString(6, e.name());
                ps.setObject(7, column(e.startedAt()));
                ps.setObject(8, e.answeredAt() == null ? null : column(e.answeredAt()));
                ps.setObject(9, column(e.endedAt()));
                ps.setLong(10, e.talkSeconds());
                ps.setString(11, e.disposition().name());
                ps.setString(12, e.callDisposition().name());
                ps.setString(13, e.queue());
                ps.setString(14, json(e.recordings()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletes the rows of the agents in {@code entries} beyond their newest {@code perAgent}. */
    private void prune(Connection c, List<HistoryEntry> entries) throws SQLException {
        Set<List<String>> agents = new LinkedHashSet<>();
        for (HistoryEntry e : entries) {
            agents.add(List.of(e.tenant().value(), e.agent().value()));
        }
        try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            for (List<String> a : agents) {
                ps.setString(1, a.get(0));
                ps.setString(2, a.get(1));
                ps.setString(3, a.get(0));
                ps.setString(4, a.get(1));
                ps.setInt(5, settings.perAgent());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }


    private static OffsetDateTime column(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String json(List<String> recordings) {
        try {
            return JSON.writeValueAsString(recordings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write recording ids " + recordings, e);
        }
    }

    // ---- loading ------------------------------------------------------------------------------

    @Override
    public List<HistoryEntry> loadLatest(int perAgent) {
        List<HistoryEntry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // lets PostgreSQL stream with the fetch size
            try (PreparedStatement ps = c.prepareStatement(LOAD)) {
                ps.setFetchSize(1000);
                ps.setInt(1, perAgent);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        HistoryEntry e = read(rs);
                        if (e != null) {
                            out.add(e);
                        }
                    }
                }
            } finally {
                OneByOneOnRefusal.rollback(c, log);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot load the call history: " + describe(e), e);
        }
        return out;
    }

    private static HistoryEntry read(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        try {
            OffsetDateTime answered = rs.getObject("answered_at", OffsetDateTime.class);
            String recordings = rs.getString("recordings");
            return new HistoryEntry(CallId.of(rs.getString("call_id")), TenantId.of(rs.getString("tenant_id")),
                    AgentId.of(rs.getString("agent_id")), Direction.valueOf(rs.getString("direction")),
                    rs.getString("other_number"), rs.getString("other_name"),
                    rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                    answered == null ? null : answered.toInstant(),
                    rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getLong("talk_seconds"),
                    AgentDisposition.valueOf(rs.getString("disposition")),
                    Disposition.valueOf(rs.getString("call_disposition")), rs.getString("queue_id"),
                    recordings == null || recordings.isBlank() ? List.of() : JSON.readValue(recordings, STRINGS));
        } catch (IllegalArgumentException | NullPointerException | JsonProcessingException e) {
            log.error("call history row id {} cannot be read and is left out ({}); it stays in the table", id,
                    e.getMessage());
            return null;
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public void close() {
        for (HistoryEntry e : writer.close()) {
            log.warn("call history store: entry NOT stored at shutdown (the database did not answer): {}", e);
        }
    }
}
