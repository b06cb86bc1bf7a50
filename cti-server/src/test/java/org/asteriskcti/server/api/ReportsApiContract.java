package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.report.ReportRequest;
import org.asteriskcti.server.report.ReportService;
import org.asteriskcti.server.report.SeededDay;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.JdbcQueueEventStore;
import org.asteriskcti.server.storage.JdbcReportSource;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports over REST on a real database: a seeded day of tenant demo (Europe/Berlin, 2026-03-29, the
 * 23-hour spring-forward day) and a few events of tenant acme are stored through the real event store;
 * each report is asked for over HTTP and EVERY figure is recomputed here independently, from the raw
 * stored rows (plain JDBC, payloads read as plain JSON trees, intervals written out in UTC by hand).
 * Subclasses give the database (H2, PostgreSQL).
 */
abstract class ReportsApiContract {

    abstract Database openDatabase() throws SQLException;

    void dropDatabase() throws SQLException {}

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 2026-03-29 00:00 CET .. 2026-03-30 00:00 CEST: 23 hours. */
    static final Instant FROM = Instant.parse("2026-03-28T23:00:00Z");
    static final Instant TO = Instant.parse("2026-03-29T22:00:00Z");
    static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7");
    static final Map<String, Duration[]> THRESHOLDS = Map.of(
            "sales", new Duration[] {Duration.ofSeconds(15), Duration.ofSeconds(3)},
            "support", new Duration[] {Duration.ofSeconds(20), Duration.ofSeconds(5)},
            "billing", new Duration[] {Duration.ofSeconds(20), Duration.ofSeconds(5)});

    /** Numbers as written (3600.000 stays 3600.000), never through a double. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static String users;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-03-30T12:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private Database db;
    private DomainLoop loop;
    private ApiServer server;
    private ExecutorService workers;
    private String base;
    private List<QueueEvent> seeded;
    private final Map<String, String> tokens = new HashMap<>();
    /** How long the server took for the seeded day's 15-minute queue report (printed for the record). */
    static Duration lastQueueReport;

    @BeforeAll
    static void hashPasswords() {
        String hash = AuthService.hashPassword("pw");
        users = """
                users:
                  - {username: sup, tenant: demo, role: supervisor, password-hash: "%1$s"}
                  - {username: adm, tenant: demo, role: admin, password-hash: "%1$s"}
                  - {username: ag, tenant: demo, role: agent, agent: a1, password-hash: "%1$s"}
                  - {username: osup, tenant: acme, role: supervisor, password-hash: "%1$s"}
                """.formatted(hash);
    }

    @BeforeEach
    void start() throws Exception {
        db = openDatabase();
        StringBuilder agents = new StringBuilder("agents:\n");
        for (String a : AGENTS) {
            agents.append("  - {id: ").append(a).append(", tenant: demo, name: ").append(a).append(", endpoint: PJSIP/1")
                    .append(a.substring(1)).append("}\n");
        }
        agents.append("  - {id: agent-9001, tenant: acme, name: Acme One, endpoint: PJSIP/9001}\n");
        String yaml = """
                tenants:
                  - {id: demo, time-zone: Europe/Berlin, endpoints: ["11", "12", "13", "14", "15", "16", "17"], dids: ["700", "701", "702", "703"]}
                  - {id: acme, time-zone: UTC, endpoints: ["9001"], dids: ["900"]}
                """ + agents + """
                queues:
                  - {id: billing, tenant: demo}
                  - {id: sales, tenant: demo, service-level: 15s, short-abandon: 3s}
                  - {id: support, tenant: demo}
                  - {id: acme-q, tenant: acme}
                """ + users;
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, yaml);
        CtiConfig config = ConfigLoader.load(f, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));

        seeded = new SeededDay(20260329, TenantId.of("demo"), LocalDate.parse("2026-03-29"), BERLIN, 420, AGENTS).events();
        JdbcQueueEventStore store = new JdbcQueueEventStore(db.dataSource(), Map.of(), new JdbcQueueEventStore.Settings(
                500, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5), Optional.empty()));
        seeded.forEach(store::append);
        acmeEvents().forEach(store::append);
        assertThat(store.flush(Duration.ofSeconds(60))).isTrue();
        store.close();

        loop = DomainLoop.started(clock);
        TenantDirectory directory = new TenantDirectory(config);
        CtiMetrics metrics = new CtiMetrics();
        CallModel model = new CallModel(loop, directory, new CallModelListener() {
            @Override
            public void callChanged(CallView call, EventMeta cause) {}

            @Override
            public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {}

            @Override
            public void syncChanged(SyncStatus status) {}
        }, EnumSet.of(Source.AMI));
        ClientHub hub = new ClientHub(loop, model, directory, config.clientApi(), metrics);
        workers = Executors.newFixedThreadPool(2);
        hub.reports(new ReportsApi(new ReportService(new JdbcReportSource(db.dataSource()), ReportService.scopes(config),
                new ReportRequest.Limits(config.reports().maxRangeQuarterHour(), config.reports().maxRangeHour(),
                        config.reports().maxRangeDay()), workers, clock)));
        server = new ApiServer(config, new AuthService(config, "s".repeat(40), clock), hub, loop, metrics,
                new RestQueries(loop, model, directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
        base = "127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() throws SQLException {
        if (server != null) {
            server.close();
        }
        if (loop != null) {
            loop.shutdown();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (db != null) {
            db.close();
        }
        dropDatabase();
    }

    /** Tenant acme: one answered call on DID 900 through acme-q by agent-9001, who is logged in all day. */
    static List<QueueEvent> acmeEvents() {
        TenantId acme = TenantId.of("acme");
        QueueId q = QueueId.of("acme-q");
        AgentId a = AgentId.of("agent-9001");
        Instant t = Instant.parse("2026-03-29T10:00:00Z");
        EntryId e = EntryId.of("x1/1");
        return List.of(
                new QueueEvent.AgentStateInterval(t.minusSeconds(3600), a, acme, AgentState.LOGGED_OUT, AgentState.READY,
                        null, TransitionCause.LOGIN, Duration.ZERO),
                new QueueEvent.Entered(t, q, acme, e, ChannelId.of("x1"), t, EntryOrigin.NEW, 0, "900"),
                new QueueEvent.Answered(t.plusSeconds(9), q, e, a, Duration.ofSeconds(9)),
                new QueueEvent.Completed(t.plusSeconds(99), q, e, a, Duration.ofSeconds(90), Duration.ZERO, Duration.ZERO));
    }

    // ---- HTTP -------------------------------------------------------------------------------------------

    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() throws Exception {
            return JSON.readTree(raw.body());
        }
    }

    Answer get(String user, String path) throws Exception {
        return get(user, path, null);
    }

    Answer get(String user, String path, String accept) throws Exception {
        String token = tokens.get(user);
        if (token == null) {
            token = new RestClient(base).login(user);
            tokens.put(user, token);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + base + path)).GET()
                .header("Authorization", "Bearer " + token);
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r);
    }

    // ---- the raw rows, read independently ----------------------------------------------------------------

    /** One stored row: its type and payload as a plain JSON tree. */
    record Raw(String type, JsonNode p) {
        Instant at() {
            return Instant.parse(p.get("at").asText());
        }

        Duration dur(String f) {
            return Duration.parse(p.get(f).asText());
        }

        String s(String f) {
            return p.get(f) == null || p.get(f).isNull() ? null : p.get(f).asText();
        }
    }

    List<Raw> raw(String tenant) throws Exception {
        List<Raw> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT event_type, payload FROM queue_event WHERE tenant_id = ? ORDER BY id")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Raw(rs.getString(1), JSON.readTree(rs.getString(2))));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Raw::at));
        return out;
    }

    /** The 92 quarter-hours of the day, written out in UTC (no time-zone code involved), plus the range end. */
    static List<Instant> quarterHours() {
        List<Instant> b = new ArrayList<>();
        for (Instant t = FROM; t.isBefore(TO); t = t.plusSeconds(900)) {
            b.add(t);
        }
        return b;
    }

    /** The queue figures of [s, e) for rows matching {@code key}, computed naively from the raw rows. */
    static Map<String, Object> naiveQueue(List<Raw> rows, Instant s, Instant e, java.util.function.Predicate<Raw> key,
            java.util.function.Function<Raw, Duration[]> thresholds) {
        int offered = 0, answered = 0, within = 0, abandoned = 0, shortAb = 0, overflowed = 0, callbacks = 0,
                transfers = 0, transfersIn = 0, completed = 0, sOff = 0, sAns = 0, sTop = 0;
        long waitMs = 0, handleMs = 0;
        Duration longest = Duration.ZERO;
        boolean any = false;
        for (Raw r : rows) {
            if (r.at().isBefore(s) || !r.at().isBefore(e) || !key.test(r)) {
                continue;
            }
            Duration[] t = thresholds.apply(r);
            Duration ended = null;
            switch (r.type()) {
                case "Entered" -> {
                    any = true;
                    String o = r.s("origin");
                    if (!o.equals("RESTORED") && !o.equals("CALLBACK")) {
                        offered++;
                    }
                    if (o.equals("TRANSFERRED")) {
                        transfersIn++;
                    }
                }
                case "Transferred" -> {
                    any = true;
                    transfers++;
                }
                case "Answered" -> {
                    any = true;
                    answered++;
                    if (r.dur("waited").compareTo(t[0]) <= 0) {
                        within++;
                    }
                    waitMs += r.dur("waited").toMillis();
                    ended = r.dur("waited");
                }
                case "Abandoned" -> {
                    any = true;
                    if (r.dur("waited").compareTo(t[1]) < 0) {
                        shortAb++;
                    } else {
                        abandoned++;
                    }
                    ended = r.dur("waited");
                }
                case "Overflowed" -> {
                    any = true;
                    overflowed++;
                    ended = r.dur("waited");
                }
                case "CallbackRequested" -> {
                    any = true;
                    callbacks++;
                    ended = r.dur("waited");
                }
                case "Completed" -> {
                    any = true;
                    completed++;
                    handleMs += r.dur("talk").toMillis() + r.dur("hold").toMillis() + r.dur("wrapUp").toMillis();
                }
                case "SurveyEnded" -> {
                    any = true;
                    sOff++;
                    if (r.s("outcome").equals("ANSWERED")) {
                        sAns++;
                        if (r.p().get("score").asInt() >= 4) {
                            sTop++;
                        }
                    }
                }
                default -> { }
            }
            if (ended != null && ended.compareTo(longest) > 0) {
                longest = ended;
            }
        }
        if (!any) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offered", offered);
        m.put("answered", answered);
        m.put("answered_within_sl", within);
        m.put("service_level", ratio(within, answered + abandoned));
        m.put("abandoned", abandoned);
        m.put("short_abandoned", shortAb);
        m.put("abandon_rate", ratio(abandoned, answered + abandoned));
        m.put("asa_seconds", avgSeconds(waitMs, answered));
        m.put("aht_seconds", avgSeconds(handleMs, completed));
        m.put("longest_wait_seconds", new BigDecimal(longest.toMillis()).movePointLeft(3).setScale(3));
        m.put("transfers", transfers);
        m.put("transfers_in", transfersIn);
        m.put("callbacks", callbacks);
        m.put("overflowed", overflowed);
        m.put("calls_handled", completed);
        m.put("survey_offered", sOff);
        m.put("survey_answered", sAns);
        m.put("response_rate", ratio(sAns, sOff));
        m.put("csat", ratio(sTop, sAns));
        return m;
    }

    static BigDecimal ratio(long n, long d) {
        return d == 0 ? null : new BigDecimal(n).divide(new BigDecimal(d), 4, RoundingMode.HALF_UP);
    }

    static BigDecimal avgSeconds(long totalMs, long n) {
        return n == 0 ? null : new BigDecimal(totalMs).divide(new BigDecimal(n), 0, RoundingMode.HALF_UP).movePointLeft(3)
                .setScale(3);
    }

    static BigDecimal seconds(long nanos) {
        return new BigDecimal(nanos).divide(new BigDecimal(1_000_000_000L), 3, RoundingMode.HALF_UP);
    }

    /** Compares a JSON row with naive figures, field by field, numbers by value. */
    static void assertRow(JsonNode row, Map<String, Object> expected, String what) {
        expected.forEach((k, v) -> {
            JsonNode got = row.get(k);
            assertThat(got).as("%s: field %s present", what, k).isNotNull();
            if (v == null) {
                assertThat(got.isNull()).as("%s %s: %s", what, k, got).isTrue();
            } else if (v instanceof BigDecimal d) {
                assertThat(got.decimalValue()).as("%s %s", what, k).isEqualByComparingTo(d);
            } else {
                assertThat(got.asText()).as("%s %s", what, k).isEqualTo(v.toString());
            }
        });
    }

    // ---- the seeded day -----------------------------------------------------------------------------------

    @Test
    void givenASeededDay_whenTheQueueReportIsAskedIn15Minutes_thenEveryFigureMatchesTheRawRows() throws Exception {
        long t0 = System.nanoTime();
        Answer a = get("sup", "/api/v1/reports/queues?from=2026-03-29&to=2026-03-30&interval=15m");
        lastQueueReport = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("seeded day (" + seeded.size() + " events): 15-minute queue report over HTTP in "
                + lastQueueReport.toMillis() + " ms");
        assertThat(a.status()).isEqualTo(200);
        JsonNode doc = a.json();
        assertThat(doc.get("tenant").asText()).isEqualTo("demo");
        assertThat(doc.get("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(doc.get("from").asText()).isEqualTo(FROM.toString());
        assertThat(doc.get("to").asText()).isEqualTo(TO.toString());
        assertThat(doc.get("interval").asText()).isEqualTo("15m");

        List<Raw> rows = raw("demo");
        assertThat(rows).hasSize(seeded.size());
        Map<String, JsonNode> got = new TreeMap<>();
        doc.get("rows").forEach(r -> got.put(r.get("queue").asText() + "@" + r.get("interval_start").asText(), r));
        int expectedRows = 0;
        for (String q : SeededDay.QUEUES) {
            java.util.function.Predicate<Raw> ofQueue = r -> q.equals(r.s("queue") == null ? null : r.s("queue"))
                    && !r.type().equals("AgentStateInterval");
            for (Instant s : quarterHours()) {
                Map<String, Object> naive = naiveQueue(rows, s, s.plusSeconds(900), ofQueue, r -> THRESHOLDS.get(q));
                JsonNode row = got.get(q + "@" + s);
                if (naive == null) {
                    assertThat(row).as("%s %s has no activity: no row", q, s).isNull();
                } else {
                    expectedRows++;
                    assertThat(row).as("%s %s", q, s).isNotNull();
                    assertRow(row, naive, q + " " + s);
                }
            }
            expectedRows++;
            assertRow(got.get(q + "@null"), naiveQueue(rows, FROM, TO, ofQueue, r -> THRESHOLDS.get(q)), q + " total");
        }
        assertThat(doc.get("rows")).hasSize(expectedRows);
        assertThat(expectedRows).isGreaterThan(100); // 3 queues, most quarter hours of 08:00-18:00 busy
    }

    @Test
    void givenASeededDay_whenTheAgentReportIsAskedHourly_thenEveryTimeMatchesTheChainOfStoredChanges() throws Exception {
        Answer a = get("adm", "/api/v1/reports/agents?from=2026-03-29&to=2026-03-30&interval=hour");
        assertThat(a.status()).isEqualTo(200);
        Map<String, JsonNode> got = new TreeMap<>();
        a.json().get("rows").forEach(r -> got.put(r.get("agent").asText() + "@" + r.get("interval_start").asText(), r));
        List<Raw> rows = raw("demo");
        List<Instant> hours = new ArrayList<>();
        for (Instant t = FROM; t.isBefore(TO); t = t.plusSeconds(3600)) {
            hours.add(t);
        }
        assertThat(hours).hasSize(23);
        int expectedRows = 0;
        long seat = 0;
        for (String agent : AGENTS) {
            // segments from consecutive changes: [previous at, at) in the previous change's "to" state
            List<Raw> chain = rows.stream().filter(r -> r.type().equals("AgentStateInterval") && agent.equals(r.s("agent")))
                    .toList();
            List<Object[]> segs = new ArrayList<>();
            for (int i = 0; i < chain.size(); i++) {
                Raw r = chain.get(i);
                Instant end = i + 1 < chain.size() ? chain.get(i + 1).at() : TO;
                segs.add(new Object[] {r.at(), end, r.s("to"), r.s("reason")});
            }
            List<Raw> done = rows.stream().filter(r -> r.type().equals("Completed") && agent.equals(r.s("agent"))).toList();
            List<Instant> slots = new ArrayList<>(hours);
            slots.add(null);
            for (Instant s : slots) {
                Instant from = s == null ? FROM : s;
                Instant to = s == null ? TO : s.plusSeconds(3600);
                Map<String, Long> by = new HashMap<>();
                Map<String, Long> reasons = new TreeMap<>();
                for (Object[] g : segs) {
                    Instant gs = (Instant) g[0];
                    Instant ge = (Instant) g[1];
                    Instant os = gs.isAfter(from) ? gs : from;
                    Instant oe = ge.isBefore(to) ? ge : to;
                    if (os.isBefore(oe) && !g[2].equals("LOGGED_OUT")) {
                        long n = Duration.between(os, oe).toNanos();
                        by.merge((String) g[2], n, Long::sum);
                        if (g[2].equals("NOT_READY")) {
                            reasons.merge(g[3] == null ? "unknown" : (String) g[3], n, Long::sum);
                        }
                    }
                }
                long loggedIn = by.values().stream().mapToLong(Long::longValue).sum();
                List<Raw> handled = done.stream().filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList();
                long handleMs = handled.stream().mapToLong(r -> r.dur("talk").toMillis() + r.dur("hold").toMillis()
                        + r.dur("wrapUp").toMillis()).sum();
                JsonNode row = got.get(agent + "@" + s);
                if (s != null && loggedIn == 0 && handled.isEmpty()) {
                    assertThat(row).as("%s %s idle: no row", agent, s).isNull();
                    continue;
                }
                expectedRows++;
                if (s == null) {
                    seat += loggedIn;
                }
                String what = agent + " " + s;
                assertThat(row).as(what).isNotNull();
                long nr = by.getOrDefault("NOT_READY", 0L);
                long busy = by.getOrDefault("RESERVED", 0L) + by.getOrDefault("ON_CALL", 0L) + by.getOrDefault("WRAP_UP", 0L)
                        + by.getOrDefault("ON_OTHER", 0L);
                Map<String, Object> exp = new LinkedHashMap<>();
                exp.put("logged_in_seconds", seconds(loggedIn));
                exp.put("ready_seconds", seconds(by.getOrDefault("READY", 0L)));
                exp.put("not_ready_seconds", seconds(nr));
                exp.put("reserved_seconds", seconds(by.getOrDefault("RESERVED", 0L)));
                exp.put("on_call_seconds", seconds(by.getOrDefault("ON_CALL", 0L)));
                exp.put("wrap_up_seconds", seconds(by.getOrDefault("WRAP_UP", 0L)));
                exp.put("on_other_seconds", seconds(by.getOrDefault("ON_OTHER", 0L)));
                exp.put("occupancy", ratio(busy, loggedIn - nr));
                exp.put("calls_handled", handled.size());
                exp.put("aht_seconds", avgSeconds(handleMs, handled.size()));
                assertRow(row, exp, what);
                Map<String, BigDecimal> gotReasons = new TreeMap<>();
                row.get("not_ready_by_reason").fields().forEachRemaining(f -> gotReasons.put(f.getKey(), f.getValue().decimalValue()));
                Map<String, BigDecimal> expReasons = new TreeMap<>();
                reasons.forEach((k, v) -> expReasons.put(k, seconds(v)));
                assertThat(gotReasons).as(what + " reasons").isEqualTo(expReasons);
            }
        }
        assertThat(a.json().get("rows")).hasSize(expectedRows);

        // usage: the same logged-in time, in hours, exact then half-up to 2 decimals
        JsonNode usage = get("sup", "/api/v1/reports/usage?from=2026-03-29&to=2026-03-30").json();
        assertThat(usage.get("seat_hours").decimalValue()).isEqualByComparingTo(new BigDecimal(seat)
                .divide(new BigDecimal(3_600_000_000_000L), 2, RoundingMode.HALF_UP));
        List<Raw> completed = rows.stream().filter(r -> r.type().equals("Completed")).toList();
        assertThat(usage.get("calls_handled").asInt()).isEqualTo(completed.size());
        assertThat(usage.get("handled_minutes").decimalValue()).isEqualByComparingTo(new BigDecimal(completed.stream()
                .mapToLong(r -> r.dur("talk").toMillis() + r.dur("hold").toMillis() + r.dur("wrapUp").toMillis()).sum())
                .divide(new BigDecimal(60_000), 2, RoundingMode.HALF_UP));
        assertThat(usage.get("calls_offered").asInt()).isEqualTo((int) rows.stream().filter(r -> r.type().equals("Entered")
                && !r.s("origin").equals("RESTORED") && !r.s("origin").equals("CALLBACK")).count());
    }

    @Test
    void givenASeededDay_whenTheDidReportIsAskedPerDay_thenEachDidHasTheFiguresOfTheVisitsItBrought() throws Exception {
        Answer a = get("sup", "/api/v1/reports/dids?from=2026-03-29&to=2026-03-30&interval=day");
        assertThat(a.status()).isEqualTo(200);
        List<Raw> rows = raw("demo");
        Map<String, String> didOfEntry = new HashMap<>();
        Map<String, String> queueOfEntry = new HashMap<>();
        for (Raw r : rows) {
            if (r.type().equals("Entered") && r.s("origin").equals("NEW")) {
                didOfEntry.put(r.s("entry"), r.s("did") == null ? "unknown" : r.s("did"));
            }
            if (r.type().equals("Entered")) {
                queueOfEntry.put(r.s("entry"), r.s("queue"));
            }
        }
        Map<String, JsonNode> got = new TreeMap<>();
        a.json().get("rows").forEach(r -> got.put(r.get("did").asText() + "@" + r.get("interval_start").asText(), r));
        List<String> dids = new ArrayList<>(new java.util.TreeSet<>(didOfEntry.values()));
        assertThat(dids).contains("700", "701", "702", "703", "unknown");
        for (String did : dids) {
            java.util.function.Predicate<Raw> ofDid = r -> r.p().has("entry") && did.equals(didOfEntry.get(r.s("entry")));
            Map<String, Object> naive = naiveQueue(rows, FROM, TO, ofDid,
                    r -> THRESHOLDS.get(queueOfEntry.get(r.s("entry"))));
            // one day: the day's row and the total row are the same figures
            assertRow(got.get(did + "@" + FROM), naive, did + " day");
            assertRow(got.get(did + "@null"), naive, did + " total");
        }
        assertThat(got).hasSize(dids.size() * 2);
    }

    @Test
    void givenCsv_thenTheSameRowsComeBackAsRfc4180WithAHeaderAndAnAttachmentName() throws Exception {
        JsonNode json = get("sup", "/api/v1/reports/agents?from=2026-03-29&to=2026-03-30&interval=hour").json();
        Answer csv = get("sup", "/api/v1/reports/agents?from=2026-03-29&to=2026-03-30&interval=hour&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        assertThat(csv.raw().headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"demo-agents-2026-03-29-2026-03-30.csv\"");
        List<List<String>> lines = Csv.parse(csv.raw().body());
        List<String> header = lines.get(0);
        assertThat(header).startsWith("interval_start", "agent", "logged_in_seconds").contains("not_ready_break_seconds",
                "not_ready_lunch_seconds", "not_ready_coaching_seconds", "occupancy", "aht_seconds");
        assertThat(lines).hasSize(json.get("rows").size() + 1);
        for (int i = 1; i < lines.size(); i++) {
            JsonNode row = json.get("rows").get(i - 1);
            Map<String, String> byName = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                byName.put(header.get(c), lines.get(i).get(c));
            }
            assertThat(byName.get("agent")).isEqualTo(row.get("agent").asText());
            assertThat(byName.get("interval_start")).isEqualTo(row.get("interval_start").isNull() ? ""
                    : row.get("interval_start").asText());
            assertThat(byName.get("logged_in_seconds")).isEqualTo(row.get("logged_in_seconds").decimalValue().toPlainString());
            assertThat(byName.get("occupancy")).isEqualTo(row.get("occupancy").isNull() ? ""
                    : row.get("occupancy").decimalValue().toPlainString());
            JsonNode br = row.get("not_ready_by_reason").get("break");
            assertThat(new BigDecimal(byName.get("not_ready_break_seconds")))
                    .isEqualByComparingTo(br == null ? BigDecimal.ZERO : br.decimalValue());
        }
        // Accept: text/csv works like format=csv
        Answer accepted = get("sup", "/api/v1/reports/queues?from=2026-03-29&to=2026-03-30&interval=day", "text/csv");
        assertThat(accepted.raw().headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        assertThat(Csv.parse(accepted.raw().body()).get(0)).startsWith("interval_start", "queue", "offered");
    }

    // ---- access and tenants -------------------------------------------------------------------------------

    @Test
    void givenTheOtherTenantsSupervisor_thenNoReportOrCsvShowsAnythingOfDemo_andDemosIdsAreUnknownToThem() throws Exception {
        for (String kind : List.of("queues", "agents", "dids")) {
            for (String format : List.of("", "&format=csv")) {
                Answer a = get("osup", "/api/v1/reports/" + kind + "?from=2026-03-29&to=2026-03-30&interval=hour" + format);
                assertThat(a.status()).isEqualTo(200);
                String body = a.raw().body();
                for (String demo : List.of("billing", "sales", "support", "\"a1\"", ",a1,", "a2", "700", "701", "702", "703",
                        "demo", "Europe/Berlin")) {
                    assertThat(body).as("%s%s", kind, format).doesNotContain(demo);
                }
            }
        }
        JsonNode queues = get("osup", "/api/v1/reports/queues?from=2026-03-29&to=2026-03-30&interval=day").json();
        assertThat(queues.get("tenant").asText()).isEqualTo("acme");
        assertThat(queues.get("rows")).extracting(r -> r.get("queue").asText()).containsOnly("acme-q");
        assertThat(queues.get("rows").get(1).get("answered").asInt()).isEqualTo(1);
        JsonNode usage = get("osup", "/api/v1/reports/usage?from=2026-03-29&to=2026-03-30").json();
        assertThat(usage.get("calls_offered").asInt()).isEqualTo(1);
        assertThat(usage.get("calls_handled").asInt()).isEqualTo(1);
        assertThat(usage.get("seat_hours").decimalValue()).isEqualByComparingTo("15.00"); // READY from 09:00Z to the end of the UTC day

        for (String[] probe : List.of(new String[] {"queues", "queue", "sales"}, new String[] {"agents", "agent", "a1"},
                new String[] {"dids", "did", "700"})) {
            Answer theirs = get("osup", "/api/v1/reports/" + probe[0] + "?from=2026-03-29&to=2026-03-30&" + probe[1] + "=" + probe[2]);
            Answer none = get("osup", "/api/v1/reports/" + probe[0] + "?from=2026-03-29&to=2026-03-30&" + probe[1] + "=nope");
            assertThat(theirs.status()).isEqualTo(404).isEqualTo(none.status());
            assertThat(theirs.json().get("error_id").asText()).isEqualTo(Protocol.Errors.REPORT_UNKNOWN);
            assertThat(theirs.raw().body().replace(probe[2], "X")).isEqualTo(none.raw().body().replace("nope", "X"));
        }
        // and demo's supervisor sees nothing of acme
        String demo = get("sup", "/api/v1/reports/queues?from=2026-03-29&to=2026-03-30&interval=day").raw().body()
                + get("sup", "/api/v1/reports/agents?from=2026-03-29&to=2026-03-30&interval=day").raw().body()
                + get("sup", "/api/v1/reports/dids?from=2026-03-29&to=2026-03-30&interval=day").raw().body();
        assertThat(demo).doesNotContain("acme").doesNotContain("agent-9001").doesNotContain("\"900\"");
    }

    @Test
    void givenAnAgent_thenEveryReportIsForbidden() throws Exception {
        for (String kind : List.of("queues", "agents", "dids", "usage")) {
            Answer a = get("ag", "/api/v1/reports/" + kind + "?from=2026-03-29&to=2026-03-30");
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.json().get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        }
    }

    @Test
    void givenBadParameters_then400NamingTheParameter() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("from=2026-03-30&to=2026-03-29", "to");
        bad.put("from=2026-03-29&to=2026-03-29", "to");
        bad.put("from=yesterday&to=2026-03-29", "from");
        bad.put("from=2026-02-30&to=2026-03-29", "from");
        bad.put("to=2026-03-29", "from");
        bad.put("from=2026-03-29", "to");
        bad.put("from=2026-03-29&to=2026-03-30&interval=week", "interval");
        bad.put("from=2026-01-01&to=2026-06-01&interval=15m", "interval");
        bad.put("from=2026-03-29&to=2026-03-30&format=xml", "format");
        bad.put("from=2026-03-29&to=2026-03-30&agent=a1", "agent");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Answer a = get("sup", "/api/v1/reports/queues?" + e.getKey());
            assertThat(a.status()).as(e.getKey()).isEqualTo(400);
            assertThat(a.json().get("error_id").asText()).as(e.getKey()).isEqualTo(Protocol.Errors.REPORT_INVALID_REQUEST);
            assertThat(a.json().at("/details/field").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
        // instants are accepted too, and 93 days of quarter hours is the limit
        assertThat(get("sup", "/api/v1/reports/queues?from=2026-03-29T08:00:00Z&to=2026-03-29T11:30:00%2B02:00&interval=15m")
                .status()).isEqualTo(200);
        assertThat(get("sup", "/api/v1/reports/queues?from=2026-01-01&to=2026-04-04&interval=15m").status()).isEqualTo(200);
        assertThat(get("sup", "/api/v1/reports/nope?from=2026-01-01&to=2026-04-04").status()).isEqualTo(404);
    }

    /** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF), to read the CSV back. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> lines = new ArrayList<>();
            List<String> line = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        f.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    line.add(f.toString());
                    f.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    line.add(f.toString());
                    f.setLength(0);
                    lines.add(line);
                    line = new ArrayList<>();
                    i++;
                } else {
                    f.append(c);
                }
            }
            assertThat(f.length()).as("CSV ends with CRLF").isZero();
            assertThat(line).isEmpty();
            return lines;
        }
    }
}
