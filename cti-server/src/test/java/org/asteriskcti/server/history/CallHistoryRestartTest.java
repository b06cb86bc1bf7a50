package org.asteriskcti.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call history as the server wires it (no Asterisk edges; model events applied on its loop): calls
 * that end go into the embedded database, and a server started again on the same data dir serves the
 * same newest entries, over REST too.
 */
class CallHistoryRestartTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final AgentId A1001 = AgentId.of("agent-1001");

    @TempDir
    Path dataDir;

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final Events ami = new Events(clock, Source.AMI);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<CtiServer> servers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        servers.forEach(CtiServer::close);
    }

    private CtiServer startServer() throws Exception {
        CtiConfig config = ConfigLoader.load(null, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dataDir.toString(),
                "CTI_HISTORY_PER_AGENT", "2"));
        CtiServer s = new CtiServer(config, clock, (c, sink, m) -> CtiServer.Edges.none()).start();
        servers.add(s);
        return s;
    }

    private static void apply(CtiServer s, AsteriskEvent... events) throws Exception {
        s.loop().call(() -> {
            for (AsteriskEvent e : events) {
                s.model().apply(e);
            }
            return null;
        }).get(5, TimeUnit.SECONDS);
    }

    /** Customer {@code number} calls 600 and agent 1001 (the demo agent) answers and talks {@code talk} s. */
    private void call(CtiServer s, String id, String number, int talk) throws Exception {
        apply(s, ami.upsert(Events.channel(id, "PJSIP/" + number + "-1", ChannelState.UP, number, id, "600")),
                ami.upsert(Events.channel(id + "a", "PJSIP/1001-2", ChannelState.UP, "1001", id, "s")),
                ami.enter("b-" + id, id), ami.enter("b-" + id, id + "a"));
        clock.advance(Duration.ofSeconds(talk));
        apply(s, ami.hangup(id, 16), ami.hangup(id + "a", 16));
    }

    private static List<HistoryEntry> recent(CtiServer s) throws Exception {
        return s.loop().call(() -> s.history().recent(A1001, 50)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void givenCallsThatEnded_whenTheServerIsRestartedOnTheSameDataDir_thenTheSameNewestHistoryIsServed() throws Exception {
        CtiServer first = startServer();
        call(first, "c1", "2001", 10);
        call(first, "c2", "2002", 20);
        call(first, "c3", "2003", 30);
        List<HistoryEntry> before = recent(first);
        assertThat(before).extracting(HistoryEntry::number).containsExactly("2003", "2002");
        first.close();
        servers.remove(first);
        // Closing the server closed the store: its writer is gone, not left waiting on a closed pool.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && "cti-call-history-writer".equals(t.getName()));

        CtiServer second = startServer();
        assertThat(recent(second)).isEqualTo(before);

        String base = "http://127.0.0.1:" + second.httpAddress().getPort();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"demo1001\",\"password\":\"demo1001\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String token = JSON.readTree(login.body()).get("token").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/agents/agent-1001/history"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode entries = JSON.readTree(r.body()).get("entries");
        assertThat(entries).extracting(e -> e.get("number").asText()).containsExactly("2003", "2002");
        assertThat(entries.get(0).get("talk_seconds").asLong()).isEqualTo(30);
    }
}
