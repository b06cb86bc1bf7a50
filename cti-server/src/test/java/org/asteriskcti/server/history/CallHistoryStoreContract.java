package org.asteriskcti.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database the call history runs on must do, on H2 ({@link H2CallHistoryStoreTest}) and
 * PostgreSQL ({@link PostgresCallHistoryStoreTest}): the same migrations, the same entries back, the
 * newest per agent only, and the history still there after a restart.
 */
abstract class CallHistoryStoreContract {

    static final Instant T0 = Instant.parse("2026-11-23T09:00:00.123456789Z");
    static final TenantId DEMO = TenantId.of("demo");
    static final TenantId OTHER = TenantId.of("other");
    static final AgentId A1001 = AgentId.of("agent-1001");
    static final AgentId A1002 = AgentId.of("agent-1002");
    static final AgentId A3001 = AgentId.of("agent-3001");
    private static final Duration WAIT = Duration.ofSeconds(30);

    Database db;
    Switchable source;
    JdbcCallHistoryStore store;

    /** A newly migrated, empty database of the kind under test. */
    abstract Database openDatabase() throws Exception;

    /** The same database again, as a restarted server opens it (migrations run again: nothing to do). */
    abstract Database reopenDatabase() throws Exception;

    /** Called after the database is closed for good: drop what {@link #openDatabase} made. */
    void dropDatabase() throws Exception {}

    JdbcCallHistoryStore store(int perAgent) {
        return store(perAgent, Duration.ofSeconds(10));
    }

    JdbcCallHistoryStore store(int perAgent, Duration closeTimeout) {
        return new JdbcCallHistoryStore(source, new JdbcCallHistoryStore.Settings(3, perAgent, Duration.ofMillis(10),
                Duration.ofMillis(100), closeTimeout));
    }

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        source = new Switchable(db.dataSource());
        store = store(50);
    }

    @AfterEach
    void closeAll() throws Exception {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
            dropDatabase();
        }
    }

    static HistoryEntry entry(String call, TenantId tenant, AgentId agent, int second) {
        Instant start = T0.plusSeconds(second);
        return new HistoryEntry(CallId.of(call), tenant, agent, Direction.INBOUND, "2001", "Customer One", start,
                start.plusSeconds(2), start.plusSeconds(30), 28, AgentDisposition.ANSWERED, Disposition.ANSWERED,
                "support", List.of());
    }

    private void appendAll(List<HistoryEntry> entries) throws InterruptedException {
        entries.forEach(store::append);
        assertThat(store.flush(WAIT)).as("flushed").isTrue();
        assertThat(store.pending()).isZero();
    }

    private int rows(TenantId tenant, AgentId agent) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call_history WHERE tenant_id = ? AND agent_id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, agent.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void givenEntriesOfEveryShape_whenStoredAndLoaded_thenTheSameEntriesInTheOrderAppended() throws Exception {
        HistoryEntry answered = entry("c1", DEMO, A1001, 0);
        HistoryEntry missed = new HistoryEntry(CallId.of("1795422404.2"), DEMO, A1001, Direction.INBOUND, "+33 1 23",
                "Zoë Ünïcode 中文", T0, null, T0.plusSeconds(7), 0, AgentDisposition.MISSED, Disposition.ABANDONED, null,
                List.of());
        HistoryEntry outbound = new HistoryEntry(CallId.of("c2c-agent-leg-1"), DEMO, A1001, Direction.OUTBOUND, "2002",
                "", T0.plusSeconds(60), T0.plusSeconds(70), T0.plusSeconds(100), 30, AgentDisposition.ANSWERED,
                Disposition.ANSWERED, null, List.of("rec-1", "rec \"2\""));
        HistoryEntry internal = new HistoryEntry(CallId.of("i1"), DEMO, A1002, Direction.INTERNAL, "1001", "Agent One",
                T0.plusSeconds(90), null, T0.plusSeconds(95), 0, AgentDisposition.UNANSWERED, Disposition.UNANSWERED,
                null, List.of());
        appendAll(List.of(answered, missed, outbound, internal));

        assertThat(store.loadLatest(50)).containsExactly(answered, missed, outbound, internal);
        // Microseconds are kept (both databases' precision); the entry was made with them already.
        assertThat(store.loadLatest(50).get(0).startedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:00.123456Z"));
    }

    @Test
    void givenManyEntriesOfSeveralAgents_whenLoadingTheLatest2_thenEachAgentsNewest2InAppendOrder() throws Exception {
        List<HistoryEntry> all = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            all.add(entry("d" + i, DEMO, A1001, i));
            all.add(entry("o" + i, OTHER, A3001, i));
        }
        all.add(entry("e1", DEMO, A1002, 9));
        appendAll(all);

        assertThat(store.loadLatest(2)).extracting(e -> e.agent().value() + "/" + e.call().value())
                .containsExactly("agent-1001/d3", "agent-3001/o3", "agent-1001/d4", "agent-3001/o4", "agent-1002/e1");
    }

    @Test
    void givenALimitOf3_whenFiveEntriesOfOneAgentAreStored_thenTheTableKeepsItsNewest3AndOtherAgentsAreUntouched()
            throws Exception {
        store.close();
        store = store(3);
        appendAll(List.of(entry("x1", DEMO, A1002, 0)));
        for (int i = 1; i <= 5; i++) {
            appendAll(List.of(entry("c" + i, DEMO, A1001, i)));
        }

        assertThat(rows(DEMO, A1001)).isEqualTo(3);
        assertThat(rows(DEMO, A1002)).isEqualTo(1);
        assertThat(store.loadLatest(50)).extracting(e -> e.call().value()).containsExactly("x1", "c3", "c4", "c5");
    }

    @Test
    void givenTheSameCallTwiceForOneAgentInABatch_thenTheSecondIsRefusedAndTheOthersStored() throws Exception {
        HistoryEntry first = entry("c1", DEMO, A1001, 0);
        HistoryEntry again = entry("c1", DEMO, A1001, 5);
        HistoryEntry other = entry("c1", DEMO, A1002, 0);
        appendAll(List.of(first, again, other));

        assertThat(store.loadLatest(50)).containsExactly(first, other);
    }

    @Test
    void givenTheDatabaseDown_whenEntriesAreAppended_thenAppendReturnsAtOnceAndTheWriterStoresThemWhenItIsBack()
            throws Exception {
        source.down();
        long before = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            store.append(entry("c" + i, DEMO, A1001, i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(store.flush(Duration.ofMillis(300))).isFalse();
        assertThat(store.pending()).isEqualTo(5);

        source.up();
        assertThat(store.flush(WAIT)).isTrue();
        assertThat(store.loadLatest(50)).extracting(e -> e.call().value()).containsExactly("c1", "c2", "c3", "c4", "c5");
        assertThat(source.threads).containsOnly("cti-call-history-writer", Thread.currentThread().getName());
        assertThat(source.threads).contains("cti-call-history-writer");
    }

    @Test
    void givenTheDatabaseBackWhileClosing_whenClosed_thenCloseWaitsUntilEverythingIsStored() throws Exception {
        source.down();
        for (int i = 1; i <= 4; i++) {
            store.append(entry("c" + i, DEMO, A1001, i));
        }
        Thread back = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            source.up();
        });
        back.start();
        store.close();
        back.join();

        assertThat(rows(DEMO, A1001)).isEqualTo(4);
        assertThat(store.pending()).isZero();
    }

    @Test
    void givenTheDatabaseDownThroughClose_whenClosed_thenItGivesUpAfterItsTimeoutAndLogsEachEntryNotStored()
            throws Exception {
        store.close();
        store = store(50, Duration.ofMillis(200));
        source.down();
        store.append(entry("lost-1", DEMO, A1001, 1));
        store.append(entry("lost-2", DEMO, A1002, 2));
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(JdbcCallHistoryStore.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            long before = System.nanoTime();
            store.close();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        } finally {
            logger.detachAppender(logged);
        }

        List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("NOT stored at shutdown").contains("lost-1"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("NOT stored at shutdown").contains("lost-2"));
        source.up();
        assertThat(rows(DEMO, A1001)).isZero();
    }

    @Test
    void givenAHistoryStored_whenTheServerRestarts_thenTheNewHistoryShowsTheSameNewestEntries() throws Exception {
        TenantDirectory directory = new TenantDirectory(ConfigLoader.load(null, Map.of(
                "CTI_TENANTS", CallHistoryTest.TENANTS, "CTI_AGENTS", CallHistoryTest.AGENTS, "CTI_USERS", "[]")));
        FakeClock clock = new FakeClock(T0);
        ManualScheduler scheduler = new ManualScheduler(clock);
        DomainLoop loop = new DomainLoop(scheduler, clock);
        for (int i = 1; i <= 4; i++) {
            store.append(entry("c" + i, DEMO, A1001, i));
        }
        store.append(entry("o1", OTHER, A3001, 9));
        store.close();
        db.close();

        db = reopenDatabase();
        source = new Switchable(db.dataSource());
        store = store(50);
        CallHistory restarted = new CallHistory(loop, directory, 3, store, RecordingLinks.NONE, store.loadLatest(3));

        List<List<HistoryEntry>> seen = new ArrayList<>();
        loop.execute(() -> {
            seen.add(restarted.recent(A1001, 50));
            seen.add(restarted.recent(A3001, 50));
        });
        scheduler.runAll();
        assertThat(seen.get(0)).containsExactly(entry("c4", DEMO, A1001, 4), entry("c3", DEMO, A1001, 3),
                entry("c2", DEMO, A1001, 2));
        assertThat(seen.get(1)).containsExactly(entry("o1", OTHER, A3001, 9));
    }

    /** A data source a test can take down; it remembers which threads asked it for connections. */
    static final class Switchable implements DataSource {
        private final DataSource delegate;
        private volatile boolean down;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Switchable(DataSource delegate) {
            this.delegate = delegate;
        }

        void down() {
            down = true;
        }

        void up() {
            down = false;
        }

        @Override
        public Connection getConnection() throws SQLException {
            threads.add(Thread.currentThread().getName());
            if (down) {
                throw new SQLTransientConnectionException("test: the database is unreachable", "08001");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
