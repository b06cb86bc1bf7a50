package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.MessageState;
import org.asteriskcti.server.voicemail.Origin;
import org.asteriskcti.server.voicemail.VoicemailId;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the voicemail store must do on every database it runs on, H2 ({@link H2VoicemailStoreTest}) and
 * PostgreSQL ({@link PostgresVoicemailStoreTest}): the same migration, the same messages back.
 */
abstract class VoicemailStoreContract {

    private static final Duration WAIT = Duration.ofSeconds(30);
    static final Instant T0 = Instant.parse("2026-11-23T09:00:00.123456Z");
    static final TenantId DEMO = TenantId.of("demo");
    static final TenantId ACME = TenantId.of("acme");
    static final Mailbox BOX = Mailbox.of("1000@default");
    static final Mailbox SALES = Mailbox.of("2000@default");

    Database db;
    SwitchableDataSource source;
    JdbcVoicemailStore store;

    abstract Database openDatabase() throws Exception;

    void dropDatabase() throws Exception {}

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        source = new SwitchableDataSource(db.dataSource());
        store = new JdbcVoicemailStore(source, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
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

    static VoicemailMessage recording(String id, TenantId tenant, Mailbox box, Instant at) {
        return new VoicemailMessage(VoicemailId.of(id), tenant, box, "2001", "Customer \u00d6ne", Origin.queue("support"),
                ChannelId.of("1795424200." + id), "vm-" + tenant + "-" + id, MessageState.RECORDING, at, null, null, null,
                null);
    }

    static VoicemailMessage complete(String id, TenantId tenant, Mailbox box, Instant at) {
        return recording(id, tenant, box, at).completed(at.plusSeconds(30), 29);
    }

    private void flushed() throws InterruptedException {
        assertThat(store.flush(WAIT)).as("flushed").isTrue();
        assertThat(store.pending()).isZero();
    }

    private long rows() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM voicemail_message")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void givenAMessageThroughItsLife_whenStoredAtEachStep_thenReadBackEqualInOneRow() throws Exception {
        VoicemailMessage rec = recording("vm-1", DEMO, BOX, T0);
        store.save(rec);
        flushed();
        assertThat(store.find(rec.id()).join()).contains(rec);
        assertThat(store.recording().join()).containsExactly(rec);

        VoicemailMessage done = rec.completed(T0.plusSeconds(12), 11);
        store.save(done);
        flushed();
        assertThat(store.find(rec.id()).join()).contains(done);
        assertThat(store.recording().join()).isEmpty();

        VoicemailMessage heard = done.heard("supervisor", T0.plusSeconds(600));
        store.save(heard);
        flushed();
        assertThat(store.find(rec.id()).join()).contains(heard);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void whenListed_thenOnlyTheTenantsCompleteMessagesNewestFirstByBoxStateAndLimit() throws Exception {
        VoicemailMessage oldest = complete("vm-a", DEMO, BOX, T0);
        VoicemailMessage middle = complete("vm-b", DEMO, SALES, T0.plusSeconds(60)).heard("sup", T0.plusSeconds(90));
        VoicemailMessage newest = complete("vm-c", DEMO, BOX, T0.plusSeconds(120));
        store.save(oldest);
        store.save(middle);
        store.save(newest);
        store.save(recording("vm-d", DEMO, BOX, T0.plusSeconds(180)));
        store.save(complete("vm-e", ACME, BOX, T0.plusSeconds(30)));
        flushed();

        assertThat(store.list(DEMO, Optional.empty(), Optional.empty(), 100).join()).containsExactly(newest, middle, oldest);
        assertThat(store.list(DEMO, Optional.of(BOX), Optional.empty(), 100).join()).containsExactly(newest, oldest);
        assertThat(store.list(DEMO, Optional.empty(), Optional.of(MessageState.HEARD), 100).join()).containsExactly(middle);
        assertThat(store.list(DEMO, Optional.empty(), Optional.of(MessageState.NEW), 1).join()).containsExactly(newest);
        assertThat(store.list(ACME, Optional.empty(), Optional.empty(), 100).join())
                .extracting(VoicemailMessage::id).containsExactly(VoicemailId.of("vm-e"));
        assertThat(store.find(VoicemailId.of("vm-nope")).join()).isEmpty();
    }

    @Test
    void givenAStoredMessage_whenDeleted_thenItIsGoneFromEveryRead() throws Exception {
        VoicemailMessage m = complete("vm-x", DEMO, BOX, T0);
        store.save(m);
        flushed();

        store.delete(m.id());
        flushed();

        assertThat(store.find(m.id()).join()).isEmpty();
        assertThat(store.list(DEMO, Optional.empty(), Optional.empty(), 10).join()).isEmpty();
        assertThat(rows()).isZero();
    }

    @Test
    void givenTheDatabaseDown_whenSavedAndDeleted_thenNothingIsLostAndTheChangesAreStoredOnceItAnswers() throws Exception {
        VoicemailMessage kept = complete("vm-k", DEMO, BOX, T0);
        VoicemailMessage dropped = complete("vm-d", DEMO, BOX, T0.plusSeconds(1));
        store.save(dropped);
        flushed();
        source.down();

        store.save(kept);
        store.delete(dropped.id());
        assertThat(store.flush(Duration.ofMillis(300))).as("stored while down").isFalse();
        assertThat(store.pending()).isEqualTo(2);
        source.up();
        flushed();

        assertThat(store.list(DEMO, Optional.empty(), Optional.empty(), 10).join()).containsExactly(kept);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void givenPendingChanges_whenRead_thenTheyAreSeenBeforeTheyAreStored() throws Exception {
        VoicemailMessage dropped = complete("vm-p", DEMO, BOX, T0);
        store.save(dropped);
        flushed();
        source.down();
        VoicemailMessage fresh = complete("vm-q", DEMO, BOX, T0.plusSeconds(5));
        store.save(fresh);
        store.delete(dropped.id());

        // Reads open their own connection: up for them, while the writer's pending changes are still in memory.
        source.up();
        assertThat(store.list(DEMO, Optional.empty(), Optional.empty(), 10).join()).containsExactly(fresh);
        assertThat(store.find(dropped.id()).join()).isEmpty();
        flushed();
        assertThat(rows()).isEqualTo(1);
    }
}
