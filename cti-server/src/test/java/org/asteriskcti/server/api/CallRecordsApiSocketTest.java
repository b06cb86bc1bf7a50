package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.cdr.CallRecord;
import org.asteriskcti.server.cdr.CdrDisposition;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.report.ReportService;
import org.asteriskcti.server.storage.BatchWriter;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.JdbcCallRecordStore;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/call-records} over a real socket and a real (H2) store: tenant demo's day in Europe/Berlin
 * (dates are the tenant's), tenant acme's calls never shown to demo and the other way round, agents refused,
 * keyset pages, the CSV read back with a strict parser, bad parameters named.
 */
class CallRecordsApiSocketTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 2026-11-23 00:00 in Berlin. */
    static final Instant DAY = Instant.parse("2026-11-22T23:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String users;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-24T12:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new HashMap<>();
    private Database db;
    private DomainLoop loop;
    private ApiServer server;
    private ExecutorService workers;
    private JdbcCallRecordStore store;
    private String base;

    record Answer(int status, HttpResponse<String> raw) {
        JsonNode json() throws Exception {
            return JSON.readTree(raw.body());
        }
    }

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
        db = Database.open("jdbc:h2:mem:cdr-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 2);
        String yaml = """
                tenants:
                  - {id: demo, time-zone: Europe/Berlin, endpoints: ["1001", "1002"], dids: ["700"]}
                  - {id: acme, time-zone: UTC, endpoints: ["9001"], dids: ["900"]}
                agents:
                  - {id: a1, tenant: demo, name: A One, endpoint: PJSIP/1001}
                  - {id: a2, tenant: demo, name: A Two, endpoint: PJSIP/1002}
                  - {id: agent-9001, tenant: acme, name: Acme One, endpoint: PJSIP/9001}
                queues:
                  - {id: sales, tenant: demo}
                  - {id: acme-q, tenant: acme}
                """ + users;
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, yaml);
        CtiConfig config = ConfigLoader.load(f, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));

        store = new JdbcCallRecordStore(db.dataSource(), new BatchWriter.Settings(50, Duration.ofMillis(10),
                Duration.ofMillis(100), Duration.ofSeconds(5)));
        // demo: the evening before (Berlin), five calls of the day, one just after midnight the next day
        store.append(record("d-before", "demo", DAY.minusSeconds(60), CdrDisposition.ANSWERED, "sales", "a1", "700"));
        for (int i = 0; i < 5; i++) {
            store.append(record("d" + i, "demo", DAY.plusSeconds(3600L * (i + 1)), i % 2 == 0 ? CdrDisposition.ANSWERED
                    : CdrDisposition.ABANDONED, "sales", i % 2 == 0 ? (i == 4 ? "a2" : "a1") : null, "700"));
        }
        store.append(record("d-next", "demo", DAY.plus(Duration.ofDays(1)), CdrDisposition.ANSWERED, "sales", "a1", "700"));
        store.append(record("acme-1", "acme", DAY.plusSeconds(7200), CdrDisposition.ANSWERED, "acme-q", "agent-9001",
                "900"));
        assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

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
        Map<TenantId, ZoneId> zones = new HashMap<>();
        ReportService.scopes(config).forEach(s -> zones.put(s.tenant(), s.zone()));
        hub.callRecords(new CallRecordsApi(store, zones::get, workers));
        server = new ApiServer(config, new AuthService(config, "s".repeat(40), clock), hub, loop, metrics,
                new RestQueries(loop, model, directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
        base = "127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (loop != null) {
            loop.shutdown();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static CallRecord record(String call, String tenant, Instant start, CdrDisposition d, String queue, String agent,
            String did) {
        boolean answered = d == CdrDisposition.ANSWERED;
        return new CallRecord(CallId.of(call), TenantId.of(tenant), Direction.INBOUND, start,
                answered ? start.plusSeconds(12) : null, start.plusSeconds(100), "+4930555", "Ann, \"A\" Caller", did,
                did, null, List.of(new CallRecord.QueueVisit(queue, "e-" + call, start.plusSeconds(2),
                        answered ? "ANSWERED" : "ABANDONED", 10, agent)),
                answered ? 12 : 100, answered ? 4 : 0, answered ? 80 : 0, answered ? 8 : 0, answered ? 15 : 0,
                agent == null ? List.of() : List.of(agent), List.of(), answered ? List.of("rec-" + call) : List.of(), null,
                null, 0, d, true, List.of(new CallRecord.LegRecord(call + ".1", "PJSIP/trunk", "ORIGIN", null, start,
                        start, start.plusSeconds(100), 16)));
    }

    private String token(String user) throws Exception {
        String t = tokens.get(user);
        if (t == null) {
            t = new RestClient(base).login(user);
            tokens.put(user, t);
        }
        return t;
    }

    private Answer get(String user, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + base + path))
                .header("Authorization", "Bearer " + token(user)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r);
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("records").forEach(r -> out.add(r.get("call_id").asText()));
        return out;
    }

    @Test
    void givenTheTenantsDay_thenItsCallsInStartOrderWithEveryField_pagedByCursor() throws Exception {
        Answer all = get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24");
        assertThat(all.status()).isEqualTo(200);
        assertThat(ids(all.json())).as("dates are Berlin days").containsExactly("d0", "d1", "d2", "d3", "d4");
        assertThat(all.json().get("next").isNull()).isTrue();
        JsonNode d0 = all.json().get("records").get(0);
        assertThat(d0.get("tenant").asText()).isEqualTo("demo");
        assertThat(d0.get("started_at").asText()).isEqualTo("2026-11-23T00:00:00Z");
        assertThat(d0.get("answered_at").asText()).isEqualTo("2026-11-23T00:00:12Z");
        assertThat(d0.get("wait_seconds").asLong()).isEqualTo(12);
        assertThat(d0.get("talk_seconds").asLong()).isEqualTo(80);
        assertThat(d0.get("hold_seconds").asLong()).isEqualTo(8);
        assertThat(d0.get("wrap_up_seconds").asLong()).isEqualTo(15);
        assertThat(d0.get("disposition").asText()).isEqualTo("ANSWERED");
        assertThat(d0.at("/queues/0/queue").asText()).isEqualTo("sales");
        assertThat(d0.at("/queues/0/waited_seconds").asLong()).isEqualTo(10);
        assertThat(d0.at("/legs/0/channel").asText()).isEqualTo("d0.1");
        assertThat(d0.get("ivr").isNull()).isTrue();
        assertThat(d0.get("survey_score").isNull()).isTrue();

        JsonNode first = get("adm", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&limit=2").json();
        assertThat(ids(first)).containsExactly("d0", "d1");
        JsonNode second = get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&limit=2&after="
                + first.get("next").asText()).json();
        assertThat(ids(second)).containsExactly("d2", "d3");
        JsonNode third = get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&limit=2&after="
                + second.get("next").asText()).json();
        assertThat(ids(third)).containsExactly("d4");
        assertThat(third.get("next").isNull()).isTrue();

        assertThat(ids(get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&agent=a2").json()))
                .containsExactly("d4");
        assertThat(ids(get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&disposition=ABANDONED").json()))
                .containsExactly("d1", "d3");
        assertThat(ids(get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&queue=sales&did=700").json()))
                .hasSize(5);

        Answer one = get("sup", "/api/v1/call-records/d2");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("call_id").asText()).isEqualTo("d2");
        assertThat(one.json().get("recordings").get(0).asText()).isEqualTo("rec-d2");
    }

    @Test
    void givenCsv_thenOneLinePerRecordReadBackStrictly() throws Exception {
        Answer csv = get("sup", "/api/v1/call-records?from=2026-11-23&to=2026-11-24&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        assertThat(csv.raw().headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"demo-call-records-2026-11-23-2026-11-24.csv\"");
        List<List<String>> lines = ReportsApiContract.Csv.parse(csv.raw().body());
        assertThat(lines.get(0)).isEqualTo(CallRecordsApi.CSV_COLUMNS);
        assertThat(lines).hasSize(6);
        Map<String, String> d1 = new LinkedHashMap<>();
        for (int i = 0; i < lines.get(0).size(); i++) {
            d1.put(lines.get(0).get(i), lines.get(2).get(i));
        }
        assertThat(d1.get("call_id")).isEqualTo("d1");
        assertThat(d1.get("caller_name")).isEqualTo("Ann, \"A\" Caller");
        assertThat(d1.get("answered_at")).isEmpty();
        assertThat(d1.get("wait_seconds")).isEqualTo("100");
        assertThat(d1.get("disposition")).isEqualTo("ABANDONED");
        assertThat(d1.get("queues")).isEqualTo("sales");
        assertThat(d1.get("legs")).isEqualTo("1");
    }

    @Test
    void givenAnotherTenant_thenNothingOfTheirsEverShows_andTheirIdsAreUnknown() throws Exception {
        String demo = get("sup", "/api/v1/call-records?from=2026-11-20&to=2026-11-26").raw().body()
                + get("sup", "/api/v1/call-records?from=2026-11-20&to=2026-11-26&format=csv").raw().body();
        assertThat(demo).doesNotContain("acme").doesNotContain("agent-9001").doesNotContain("900");
        assertThat(ids(get("osup", "/api/v1/call-records?from=2026-11-20&to=2026-11-26").json()))
                .containsExactly("acme-1");

        Answer theirs = get("osup", "/api/v1/call-records/d1");
        Answer none = get("osup", "/api/v1/call-records/nope");
        assertThat(theirs.status()).isEqualTo(404).isEqualTo(none.status());
        assertThat(theirs.json().get("error_id").asText()).isEqualTo(Protocol.Errors.REPORT_UNKNOWN);
        assertThat(theirs.raw().body().replace("d1", "X")).isEqualTo(none.raw().body().replace("nope", "X"));
        assertThat(get("sup", "/api/v1/call-records/acme-1").status()).isEqualTo(404);
    }

    @Test
    void givenAnAgent_thenForbidden() throws Exception {
        for (String path : List.of("/api/v1/call-records?from=2026-11-23&to=2026-11-24", "/api/v1/call-records/d1")) {
            Answer a = get("ag", path);
            assertThat(a.status()).as(path).isEqualTo(403);
            assertThat(a.json().get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        }
    }

    @Test
    void givenBadParameters_then400NamingTheParameter() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("from=2026-11-24&to=2026-11-23", "to");
        bad.put("to=2026-11-23", "from");
        bad.put("from=2026-11-23&to=tomorrow", "to");
        bad.put("from=2026-11-23&to=2026-11-24&limit=0", "limit");
        bad.put("from=2026-11-23&to=2026-11-24&limit=1001", "limit");
        bad.put("from=2026-11-23&to=2026-11-24&disposition=LOST", "disposition");
        bad.put("from=2026-11-23&to=2026-11-24&after=garbage", "after");
        bad.put("from=2026-11-23&to=2026-11-24&format=xml", "format");
        bad.put("from=2026-11-23&to=2026-11-24&interval=day", "interval");
        bad.put("from=2026-11-23&to=2026-11-24&agent=", "agent");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Answer a = get("sup", "/api/v1/call-records?" + e.getKey());
            assertThat(a.status()).as(e.getKey()).isEqualTo(400);
            assertThat(a.json().get("error_id").asText()).as(e.getKey()).isEqualTo(Protocol.Errors.REPORT_INVALID_REQUEST);
            assertThat(a.json().at("/details/field").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(get("sup", "/api/v1/call-records/d1/audio").status()).isEqualTo(404);
    }
}
