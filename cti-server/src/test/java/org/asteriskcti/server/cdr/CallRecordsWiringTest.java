package org.asteriskcti.server.cdr;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Call detail records as the server wires them (no Asterisk edges; model events applied on its loop, the
 * links brought up by resync snapshots): a call that ends is written to the embedded database and served over
 * REST; a call in progress when the server stops is recorded by the next one when it ends, marked incomplete.
 */
class CallRecordsWiringTest {

    private static final ObjectMapper JSON = Json.mapper();

    @org.junit.jupiter.api.io.TempDir
    Path dataDir;

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final Events ami = new Events(clock, Source.AMI);
    private final Events ari = new Events(clock, Source.ARI);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<CtiServer> servers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        servers.forEach(CtiServer::close);
    }

    private CtiServer startServer(List<ChannelSnapshot> channels, List<BridgeSnapshot> bridges) throws Exception {
        CtiConfig config = ConfigLoader.load(null, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dataDir.toString()));
        CtiServer s = new CtiServer(config, clock, (c, sink, m) -> CtiServer.Edges.none()).start();
        servers.add(s);
        apply(s, ami.link(LinkState.UP), ari.link(LinkState.UP), ami.resync(channels, bridges),
                ari.resync(channels, bridges));
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

    /** Waits (real time: the settle timer is the loop's) until the call's record is stored. */
    private static CallRecord stored(CtiServer s, String call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            s.callRecordStore().flush(Duration.ofSeconds(5));
            Optional<CallRecord> r = s.callRecordStore().get(TenantId.of("demo"), CallId.of(call));
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no record of call " + call);
    }

    private static List<ChannelSnapshot> legs(String id, ChannelState state) {
        return List.of(Events.channel(id, "PJSIP/2001-1", state, "2001", id, "600"),
                Events.channel(id + "a", "PJSIP/1001-2", state, "1001", id, "s"));
    }

    @Test
    void givenACallThatEnds_thenItsRecordIsStoredAndServed() throws Exception {
        CtiServer s = startServer(List.of(), List.of());
        List<ChannelSnapshot> l = legs("c1", ChannelState.UP);
        apply(s, ami.upsert(l.get(0)), ami.upsert(l.get(1)), ami.enter("b-c1", "c1"), ami.enter("b-c1", "c1a"));
        clock.advance(Duration.ofSeconds(30));
        apply(s, ami.hangup("c1", 16), ami.hangup("c1a", 16));

        CallRecord r = stored(s, "c1");
        assertThat(r.direction().name()).isEqualTo("INBOUND");
        assertThat(r.callerNumber()).isEqualTo("2001");
        assertThat(r.agents()).containsExactly("agent-1001");
        assertThat(r.disposition()).isEqualTo(CdrDisposition.ANSWERED);
        assertThat(r.complete()).isTrue();
        assertThat(r.legs()).hasSize(2);
        assertThat(r.endedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:30Z"));
        assertThat(r.talkSeconds()).isEqualTo(30);

        String base = "http://127.0.0.1:" + s.httpAddress().getPort();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"supervisor\",\"password\":\"supervisor\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String token = JSON.readTree(login.body()).get("token").asText();
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/call-records?from=2026-11-23&to=2026-11-24")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        JsonNode records = JSON.readTree(got.body()).get("records");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("call_id").asText()).isEqualTo("c1");
        assertThat(records.get(0).get("talk_seconds").asLong()).isEqualTo(30);
    }

    @Test
    void givenACallInProgressWhenTheServerStops_whenItEndsUnderTheNextServer_thenItIsRecordedIncomplete()
            throws Exception {
        CtiServer first = startServer(List.of(), List.of());
        List<ChannelSnapshot> l = legs("c2", ChannelState.UP);
        apply(first, ami.upsert(l.get(0)), ami.upsert(l.get(1)), ami.enter("b-c2", "c2"), ami.enter("b-c2", "c2a"));
        clock.advance(Duration.ofSeconds(20));
        first.close();
        servers.remove(first);

        clock.advance(Duration.ofSeconds(5));
        BridgeSnapshot bridge = new BridgeSnapshot(BridgeId.of("b-c2"), "mixing", "simple_bridge", "", "",
                List.of(ChannelId.of("c2"), ChannelId.of("c2a")));
        CtiServer second = startServer(l, List.of(bridge));
        clock.advance(Duration.ofSeconds(40));
        apply(second, ami.hangup("c2", 16), ami.hangup("c2a", 16));

        CallRecord r = stored(second, "c2");
        assertThat(r.complete()).isFalse();
        assertThat(r.agents()).containsExactly("agent-1001");
        assertThat(r.talkSeconds()).as("only what the second server saw").isEqualTo(40);
        assertThat(r.disposition()).isEqualTo(CdrDisposition.ANSWERED);
    }
}
