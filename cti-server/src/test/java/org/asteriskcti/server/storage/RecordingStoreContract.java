package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.recording.EndReason;
import org.asteriskcti.server.recording.RecordingId;
import org.asteriskcti.server.recording.RecordingPolicy;
import org.asteriskcti.server.recording.RecordingStatus;
import org.asteriskcti.server.recording.RecordingView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the recordings' store must do on every database it runs on, H2 ({@link H2RecordingStoreTest}) and
 * PostgreSQL ({@link PostgresRecordingStoreTest}): the same migrations, the same recordings back.
 */
abstract class RecordingStoreContract {

    private static final Duration WAIT = Duration.ofSeconds(30);
    static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    static final TenantId DEMO = TenantId.of("demo");
    static final TenantId ACME = TenantId.of("acme");
    static final CallId CALL = CallId.of("1795424151.47");

    Database db;
    SwitchableDataSource source;
    JdbcRecordingStore store;

    /** A newly migrated, empty database of the kind under test. */
    abstract Database openDatabase() throws Exception;

    void dropDatabase() throws Exception {}

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        source = new SwitchableDataSource(db.dataSource());
        store = new JdbcRecordingStore(source, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
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

    static RecordingView recording(String id, TenantId tenant, CallId call, Instant startedAt) {
        return new RecordingView(RecordingId.of(id), tenant, call, Optional.of(QueueId.of("support")),
                BridgeId.of("acd-mix-1"), List.of(AgentId.of("agent-1001")), "cti-" + tenant + "-" + id, "wav",
                RecordingPolicy.ON_DEMAND, RecordingStatus.RECORDING, "demo1001", startedAt, null, null, null, null,
                List.of());
    }

    private RecordingView find(RecordingView r) {
        return store.find(r.id()).join().orElseThrow(() -> new AssertionError("not found: " + r.id()));
    }

    private void flushed() throws InterruptedException {
        assertThat(store.flush(WAIT)).as("flushed").isTrue();
        assertThat(store.pending()).isZero();
    }

    private long rows(String table) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void givenARecordingWithAgentsAndPauses_whenStored_thenReadBackEqual() throws Exception {
        RecordingView r = new RecordingView(RecordingId.of("rec-1"), DEMO, CALL, Optional.of(QueueId.of("support")),
                BridgeId.of("acd-mix-1"), List.of(AgentId.of("agent-1001"), AgentId.of("agent-1002")),
                "cti-demo-1795424151_47-abcd1234", "wav", RecordingPolicy.ALWAYS, RecordingStatus.STOPPED, "policy",
                T0, T0.plusSeconds(60), EndReason.CALL_ENDED, null, 60, List.of(
                        new RecordingView.Pause(T0.plusSeconds(10), "demo1001", "card number", T0.plusSeconds(25),
                                "supervisor", false),
                        new RecordingView.Pause(T0.plusMillis(40_123), "demo1002", null, T0.plusSeconds(60), null, true)));

        store.save(r);
        flushed();

        assertThat(find(r)).isEqualTo(r);
        assertThat(rows("recording")).isEqualTo(1);
        assertThat(rows("recording_pause")).isEqualTo(2);
        assertThat(rows("recording_agent")).isEqualTo(2);
    }

    @Test
    void givenAStoredRecording_whenSavedAgainChanged_thenOneRowWithTheChanges() throws Exception {
        RecordingView r = recording("rec-2", DEMO, CALL, T0);
        store.save(r);
        flushed();
        RecordingView paused = new RecordingView(r.id(), r.tenant(), r.call(), Optional.empty(), r.bridge(),
                List.of(AgentId.of("agent-1001"), AgentId.of("agent-1003")), r.name(), r.format(), r.policy(),
                RecordingStatus.PAUSED, r.startedBy(), r.startedAt(), null, null, null, null,
                List.of(new RecordingView.Pause(T0.plusSeconds(5), "demo1001", "card number", null, null, false)));

        store.save(paused);
        flushed();

        assertThat(find(r)).isEqualTo(paused);
        assertThat(rows("recording")).isEqualTo(1);
    }

    @Test
    void whenListedByCall_thenOnlyThatTenantsRecordingsOfThatCallOldestFirst() throws Exception {
        RecordingView second = recording("rec-b", DEMO, CALL, T0.plusSeconds(30));
        RecordingView first = recording("rec-a", DEMO, CALL, T0);
        store.save(second);
        store.save(first);
        store.save(recording("rec-c", ACME, CALL, T0));
        store.save(recording("rec-d", DEMO, CallId.of("other-call"), T0));
        flushed();

        assertThat(store.byCall(DEMO, CALL).join()).containsExactly(first, second);
        assertThat(store.byCall(ACME, CALL).join()).extracting(RecordingView::id).containsExactly(RecordingId.of("rec-c"));
        assertThat(store.byCall(DEMO, CallId.of("nothing")).join()).isEmpty();
        assertThat(store.find(RecordingId.of("rec-nope")).join()).isEmpty();
    }

    @Test
    void whenListedActive_thenOnlyRecordingsStillGoingOnOfEveryTenantOldestFirstWithTheirPauses() throws Exception {
        RecordingView recording = recording("rec-a", ACME, CALL, T0.plusSeconds(30));
        RecordingView paused = new RecordingView(RecordingId.of("rec-b"), DEMO, CALL, Optional.empty(),
                BridgeId.of("acd-mix-2"), List.of(AgentId.of("agent-1001"), AgentId.of("agent-1002")), "cti-demo-rec-b",
                "wav", RecordingPolicy.ALWAYS, RecordingStatus.PAUSED, "policy", T0, null, null, null, null,
                List.of(new RecordingView.Pause(T0.plusSeconds(5), "demo1001", "card number", null, null, false)));
        RecordingView stopped = new RecordingView(RecordingId.of("rec-c"), DEMO, CALL, Optional.empty(),
                BridgeId.of("acd-mix-3"), List.of(), "cti-demo-rec-c", "wav", RecordingPolicy.ON_DEMAND,
                RecordingStatus.STOPPED, "demo1001", T0.minusSeconds(60), T0, EndReason.STOPPED, "demo1001", 60, List.of());
        store.save(recording);
        store.save(paused);
        store.save(stopped);
        flushed();

        assertThat(store.active().join()).containsExactly(paused, recording);

        RecordingView ended = new RecordingView(recording.id(), recording.tenant(), recording.call(), recording.queue(),
                recording.bridge(), recording.agents(), recording.name(), recording.format(), recording.policy(),
                RecordingStatus.STOPPED, recording.startedBy(), recording.startedAt(), T0.plusSeconds(90),
                EndReason.CTI_RESTART, null, null, List.of());
        store.save(ended);
        assertThat(store.active().join()).as("an end saved a moment ago, stored or not").containsExactly(paused);
        flushed();
        assertThat(store.active().join()).containsExactly(paused);
        assertThat(find(ended)).isEqualTo(ended);
    }

    @Test
    void givenTheDatabaseIsDown_whenSaved_thenSaveReturnsAtOnceReadsSeeItAndItIsStoredWhenTheDatabaseAnswers()
            throws Exception {
        source.down();
        RecordingView r = recording("rec-3", DEMO, CALL, T0);

        long before = System.nanoTime();
        store.save(r);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(500));
        assertThat(store.flush(Duration.ofMillis(200))).as("not stored while down").isFalse();
        assertThat(store.pending()).isEqualTo(1);

        source.up();
        assertThat(store.find(r.id()).join()).as("a pending save is read").contains(r);
        flushed();
        assertThat(rows("recording")).isEqualTo(1);
        assertThat(source.threads).as("stored by the store's own threads").allMatch(t -> t.startsWith("cti-recording-"));
    }
}
