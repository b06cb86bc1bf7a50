package org.asteriskcti.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.storage.BatchWriter;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.JdbcCallRecordStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database call detail records run on must do, on H2 ({@link H2CallRecordStoreTest}) and PostgreSQL
 * ({@link PostgresCallRecordStoreTest}): the same record back (every field, nested JSON included), the filters,
 * keyset paging without gaps or repeats, tenants apart, and a call stored once.
 */
abstract class CallRecordStoreContract {

    static final Instant T0 = Instant.parse("2026-11-23T09:00:00.123456789Z");
    static final TenantId DEMO = TenantId.of("demo");
    static final TenantId OTHER = TenantId.of("other");
    private static final Duration WAIT = Duration.ofSeconds(30);

    Database db;
    JdbcCallRecordStore store;

    abstract Database openDatabase() throws Exception;

    void dropDatabase() throws Exception {}

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        store = new JdbcCallRecordStore(db.dataSource(), new BatchWriter.Settings(3, Duration.ofMillis(10),
                Duration.ofMillis(100), Duration.ofSeconds(10)));
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

    /** A record with every part filled: IVR, two visits, a chain, legs, a survey. */
    static CallRecord full(String call, TenantId tenant, int second) {
        Instant s = T0.plusSeconds(second);
        return new CallRecord(CallId.of(call), tenant, Direction.INBOUND, s, s.plusSeconds(26), s.plusSeconds(206),
                "+49 30 1234", "Ann, \"the\" Caller", "700", "700",
                new CallRecord.IvrPath("main", "de", null, List.of(new CallRecord.Choice("welcome", "2"))),
                List.of(new CallRecord.QueueVisit("sales", "e1", s.plusSeconds(10), "ANSWERED", 16, "agent-1001"),
                        new CallRecord.QueueVisit("support_2", "e2", s.plusSeconds(100), "ANSWERED", 3, "agent-1002")),
                26, 6, 150, 30, 20, List.of("agent-1001", "agent-1002"),
                List.of(new CallRecord.ChainLink("BLIND", "agent-1001", "queue:support_2", s.plusSeconds(100))),
                List.of("rec-1"), null, "ANSWERED", 4, CdrDisposition.ANSWERED, true,
                List.of(new CallRecord.LegRecord("1.1", "PJSIP/trunk", "ORIGIN", null, s, s, s.plusSeconds(206), 16),
                        new CallRecord.LegRecord("1.2", "PJSIP/1001", "AGENT", "agent-1001", s.plusSeconds(20),
                                s.plusSeconds(26), s.plusSeconds(100), null)));
    }

    /** A bare abandoned call. */
    static CallRecord bare(String call, TenantId tenant, int second, CdrDisposition d, String queue) {
        Instant s = T0.plusSeconds(second);
        return new CallRecord(CallId.of(call), tenant, Direction.INBOUND, s, null, s.plusSeconds(40), "", "", "701",
                null, null, queue == null ? List.of() : List.of(new CallRecord.QueueVisit(queue, "x" + call, s, "ABANDONED",
                        40, null)), 40, 0, 0, 0, 0, List.of(), List.of(), List.of(), "vm-1", null, 0, d, false, List.of());
    }

    void appendAll(CallRecord... records) throws InterruptedException {
        for (CallRecord r : records) {
            store.append(r);
        }
        assertThat(store.flush(WAIT)).isTrue();
        assertThat(store.pending()).isZero();
    }

    static CallRecordQuery query(Map<String, String> params) {
        Map<String, String> p = new java.util.LinkedHashMap<>(Map.of("from", "2026-11-23", "to", "2026-11-24"));
        p.putAll(params);
        return CallRecordQuery.parse(p, null, java.time.ZoneOffset.UTC);
    }

    static List<String> ids(CallRecordQuery.Page page) {
        return page.records().stream().map(r -> r.record().call().value()).toList();
    }

    @Test
    void givenRecordsOfEveryShape_whenStoredAndRead_thenTheSameRecordsBack() throws Exception {
        CallRecord full = full("c-full", DEMO, 0);
        CallRecord bare = bare("c-bare", DEMO, 5, CdrDisposition.VOICEMAIL, null);
        appendAll(full, bare);

        assertThat(store.get(DEMO, CallId.of("c-full"))).contains(full);
        assertThat(store.get(DEMO, CallId.of("c-bare"))).contains(bare);
        assertThat(store.get(DEMO, CallId.of("c-full")).get().startedAt()).isEqualTo(Instant.parse(
                "2026-11-23T09:00:00.123456Z"));
        assertThat(store.get(OTHER, CallId.of("c-full"))).as("another tenant's call is not found").isEmpty();
        assertThat(ids(store.find(DEMO, query(Map.of())))).containsExactly("c-full", "c-bare");
    }

    @Test
    void givenFilters_thenOnlyMatchingRecordsOfTheTenant() throws Exception {
        appendAll(full("c1", DEMO, 0), bare("c2", DEMO, 10, CdrDisposition.ABANDONED, "sales"),
                bare("c3", DEMO, 20, CdrDisposition.SHORT_ABANDON, "support"), full("c4", OTHER, 30),
                bare("c5", DEMO, 40, CdrDisposition.ABANDONED, "supportXsales"));

        assertThat(ids(store.find(DEMO, query(Map.of("queue", "sales"))))).containsExactly("c1", "c2");
        assertThat(ids(store.find(DEMO, query(Map.of("queue", "support_2"))))).containsExactly("c1");
        assertThat(ids(store.find(DEMO, query(Map.of("queue", "support%"))))).as("LIKE characters are literal")
                .isEmpty();
        assertThat(ids(store.find(DEMO, query(Map.of("agent", "agent-1002"))))).containsExactly("c1");
        assertThat(ids(store.find(DEMO, query(Map.of("agent", "agent-100"))))).as("whole ids only").isEmpty();
        assertThat(ids(store.find(DEMO, query(Map.of("did", "701"))))).isEmpty();
        assertThat(ids(store.find(DEMO, query(Map.of("did", "700"))))).containsExactly("c1");
        assertThat(ids(store.find(DEMO, query(Map.of("disposition", "abandoned"))))).containsExactly("c2", "c5");
        assertThat(ids(store.find(OTHER, query(Map.of())))).containsExactly("c4");
        assertThat(ids(store.find(DEMO, query(Map.of("from", "2026-11-23T09:00:10.123456Z",
                "to", "2026-11-23T09:00:20.123456Z"))))).as("from inclusive, to exclusive").containsExactly("c2");
    }

    @Test
    void givenMoreRecordsThanAPage_whenPagedWithTheCursor_thenEveryRecordOnceInStartOrder() throws Exception {
        List<CallRecord> all = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // two calls start at the same instant: the row id breaks the tie
            all.add(bare("p" + i, DEMO, i / 2, CdrDisposition.ABANDONED, "sales"));
        }
        appendAll(all.toArray(CallRecord[]::new));

        List<String> seen = new ArrayList<>();
        Optional<CallRecordQuery.Cursor> after = Optional.empty();
        int pages = 0;
        do {
            Map<String, String> p = new java.util.HashMap<>(Map.of("limit", "4"));
            after.ifPresent(c -> p.put("after", c.encode()));
            CallRecordQuery.Page page = store.find(DEMO, query(p));
            assertThat(page.records()).hasSizeLessThanOrEqualTo(4);
            seen.addAll(ids(page));
            after = page.next();
            pages++;
        } while (after.isPresent());

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(all.stream().map(r -> r.call().value()).toList());
    }

    @Test
    void givenTheSameCallTwice_thenTheFirstIsKeptAndTheWriterGoesOn() throws Exception {
        appendAll(full("dup", DEMO, 0), bare("dup", DEMO, 1, CdrDisposition.ABANDONED, null), full("after", DEMO, 2));

        assertThat(store.get(DEMO, CallId.of("dup")).get().disposition()).isEqualTo(CdrDisposition.ANSWERED);
        assertThat(store.get(DEMO, CallId.of("after"))).isPresent();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call_record");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
