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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.acd.EnqueueRequest;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.WsProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACD's client API over real sockets on loopback: WebSocket messages and their REST equivalents,
 * with the same answers and error ids, the queue topic and REST queues, and the gauges in /metrics.
 * The domain loop is the real one; time is a fake clock that only the test moves (so the ACD's
 * timers, which run on real delays, never end a wrap-up behind the test's back).
 */
class AcdApiSocketTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static String users;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private DomainLoop loop;
    private AcdFixture f;
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
        CtiConfig config = AcdFixture.config(dir, users, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));
        f = new AcdFixture(loop, config);
        server = apiServer(config, f.hub, f.metrics);
        base = "127.0.0.1:" + server.start().getPort();
    }

    private ApiServer apiServer(CtiConfig config, ClientHub hub, CtiMetrics metrics) {
        return new ApiServer(config, new AuthService(config, "s".repeat(40), clock), hub, loop, metrics,
                new RestQueries(loop, f.model, f.directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        onLoop(f.api::close);
        loop.shutdown();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private <T> T onLoop(Supplier<T> task) throws Exception {
        return loop.call(task).get(5, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    private String login(String user) throws Exception {
        return new RestClient(base).login(user);
    }

    private record Answer(int status, JsonNode body) {}

    private Answer post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + base + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        return answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private Answer get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> r) throws Exception {
        boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        return new Answer(r.statusCode(), json ? JSON.readTree(r.body()) : JSON.getNodeFactory().textNode(r.body()));
    }

    private WsProbe ws(String token) {
        WsProbe p = WsProbe.open(http, URI.create("ws://" + base + "/ws?access_token=" + token));
        await().atMost(WAIT).until(() -> p.frames.size() >= 2);
        return p;
    }

    /** Sends a frame and waits for the answer carrying its id (a reply or an error). */
    private static JsonNode request(WsProbe p, String id, String frame) {
        p.send(frame);
        await().atMost(WAIT).until(() -> answerTo(p, id) != null);
        return answerTo(p, id);
    }

    private static JsonNode answerTo(WsProbe p, String id) {
        return p.frames.stream().filter(x -> !x.has("seq") && id.equals(x.path("id").asText())).findFirst().orElse(null);
    }

    private AgentState state(String agent) throws Exception {
        return onLoop(() -> f.acd.agent(AgentId.of(agent)).state());
    }

    private void phoneOnline(String agent) throws Exception {
        onLoop(() -> f.acd.phoneOnline(AgentId.of(agent)));
    }

    private EntryId enqueue(String caller) throws Exception {
        return onLoop(() -> f.acd.enqueue(EnqueueRequest.newCaller(ChannelId.of(caller), QueueId.of("support"), clock.instant())));
    }

    private static String agentPath(String agent, String action) {
        return "/api/v1/agents/" + agent + "/" + action;
    }

    // ---- WebSocket ----------------------------------------------------------------------------------

    @Test
    void givenAnAgentOnTheWebSocket_whenTheyLogInReady_thenTheEventOnTheStreamThenTheReplyWithTheirId() throws Exception {
        WsProbe p = ws(login("a1001"));
        assertThat(request(p, "s1", "{\"type\":\"subscribe\",\"id\":\"s1\",\"topics\":[\"agent:agent-1001\"]}")
                .path("ok").asBoolean()).isTrue();
        phoneOnline("agent-1001");

        JsonNode reply = request(p, "l1", "{\"type\":\"agent.login\",\"id\":\"l1\",\"ready\":true}");

        assertThat(reply.get("type").asText()).isEqualTo("reply");
        assertThat(reply.at("/data/acd/state").asText()).isEqualTo("READY");
        JsonNode event = p.frames.stream().filter(x -> Protocol.Events.AGENT_UPDATED.equals(x.path("event").asText()))
                .findFirst().orElseThrow();
        assertThat(p.frames.indexOf(event)).isLessThan(p.frames.indexOf(reply));
        assertThat(event.get("seq").asLong()).isPositive();
        assertThat(event.get("data")).isEqualTo(reply.get("data"));
        assertThat(state("agent-1001")).isEqualTo(AgentState.READY);
    }

    @Test
    void givenTheSameRefusal_overTheWebSocketAndOverRest_thenTheSameErrorBody() throws Exception {
        String token = login("a1001");
        WsProbe p = ws(token);

        JsonNode ws = request(p, "n1", "{\"type\":\"agent.not_ready\",\"id\":\"n1\",\"reason\":\"nap\"}");
        Answer rest = post(agentPath("agent-1001", "not-ready"), token, "{\"reason\":\"nap\"}");

        assertThat(ws.get("type").asText()).isEqualTo("error");
        assertThat(ws.at("/error/error_id").asText()).isEqualTo(Protocol.Errors.AGENT_UNKNOWN_REASON);
        assertThat(rest.status()).isEqualTo(400);
        assertThat(rest.body()).isEqualTo(ws.get("error"));

        JsonNode wsKind = request(p, "x1", "{\"type\":\"agent.wrap_up.extend\",\"id\":\"x1\",\"seconds\":\"ten\"}");
        Answer restKind = post(agentPath("agent-1001", "wrap-up/extend"), token, "{\"seconds\":\"ten\"}");
        assertThat(wsKind.at("/error/error_id").asText()).isEqualTo(Protocol.Errors.AGENT_INVALID_REQUEST);
        assertThat(wsKind.at("/error/details/field").asText()).isEqualTo("seconds");
        assertThat(restKind.status()).isEqualTo(400);
        assertThat(restKind.body()).isEqualTo(wsKind.get("error"));
        assertThat(p.closed).isNotDone();
    }

    @Test
    void givenASupervisorWatchingAQueue_thenASnapshotThenTheCallersEventsAndStatistics() throws Exception {
        enqueue("c1");
        WsProbe p = ws(login("sup"));

        request(p, "s1", "{\"type\":\"subscribe\",\"id\":\"s1\",\"topics\":[\"queue:support\"]}");
        await().atMost(WAIT).until(() -> p.frames.stream().anyMatch(x -> "snapshot".equals(x.path("type").asText())
                && "queue:support".equals(x.path("topic").asText())));
        JsonNode snap = p.frames.stream().filter(x -> "queue:support".equals(x.path("topic").asText())).findFirst().orElseThrow();
        assertThat(snap.at("/data/stats/waiting").asInt()).isEqualTo(1);
        assertThat(snap.at("/data/waiting/0/call/caller").asText()).isEqualTo("c1");

        enqueue("c2");

        await().atMost(WAIT).until(() -> p.frames.stream().anyMatch(x -> Protocol.Events.QUEUE_STATS.equals(x.path("event").asText())
                && x.at("/data/waiting").asInt() == 2));
        assertThat(p.frames).filteredOn(x -> Protocol.Events.QUEUE_CALL_ENTERED.equals(x.path("event").asText()))
                .extracting(x -> x.at("/data/caller").asText()).containsExactly("c2");
    }

    /** The agent:<id> snapshot of a fresh connection (what a desktop gets after a resume beyond the buffer). */
    private JsonNode agentSnapshot(String token, String agent) {
        WsProbe p = ws(token);
        request(p, "s", "{\"type\":\"subscribe\",\"id\":\"s\",\"topics\":[\"agent:" + agent + "\"]}");
        String topic = "agent:" + agent;
        await().atMost(WAIT).until(() -> p.frames.stream().anyMatch(x -> topic.equals(x.path("topic").asText())));
        return p.frames.stream().filter(x -> topic.equals(x.path("topic").asText())).findFirst().orElseThrow().get("data");
    }

    @Test
    void givenAnOfferRingingThenAnswered_whenTheAgentSubscribesAfresh_thenTheSnapshotCarriesTheVisitWithItsScreenPop() throws Exception {
        String token = login("a1001");
        phoneOnline("agent-1001");
        onLoop(() -> f.acd.agentLogin(AgentId.of("agent-1001"), true));
        assertThat(agentSnapshot(token, "agent-1001").has("queue_call")).isFalse();
        EntryId entry = onLoop(() -> f.acd.enqueue(EnqueueRequest.newCaller(ChannelId.of("c1"), QueueId.of("support"),
                clock.instant()).withScreenPop(new org.asteriskcti.server.acd.ScreenPop("2001", "Ann", java.util.Optional.of("north"),
                java.util.Optional.empty(), List.of(new org.asteriskcti.server.acd.ScreenPop.Choice("main", "1")), Map.of("account", "77")))));
        clock.advance(Duration.ofSeconds(3));

        JsonNode offered = agentSnapshot(token, "agent-1001").get("queue_call");

        assertThat(offered.get("entry_id").asText()).isEqualTo(entry.value());
        assertThat(offered.get("state").asText()).isEqualTo("OFFERING");
        assertThat(offered.get("agent").asText()).isEqualTo("agent-1001");
        assertThat(offered.has("previous_state")).as("a snapshot has no change: left out like every null").isFalse();
        assertThat(offered.get("wait_seconds").asLong()).isEqualTo(3);
        assertThat(offered.at("/screen_pop/caller_number").asText()).isEqualTo("2001");
        assertThat(offered.at("/screen_pop/region").asText()).isEqualTo("north");
        assertThat(offered.at("/screen_pop/choices/0/key").asText()).isEqualTo("1");
        assertThat(offered.at("/screen_pop/data/account").asText()).isEqualTo("77");

        clock.advance(Duration.ofSeconds(2));
        onLoop(() -> f.acd.agentLegAnswered(entry, AgentId.of("agent-1001")));
        clock.advance(Duration.ofSeconds(40));
        JsonNode connected = agentSnapshot(token, "agent-1001").get("queue_call");
        assertThat(connected.get("state").asText()).isEqualTo("CONNECTED");
        assertThat(connected.get("wait_seconds").asLong()).as("the wait until the answer, as queue.call.answered said").isEqualTo(5);

        onLoop(() -> f.acd.callerHungUp(ChannelId.of("c1")));
        JsonNode after = agentSnapshot(token, "agent-1001");
        assertThat(after.has("queue_call")).isFalse();
        assertThat(after.at("/agent/acd/state").asText()).isEqualTo("WRAP_UP");
    }

    @Test
    void givenTenantsWithTheirOwnReasons_thenEachUserGetsTheirTenantsListInTheSnapshotAndOverRest() throws Exception {
        String agent = login("a1001");

        assertThat(agentSnapshot(agent, "agent-1001").get("not_ready_reasons")).extracting(JsonNode::asText)
                .containsExactly("break", "lunch");
        Answer own = get("/api/v1/not-ready-reasons", agent);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body().get("reasons")).extracting(JsonNode::asText).containsExactly("break", "lunch");
        Answer other = get("/api/v1/not-ready-reasons", login("osup"));
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body().get("reasons")).as("tenant other has no list of its own: the platform's defaults")
                .extracting(JsonNode::asText).containsExactly("back-office", "break", "lunch", "meeting", "training");
        assertThat(get("/api/v1/not-ready-reasons", null).status()).isEqualTo(401);
    }

    // ---- REST ---------------------------------------------------------------------------------------

    @Test
    void givenAnAgent_whenEachCommandOverRest_then200WithTheAgentAfterIt() throws Exception {
        String token = login("a1001");
        phoneOnline("agent-1001");

        Answer in = post(agentPath("agent-1001", "login"), token, null);
        assertThat(in.status()).isEqualTo(200);
        assertThat(in.body().at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(in.body().at("/acd/reason").asText()).isEqualTo("login");
        Answer ready = post(agentPath("agent-1001", "ready"), token, "");
        assertThat(ready.body().at("/acd/state").asText()).isEqualTo("READY");
        Answer lunch = post(agentPath("agent-1001", "not-ready"), token, "{\"reason\":\"lunch\"}");
        assertThat(lunch.status()).isEqualTo(200);
        assertThat(lunch.body().at("/acd/reason").asText()).isEqualTo("lunch");
        Answer out = post(agentPath("agent-1001", "logout"), token, "{}");
        assertThat(out.body().at("/acd/state").asText()).isEqualTo("LOGGED_OUT");
        Answer readyIn = post(agentPath("agent-1001", "login"), token, "{\"ready\":true}");
        assertThat(readyIn.body().at("/acd/state").asText()).isEqualTo("READY");

        Answer one = get("/api/v1/agents/agent-1001", token);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).isEqualTo(readyIn.body());
        Answer all = get("/api/v1/agents", token);
        assertThat(all.body().get("agents")).extracting(a -> a.get("agent_id").asText())
                .containsExactly("agent-1001", "agent-1002");
        assertThat(all.body().at("/agents/0/acd/state").asText()).isEqualTo("READY");
    }

    @Test
    void givenAnAgentInWrapUp_whenExtendingAndEndingOverRest_thenWithinTheLimitOk_beyondIt409() throws Exception {
        String token = login("a1001");
        phoneOnline("agent-1001");
        assertThat(post(agentPath("agent-1001", "wrap-up/end"), token, null).body().get("error_id").asText())
                .isEqualTo(Protocol.Errors.AGENT_NOT_IN_WRAP_UP);
        post(agentPath("agent-1001", "login"), token, "{\"ready\":true}");
        EntryId e = enqueue("c1");
        onLoop(() -> f.acd.agentLegAnswered(e, AgentId.of("agent-1001")));
        onLoop(() -> f.acd.agentLegHungUp(e, AgentId.of("agent-1001")));
        Instant wrapStart = clock.instant();

        Answer extended = post(agentPath("agent-1001", "wrap-up/extend"), token, "{\"seconds\":15}");
        assertThat(extended.status()).isEqualTo(200);
        assertThat(extended.body().at("/acd/wrap_up_ends_at").asText()).isEqualTo(wrapStart.plusSeconds(25).toString());
        Answer beyond = post(agentPath("agent-1001", "wrap-up/extend"), token, "{\"seconds\":60}");
        assertThat(beyond.status()).isEqualTo(409);
        assertThat(beyond.body().get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_WRAP_UP_LIMIT);
        Answer ended = post(agentPath("agent-1001", "wrap-up/end"), token, null);
        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.body().at("/acd/state").asText()).isEqualTo("READY");
    }

    @Test
    void givenRefusedCommandsOverRest_thenTheStatusAndStableErrorIdOfEach() throws Exception {
        String agent = login("a1001");
        String sup = login("sup");
        String osup = login("osup");
        phoneOnline("agent-1001");
        phoneOnline("agent-1002");
        post(agentPath("agent-1001", "login"), agent, null);

        Answer twice = post(agentPath("agent-1001", "login"), agent, null);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body().get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_ILLEGAL_TRANSITION);

        Answer someoneElse = post(agentPath("agent-1002", "login"), agent, null);
        assertThat(someoneElse.status()).isEqualTo(403);
        assertThat(someoneElse.body().get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        Answer agentForces = post(agentPath("agent-1001", "force"), agent, "{\"state\":\"READY\"}");
        assertThat(agentForces.status()).isEqualTo(403);
        assertThat(state("agent-1002")).isEqualTo(AgentState.LOGGED_OUT);

        Answer otherTenant = post(agentPath("agent-1001", "ready"), osup, null);
        Answer ghost = post(agentPath("agent-9999", "ready"), osup, null);
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(otherTenant.body().get("error_id").asText()).isEqualTo(Protocol.Errors.AGENT_UNKNOWN);
        assertThat(otherTenant.body().toString().replace("agent-1001", "X"))
                .isEqualTo(ghost.body().toString().replace("agent-9999", "X"));
        Answer otherTenantsView = get("/api/v1/agents/agent-1001", osup);
        assertThat(otherTenantsView.status()).isEqualTo(404);
        assertThat(otherTenantsView.body()).isEqualTo(otherTenant.body());
        assertThat(state("agent-1001")).isEqualTo(AgentState.NOT_READY);

        Answer badJson = post(agentPath("agent-1001", "not-ready"), sup, "{reason");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.body().get("error_id").asText()).isEqualTo(Protocol.Errors.BAD_REQUEST);
        Answer noAction = post(agentPath("agent-1001", "dance"), sup, null);
        assertThat(noAction.status()).isEqualTo(404);
        assertThat(noAction.body().get("error_id").asText()).isEqualTo(Protocol.Errors.NOT_FOUND);
        assertThat(get(agentPath("agent-1001", "ready"), sup).status()).isEqualTo(405);
        assertThat(post(agentPath("agent-1001", "ready"), "not-a-token", null).status()).isEqualTo(401);
    }

    @Test
    void givenASupervisor_whenForcingOverRest_thenTheAgentFollowsAndTheCauseNamesThem() throws Exception {
        String sup = login("sup");
        phoneOnline("agent-1002");

        Answer in = post(agentPath("agent-1002", "force"), sup, "{\"state\":\"NOT_READY\",\"reason\":\"break\"}");
        assertThat(in.status()).isEqualTo(200);
        assertThat(in.body().at("/acd/state").asText()).isEqualTo("NOT_READY");
        assertThat(in.body().at("/acd/forced_by").asText()).isEqualTo("sup");
        Answer out = post(agentPath("agent-1002", "force"), sup, "{\"state\":\"LOGGED_OUT\"}");
        assertThat(out.body().at("/acd/state").asText()).isEqualTo("LOGGED_OUT");
    }

    @Test
    void givenQueues_whenListedAndReadOverRest_thenOnlyTheTenantsWithStatsAndWaitingCallers() throws Exception {
        String sup = login("sup");
        enqueue("c1");

        Answer list = get("/api/v1/queues", sup);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("queues")).extracting(q -> q.get("queue_id").asText()).containsExactly("support");
        assertThat(list.body().at("/queues/0/stats/waiting").asInt()).isEqualTo(1);
        assertThat(list.body().at("/queues/0/waiting").isMissingNode()).isTrue();

        Answer one = get("/api/v1/queues/support", sup);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().at("/waiting/0/call/caller").asText()).isEqualTo("c1");
        assertThat(one.body().at("/waiting/0/position").asInt()).isEqualTo(1);

        Answer other = get("/api/v1/queues/other-q", sup);
        Answer none = get("/api/v1/queues/nope", sup);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body().get("error_id").asText()).isEqualTo(Protocol.Errors.ACD_UNKNOWN_QUEUE);
        assertThat(other.body().toString().replace("other-q", "X")).isEqualTo(none.body().toString().replace("nope", "X"));
    }

    @Test
    void givenAQueue_thenItsGaugesAreInTheMetricsScrape() throws Exception {
        enqueue("c1");
        await().atMost(WAIT).until(() -> get("/metrics", null).body().asText()
                .contains("cti_acd_queue_waiting{queue=\"support\",tenant=\"demo\"} 1.0"));

        String metrics = get("/metrics", null).body().asText();

        assertThat(metrics).contains("# HELP cti_acd_queue_service_level_ratio ",
                "cti_acd_queue_agents{queue=\"support\",state=\"READY\",tenant=\"demo\"} 0.0",
                "cti_acd_queue_offered_today{queue=\"support\",tenant=\"demo\"} 1.0",
                "cti_acd_queue_waiting{queue=\"other-q\",tenant=\"other\"} 0.0");
    }

    @Test
    void givenAServerWithoutTheAcd_whenAnAgentCommandOrQueueOverRest_then404AcdDisabled() throws Exception {
        ClientHub noAcd = new ClientHub(loop, f.model, f.directory, f.config.clientApi(), new CtiMetrics());
        server.close();
        server = apiServer(f.config, noAcd, new CtiMetrics());
        base = "127.0.0.1:" + server.start().getPort();
        String sup = login("sup");

        Answer command = post(agentPath("agent-1001", "login"), sup, null);
        Answer queues = get("/api/v1/queues", sup);

        assertThat(command.status()).isEqualTo(404);
        assertThat(command.body().get("error_id").asText()).isEqualTo(Protocol.Errors.ACD_DISABLED);
        assertThat(queues.body().get("error_id").asText()).isEqualTo(Protocol.Errors.ACD_DISABLED);
        assertThat(get("/api/v1/not-ready-reasons", sup).body().get("error_id").asText()).isEqualTo(Protocol.Errors.ACD_DISABLED);
        Answer agents = get("/api/v1/agents", sup);
        assertThat(agents.status()).isEqualTo(200);
        assertThat(agents.body().at("/agents/0/acd").isMissingNode()).isTrue();
        assertThat(List.of(agents.body().at("/agents/0/phone").asText())).containsExactly("UNKNOWN");
    }
}
