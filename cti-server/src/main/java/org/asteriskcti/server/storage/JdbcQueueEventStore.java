package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.SqlErrors.describe;
import static org.asteriskcti.server.storage.SqlErrors.refusedData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.Completed;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.EntryEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.OfferEnded;
import org.asteriskcti.server.acd.stats.QueueEvent.Offered;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statistics log in a SQL database (table {@code queue_event}, see {@code V1__queue_events.sql}).
 *
 * <p>{@link #append} only adds the event to an in-memory backlog; one writer thread stores the
 * backlog oldest first, up to {@link Settings#writeBatch} events per transaction. An event leaves the
 * backlog only once its transaction committed, so the order is kept and nothing is dropped:
 * <ul>
 *   <li><b>Database unreachable</b> (any error but the two below): the batch stays, the writer retries
 *       with a backoff doubling from {@link Settings#retryMin} to {@link Settings#retryMax}, and logs
 *       one WARN when the outage starts and one INFO when it ends. The backlog has no bound: it never
 *       holds more than the in-memory {@code QueueEventLog} already does.</li>
 *   <li><b>One event refused by the database</b> (SQL states 22 data exception, 23 constraint): the
 *       batch is stored one event at a time and each refused event is logged at ERROR with its full
 *       JSON, so that it can be re-entered by hand. The columns are written so that a valid event
 *       is never refused (times clamped to years 1-9999, NUL characters replaced, in the columns only:
 *       the payload is exact).</li>
 *   <li><b>Shut down while the database is unreachable</b>: {@link #close} waits
 *       {@link Settings#closeTimeout}, then writes what is left to the spill file (JSON lines). The
 *       next start stores those first and deletes the file once they are in the database.</li>
 * </ul>
 *
 * <p>Each row carries the tenant: the event's own for {@code Entered} and {@code AgentStateInterval},
 * else the tenant of the event's queue (from the configuration, or learnt from the queue's
 * {@code Entered} events).
 */
public final class JdbcQueueEventStore implements QueueEventStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcQueueEventStore.class);

    /** The file the events still pending at shutdown go to, in the data dir. */
    public static final String SPILL_FILE = "queue-events-unwritten.jsonl";

    private static final String INSERT = "INSERT INTO queue_event (occurred_at, tenant_id, queue_id, entry_id, agent_id, "
            + "event_type, payload) VALUES (?, ?, ?, ?, ?, ?, ?)";
    /** The range both PostgreSQL's and H2's timestamps hold; the exact time is in the payload anyway. */
    private static final Instant COLUMN_MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant COLUMN_MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * @param writeBatch   most events stored in one transaction
     * @param retryMin     first wait before retrying after the database failed; doubles per failure
     * @param retryMax     longest wait between retries
     * @param closeTimeout how long {@link #close} waits for the backlog to be stored before spilling it
     * @param spillFile    where {@link #close} writes what it could not store; empty: log it at ERROR
     */
    public record Settings(int writeBatch, Duration retryMin, Duration retryMax, Duration closeTimeout,
            Optional<Path> spillFile) {
        public Settings {
            new BatchWriter.Settings(writeBatch, retryMin, retryMax, closeTimeout); // checks them
            Objects.requireNonNull(spillFile, "spillFile");
        }

        /** The writer's part. */
        BatchWriter.Settings writing() {
            return new BatchWriter.Settings(writeBatch, retryMin, retryMax, closeTimeout);
        }

        /** The server's settings: {@code storage.write-batch}, retries 250 ms to 30 s, 10 s to close, spill in the data dir. */
        public static Settings of(CtiConfig.Storage storage, Path dataDir) {
            return new Settings(storage.writeBatch(), Duration.ofMillis(250), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Optional.of(dataDir.resolve(SPILL_FILE)));
        }
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final QueueEventJson json = new QueueEventJson();
    /** Queue -> tenant; read and written by whoever stores (the constructor, then only the writer). */
    private final Map<QueueId, TenantId> queueTenants;

    private final AtomicLong refused = new AtomicLong();
    /** Events of the spill file read at start and not stored yet; the file goes once this is back to 0. */
    private final AtomicLong spillLeft = new AtomicLong();
    private final BatchWriter<QueueEvent> writer;

    /**
     * The store for the server: its database, the tenants of the configured queues, and
     * {@link Settings#of}. Stores what a previous run spilled before returning.
     */
    public static JdbcQueueEventStore open(Database database, CtiConfig.Storage storage, AcdConfig acd, Path dataDir) {
        Map<QueueId, TenantId> tenants = acd.queues().stream()
                .collect(Collectors.toMap(QueueDefinition::id, QueueDefinition::tenant, (a, b) -> a));
        return new JdbcQueueEventStore(database.dataSource(), tenants, Settings.of(storage, dataDir));
    }

    public JdbcQueueEventStore(DataSource dataSource, Map<QueueId, TenantId> queueTenants, Settings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.queueTenants = new HashMap<>(queueTenants);
        List<QueueEvent> unstored = settings.spillFile().map(this::importSpill).orElse(List.of());
        this.writer = new BatchWriter<>(new BatchWriter.Names(log, "queue event store", "events", "cti-queue-event-writer"),
                settings.writing(), this::store);
        unstored.forEach(writer::append); // before anything new: nobody else has the store yet
    }

    // ---- appending ----------------------------------------------------------------------------

    @Override
    public void append(QueueEvent event) {
        Objects.requireNonNull(event, "event");
        if (!writer.append(event)) {
            log.error("queue event store is closed; event NOT stored: {} {}", event.getClass().getSimpleName(),
                    safeJson(event));
        }
    }

    @Override
    public int pending() {
        return writer.pending();
    }

    /** Events the database refused since start (each logged at ERROR with its JSON). */
    public long refused() {
        return refused.get();
    }

    @Override
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout);
    }

    // ---- the writer's sink --------------------------------------------------------------------

    /** The next {@code n} events of the batch are in the database (or refused and logged). */
    private void finished(BatchWriter.Progress done, int n) {
        done.finished(n);
        long before = spillLeft.getAndUpdate(left -> Math.max(0, left - n));
        if (before == 0 || before > n) {
            return;
        }
        settings.spillFile().ifPresent(f -> {
            try {
                Files.deleteIfExists(f);
                log.info("queue event store: the events spilled at the last shutdown are stored; {} removed", f);
            } catch (IOException e) {
                log.warn("queue event store: cannot remove {} (its events are stored; delete it by hand): {}", f,
                        e.getMessage());
            }
        });
    }

    /**
     * Stores {@code batch} (the head of the backlog) in one transaction, or event by event when the
     * database refuses one of them. Marks each stored event finished as soon as it is committed.
     *
     * @throws SQLException the database failed for another reason: nothing more was finished
     */
    private void store(List<QueueEvent> batch, BatchWriter.Progress done) throws SQLException {
        List<Row> rows = new ArrayList<>(batch.size());
        for (QueueEvent e : batch) {
            rows.add(row(e));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insert(c, rows);
                c.commit();
                rows.stream().filter(r -> r.payload == null).forEach(r -> refuse(r, r.problem));
                finished(done, rows.size());
                return;
            } catch (SQLException e) {
                OneByOneOnRefusal.rollback(c, log);
                if (!refusedData(e)) {
                    throw e;
                }
                log.warn("queue event store: the database refused an event of a batch of {} ({}); storing them one by one",
                        rows.size(), describe(e));
            }
            for (Row r : rows) {
                if (r.payload != null) {
                    try {
                        insert(c, List.of(r));
                        c.commit();
                    } catch (SQLException e) {
                        OneByOneOnRefusal.rollback(c, log);
                        if (!refusedData(e)) {
                            throw e;
                        }
                        refuse(r, describe(e));
                    }
                } else {
                    refuse(r, r.problem);
                }
                finished(done, 1);
            }
        }
    }

    private static void insert(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Row r : rows) {
                if (r.payload == null) {
                    continue;
                }
                ps.setObject(1, r.occurredAt);
                ps.setString(2, r.tenant);
                ps.setString(3, r.queue);
                ps.setString(4, r.entry);
                ps.setString(5, r.agent);
                ps.setString(6, r.type);
                ps.setString(7, r.payload);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }


    private void refuse(Row r, String why) {
        refused.incrementAndGet();
        log.error("queue event store: event NOT stored, refused ({}); re-enter it by hand: type={} event={}", why,
                r.type, r.payload != null ? r.payload : r.event);
    }

    // ---- rows ---------------------------------------------------------------------------------

    /** One event as columns; {@code payload} null (and {@code problem} set) when it cannot be written as JSON. */
    private record Row(QueueEvent event, OffsetDateTime occurredAt, String tenant, String queue, String entry,
            String agent, String type, String payload, String problem) {}

    private Row row(QueueEvent e) {
        try {
            String payload = json.write(e);
            TenantId tenant = tenantOf(e);
            String queue = null;
            String entry = null;
            if (e instanceof EntryEvent ee) {
                queue = column(ee.queue().value());
                entry = column(ee.entry().value());
            }
            AgentId agent = agentOf(e);
            return new Row(e, column(e.at()), tenant == null ? null : column(tenant.value()), queue, entry,
                    agent == null ? null : column(agent.value()), QueueEventJson.typeOf(e), payload, null);
        } catch (RuntimeException ex) {
            // A bug (a new event type not given a stored name...), not the database: never retried forever.
            return new Row(e, null, null, null, null, null, e.getClass().getSimpleName(), null, String.valueOf(ex));
        }
    }

    private TenantId tenantOf(QueueEvent e) {
        if (e instanceof Entered en) {
            queueTenants.putIfAbsent(en.queue(), en.tenant());
            return en.tenant();
        }
        if (e instanceof AgentStateInterval a) {
            return a.tenant();
        }
        return queueTenants.get(((EntryEvent) e).queue());
    }

    private static AgentId agentOf(QueueEvent e) {
        if (e instanceof Offered o) {
            return o.agent();
        } else if (e instanceof OfferEnded o) {
            return o.agent();
        } else if (e instanceof Answered a) {
            return a.agent();
        } else if (e instanceof Completed c) {
            return c.agent();
        } else if (e instanceof AgentStateInterval a) {
            return a.agent();
        } else if (e instanceof QueueEvent.SurveyEnded s) {
            return s.agent();
        } else if (e instanceof QueueEvent.Transferred t) {
            return t.agent();
        }
        return null;
    }

    /** PostgreSQL text cannot hold NUL; ids are opaque strings, so a column gets a replacement character. */
    private static String column(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /** The time column: rounded down to the microsecond and kept within both databases' range. */
    private static OffsetDateTime column(Instant at) {
        Instant t = at.isBefore(COLUMN_MIN) ? COLUMN_MIN : at.isAfter(COLUMN_MAX) ? COLUMN_MAX : at;
        return OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    // ---- loading ------------------------------------------------------------------------------

    @Override
    public List<QueueEvent> load(Instant from, Instant to) {
        return load(null, from, to);
    }

    @Override
    public List<QueueEvent> load(TenantId tenant, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return List.of();
        }
        // The column is the time rounded down to the microsecond: select generously, then exactly.
        String sql = "SELECT id, event_type, payload FROM queue_event WHERE occurred_at >= ? AND occurred_at <= ?"
                + (tenant != null ? " AND tenant_id = ?" : "") + " ORDER BY occurred_at, id";
        List<QueueEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // lets PostgreSQL stream with the fetch size instead of reading all at once
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                ps.setObject(1, column(from));
                ps.setObject(2, column(to));
                if (tenant != null) {
                    ps.setString(3, column(tenant.value()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        QueueEvent e = readRow(rs.getLong(1), rs.getString(2), rs.getString(3));
                        if (e != null && !e.at().isBefore(from) && e.at().isBefore(to)) {
                            out.add(e);
                        }
                    }
                }
            } finally {
                OneByOneOnRefusal.rollback(c, log);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot load queue events " + from + " .. " + to + ": " + describe(e), e);
        }
        // Exact times: rows within one microsecond (from two servers) may be out of order by id. Stable.
        out.sort(Comparator.comparing(QueueEvent::at));
        return out;
    }

    private QueueEvent readRow(long id, String type, String payload) {
        try {
            return json.read(type, payload);
        } catch (IllegalArgumentException e) {
            log.error("queue event id {} cannot be read and is left out of the figures ({}); it stays in the table: {}",
                    id, e.getMessage(), payload);
            return null;
        }
    }

    // ---- closing and the spill file -----------------------------------------------------------

    @Override
    public void close() {
        List<QueueEvent> left = writer.close();
        if (left.isEmpty()) {
            return;
        }
        spillLeft.set(0); // the spill file written now holds every event not stored, those read at start too
        if (writer.writing()) {
            log.warn("queue event store: the writer is still in a database call; up to {} of the events spilled "
                    + "now may also be stored by it (duplicates, not losses)", settings.writeBatch());
        }
        spill(left);
    }

    private void spill(List<QueueEvent> events) {
        Optional<Path> file = settings.spillFile();
        if (file.isPresent()) {
            Path f = file.get();
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            try {
                Files.createDirectories(f.toAbsolutePath().getParent());
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    for (QueueEvent e : events) {
                        ObjectNode line = json.mapper().createObjectNode();
                        line.put("type", QueueEventJson.typeOf(e));
                        line.set("event", json.mapper().readTree(json.write(e)));
                        w.write(json.mapper().writeValueAsString(line));
                        w.newLine();
                    }
                }
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log.error("queue event store: the database did not take {} events before shutdown; they are kept in {} "
                        + "and will be stored at the next start", events.size(), f);
                return;
            } catch (IOException | RuntimeException e) {
                log.error("queue event store: cannot write {} ({}); logging the events instead", f, e.getMessage());
            }
        }
        for (QueueEvent e : events) {
            log.error("queue event store: event NOT stored at shutdown: type={} event={}", e.getClass().getSimpleName(),
                    safeJson(e));
        }
    }

    /**
     * Reads what the last run spilled and tries once to store it now; returns what it could not store, for the
     * head of the backlog.
     */
    private List<QueueEvent> importSpill(Path f) {
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        List<QueueEvent> events = new ArrayList<>();
        int bad = 0;
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read " + f + " (events not stored at the last shutdown): " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = json.mapper().readTree(line);
                events.add(json.read(n.path("type").asText(), json.mapper().writeValueAsString(n.path("event"))));
            } catch (IOException | IllegalArgumentException e) {
                bad++;
                log.error("queue event store: {} line {} is not a stored event ({}): {}", f, i + 1, e.getMessage(), line);
            }
        }
        if (bad > 0) {
            Path keep = f.resolveSibling(f.getFileName() + ".bad-" + System.currentTimeMillis());
            try {
                Files.copy(f, keep);
                log.error("queue event store: {} unreadable lines of {}; the file is kept as {}", bad, f, keep);
            } catch (IOException e) {
                log.error("queue event store: cannot copy {} to {}: {}", f, keep, e.getMessage());
            }
        }
        if (events.isEmpty()) {
            try {
                Files.delete(f);
            } catch (IOException e) {
                log.warn("queue event store: cannot remove {}: {}", f, e.getMessage());
            }
            return List.of();
        }
        log.warn("queue event store: storing {} events the last run could not store before shutdown (from {})",
                events.size(), f);
        spillLeft.set(events.size());
        int[] stored = {0};
        try {
            while (stored[0] < events.size()) {
                int end = Math.min(stored[0] + settings.writeBatch(), events.size());
                store(events.subList(stored[0], end), n -> stored[0] += n);
                stored[0] = end;
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("queue event store: cannot store them yet ({}); the writer keeps trying", describe(e));
        }
        return events.subList(stored[0], events.size());
    }

    private String safeJson(QueueEvent e) {
        try {
            return json.write(e);
        } catch (RuntimeException ex) {
            return String.valueOf(e);
        }
    }
}
