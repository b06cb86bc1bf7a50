package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.SqlErrors.describe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.cdr.CallRecord;
import org.asteriskcti.server.cdr.CallRecordQuery;
import org.asteriskcti.server.cdr.CallRecordStore;
import org.asteriskcti.server.cdr.CdrDisposition;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call detail records in the server's SQL database (table {@code call_record}, {@code V6__call_records.sql}),
 * written by one {@link BatchWriter} like the call history: {@link #append} never waits for the database; an
 * outage keeps records in memory and retries; a record the database refuses (e.g. the same call twice) is
 * logged at WARN and dropped; records still unwritten at shutdown are logged at WARN. Reads run on the caller's
 * thread (the reports' workers).
 */
public final class JdbcCallRecordStore implements CallRecordStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcCallRecordStore.class);
    /** The JSON columns: snake_case, ISO-8601 times. */
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final String COLUMNS = "tenant_id, call_id, direction, started_at, answered_at, ended_at, "
            + "caller_number, caller_name, called_number, did, ivr, queues, queue_ids, wait_seconds, ring_seconds, "
            + "talk_seconds, hold_seconds, wrap_up_seconds, agents, agent_ids, chain, recordings, voicemail_id, "
            + "survey_outcome, survey_score, disposition, complete, legs";
    private static final String INSERT = "INSERT INTO call_record (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final BatchWriter<CallRecord> writer;

    public static JdbcCallRecordStore open(Database database, CtiConfig.Storage storage) {
        return new JdbcCallRecordStore(database.dataSource(), new BatchWriter.Settings(storage.writeBatch(),
                Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    public JdbcCallRecordStore(DataSource dataSource, BatchWriter.Settings settings) {
        this.dataSource = dataSource;
        this.writer = new BatchWriter<>(new BatchWriter.Names(log, "call record store", "records",
                "cti-call-record-writer"), settings, this::store);
    }

    // ---- writing ------------------------------------------------------------------------------

    @Override
    public void append(CallRecord record) {
        Objects.requireNonNull(record, "record");
        if (!writer.append(record)) {
            log.warn("call record store is closed; record NOT stored: {}", record);
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

    private void store(List<CallRecord> batch, BatchWriter.Progress done) throws SQLException {
        OneByOneOnRefusal.store(dataSource, batch, done, JdbcCallRecordStore::insert, log, "call record store", "record");
    }

    private static void insert(Connection c, List<CallRecord> records) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (CallRecord r : records) {
                int i = 1;
                ps.setString(i++, SqlValues.text(r.tenant().value()));
                ps.setString(i++, SqlValues.text(r.call().value()));
                ps.setString(i++, r.direction().name());
                ps.setObject(i++, SqlValues.time(r.startedAt()));
                ps.setObject(i++, SqlValues.time(r.answeredAt()));
                ps.setObject(i++, SqlValues.time(r.endedAt()));
                ps.setString(i++, SqlValues.text(r.callerNumber()));
                ps.setString(i++, SqlValues.text(r.callerName()));
                ps.setString(i++, SqlValues.text(r.calledNumber()));
                ps.setString(i++, SqlValues.text(r.did()));
                ps.setString(i++, r.ivr() == null ? null : json(r.ivr()));
                ps.setString(i++, json(r.queues()));
                ps.setString(i++, SqlValues.text(list(r.queues().stream().map(CallRecord.QueueVisit::queue).toList())));
                ps.setLong(i++, r.waitSeconds());
                ps.setLong(i++, r.ringSeconds());
                ps.setLong(i++, r.talkSeconds());
                ps.setLong(i++, r.holdSeconds());
                ps.setLong(i++, r.wrapUpSeconds());
                ps.setString(i++, json(r.agents()));
                ps.setString(i++, SqlValues.text(list(r.agents())));
                ps.setString(i++, json(r.chain()));
                ps.setString(i++, json(r.recordings()));
                ps.setString(i++, SqlValues.text(r.voicemail()));
                ps.setString(i++, r.surveyOutcome());
                if (r.surveyOutcome() == null) {
                    ps.setNull(i++, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(i++, r.surveyScore());
                }
                ps.setString(i++, r.disposition().name());
                ps.setBoolean(i++, r.complete());
                ps.setString(i++, json(r.legs()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** ',a,b,': each value between commas, so that LIKE '%,a,%' finds it exactly. */
    static String list(List<String> values) {
        StringBuilder b = new StringBuilder(",");
        values.stream().distinct().forEach(v -> b.append(v).append(','));
        return b.toString();
    }

    private static String json(Object o) {
        try {
            return SqlValues.text(JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + o + " as JSON", e);
        }
    }


    // ---- reading ------------------------------------------------------------------------------

    @Override
    public CallRecordQuery.Page find(TenantId tenant, CallRecordQuery q) {
        StringBuilder sql = new StringBuilder("SELECT id, " + COLUMNS + " FROM call_record WHERE tenant_id = ? "
                + "AND started_at >= ? AND started_at < ?");
        List<Object> args = new ArrayList<>(List.of(tenant.value(), SqlValues.time(q.from()), SqlValues.time(q.to())));
        q.queue().ifPresent(v -> {
            sql.append(" AND queue_ids LIKE ? ESCAPE '\\'");
            args.add("%," + like(v) + ",%");
        });
        q.agent().ifPresent(v -> {
            sql.append(" AND agent_ids LIKE ? ESCAPE '\\'");
            args.add("%," + like(v) + ",%");
        });
        q.did().ifPresent(v -> {
            sql.append(" AND did = ?");
            args.add(v);
        });
        q.disposition().ifPresent(v -> {
            sql.append(" AND disposition = ?");
            args.add(v.name());
        });
        q.after().ifPresent(c -> {
            sql.append(" AND (started_at > ? OR (started_at = ? AND id > ?))");
            args.add(SqlValues.time(c.startedAt()));
            args.add(SqlValues.time(c.startedAt()));
            args.add(c.id());
        });
        sql.append(" ORDER BY started_at, id LIMIT ?");
        args.add(q.limit() + 1);
        List<CallRecordQuery.Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CallRecordQuery.Row row = read(rs);
                    if (row != null) {
                        rows.add(row);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read call records: " + describe(e), e);
        }
        Optional<CallRecordQuery.Cursor> next = Optional.empty();
        if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            CallRecordQuery.Row lastRow = rows.get(rows.size() - 1);
            next = Optional.of(new CallRecordQuery.Cursor(lastRow.record().startedAt(), lastRow.id()));
        }
        return new CallRecordQuery.Page(List.copyOf(rows), next);
    }

    private static String like(String v) {
        return v.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace(",", "\\,");
    }

    @Override
    public Optional<CallRecord> get(TenantId tenant, CallId call) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, " + COLUMNS + " FROM call_record WHERE tenant_id = ? AND call_id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, call.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    CallRecordQuery.Row row = read(rs);
                    return row == null ? Optional.empty() : Optional.of(row.record());
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read call record " + call + ": " + describe(e), e);
        }
    }

    private static CallRecordQuery.Row read(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        try {
            String ivr = rs.getString("ivr");
            int score = rs.getInt("survey_score");
            return new CallRecordQuery.Row(id, new CallRecord(CallId.of(rs.getString("call_id")),
                    TenantId.of(rs.getString("tenant_id")), Direction.valueOf(rs.getString("direction")),
                    SqlValues.instant(rs, "started_at"), SqlValues.instant(rs, "answered_at"),
                    SqlValues.instant(rs, "ended_at"), rs.getString("caller_number"), rs.getString("caller_name"),
                    rs.getString("called_number"), rs.getString("did"),
                    ivr == null ? null : JSON.readValue(ivr, CallRecord.IvrPath.class),
                    JSON.readValue(rs.getString("queues"), new TypeReference<List<CallRecord.QueueVisit>>() {}),
                    rs.getLong("wait_seconds"), rs.getLong("ring_seconds"), rs.getLong("talk_seconds"),
                    rs.getLong("hold_seconds"), rs.getLong("wrap_up_seconds"),
                    JSON.readValue(rs.getString("agents"), new TypeReference<List<String>>() {}),
                    JSON.readValue(rs.getString("chain"), new TypeReference<List<CallRecord.ChainLink>>() {}),
                    JSON.readValue(rs.getString("recordings"), new TypeReference<List<String>>() {}),
                    rs.getString("voicemail_id"), rs.getString("survey_outcome"), score,
                    CdrDisposition.valueOf(rs.getString("disposition")), rs.getBoolean("complete"),
                    JSON.readValue(rs.getString("legs"), new TypeReference<List<CallRecord.LegRecord>>() {})));
        } catch (IllegalArgumentException | NullPointerException | JsonProcessingException e) {
            log.error("call record row id {} cannot be read and is left out ({})", id, e.getMessage());
            return null;
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public void close() {
        for (CallRecord r : writer.close()) {
            log.warn("call record store: record NOT stored at shutdown (the database did not answer): {}", r);
        }
    }
}
