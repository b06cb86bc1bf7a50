package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.QueueEventSamples.DEMO;
import static org.asteriskcti.server.storage.QueueEventSamples.SALES;
import static org.asteriskcti.server.storage.QueueEventSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer thread: an unreachable database, coming back, shutting down meanwhile, the spill file. */
class JdbcQueueEventStoreWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant FROM = T0.minusSeconds(1);
    private static final Instant TO = T0.plus(Duration.ofDays(1));

    @TempDir
    Path dir;

    private final Database db = Database.open("jdbc:h2:mem:writer-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE,
            "", "", 2);
    private final SwitchableDataSource ds = new SwitchableDataSource(db.dataSource());
    private final List<JdbcQueueEventStore> stores = new ArrayList<>();

    @AfterEach
    void closeAll() {
        ds.up();
        stores.forEach(JdbcQueueEventStore::close);
        db.close();
    }

    private JdbcQueueEventStore store(int batch, Duration closeTimeout) {
        JdbcQueueEventStore s = new JdbcQueueEventStore(ds, Map.of(SALES, DEMO), new JdbcQueueEventStore.Settings(batch,
                Duration.ofMillis(5), Duration.ofMillis(40), closeTimeout, Optional.of(dir.resolve(JdbcQueueEventStore.SPILL_FILE))));
        stores.add(s);
        return s;
    }

    private static List<QueueEvent> callers(int from, int to) {
        List<QueueEvent> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(new Entered(T0.plusMillis(i), SALES, DEMO, QueueEventSamples.entry("c" + i + "/" + i), ChannelId.of("c" + i),
                    T0, EntryOrigin.NEW, 0));
        }
        return out;
    }

    @Test
    void givenTheDatabaseDown_whenEventsArrive_thenTheyWaitInMemoryWithOneWarnAndAreStoredInOrderWhenItIsBack()
            throws Exception {
        JdbcQueueEventStore store = store(3, WAIT);
        List<QueueEvent> events = callers(1, 20);
        try (LogCapture logs = new LogCapture(JdbcQueueEventStore.class)) {
            ds.down();
            events.subList(0, 10).forEach(store::append);
            // Several failed attempts, so that "one WARN per outage" is tested against retries.
            await().atMost(WAIT).until(() -> ds.refusedConnections.get() >= 5);
            events.subList(10, 20).forEach(store::append);

            assertThat(store.pending()).isEqualTo(20);
            assertThat(store.flush(Duration.ofMillis(50))).isFalse();

            ds.up();
            assertThat(store.flush(WAIT)).isTrue();
            // Appending never asked the database for anything: only the writer thread did.
            assertThat(ds.threads).containsExactly("cti-queue-event-writer");

            assertThat(store.pending()).isZero();
            assertThat(store.load(FROM, TO)).containsExactlyElementsOf(events);
            assertThat(logs.at(Level.WARN)).singleElement().asString().contains("cannot write to the database")
                    .contains("test: the database is unreachable");
            assertThat(logs.at(Level.INFO)).anySatisfy(l -> assertThat(l).contains("takes events again"));
            assertThat(logs.at(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void givenTwoOutages_whenEachEnds_thenEachLoggedOneWarn() throws Exception {
        JdbcQueueEventStore store = store(2, WAIT);
        try (LogCapture logs = new LogCapture(JdbcQueueEventStore.class)) {
            for (int outage = 0; outage < 2; outage++) {
                int tried = ds.refusedConnections.get();
                ds.down();
                callers(outage * 10 + 1, outage * 10 + 5).forEach(store::append);
                await().atMost(WAIT).until(() -> ds.refusedConnections.get() >= tried + 3);
                ds.up();
                assertThat(store.flush(WAIT)).isTrue();
            }
            assertThat(logs.at(Level.WARN)).hasSize(2);
        }
        assertThat(store.load(FROM, TO)).hasSize(10);
    }

    @Test
    void givenTheDatabaseDownAtShutdown_whenClosed_thenThePendingEventsAreSpilledAndTheNextStartStoresThemFirst()
            throws Exception {
        JdbcQueueEventStore first = store(4, Duration.ofMillis(100));
        List<QueueEvent> stored = callers(1, 3);
        stored.forEach(first::append);
        assertThat(first.flush(WAIT)).isTrue();
        ds.down();
        List<QueueEvent> unstored = callers(4, 9);
        unstored.forEach(first::append);

        first.close();

        Path spill = dir.resolve(JdbcQueueEventStore.SPILL_FILE);
        assertThat(Files.readAllLines(spill)).hasSize(6).first().asString().contains("\"type\":\"Entered\"")
                .contains("c4/4");
        first.append(callers(99, 99).get(0)); // after close: logged, not stored, no exception

        ds.up();
        JdbcQueueEventStore second = store(4, WAIT);
        // Stored while opening, before anything new: a load at start already sees them.
        List<QueueEvent> expected = new ArrayList<>(stored);
        expected.addAll(unstored);
        assertThat(second.load(FROM, TO)).containsExactlyElementsOf(expected);
        assertThat(spill).doesNotExist();

        List<QueueEvent> later = callers(10, 11);
        later.forEach(second::append);
        assertThat(second.flush(WAIT)).isTrue();
        expected.addAll(later);
        assertThat(second.load(FROM, TO)).containsExactlyElementsOf(expected);
    }

    @Test
    void givenTheDatabaseStillDownAtTheNextStart_whenItComesBack_thenTheSpilledEventsAreStoredBeforeNewOnes()
            throws Exception {
        ds.down();
        JdbcQueueEventStore first = store(4, Duration.ofMillis(50));
        List<QueueEvent> events = callers(1, 5);
        events.forEach(first::append);
        first.close();

        JdbcQueueEventStore second = store(4, WAIT);
        List<QueueEvent> later = callers(6, 7);
        later.forEach(second::append);
        Path spill = dir.resolve(JdbcQueueEventStore.SPILL_FILE);
        assertThat(spill).exists();

        ds.up();
        assertThat(second.flush(WAIT)).isTrue();
        List<QueueEvent> expected = new ArrayList<>(events);
        expected.addAll(later);
        assertThat(second.load(FROM, TO)).containsExactlyElementsOf(expected);
        await().atMost(WAIT).until(() -> !Files.exists(spill));
    }

    @Test
    void givenADamagedLineInTheSpillFile_whenStarting_thenTheGoodLinesAreStoredAndTheFileIsKeptAside() throws Exception {
        ds.down();
        JdbcQueueEventStore first = store(4, Duration.ofMillis(50));
        List<QueueEvent> events = callers(1, 2);
        events.forEach(first::append);
        first.close();
        Path spill = dir.resolve(JdbcQueueEventStore.SPILL_FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(spill));
        lines.add(1, "{\"type\":\"Entered\",\"event\":{\"at\":\"yesterday\"}}");
        Files.write(spill, lines);
        ds.up();

        try (LogCapture logs = new LogCapture(JdbcQueueEventStore.class)) {
            JdbcQueueEventStore second = store(4, WAIT);

            assertThat(second.load(FROM, TO)).containsExactlyElementsOf(events);
            assertThat(logs.at(Level.ERROR)).anySatisfy(l -> assertThat(l).contains("line 2").contains("yesterday"));
        }
        assertThat(spill).doesNotExist();
        try (var kept = Files.list(dir)) {
            assertThat(kept.map(p -> p.getFileName().toString()))
                    .anySatisfy(n -> assertThat(n).startsWith(JdbcQueueEventStore.SPILL_FILE + ".bad-"));
        }
    }

    @Test
    void givenAnEventThatCannotBeWritten_whenStored_thenItIsLoggedWholeAndTheOthersGoOnInsteadOfRetryingForever()
            throws Exception {
        JdbcQueueEventStore store = store(4, WAIT);
        List<QueueEvent> good = callers(1, 2);
        QueueEvent broken = new Entered(T0.plusMillis(1), null, DEMO, QueueEventSamples.entry("broken/9"),
                ChannelId.of("broken"), T0, EntryOrigin.NEW, 0); // no queue: a bug upstream

        try (LogCapture logs = new LogCapture(JdbcQueueEventStore.class)) {
            store.append(good.get(0));
            store.append(broken);
            store.append(good.get(1));
            assertThat(store.flush(WAIT)).isTrue();

            assertThat(store.load(FROM, TO)).containsExactlyElementsOf(good);
            assertThat(store.refused()).isEqualTo(1);
            assertThat(logs.at(Level.ERROR)).singleElement().asString().contains("NOT stored").contains("broken/9");
            assertThat(logs.at(Level.WARN)).isEmpty();
        }
    }
}
