package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.api.HistoryFixture.entry;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.history.HistoryEntry;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.WsProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call history over real sockets on loopback: REST {@code GET /api/v1/agents/{id}/history} with
 * its limit and access rules, and the history in the agent's snapshot and live on the WebSocket.
 * history.per-agent is 5 here.
 */
class HistoryApiSocketTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static String users;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private DomainLoop loop;
    private HistoryFixture f;
    private ApiServer server;
    private String base;

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
        CtiConfig config = HistoryFixture.config(dir, users, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));
        List<HistoryEntry> restored = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            restored.add(entry("d" + i, "demo", "agent-1001", i, List.of()));
        }
        restored.add(entry("o1", "other", "agent-3001", 9, List.of()));
        f = new HistoryFixture(loop, config, restored);
        server = new ApiServer(config, new AuthService(config, "s".repeat(40), clock), f.hub, loop, f.metrics,
                new RestQueries(loop, f.model, f.directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
        base = "127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        loop.shutdown();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String login(String user) throws Exception {
        return new RestClient(base).login(user);
    }

    private record Answer(int status, JsonNode body) {}

    private Answer get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    private static String history(String agent, String query) {
        return "/api/v1/agents/" + agent + "/history" + (query == null ? "" : "?" + query);
    }

    private static List<String> calls(Answer a) {
        List<String> out = new ArrayList<>();
        a.body().get("entries").forEach(e -> out.add(e.get("call_id").asText()));
        return out;
    }

    // ---- REST ---------------------------------------------------------------------------------------

    @Test
    void givenAnAgentUser_whenReadingTheirOwnHistory_thenAllKeptNewestFirst() throws Exception {
        Answer a = get(history("agent-1001", null), login("a1001"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("agent_id").asText()).isEqualTo("agent-1001");
        assertThat(a.body().get("limit").asInt()).isEqualTo(5);
        assertThat(calls(a)).containsExactly("d3", "d2", "d1");
        JsonNode newest = a.body().get("entries").get(0);
        assertThat(newest.get("number").asText()).isEqualTo("2001");
        assertThat(newest.get("talk_seconds").asLong()).isEqualTo(30);
        assertThat(newest.get("ended_at").asText()).isEqualTo("2026-11-23T08:03:33Z");
    }

    @Test
    void givenALimit_thenAtMostThatManyOfTheNewest() throws Exception {
        String token = login("a1001");
        assertThat(calls(get(history("agent-1001", "limit=2"), token))).containsExactly("d3", "d2");
        assertThat(calls(get(history("agent-1001", "limit=1"), token))).containsExactly("d3");
        assertThat(calls(get(history("agent-1001", "limit=5"), token))).containsExactly("d3", "d2", "d1");
    }

    @Test
    void givenABadLimit_then400HistoryInvalidRequestNamingLimitAndItsRange() throws Exception {
        String token = login("a1001");
        for (String bad : List.of("0", "6", "-1", "abc", "2.5", "", "99999999999")) {
            Answer a = get(history("agent-1001", "limit=" + bad), token);
            assertThat(a.status()).as("limit=%s", bad).isEqualTo(400);
            assertThat(a.body().get("error_id").asText()).as("limit=%s", bad).isEqualTo(Protocol.Errors.HISTORY_INVALID_REQUEST);
            assertThat(a.body().get("message").asText()).as("limit=%s", bad).contains("'limit'").contains("1 to 5");
            assertThat(a.body().at("/details/parameter").asText()).isEqualTo("limit");
            assertThat(a.body().at("/details/max").asInt()).isEqualTo(5);
        }
    }

    @Test
    void givenAnAgentUser_whenReadingAnotherAgentsHistory_then403() throws Exception {
        Answer a = get(history("agent-1002", null), login("a1001"));

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(a.body().has("entries")).isFalse();
    }

    @Test
    void givenASupervisor_thenAnyAgentOfTheirTenantButAnotherTenantsIsRefusedLikeAnUnknownAgent() throws Exception {
        String sup = login("sup");
        assertThat(calls(get(history("agent-1001", "limit=1"), sup))).containsExactly("d3");
        Answer none = get(history("agent-1002", null), sup);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().get("entries")).isEmpty();

        Answer otherTenant = get(history("agent-3001", null), sup);
        Answer unknown = get(history("agent-9999", null), sup);
        assertThat(otherTenant.status()).isEqualTo(404).isEqualTo(unknown.status());
        assertThat(otherTenant.body().get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_UNKNOWN);
        assertThat(otherTenant.body().toString().replace("agent-3001", "X"))
                .isEqualTo(unknown.body().toString().replace("agent-9999", "X"));
        assertThat(otherTenant.body().toString()).doesNotContain("o1");

        // And the other way round.
        Answer osup = get(history("agent-1001", null), login("osup"));
        assertThat(osup.status()).isEqualTo(404);
        assertThat(osup.body().toString()).doesNotContain("d3");
        assertThat(calls(get(history("agent-3001", null), login("osup")))).containsExactly("o1");
    }

    @Test
    void givenNoTokenOrAnotherMethod_thenRefusedLikeEveryRoute() throws Exception {
        assertThat(get(history("agent-1001", null), null).status()).isEqualTo(401);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://" + base + history("agent-1001", null)))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + login("a1001")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
    }

    // ---- WebSocket ----------------------------------------------------------------------------------

    @Test
    void givenAnAgentOnTheWebSocket_whenTheySubscribe_thenTheirHistoryComesInTheSnapshotAndEndedCallsFollowLive()
            throws Exception {
        WsProbe p = WsProbe.open(http, URI.create("ws://" + base + "/ws?access_token=" + login("a1001")));
        await().atMost(WAIT).until(() -> p.frames.size() >= 2);
        p.send("{\"type\":\"subscribe\",\"id\":\"s1\",\"topics\":[\"agent:agent-1001\"]}");
        await().atMost(WAIT).until(() -> p.frames.stream().anyMatch(x -> "agent:agent-1001".equals(x.path("topic").asText())));
        JsonNode snapshot = p.frames.stream().filter(x -> "agent:agent-1001".equals(x.path("topic").asText())).findFirst()
                .orElseThrow();
        List<String> ids = new ArrayList<>();
        snapshot.at("/data/history").forEach(e -> ids.add(e.get("call_id").asText()));
        assertThat(ids).containsExactly("d3", "d2", "d1");

        Events ami = new Events(clock, Source.AMI);
        loop.call(() -> {
            f.model.apply(ami.upsert(Events.channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "c1", "600")));
            f.model.apply(ami.upsert(Events.channel("a1", "PJSIP/1001-00000002", ChannelState.UP, "1001", "c1", "s")));
            f.model.apply(ami.enter("b1", "c1"));
            f.model.apply(ami.enter("b1", "a1"));
            f.model.apply(ami.hangup("c1", 16));
            f.model.apply(ami.hangup("a1", 16));
            return null;
        }).get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> p.frames.stream().anyMatch(x -> Protocol.Events.HISTORY_ADDED.equals(x.path("event").asText())));
        JsonNode added = p.frames.stream().filter(x -> Protocol.Events.HISTORY_ADDED.equals(x.path("event").asText()))
                .findFirst().orElseThrow();
        assertThat(added.at("/data/call_id").asText()).isEqualTo("c1");
        assertThat(added.at("/data/agent_id").asText()).isEqualTo("agent-1001");
        assertThat(added.at("/data/disposition").asText()).isEqualTo("ANSWERED");
        assertThat(calls(get(history("agent-1001", "limit=1"), login("a1001")))).containsExactly("c1");
    }
}
