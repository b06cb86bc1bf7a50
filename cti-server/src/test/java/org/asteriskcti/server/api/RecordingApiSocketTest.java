package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.recording.EndReason;
import org.asteriskcti.server.recording.RecordingError;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.recording.RecordingId;
import org.asteriskcti.server.recording.RecordingPolicy;
import org.asteriskcti.server.recording.RecordingStatus;
import org.asteriskcti.server.recording.RecordingView;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.MemoryRecordingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST {@code /api/v1/recordings} over real sockets on loopback: who may see and hear which recording
 * (tenants, agents on the call, supervisors), the metadata with its pauses, and the audio streamed from a
 * fake {@link RecordingFiles}: chunk by chunk as it is read, never buffered whole.
 */
class RecordingApiSocketTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final CallId CALL = CallId.of("1795424151.47");
    private static String users;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MemoryRecordingStore store = new MemoryRecordingStore();
    private final FakeFiles files = new FakeFiles();
    private DomainLoop loop;
    private AcdFixture f;
    private RecordingApi recordings;
    private ApiServer server;
    private String base;

    /** demo: agent-1001 and agent-1002 were on the call; agent-1003 was not. */
    private final RecordingView onCall = recording("rec-demo-1", TenantId.of("demo"), CALL, RecordingStatus.STOPPED,
            List.of(AgentId.of("agent-1001")));
    private final RecordingView otherTenants = recording("rec-other-1", TenantId.of("other"), CALL,
            RecordingStatus.STOPPED, List.of(AgentId.of("agent-3001")));

    @BeforeAll
    static void hashPasswords() {
        String hash = AuthService.hashPassword("pw");
        users = """
                users:
                  - {username: a1001, tenant: demo, role: agent, agent: agent-1001, password-hash: "%1$s"}
                  - {username: a1002, tenant: demo, role: agent, agent: agent-1002, password-hash: "%1$s"}
                  - {username: sup, tenant: demo, role: supervisor, password-hash: "%1$s"}
                  - {username: osup, tenant: other, role: supervisor, password-hash: "%1$s"}
                """.formatted(hash);
    }

    @BeforeEach
    void start() throws Exception {
        loop = DomainLoop.started(clock);
        CtiConfig config = AcdFixture.config(dir, users, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));
        f = new AcdFixture(loop, config);
        recordings = new RecordingApi(f.hub, store, files);
        f.hub.recordings(recordings);
        server = new ApiServer(config, new AuthService(config, "s".repeat(40), clock), f.hub, loop, f.metrics,
                new RestQueries(loop, f.model, f.directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
        base = "127.0.0.1:" + server.start().getPort();
        store.put(onCall);
        store.put(otherTenants);
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

    // ---- helpers ------------------------------------------------------------------------------------

    static RecordingView recording(String id, TenantId tenant, CallId call, RecordingStatus status, List<AgentId> agents) {
        boolean ended = !status.isActive();
        return new RecordingView(RecordingId.of(id), tenant, call, Optional.of(QueueId.of("support")),
                BridgeId.of("acd-mix-1"), agents, "cti-" + tenant + "-" + id, "wav", RecordingPolicy.ON_DEMAND, status,
                "a1001", T0, ended ? T0.plusSeconds(60) : null, ended ? EndReason.CALL_ENDED : null, null,
                ended ? 60 : null, List.of(new RecordingView.Pause(T0.plusSeconds(10), "a1001", "card number",
                        T0.plusSeconds(25), "a1001", false)));
    }

    private String login(String user) throws Exception {
        return new RestClient(base).login(user);
    }

    private record Answer(int status, JsonNode body) {}

    private Answer get(String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + base + path)).GET()
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).as("%s answers JSON", path).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    private HttpResponse<byte[]> audio(String id, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/api/v1/recordings/" + id + "/audio"))
                .GET().header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode error(Answer a) {
        return a.body();
    }

    // ---- metadata -----------------------------------------------------------------------------------

    @Test
    void givenASupervisorOfTheTenant_whenTheyAskForARecording_thenItsMetadataWithItsPauses() throws Exception {
        Answer a = get("/api/v1/recordings/rec-demo-1", login("sup"));

        assertThat(a.status()).isEqualTo(200);
        JsonNode r = a.body();
        assertThat(r.get("recording_id").asText()).isEqualTo("rec-demo-1");
        assertThat(r.get("call_id").asText()).isEqualTo(CALL.value());
        assertThat(r.get("tenant").asText()).isEqualTo("demo");
        assertThat(r.get("queue").asText()).isEqualTo("support");
        assertThat(r.get("agents")).hasSize(1);
        assertThat(r.get("state").asText()).isEqualTo("STOPPED");
        assertThat(r.get("end_reason").asText()).isEqualTo("CALL_ENDED");
        assertThat(r.get("duration_seconds").asInt()).isEqualTo(60);
        assertThat(r.get("started_at").asText()).isEqualTo("2026-11-23T09:00:00Z");
        JsonNode pause = r.get("pauses").get(0);
        assertThat(pause.get("paused_by").asText()).isEqualTo("a1001");
        assertThat(pause.get("reason").asText()).isEqualTo("card number");
        assertThat(pause.get("paused_at").asText()).isEqualTo("2026-11-23T09:00:10Z");
        assertThat(pause.get("resumed_at").asText()).isEqualTo("2026-11-23T09:00:25Z");
        assertThat(r.has("name")).as("Asterisk's file name is not the client's business").isFalse();
    }

    @Test
    void givenAnotherTenantsRecording_whenAsked_thenRefusedExactlyLikeAnUnknownOne() throws Exception {
        String token = login("sup");

        Answer other = get("/api/v1/recordings/rec-other-1", token);
        Answer none = get("/api/v1/recordings/rec-other-2", token);
        HttpResponse<byte[]> otherAudio = audio("rec-other-1", token);

        assertThat(other.status()).isEqualTo(404).isEqualTo(none.status());
        assertThat(error(other).get("error_id").asText()).isEqualTo(Protocol.Errors.RECORDING_UNKNOWN)
                .isEqualTo(error(none).get("error_id").asText());
        assertThat(error(other).get("message").asText()).isEqualTo("no recording 'rec-other-1' in your tenant");
        assertThat(error(none).get("message").asText()).isEqualTo("no recording 'rec-other-2' in your tenant");
        assertThat(otherAudio.statusCode()).isEqualTo(404);
        assertThat(files.opened).as("nothing read from Asterisk").isEmpty();
        assertThat(get("/api/v1/recordings/rec-other-1", login("osup")).status()).as("its own tenant sees it")
                .isEqualTo(200);
    }

    @Test
    void givenAnAgent_whenTheyAskForRecordings_thenOnlyThoseOfCallsTheyWereOn() throws Exception {
        String onIt = login("a1001");
        String notOnIt = login("a1002");

        assertThat(get("/api/v1/recordings/rec-demo-1", onIt).status()).isEqualTo(200);
        Answer refused = get("/api/v1/recordings/rec-demo-1", notOnIt);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(error(refused).get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(audio("rec-demo-1", notOnIt).statusCode()).isEqualTo(403);
        assertThat(files.opened).isEmpty();
    }

    @Test
    void whenListedByCall_thenTheUsersTenantsRecordingsTheyMaySee() throws Exception {
        store.put(recording("rec-demo-2", TenantId.of("demo"), CALL, RecordingStatus.RECORDING,
                List.of(AgentId.of("agent-1002"))));

        Answer sup = get("/api/v1/recordings?call=" + CALL.value(), login("sup"));
        Answer agent = get("/api/v1/recordings?call=" + CALL.value(), login("a1001"));
        Answer missing = get("/api/v1/recordings", login("sup"));

        assertThat(sup.status()).isEqualTo(200);
        assertThat(sup.body().get("recordings")).extracting(n -> n.get("recording_id").asText())
                .containsExactly("rec-demo-1", "rec-demo-2");
        assertThat(agent.body().get("recordings")).extracting(n -> n.get("recording_id").asText())
                .containsExactly("rec-demo-1");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(error(missing).get("error_id").asText()).isEqualTo(Protocol.Errors.RECORDING_INVALID_REQUEST);
    }

    @Test
    void withoutAToken_thenUnauthorized() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/api/v1/recordings/rec-demo-1/audio"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(files.opened).isEmpty();
    }

    // ---- audio --------------------------------------------------------------------------------------

    @Test
    void givenAStoppedRecording_whenItsAudioIsAsked_thenTheWavIsStreamedWithItsLength() throws Exception {
        byte[] wav = pseudoWav(3 * 1024 * 1024 + 17);
        files.next = name -> new RecordingFiles.Audio(new TrackedStream(new java.io.ByteArrayInputStream(wav)),
                OptionalLong.of(wav.length), "audio/wav");

        HttpResponse<byte[]> r = audio("rec-demo-1", login("a1001"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("audio/wav");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(wav.length);
        assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"rec-demo-1.wav\"");
        assertThat(MessageDigest.getInstance("SHA-256").digest(r.body()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(wav));
        assertThat(files.opened).containsExactly("cti-demo-rec-demo-1");
        await().atMost(WAIT).until(() -> files.streams.get(0).closed.get());
    }

    @Test
    void givenAsteriskGivesNoLength_whenTheAudioIsAsked_thenItIsSentChunked() throws Exception {
        byte[] wav = pseudoWav(200_000);
        files.next = name -> new RecordingFiles.Audio(new java.io.ByteArrayInputStream(wav), OptionalLong.empty(), "audio/wav");

        HttpResponse<byte[]> r = audio("rec-demo-1", login("sup"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Transfer-Encoding")).contains("chunked");
        assertThat(r.body()).isEqualTo(wav);
    }

    @Test
    void givenAnEndlessSource_whenTheClientReadsAFewBytesAndLeaves_thenBytesFlowedWhileReadingAndTheSourceIsClosed()
            throws Exception {
        TrackedStream endless = new TrackedStream(new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        });
        files.next = name -> new RecordingFiles.Audio(endless, OptionalLong.empty(), "audio/wav");
        String token = login("sup");

        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(base.substring(base.indexOf(':') + 1)))) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/v1/recordings/rec-demo-1/audio HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = s.getInputStream().readNBytes(300_000);
            assertThat(new String(head, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
        }
        // An endless body cannot have been buffered whole: it was streamed, and the server stops reading.
        await().atMost(WAIT).until(() -> endless.closed.get());
        long readAtClose = endless.read.get();
        Thread.sleep(200);
        assertThat(endless.read.get()).as("no reading after the client left").isEqualTo(readAtClose);
    }

    @Test
    void givenARecordingGoingOn_whenItsAudioIsAsked_thenInProgress() throws Exception {
        store.put(recording("rec-live", TenantId.of("demo"), CALL, RecordingStatus.PAUSED, List.of(AgentId.of("agent-1001"))));

        HttpResponse<byte[]> r = audio("rec-live", login("sup"));

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(r.body()).get("error_id").asText()).isEqualTo(Protocol.Errors.RECORDING_IN_PROGRESS);
        assertThat(files.opened).isEmpty();
    }

    @Test
    void givenAsteriskHasNoFile_whenItsAudioIsAsked_thenAudioMissing() throws Exception {
        files.next = name -> {
            throw new RecordingException(RecordingError.AUDIO_MISSING, "Asterisk has no stored recording " + name);
        };

        HttpResponse<byte[]> r = audio("rec-demo-1", login("sup"));

        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("error_id").asText()).isEqualTo(Protocol.Errors.RECORDING_AUDIO_MISSING);
        assertThat(e.at("/details/recording_id").asText()).isEqualTo("rec-demo-1");
    }

    @Test
    void whenAnotherMethodOrRouteIsUsed_thenRefused() throws Exception {
        String token = login("sup");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/api/v1/recordings/rec-demo-1"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/api/v1/recordings/rec-demo-1/video", token).status()).isEqualTo(404);
    }

    // ---- fakes --------------------------------------------------------------------------------------

    /** Bytes that look like nothing in particular, so a reordering or a lost chunk shows. */
    private static byte[] pseudoWav(int n) {
        byte[] b = new byte[n];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    /** Opens what {@link #next} makes, and remembers the names asked and the streams handed out. */
    private static final class FakeFiles implements RecordingFiles {
        final List<String> opened = new CopyOnWriteArrayList<>();
        final List<TrackedStream> streams = new CopyOnWriteArrayList<>();
        volatile java.util.function.Function<String, Audio> next = name -> new Audio(
                new java.io.ByteArrayInputStream(new byte[0]), OptionalLong.of(0), "audio/wav");

        @Override
        public CompletableFuture<Audio> open(String name) {
            opened.add(name);
            try {
                Audio a = next.apply(name);
                if (a.body() instanceof TrackedStream t) {
                    streams.add(t);
                }
                return CompletableFuture.supplyAsync(() -> a);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** Counts what is read and whether it was closed. */
    private static final class TrackedStream extends InputStream {
        final InputStream in;
        final AtomicLong read = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();

        TrackedStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                read.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed.get()) {
                throw new IOException("closed");
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            closed.set(true);
            in.close();
        }
    }
}
