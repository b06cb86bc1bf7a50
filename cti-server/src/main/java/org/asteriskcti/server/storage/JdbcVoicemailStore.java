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
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.MessageState;
import org.asteriskcti.server.voicemail.Origin;
import org.asteriskcti.server.voicemail.VoicemailId;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.asteriskcti.server.voicemail.VoicemailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voicemail messages in a SQL database (table {@code voicemail_message}, see {@code V4__voicemail.sql}).
 *
 * <p>{@link #save} and {@link #delete} only put the message's latest change in memory; one writer thread
 * ({@link BatchWriter}, coalescing by message) stores it, so the domain loop never waits for the database. A
 * message saved again (or deleted) before it was stored is stored once, as it is last. While the database is
 * unreachable the writer retries with a backoff; what a shutdown during an outage cannot store is logged at ERROR.
 *
 * <p>Reads run on two reader threads and see what is pending too: a message saved a moment ago is found even
 * before it is stored, and one deleted a moment ago is not.
 */
public final class JdbcVoicemailStore implements VoicemailStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcVoicemailStore.class);

    private static final String COLUMNS = "id, tenant_id, mailbox, caller_number, caller_name, origin_kind, origin_id, "
            + "channel_id, recording_name, state, started_at, ended_at, duration_seconds, heard_by, heard_at";
    private static final String UPDATE = "UPDATE voicemail_message SET tenant_id = ?, mailbox = ?, caller_number = ?, "
            + "caller_name = ?, origin_kind = ?, origin_id = ?, channel_id = ?, recording_name = ?, file_name = ?, "
            + "format = ?, state = ?, started_at = ?, ended_at = ?, duration_seconds = ?, heard_by = ?, heard_at = ? "
            + "WHERE id = ?";
    private static final String INSERT = "INSERT INTO voicemail_message (tenant_id, mailbox, caller_number, caller_name, "
            + "origin_kind, origin_id, channel_id, recording_name, file_name, format, state, started_at, ended_at, "
            + "duration_seconds, heard_by, heard_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One change of one message: its latest state, or its removal. */
    private record Change(VoicemailId id, VoicemailMessage message) {
        boolean isDelete() {
            return message == null;
        }
    }

    private final DataSource dataSource;
    private final BatchWriter<Change> writer;
    private final ExecutorService readers;

    /** The server's store: retries from 250 ms up to 30 s, 10 s to store what is pending at close. */
    public JdbcVoicemailStore(DataSource dataSource) {
        this(dataSource, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public JdbcVoicemailStore(DataSource dataSource, Duration retryMin, Duration retryMax, Duration closeTimeout) {
        this.dataSource = dataSource;
        this.readers = SqlValues.readers("cti-voicemail-read");
        this.writer = BatchWriter.coalescing(new BatchWriter.Names(log, "voicemail store", "messages",
                "cti-voicemail-writer"), new BatchWriter.Settings(1, retryMin, retryMax, closeTimeout),
                Change::id, (batch, done) -> store(batch.get(0)));
    }

    // ---- writing ------------------------------------------------------------------------------

    @Override
    public void save(VoicemailMessage message) {
        if (!writer.append(new Change(message.id(), message))) {
            log.error("voicemail store is closed; message NOT stored: {}", message);
        }
    }

    @Override
    public void delete(VoicemailId id) {
        if (!writer.append(new Change(id, null))) {
            log.error("voicemail store is closed; message {} NOT deleted", id);
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

    private void store(Change change) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (change.isDelete()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM voicemail_message WHERE id = ?")) {
                    ps.setString(1, change.id().value());
                    ps.executeUpdate();
                }
                return;
            }
            int updated;
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                bind(ps, change.message());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    bind(ps, change.message());
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void bind(PreparedStatement ps, VoicemailMessage m) throws SQLException {
        ps.setString(1, text(m.tenant().value()));
        ps.setString(2, text(m.mailbox().value()));
        ps.setString(3, text(m.callerNumber()));
        ps.setString(4, text(m.callerName()));
        ps.setString(5, m.origin().kind().name());
        ps.setString(6, text(m.origin().id()));
        ps.setString(7, text(m.channel().value()));
        ps.setString(8, m.recordingName());
        ps.setString(9, m.file());
        ps.setString(10, VoicemailMessage.FORMAT);
        ps.setString(11, m.state().name());
        ps.setObject(12, time(m.startedAt()));
        ps.setObject(13, time(m.endedAt()));
        if (m.durationSeconds() == null) {
            ps.setNull(14, Types.INTEGER);
        } else {
            ps.setInt(14, m.durationSeconds());
        }
        ps.setString(15, text(m.heardBy()));
        ps.setObject(16, time(m.heardAt()));
        ps.setString(17, m.id().value());
    }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Optional<VoicemailMessage>> find(VoicemailId id) {
        return read(() -> {
            List<Change> pendingNow = writer.pendingItems();
            List<VoicemailMessage> rows = query("SELECT " + COLUMNS + " FROM voicemail_message WHERE id = ?",
                    List.of(id.value()), Integer.MAX_VALUE);
            List<VoicemailMessage> merged = withPending(rows, pendingNow, m -> m.id().equals(id), Integer.MAX_VALUE);
            return merged.isEmpty() ? Optional.empty() : Optional.of(merged.get(0));
        });
    }

    @Override
    public CompletableFuture<List<VoicemailMessage>> list(TenantId tenant, Optional<Mailbox> mailbox,
            Optional<MessageState> state, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        if (state.isPresent() && state.get() == MessageState.RECORDING) {
            throw new IllegalArgumentException("messages being recorded are never listed");
        }
        return read(() -> {
            List<Change> pendingNow = writer.pendingItems();
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM voicemail_message WHERE tenant_id = ?");
            List<String> params = new ArrayList<>(List.of(tenant.value()));
            if (mailbox.isPresent()) {
                sql.append(" AND mailbox = ?");
                params.add(mailbox.get().value());
            }
            if (state.isPresent()) {
                sql.append(" AND state = ?");
                params.add(state.get().name());
            } else {
                sql.append(" AND state IN ('NEW', 'HEARD')");
            }
            // Pending changes may take rows out of the page: read that many more, then cut.
            int extra = pendingNow.size();
            sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append((long) limit + extra);
            Predicate<VoicemailMessage> wanted = m -> m.tenant().equals(tenant) && m.isComplete()
                    && mailbox.map(m.mailbox()::equals).orElse(true) && state.map(m.state()::equals).orElse(true);
            return withPending(query(sql.toString(), params, Integer.MAX_VALUE), pendingNow, wanted, limit);
        });
    }

    @Override
    public CompletableFuture<List<VoicemailMessage>> recording() {
        return read(() -> {
            List<Change> pendingNow = writer.pendingItems();
            List<VoicemailMessage> rows = query("SELECT " + COLUMNS + " FROM voicemail_message WHERE state = 'RECORDING' "
                    + "ORDER BY started_at, id", List.of(), Integer.MAX_VALUE);
            List<VoicemailMessage> out = new ArrayList<>(withPending(rows, pendingNow,
                    m -> m.state() == MessageState.RECORDING, Integer.MAX_VALUE));
            out.sort(Comparator.comparing(VoicemailMessage::startedAt).thenComparing(m -> m.id().value()));
            return out;
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
                throw new StorageException("cannot read voicemail messages: " + describe(e), e);
            }
        }, readers);
    }

    /**
     * The stored rows with the pending changes (taken before the query) laid over them, newest first, at most
     * {@code limit}: a pending save is newer than its row, a pending delete (or a save no longer {@code wanted})
     * takes its row out.
     */
    private static List<VoicemailMessage> withPending(List<VoicemailMessage> rows, List<Change> pendingNow,
            Predicate<VoicemailMessage> wanted, int limit) {
        Map<VoicemailId, VoicemailMessage> out = new LinkedHashMap<>();
        rows.forEach(m -> out.put(m.id(), m));
        for (Change c : pendingNow) {
            if (!c.isDelete() && wanted.test(c.message())) {
                out.put(c.id(), c.message());
            } else {
                out.remove(c.id());
            }
        }
        return out.values().stream()
                .sorted(Comparator.comparing(VoicemailMessage::startedAt).thenComparing(m -> m.id().value()).reversed())
                .limit(limit).toList();
    }

    private List<VoicemailMessage> query(String sql, List<String> params, int max) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            List<VoicemailMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < max) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static VoicemailMessage row(ResultSet rs) throws SQLException {
        int d = rs.getInt("duration_seconds");
        Integer duration = rs.wasNull() ? null : d;
        return new VoicemailMessage(VoicemailId.of(rs.getString("id")), TenantId.of(rs.getString("tenant_id")),
                Mailbox.of(rs.getString("mailbox")), rs.getString("caller_number"), rs.getString("caller_name"),
                new Origin(Origin.Kind.valueOf(rs.getString("origin_kind")), rs.getString("origin_id")),
                ChannelId.of(rs.getString("channel_id")), rs.getString("recording_name"),
                MessageState.valueOf(rs.getString("state")), instant(rs, "started_at"), instant(rs, "ended_at"), duration,
                rs.getString("heard_by"), instant(rs, "heard_at"));
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public void close() {
        List<Change> left = writer.close();
        readers.shutdown();
        for (Change c : left) {
            log.error("voicemail store: NOT stored at shutdown (the database did not answer): {}",
                    c.isDelete() ? "delete of " + c.id() : c.message());
        }
    }
}
