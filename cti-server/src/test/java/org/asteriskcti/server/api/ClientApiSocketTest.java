package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol.CloseCodes;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.WsProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client API over real sockets on loopback, with no Asterisk edges. */
class ClientApiSocketTest {

    private static final ObjectMapper JSON = Json.mapper();

    @TempDir
    Path dataDir;

    private final FakeClock clock = new FakeClock(Instant.now());
    private final HttpClient http = HttpClient.newHttpClient();
    private CtiServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        CtiConfig config = ConfigLoader.load(null, Map.of(
                "CTI_HTTP_PORT", "0",
                "CTI_DATA_DIR", dataDir.toString(),
                "CTI_AUTH_TOKEN_TTL", "1h",
                "CTI_CLIENT_API_MAX_MALFORMED_FRAMES", "3",
                "CTI_CLIENT_API_MAX_FRAME_SIZE", "1KiB"));
        server = new CtiServer(config, clock, (c, sink, m) -> CtiServer.Edges.none()).start();
        base = "127.0.0.1:" + server.httpAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login(String user, String password) throws Exception {
        HttpResponse<String> r = post("/api/v1/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).get("token").asText();
    }

    private WsProbe ws(String query) {
        return WsProbe.open(http, URI.create("ws://" + base + "/ws" + query));
    }

    @Test
    void givenGoodCredentials_whenLoggingIn_thenABearerTokenForTheUsersTenant() throws Exception {
        HttpResponse<String> r = post("/api/v1/auth/login", "{\"username\":\"supervisor\",\"password\":\"supervisor\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("user").get("tenant").asText()).isEqualTo("demo");
        assertThat(body.get("user").get("role").asText()).isEqualTo("supervisor");
        JsonNode me = JSON.readTree(get("/api/v1/me", body.get("token").asText()).body());
        assertThat(me.get("username").asText()).isEqualTo("supervisor");
    }

    @Test
    void givenAWrongPasswordOrUnknownUser_whenLoggingIn_then401WithTheSameStableError() throws Exception {
        HttpResponse<String> wrong = post("/api/v1/auth/login", "{\"username\":\"supervisor\",\"password\":\"nope\"}");
        HttpResponse<String> unknown = post("/api/v1/auth/login", "{\"username\":\"ghost\",\"password\":\"nope\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).get("error_id").asText()).isEqualTo("auth.invalid_credentials");
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void givenAMalformedLoginBody_then400NamingTheFields() throws Exception {
        HttpResponse<String> r = post("/api/v1/auth/login", "{\"username\":42}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("message").asText()).contains("'username' and 'password'");
        assertThat(post("/api/v1/auth/login", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void givenNoOrABadToken_whenCallingRest_then401WithTheReason() throws Exception {
        HttpResponse<String> none = get("/api/v1/calls", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("error_id").asText()).isEqualTo("auth.token_missing");
        HttpResponse<String> bad = get("/api/v1/calls", "abc.def.ghi");
        assertThat(JSON.readTree(bad.body()).get("error_id").asText()).isEqualTo("auth.token_invalid");
    }

    @Test
    void givenNoToken_whenOpeningTheWebSocket_thenClosedWith4401() throws Exception {
        WsProbe p = ws("");
        assertThat(p.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOKEN_MISSING);
        assertThat(p.frames).isEmpty();
    }

    @Test
    void givenATamperedToken_whenOpeningTheWebSocket_thenClosedWith4402() throws Exception {
        String token = login("supervisor", "supervisor");
        String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(ws("?access_token=" + tampered).closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOKEN_INVALID);
    }

    @Test
    void givenAnExpiredToken_whenOpeningTheWebSocket_thenClosedWith4403() throws Exception {
        String token = login("supervisor", "supervisor");
        clock.advance(Duration.ofHours(2));
        WsProbe p = ws("?access_token=" + token);
        assertThat(p.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        assertThat(p.closeReason).contains("expired");
    }

    @Test
    void givenAValidToken_whenConnecting_thenWelcomeAndASystemSnapshot() throws Exception {
        WsProbe p = ws("?access_token=" + login("supervisor", "supervisor"));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.frames.size() >= 2);
        assertThat(p.frames.get(0).get("type").asText()).isEqualTo("welcome");
        assertThat(p.frames.get(1).get("seq").asLong()).isEqualTo(1);
        assertThat(p.frames.get(1).get("data").get("state").asText()).isEqualTo("stale");
    }

    @Test
    void givenMalformedFrames_thenEachGetsAnErrorAndTooManyCloseWith4400() throws Exception {
        WsProbe p = ws("?access_token=" + login("supervisor", "supervisor"));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.frames.size() >= 2);
        p.send("{not json");
        await().atMost(Duration.ofSeconds(5)).until(() -> p.frames.size() >= 3);
        assertThat(p.last().get("error").get("error_id").asText()).isEqualTo("protocol.malformed_json");
        p.send("{\"type\":\"dance\",\"id\":\"d1\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> p.frames.size() >= 4);
        assertThat(p.last().get("error").get("error_id").asText()).isEqualTo("protocol.unknown_type");
        assertThat(p.last().get("id").asText()).isEqualTo("d1");
        // The connection is kept below the limit: a valid message still works.
        p.send("{\"type\":\"ping\",\"id\":\"p\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> "pong".equals(p.last().path("type").asText()));
        p.send("{\"type\":\"subscribe\",\"id\":\"s\"}");
        assertThat(p.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.PROTOCOL_VIOLATION);
        assertThat(p.frames).filteredOn(f -> "error".equals(f.path("type").asText()))
                .extracting(f -> f.get("error").get("error_id").asText())
                .containsExactly("protocol.malformed_json", "protocol.unknown_type", "protocol.missing_field");
    }

    @Test
    void givenAFrameLargerThanTheLimit_thenClosedWith1009() throws Exception {
        WsProbe p = ws("?access_token=" + login("supervisor", "supervisor"));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.frames.size() >= 2);
        p.send("{\"type\":\"ping\",\"id\":\"" + "x".repeat(2000) + "\"}");
        assertThat(p.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void givenNoAsterisk_thenHealthIsDown503AndMetricsAreExported() throws Exception {
        HttpResponse<String> h = get("/health", null);
        assertThat(h.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(h.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("asterisk").get("ami").asText()).isEqualTo("DOWN");
        assertThat(body.get("asterisk").get("ari").asText()).isEqualTo("DOWN");
        String metrics = get("/metrics", null).body();
        assertThat(metrics).contains("cti_event_age_seconds_bucket", "cti_events_out_total", "cti_ws_sessions",
                "cti_asterisk_link_up{interface=\"ami\"} 0.0", "cti_calls_active");
    }

    @Test
    void givenAnUnknownRouteOrWrongMethod_thenTypedErrors() throws Exception {
        HttpResponse<String> nf = get("/api/v1/nothing", null);
        assertThat(nf.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(nf.body()).get("error_id").asText()).isEqualTo("http.not_found");
        HttpResponse<String> m = post("/health", "");
        assertThat(m.statusCode()).isEqualTo(405);
        assertThat(m.headers().firstValue("Allow")).hasValue("GET");
    }
}
