package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.recording.RecordingError;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.MemoryVoicemailStore;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.MessageState;
import org.asteriskcti.server.voicemail.Origin;
import org.asteriskcti.server.voicemail.VoicemailId;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.asteriskcti.server.voicemail.VoicemailService;
import org.asteriskcti.server.voicemail.VoicemailSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST {@code /api/v1/voicemail} over real sockets on loopback, wired as the server wires it: supervisors of the
 * tenant list, read, hear (audio streamed from a fake Asterisk file), mark heard and delete; another tenant's
 * supervisor gets the same 404 as for no message at all; agents are refused; bad parameters are named.
 */
class VoicemailApiSocketTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static String users;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MemoryVoicemailStore store = new MemoryVoicemailStore();
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final byte[] wav = new byte[44 + 16_000 * 2];
    private final RecordingFiles files = name -> name.equals("vm-demo-first")
            ? CompletableFuture.completedFuture(new RecordingFiles.Audio(new ByteArrayInputStream(wav),
                    OptionalLong.of(wav.length), "audio/wav"))
            : CompletableFuture.failedFuture(new RecordingException(RecordingError.AUDIO_MISSING, "no " + name));
    private DomainLoop loop;
    private AcdFixture f;
    private RecordingApi recordings;
    private ApiServer server;
    private String base;

    private final VoicemailMessage first = message("vm-1", "demo", "1000@default", "2001", "vm-demo-first",
            T0, MessageState.NEW);
    private final VoicemailMessage second = message("vm-2", "demo", "2000@default", "2002", "vm-demo-second",
            T0.plusSeconds(60), MessageState.NEW);
    private final VoicemailMessage recording = message("vm-3", "demo", "1000@default", "2003", "vm-demo-third",
            T0.plusSeconds(120), MessageState.RECORDING);
    private final VoicemailMessage others = message("vm-9", "other", "1000@default", "3001", "vm-other-x",
            T0.plusSeconds(30), MessageState.NEW);

    @BeforeAll
    static void hashPasswords() {
        String hash = AuthService.hashPassword("pw");
        users = """
                users:
                  - {username: a1001, tenant: demo, role: agent, agent: agent-1001, password-hash: "%1$s"}
                  - {username: sup, tenant: demo, role: supervisor, password-hash: "%1$s"}
                  - {username: osup, tenant: other, role: supervisor, password-hash: "%1$s"}
                """.formatted(hash);
    }

    @BeforeEach
    void start() throws Exception {
        loop = DomainLoop.started(clock);
        CtiConfig config = AcdFixture.config(dir, users, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));
        f = new AcdFixture(loop, config);
        recordings = new RecordingApi(f.hub, new org.asteriskcti.server.testsupport.MemoryRecordingStore(),
                RecordingFiles.UNAVAILABLE);
        VoicemailApi api = new VoicemailApi(f.hub, loop, store, files, recordings.downloads());
        api.attach(new VoicemailService(loop, asterisk, files, store, api, f.metrics, VoicemailSettings.defaults()));
        f.hub.voicemail(api);
        server = new ApiServer(config, new AuthService(config, "s".repeat(40), clock), f.hub, loop, f.metrics,
                new RestQueries(loop, f.model, f.directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
        base = "127.0.0.1:" + server.start().getPort();
        List.of(first, second, recording, others).forEach(store::save);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        recordings.close();
        loop.call(() -> {
            f.api.close();
            return null;
        }).get(5, TimeUnit.SECONDS);
        loop.shutdown();
    }

    static VoicemailMessage message(String id, String tenant, String box, String number, String name, Instant at,
            MessageState state) {
        VoicemailMessage m = new VoicemailMessage(VoicemailId.of(id), TenantId.of(tenant), Mailbox.of(box), number,
                "Caller " + number, Origin.queue("support"), ChannelId.of("ch-" + id), name, MessageState.RECORDING, at,
                null, null, null, null);
        return state == MessageState.RECORDING ? m : m.completed(at.plusSeconds(20), 19);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String login(String user) throws Exception {
        return new RestClient(base).login(user);
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + base + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String errorId(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error_id").asText();
    }

    // ---- tests --------------------------------------------------------------------------------------

    @Test
    void givenASupervisor_whenListing_thenTheirTenantsCompleteMessagesNewestFirstWithCallerAndOrigin() throws Exception {
        String sup = login("sup");

        JsonNode all = ok(send("GET", "/api/v1/voicemail", sup)).get("messages");

        assertThat(all).extracting(m -> m.get("voicemail_id").asText()).containsExactly("vm-2", "vm-1");
        JsonNode m = all.get(1);
        assertThat(m.get("caller_number").asText()).isEqualTo("2001");
        assertThat(m.get("caller_name").asText()).isEqualTo("Caller 2001");
        assertThat(m.get("mailbox").asText()).isEqualTo("1000@default");
        assertThat(m.get("origin_kind").asText()).isEqualTo("QUEUE");
        assertThat(m.get("origin").asText()).isEqualTo("support");
        assertThat(m.get("state").asText()).isEqualTo("NEW");
        assertThat(m.get("duration_seconds").asInt()).isEqualTo(19);
        assertThat(ok(send("GET", "/api/v1/voicemail?mailbox=1000@default", sup)).get("messages"))
                .extracting(x -> x.get("voicemail_id").asText()).containsExactly("vm-1");
        assertThat(ok(send("GET", "/api/v1/voicemail?limit=1&state=new", sup)).get("messages")).hasSize(1);
        assertThat(ok(send("GET", "/api/v1/voicemail?state=heard", sup)).get("messages")).isEmpty();
    }

    @Test
    void givenBadParameters_thenEachIsRefusedNamingIt() throws Exception {
        String sup = login("sup");

        for (String[] c : new String[][] {{"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=x", "limit"},
                {"state=recording", "state"}}) {
            HttpResponse<String> r = send("GET", "/api/v1/voicemail?" + c[0], sup);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(errorId(r)).isEqualTo(Protocol.Errors.VOICEMAIL_INVALID_REQUEST);
            assertThat(JSON.readTree(r.body()).at("/details/parameter").asText()).isEqualTo(c[1]);
            assertThat(JSON.readTree(r.body()).get("message").asText()).contains("'" + c[1] + "'");
        }
    }

    @Test
    void givenAnotherTenantsSupervisor_thenTheMessageIsUnknownOnEveryRouteAndTheirListHasOnlyTheirs() throws Exception {
        String osup = login("osup");

        for (String[] c : new String[][] {{"GET", "/api/v1/voicemail/vm-1"}, {"GET", "/api/v1/voicemail/vm-1/audio"},
                {"POST", "/api/v1/voicemail/vm-1/heard"}, {"DELETE", "/api/v1/voicemail/vm-1"},
                {"GET", "/api/v1/voicemail/vm-nope"}}) {
            HttpResponse<String> r = send(c[0], c[1], osup);
            assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(404);
            assertThat(errorId(r)).isEqualTo(Protocol.Errors.VOICEMAIL_UNKNOWN);
        }
        assertThat(ok(send("GET", "/api/v1/voicemail", osup)).get("messages"))
                .extracting(x -> x.get("voicemail_id").asText()).containsExactly("vm-9");
        assertThat(store.latest(first.id()).orElseThrow().state()).isEqualTo(MessageState.NEW);
        assertThat(asterisk.lines("record.delete")).isEmpty();
    }

    @Test
    void givenAnAgent_thenVoicemailIsRefused() throws Exception {
        String agent = login("a1001");

        for (String path : List.of("/api/v1/voicemail", "/api/v1/voicemail/vm-1", "/api/v1/voicemail/vm-1/audio")) {
            HttpResponse<String> r = send("GET", path, agent);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(errorId(r)).isEqualTo(Protocol.Errors.FORBIDDEN);
        }
    }

    @Test
    void givenAMessageStillBeingRecorded_thenItIsNotShown() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/voicemail/vm-3", login("sup"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorId(r)).isEqualTo(Protocol.Errors.VOICEMAIL_UNKNOWN);
    }

    @Test
    void givenAMessage_whenItsAudioIsFetched_thenTheWavComesFromAsteriskAndAMissingFileIsNamed() throws Exception {
        String sup = login("sup");

        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/api/v1/voicemail/vm-1/audio"))
                .header("Authorization", "Bearer " + sup).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("audio/wav");
        assertThat(r.headers().firstValue("content-disposition")).contains("attachment; filename=\"vm-1.wav\"");
        assertThat(r.body()).isEqualTo(wav);

        HttpResponse<String> missing = send("GET", "/api/v1/voicemail/vm-2/audio", sup);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(errorId(missing)).isEqualTo(Protocol.Errors.VOICEMAIL_AUDIO_MISSING);
        assertThat(JSON.readTree(missing.body()).get("message").asText()).contains("vm-demo-second.wav");
    }

    @Test
    void givenASupervisorWatchingCalls_whenAMessageIsMarkedHeardThenDeleted_thenTheyAreToldAndBothStick() throws Exception {
        String sup = login("sup");
        FakeConnection watching = new FakeConnection();
        FakeConnection other = new FakeConnection();
        loop.call(() -> {
            f.hub.connected(watching, new Principal(UserId.of("sup"), TenantId.of("demo"), CtiConfig.Role.SUPERVISOR,
                    null, T0.plusSeconds(86_400 * 60)), null, null);
            f.hub.message(watching, new ClientMessage(Protocol.Type.SUBSCRIBE, "s", List.of(Protocol.Topics.CALLS)));
            f.hub.connected(other, new Principal(UserId.of("osup"), TenantId.of("other"), CtiConfig.Role.SUPERVISOR,
                    null, T0.plusSeconds(86_400 * 60)), null, null);
            f.hub.message(other, new ClientMessage(Protocol.Type.SUBSCRIBE, "s", List.of(Protocol.Topics.CALLS)));
            return null;
        }).get(5, TimeUnit.SECONDS);

        JsonNode heard = ok(send("POST", "/api/v1/voicemail/vm-1/heard", sup));
        assertThat(heard.get("state").asText()).isEqualTo("HEARD");
        assertThat(heard.get("heard_by").asText()).isEqualTo("sup");
        assertThat(heard.get("heard_at").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(ok(send("GET", "/api/v1/voicemail?state=heard", sup)).get("messages")).hasSize(1);

        assertThat(ok(send("DELETE", "/api/v1/voicemail/vm-1", sup)).get("deleted").asText()).isEqualTo("vm-1");
        assertThat(asterisk.lines("record.delete")).containsExactly("record.delete vm-demo-first");
        assertThat(send("GET", "/api/v1/voicemail/vm-1", sup).statusCode()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(watching.frames().stream()
                .filter(x -> "event".equals(x.path("type").asText())).map(x -> x.get("event").asText()))
                .containsExactly(Protocol.Events.VOICEMAIL_UPDATED, Protocol.Events.VOICEMAIL_DELETED));
        assertThat(other.frames().stream().filter(x -> x.path("event").asText().startsWith("voicemail."))).isEmpty();
    }

    @Test
    void givenWrongRoutesAndMethods_thenTheyAreNamed() throws Exception {
        String sup = login("sup");

        HttpResponse<String> route = send("GET", "/api/v1/voicemail/vm-1/play", sup);
        assertThat(route.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(route.body()).get("message").asText()).contains("/api/v1/voicemail/{id}/heard");
        HttpResponse<String> method = send("GET", "/api/v1/voicemail/vm-1/heard", sup);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(send("POST", "/api/v1/voicemail", sup).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/api/v1/voicemail", "bad-token").statusCode()).isEqualTo(401);
        assertThat(f.directory.agent(AgentId.of("agent-1001"))).isPresent();
    }
}
