package org.asteriskcti.softphone.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.QueueCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CtiClientTest {

    private FakeCtiServer server;
    private ScheduledExecutorService owner;
    private CtiClient client;
    private DeskModel model;
    private final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeCtiServer();
        owner = Executors.newSingleThreadScheduledExecutor();
        client = client(URI.create("http://127.0.0.1:" + server.port()));
        model = new DeskModel(FakeCtiServer.AGENT);
        model.addListener(() -> {
            if (statuses.isEmpty() || statuses.get(statuses.size() - 1) != model.status()) {
                statuses.add(model.status());
            }
        });
    }

    private CtiClient client(URI uri) {
        // deliver = run on the client's thread: the model is read through read() on that same thread
        return new CtiClient(uri, HttpClient.newHttpClient(), owner, Runnable::run,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        owner.shutdown();
        owner.awaitTermination(2, TimeUnit.SECONDS);
        server.close();
    }

    private <T> T read(Supplier<T> s) throws Exception {
        return owner.submit(s::get).get(2, TimeUnit.SECONDS);
    }

    private void signIn() throws Exception {
        client.login(FakeCtiServer.USER, FakeCtiServer.PASSWORD).get(5, TimeUnit.SECONDS);
        client.connect(List.of("agents", "agent:" + FakeCtiServer.AGENT), model).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> read(() -> model.agents().size()) == 2);
    }

    @Test
    void givenAWrongPassword_whenLoggingIn_thenTheServersErrorIdAndMessageComeBack() {
        assertThatThrownBy(() -> client.login(FakeCtiServer.USER, "nope").get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CtiException.class)
                .hasMessageContaining("auth.invalid_credentials")
                .hasMessageContaining("user name or password is wrong");
    }

    @Test
    void givenNoServerListening_whenLoggingIn_thenTheErrorNamesTheUrlAndRefusal() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        CtiClient nowhere = client(URI.create("http://127.0.0.1:" + free));
        assertThatThrownBy(() -> nowhere.login("a", "b").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(CtiException.class)
                .hasMessageContaining(CtiException.UNREACHABLE)
                .hasMessageContaining("http://127.0.0.1:" + free)
                .hasMessageContaining("connection refused");
    }

    @Test
    void givenALogin_whenConnecting_thenItSubscribesAndTheSnapshotsFillTheModel() throws Exception {
        signIn();
        assertThat(read(() -> model.status())).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(read(() -> model.acdState())).isEqualTo("NOT_READY");
        assertThat(read(() -> model.sync())).isEqualTo("synced");
        JsonNode subscribe = server.received().stream().filter(m -> m.path("type").asText().equals("subscribe"))
                .findFirst().orElseThrow();
        assertThat(subscribe.path("topics").toString()).isEqualTo("[\"agents\",\"agent:1001\"]");
        assertThat(server.connectQueries().get(0)).contains("access_token=tok-alice").doesNotContain("resume=");
    }

    @Test
    void givenAConnectedDesk_whenAgentReady_thenTheReplyIsMatchedAndTheEventUpdatesTheModel() throws Exception {
        signIn();
        AgentInfo after = client.agentReady().get(5, TimeUnit.SECONDS);
        assertThat(after.acd().state()).isEqualTo("READY");
        await().atMost(Duration.ofSeconds(2)).until(() -> read(() -> model.acdState()).equals("READY"));
        JsonNode sent = server.received().stream().filter(m -> m.path("type").asText().equals("agent.ready"))
                .findFirst().orElseThrow();
        assertThat(sent.path("id").asText()).isNotBlank();
    }

    @Test
    void givenAnUnknownReason_whenNotReady_thenTheFutureFailsWithTheServersAllowedReasons() throws Exception {
        signIn();
        assertThatThrownBy(() -> client.agentNotReady("golf").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(CtiException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.unknown_reason");
                    assertThat(e.error().details().get("allowed")).isEqualTo(List.of("break", "lunch"));
                });
    }

    @Test
    void givenAnOffer_whenQueueCallOffered_thenTheModelHoldsTheCallAndItsScreenPop() throws Exception {
        signIn();
        server.publish("queue.call.offered", List.of("queue:sales", "agent:1001"), offer("e1"));
        await().atMost(Duration.ofSeconds(2)).until(() -> read(() -> model.queueCall().isPresent()));
        QueueCall qc = read(() -> model.queueCall().orElseThrow());
        assertThat(qc.state()).isEqualTo("OFFERING");
        assertThat(qc.screenPop().callerNumber()).isEqualTo("+4930123456");
        assertThat(qc.screenPop().data()).containsEntry("lookup.customer", "C-77");
    }

    @Test
    void givenADroppedLink_whenEventsHappenMeanwhile_thenTheClientResumesAndGetsEachOnceInOrder() throws Exception {
        signIn();
        long seqBefore = client.lastSeq().get();
        String session = client.sessionId().get();
        List<String> seen = new CopyOnWriteArrayList<>();
        model.addListener(() -> model.queueCall().ifPresent(q -> {
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(q.entryId())) {
                seen.add(q.entryId());
            }
        }));

        server.dropConnections();
        await().atMost(Duration.ofSeconds(2)).until(() -> statuses.contains(ConnectionStatus.RECONNECTING));
        server.publish("queue.call.offered", List.of("agent:1001"), offer("e1"));
        server.publish("queue.call.offered", List.of("agent:1001"), offer("e2"));

        await().atMost(Duration.ofSeconds(5)).until(() -> read(() -> model.status()) == ConnectionStatus.CONNECTED
                && client.lastSeq().get() == seqBefore + 2);
        assertThat(seen).containsExactly("e1", "e2");
        assertThat(client.sessionId().get()).isEqualTo(session);
        String resumeQuery = server.connectQueries().get(server.connectQueries().size() - 1);
        assertThat(resumeQuery).contains("resume=" + session).contains("last_seq=" + seqBefore);
        assertThat(statuses).containsSubsequence(ConnectionStatus.CONNECTED, ConnectionStatus.RECONNECTING,
                ConnectionStatus.CONNECTED);
    }

    @Test
    void givenACallCommandWhoseReplyIsLost_whenTheLinkComesBack_thenItIsSentAgainWithTheSameCommandId() throws Exception {
        signIn();
        server.answerCommands(false);
        var hangup = client.call(CallRequest.of("call.hangup"));
        await().atMost(Duration.ofSeconds(2)).until(() -> commands("call.hangup").size() == 1);
        server.answerCommands(true);
        server.dropConnections();

        JsonNode reply = hangup.get(5, TimeUnit.SECONDS);
        List<JsonNode> sent = commands("call.hangup");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).path("command_id").asText()).isEqualTo(sent.get(0).path("command_id").asText());
        assertThat(reply.path("command_id").asText()).isEqualTo(sent.get(0).path("command_id").asText());
    }

    @Test
    void givenAnAgentCommandInFlight_whenTheLinkDrops_thenItFailsSayingItMayOrMayNotHaveBeenDone() throws Exception {
        signIn();
        var ready = client.agentLogin(true); // the fake takes agent.login and never answers it
        await().atMost(Duration.ofSeconds(2)).until(() -> commands("agent.login").size() == 1);
        server.dropConnections();
        assertThatThrownBy(() -> ready.get(5, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(CtiException.class,
                e -> assertThat(e.errorId()).isEqualTo(CtiException.CONNECTION_LOST));
    }

    private List<JsonNode> commands(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : server.received()) {
            if (m.path("type").asText().equals(type)) {
                out.add(m);
            }
        }
        return out;
    }

    static QueueCall offer(String entry) {
        return new QueueCall(entry, "sales", "chan-" + entry, "OFFERING", "WAITING", FakeCtiServer.AGENT, 1, 0, "NEW",
                Instant.parse("2025-01-01T10:00:00Z"), Instant.parse("2025-01-01T10:00:00Z"),
                Instant.parse("2025-01-01T10:00:30Z"), 30, false,
                new QueueCall.ScreenPop("+4930123456", "Erika Muster", "Berlin", "de",
                        List.of(new QueueCall.Choice("lang", "1"), new QueueCall.Choice("main", "2")),
                        Map.of("lookup.customer", "C-77", "account", "12345")));
    }
}
