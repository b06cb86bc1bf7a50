package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.QueueEventSamples.ACME;
import static org.asteriskcti.server.storage.QueueEventSamples.DEMO;
import static org.asteriskcti.server.storage.QueueEventSamples.SALES;
import static org.asteriskcti.server.storage.QueueEventSamples.SUPPORT;
import static org.asteriskcti.server.storage.QueueEventSamples.T0;
import static org.asteriskcti.server.storage.QueueEventSamples.t;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database the store runs on must do, run against H2 ({@link H2QueueEventStoreTest})
 * and PostgreSQL ({@link PostgresQueueEventStoreTest}): the same migrations, the same rows back.
 */
abstract class QueueEventStoreContract {

    private static final Instant EVER_FROM = T0.minus(Duration.ofDays(1));
    private static final Instant EVER_TO = T0.plus(Duration.ofDays(365));
    private static final Duration WAIT = Duration.ofSeconds(30);

    Database db;
    JdbcQueueEventStore store;

    /** A newly migrated, empty database of the kind under test. */
    abstract Database openDatabase() throws Exception;

    /** Called after the database is closed: drop what {@link #openDatabase} made. */
    void dropDatabase() throws Exception {}

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        // The configuration knows the demo queues; acme-sales is learnt from its Entered event.
        store = new JdbcQueueEventStore(db.dataSource(), Map.of(SALES, DEMO, SUPPORT, DEMO),
                new JdbcQueueEventStore.Settings(4, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10),
                        Optional.empty()));
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

    private void appendAll(List<QueueEvent> events) throws InterruptedException {
        events.forEach(store::append);
        assertThat(store.flush(WAIT)).as("flushed").isTrue();
        assertThat(store.pending()).isZero();
    }

    @Test
    void givenAFreshDatabase_whenOpened_thenTheMigrationsRanToTheLatestVersion() throws SQLException {
        assertThat(DatabaseTest.schemaVersions(db)).containsExactlyElementsOf(DatabaseTest.migrationVersions());
        assertThat(DatabaseTest.count(db)).isZero();
    }

    @Test
    void givenEveryEventType_whenStoredAndLoaded_thenEachComesBackEqualAndInTheOrderAppended() throws Exception {
        List<QueueEvent> all = QueueEventSamples.all();

        appendAll(all);

        assertThat(DatabaseTest.count(db)).isEqualTo(all.size());
        assertThat(store.load(EVER_FROM, EVER_TO)).containsExactlyElementsOf(all);
    }

    @Test
    void givenBoundsInsideOneMicrosecond_whenLoaded_thenFromIsInclusiveAndToExclusiveToTheNanosecond() throws Exception {
        List<QueueEvent> all = QueueEventSamples.all();
        appendAll(all);
        QueueEvent entered = all.get(2); // t(1_000)
        QueueEvent offered = all.get(3); // t(1_500): the same microsecond
        QueueEvent offerEnded = all.get(4); // t(2_000_000_001)

        assertThat(store.load(t(1_000), t(2_000_000_001L))).containsExactly(entered, offered);
        assertThat(store.load(t(1_001), t(2_000_000_001L))).containsExactly(offered);
        assertThat(store.load(t(1_000), t(1_500))).containsExactly(entered);
        assertThat(store.load(t(1_500), t(2_000_000_002L))).containsExactly(offered, offerEnded, all.get(5));
        assertThat(store.load(t(1_000), t(1_000))).isEmpty();
    }

    @Test
    void givenTwoTenants_whenLoadedForOne_thenOnlyItsQueuesAndAgentsComeBack() throws Exception {
        List<QueueEvent> all = QueueEventSamples.all();
        appendAll(all);

        List<QueueEvent> acme = store.load(ACME, EVER_FROM, EVER_TO);
        List<QueueEvent> demo = store.load(DEMO, EVER_FROM, EVER_TO);

        assertThat(acme).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Entered", "Overflowed", "AgentStateInterval");
        List<QueueEvent> both = new ArrayList<>(demo);
        both.addAll(acme);
        assertThat(both).containsExactlyInAnyOrderElementsOf(all);
        assertThat(store.load(ACME, t(8_000_000_001L), EVER_TO)).hasSize(2);
    }

    @Test
    void givenStoredEvents_thenTheColumnsAnswerPlainSql() throws Exception {
        List<QueueEvent> all = QueueEventSamples.all();
        appendAll(all);
        Answered answered = (Answered) all.get(6);

        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT tenant_id, queue_id, entry_id, agent_id, occurred_at, payload "
                        + "FROM queue_event WHERE event_type = 'Answered'")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("tenant_id")).isEqualTo("demo");
                assertThat(rs.getString("queue_id")).isEqualTo("sales");
                assertThat(rs.getString("entry_id")).isEqualTo(answered.entry().value());
                assertThat(rs.getString("agent_id")).isEqualTo("agent \"ü\" 坐席\uFFFDx"); // NUL only in the column
                assertThat(rs.getObject("occurred_at", OffsetDateTime.class).toInstant())
                        .isEqualTo(Instant.parse("2026-11-23T09:00:03.123456Z")); // exact time in the payload
                assertThat(rs.getString("payload")).contains("\"at\":\"2026-11-23T09:00:03.123456790Z\"");
                assertThat(rs.next()).isFalse();
            }
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM queue_event WHERE tenant_id = 'acme' AND queue_id IS NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).as("acme agent events").isEqualTo(1);
        }
    }

    @Test
    void givenAnEventTheDatabaseRefuses_whenStored_thenTheOthersAreStoredInOrderAndItIsLoggedWhole() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE queue_event ADD CONSTRAINT test_refuse CHECK (entry_id IS NULL OR entry_id <> 'refused/2')");
        }
        List<QueueEvent> events = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            events.add(new Entered(T0.plusSeconds(i), SALES, DEMO, QueueEventSamples.entry(i == 2 ? "refused/2" : "c/" + i),
                    ChannelId.of("c" + i), T0, EntryOrigin.NEW, 0));
        }

        try (LogCapture logs = new LogCapture(JdbcQueueEventStore.class)) {
            appendAll(events);

            List<QueueEvent> expected = new ArrayList<>(events);
            expected.remove(1);
            assertThat(store.load(EVER_FROM, EVER_TO)).containsExactlyElementsOf(expected);
            assertThat(store.refused()).isEqualTo(1);
            assertThat(logs.at(Level.ERROR)).singleElement().asString()
                    .contains("event NOT stored").contains("type=Entered").contains("\"entry\":\"refused/2\"");
        }
    }
}
