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
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.ivr.FlowId;
import org.asteriskcti.server.ivr.FlowLoader;
import org.asteriskcti.server.ivr.HttpLookupClient;
import org.asteriskcti.server.ivr.IvrFlows;
import org.asteriskcti.server.ivr.IvrService;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST {@code /api/v1/ivr/flows} and {@code /api/v1/ivr/reload} over real sockets: a tenant admin reloads
 * their own flows only; a broken file or a route left without its flow changes nothing and names every
 * problem; callers already in a flow stay on the version they started with.
 */
class IvrApiSocketTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final TenantId DEMO = TenantId.of("demo");
    private static String users;

    private static final String MAIN = """
            entry: menu
            nodes:
              menu:
                type: menu
                prompt: sound:welcome
                options: {"1": support}
              support: {type: queue, queue: support}
            """;

    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private DomainLoop loop;
    private AcdFixture f;
    private ApiServer server;
    private String base;
    private Path ivrDir;
    private IvrFlows flows;
    private IvrService ivr;

    @BeforeAll
    static void hashPasswords() {
        String hash = AuthService.hashPassword("pw");
        users = """
                users:
                  - {username: adm, tenant: demo, role: admin, password-hash: "%1$s"}
                  - {username: sup, tenant: demo, role: supervisor, password-hash: "%1$s"}
                  - {username: a1001, tenant: demo, role: agent, agent: agent-1001, password-hash: "%1$s"}
                  - {username: oadm, tenant: other, role: admin, password-hash: "%1$s"}
                """.formatted(hash);
    }

    @BeforeEach
    void start() throws Exception {
        ivrDir = dir.resolve("ivr");
        Files.createDirectories(ivrDir.resolve("demo"));
        Files.createDirectories(ivrDir.resolve("other"));
        Files.writeString(ivrDir.resolve("demo/main.yaml"), MAIN);
        Files.writeString(ivrDir.resolve("demo/night.yaml"), MAIN.replace("sound:welcome", "sound:closed"));
        Files.writeString(ivrDir.resolve("other/main.yaml"), MAIN);
        loop = DomainLoop.started(clock);
        CtiConfig config = AcdFixture.config(dir, users, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.toString()));
        f = new AcdFixture(loop, config);
        flows = new IvrFlows(loop, Optional.of(ivrDir), t -> ZoneId.of("UTC"),
                t -> t.equals(DEMO) ? List.of(new IvrFlows.FlowRoute("700", FlowId.of("main"))) : List.of(),
                FlowLoader.load(ivrDir, t -> ZoneId.of("UTC")));
        ivr = new IvrService(loop, new FakeAsteriskCommands(), HttpLookupClient.withDefaults(),
                (ch, q, p, l, s, d, o) -> "entry", t -> new IvrService.Dial("cti-dial", ""), a -> Optional.empty(), "cti-fallback",
                flows::current, "p", "/srv/ivr");
        f.hub.ivr(new IvrApi(loop, flows, ivr));
        server = new ApiServer(config, new AuthService(config, "s".repeat(40), clock), f.hub, loop, f.metrics,
                new RestQueries(loop, f.model, f.directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
        base = "127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        loop.call(() -> {
            f.api.close();
            return null;
        }).get(5, TimeUnit.SECONDS);
        loop.shutdown();
    }

    private String login(String user) throws Exception {
        return new RestClient(base).login(user);
    }

    private RestClient.Answer send(String method, String path, String token) throws Exception {
        return new RestClient(base).send(method, path, token, null);
    }

    private void callerEnters(String channel) throws Exception {
        loop.call(() -> {
            ivr.start(Events.channel(channel, "PJSIP/2001-1", ChannelState.RING, "2001", null, "700"), DEMO,
                    flows.current().flow(DEMO, FlowId.of("main")).orElseThrow(), Optional.empty());
            return null;
        }).get(5, TimeUnit.SECONDS);
        loop.call(() -> null).get(5, TimeUnit.SECONDS); // the answer's completion runs on the loop after
    }

    @Test
    void givenASupervisor_whenTheyListTheFlows_thenTheirTenantsFlowsWithVersionsAndCallers() throws Exception {
        callerEnters("c1");

        RestClient.Answer a = send("GET", "/api/v1/ivr/flows", login("sup"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("tenant").asText()).isEqualTo("demo");
        JsonNode main = a.body().get("flows").get(0);
        assertThat(main.get("id").asText()).isEqualTo("main");
        assertThat(main.get("source").asText()).isEqualTo("demo/main.yaml");
        assertThat(main.get("entry").asText()).isEqualTo("menu");
        assertThat(main.get("nodes").asInt()).isEqualTo(2);
        String version = main.get("version").asText();
        assertThat(main.get("callers").get(version).asInt()).isEqualTo(1);
        assertThat(a.body().get("flows")).extracting(n -> n.get("id").asText()).containsExactly("main", "night");
    }

    @Test
    void givenAnAgent_whenTheyListOrReload_thenForbidden() throws Exception {
        String token = login("a1001");
        assertThat(send("GET", "/api/v1/ivr/flows", token).status()).isEqualTo(403);
        RestClient.Answer r = send("POST", "/api/v1/ivr/reload", token);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("error_id").asText()).isEqualTo(Protocol.Errors.FORBIDDEN);
        assertThat(send("POST", "/api/v1/ivr/reload", login("sup")).status()).as("supervisors do not reload").isEqualTo(403);
    }

    @Test
    void givenAChangedFile_whenTheAdminReloads_thenNewCallersGetTheNewVersionAndCallersInTheFlowKeepTheirs() throws Exception {
        callerEnters("c1");
        String before = flows.current().flow(DEMO, FlowId.of("main")).orElseThrow().version();
        Files.writeString(ivrDir.resolve("demo/main.yaml"), MAIN.replace("sound:welcome", "sound:hello"));
        Files.delete(ivrDir.resolve("demo/night.yaml"));
        Files.writeString(ivrDir.resolve("demo/day.yaml"), MAIN);

        RestClient.Answer r = send("POST", "/api/v1/ivr/reload", login("adm"));

        assertThat(r.status()).isEqualTo(200);
        JsonNode changes = r.body().get("flows");
        assertThat(changes).extracting(n -> n.get("id").asText() + " " + n.get("change").asText())
                .containsExactly("day ADDED", "main CHANGED", "night REMOVED");
        String after = changes.get(1).get("version").asText();
        assertThat(changes.get(1).get("previous_version").asText()).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
        callerEnters("c2");
        JsonNode callers = send("GET", "/api/v1/ivr/flows", login("sup")).body().get("flows").get(1).get("callers");
        assertThat(callers.get(before).asInt()).as("c1 finishes on the version it started with").isEqualTo(1);
        assertThat(callers.get(after).asInt()).isEqualTo(1);
        assertThat(flows.current().flow(TenantId.of("other"), FlowId.of("main"))).as("another tenant's flows stay").isPresent();
    }

    @Test
    void givenABrokenFile_whenTheAdminReloads_thenNothingChangesAndEveryProblemIsNamedWithFileAndLine() throws Exception {
        String before = flows.current().flow(DEMO, FlowId.of("main")).orElseThrow().version();
        Files.writeString(ivrDir.resolve("demo/main.yaml"), MAIN.replace("\"1\": support", "\"1\": nowhere"));

        RestClient.Answer r = send("POST", "/api/v1/ivr/reload", login("adm"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("error_id").asText()).isEqualTo(Protocol.Errors.IVR_INVALID_FLOWS);
        JsonNode e = r.body().get("details").get("errors").get(0);
        assertThat(e.get("file").asText()).isEqualTo("demo/main.yaml");
        assertThat(e.get("line").asInt()).isEqualTo(6);
        assertThat(e.get("text").asText()).startsWith("demo/main.yaml:6: node 'menu': ");
        assertThat(flows.current().flow(DEMO, FlowId.of("main")).orElseThrow().version()).isEqualTo(before);
    }

    @Test
    void givenARoutedFlowRemoved_whenTheAdminReloads_thenRefusedNamingTheDid() throws Exception {
        Files.delete(ivrDir.resolve("demo/main.yaml"));

        RestClient.Answer r = send("POST", "/api/v1/ivr/reload", login("adm"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().at("/details/errors/0/message").asText())
                .isEqualTo("DID 700 is routed to flow 'main' (tenants[].routes), which this reload would remove");
        assertThat(flows.current().flow(DEMO, FlowId.of("main"))).isPresent();
    }

    @Test
    void givenAnotherTenantsBrokenFile_whenThisTenantsAdminReloads_thenOnlyTheirOwnFilesCount() throws Exception {
        Files.writeString(ivrDir.resolve("other/main.yaml"), "entry: [");

        assertThat(send("POST", "/api/v1/ivr/reload", login("adm")).status()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/ivr/reload", login("oadm")).status()).isEqualTo(422);
    }
}
