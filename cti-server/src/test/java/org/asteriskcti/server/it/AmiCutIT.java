package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.it.CtiIt.awaitEvent;
import static org.asteriskcti.server.it.CtiIt.callId;
import static org.asteriskcti.server.it.CtiIt.state;
import static org.asteriskcti.server.it.CtiIt.withLeg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AMI link breaks while Asterisk stays up (a {@link TcpProxy} between the CTI and port 5038):
 * cut (both sides closed) or blackholed (half-open: nothing arrives, nothing is closed). The CTI must
 * notice (for a blackhole only its AMI heartbeat can: ping-interval + ping-timeout, 4 s + 4 s by
 * default, so within 10 s), reconnect once the link is back, and resync: a call that started while
 * the CTI was blind appears afterwards. ARI stays connected throughout, so health is DEGRADED, not DOWN.
 */
class AmiCutIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    /** The production default bound for noticing a half-open AMI link (cti-defaults.yaml). */
    private static final Duration HALF_OPEN_BOUND = Duration.ofSeconds(10);

    private TcpProxy proxy;

    @BeforeEach
    void setUp() {
        proxy = new TcpProxy(AsteriskUnderTest.HOST, AsteriskUnderTest.AMI_PORT);
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void givenAmiThroughProxy_whenTheLinkIsCut_thenAmiDownAndAfterRestoreACallFromTheCutAppears() {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("cti-ami-cut"), proxy.port())) {
            CtiClient.Connection ws = ready(cti);
            int mark = ws.stream().size();
            int connectionsBefore = proxy.accepted();

            proxy.cut();
            awaitAmiDownAriUp(cti, CtiIt.LINK_BOUND);
            CtiIt.within(CtiIt.LINK_BOUND, "sync stale after the cut", () -> CtiIt.syncEventIndex(ws, "stale", mark) >= 0, ws::dump);

            blindCallThenRestore(cti, ws, mark, connectionsBefore, "1002", "2002");
        }
    }

    @Test
    void givenAmiThroughProxy_whenTheLinkIsBlackholed_thenAmiDownWithin10sAndAfterRestoreACallFromTheOutageAppears() {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("cti-ami-blackhole"), proxy.port())) {
            CtiClient.Connection ws = ready(cti);
            int mark = ws.stream().size();
            int connectionsBefore = proxy.accepted();

            proxy.blackhole();
            awaitAmiDownAriUp(cti, HALF_OPEN_BOUND);
            CtiIt.within(CtiIt.LINK_BOUND, "sync stale after the blackhole", () -> CtiIt.syncEventIndex(ws, "stale", mark) >= 0,
                    ws::dump);

            blindCallThenRestore(cti, ws, mark, connectionsBefore, "1001", "2001");
        }
    }

    private static CtiClient.Connection ready(CtiUnderTest cti) {
        CtiIt.awaitHealthUp(cti);
        CtiClient.Connection ws = CtiIt.supervisorOnCalls(cti);
        CtiIt.within(CtiIt.LINK_BOUND, "model synced", () -> CtiIt.syncState(ws).filter("synced"::equals).isPresent(), ws::dump);
        return ws;
    }

    private static void awaitAmiDownAriUp(CtiUnderTest cti, Duration bound) {
        AtomicReference<CtiClient.Health> last = new AtomicReference<>();
        CtiIt.within(bound, "/health with AMI DOWN", () -> {
            CtiClient.Health h = cti.health();
            last.set(h);
            return "DOWN".equals(h.ami());
        }, () -> "last /health: " + last.get());
        CtiClient.Health h = last.get();
        assertThat(h.httpStatus()).as("%s", h).isNotEqualTo(200);
        assertThat(h.status()).as("%s", h).isEqualTo("DEGRADED");
        assertThat(h.ari()).as("%s", h).isEqualTo("UP");
    }

    /**
     * While the CTI cannot see AMI, customer {@code customer} calls agent {@code agent} (a direct call:
     * no Stasis, so ARI does not see it either). The link is restored: the CTI reconnects, resyncs,
     * and the call appears, connected, then ends answered.
     */
    private void blindCallThenRestore(CtiUnderTest cti, CtiClient.Connection ws, int mark, int connectionsBefore,
            String agent, String customer) {
        String device = "PJSIP/" + agent;
        Sipp.Phone agentPhone = env.sipp().agentAnswering(agent, Duration.ofMillis(300));
        // Long enough to be up across the restore, the reconnect (up to a 5 s banner timeout plus
        // backoff) and the resync.
        Sipp.Phone customerPhone = env.sipp().customerCalling(customer, agent, Duration.ofSeconds(15));
        CtiIt.within(CtiIt.CALL_BOUND, "the call " + customer + " -> " + agent + " up in Asterisk", () -> {
            String channels = env.asterisk().rx("core show channels concise");
            return channels.lines().anyMatch(l -> l.startsWith(device + "-") && l.contains("!Up!"));
        }, () -> env.asterisk().rx("core show channels concise"));
        assertThat(ws.event("call.updated", withLeg(device)))
                .as("the CTI cannot have seen the call while AMI is away: %s", ws.dump()).isEmpty();

        proxy.restore();
        CtiIt.awaitHealthUp(cti);
        assertThat(proxy.accepted()).as("the CTI reconnected through the proxy").isGreaterThan(connectionsBefore);
        int stale = CtiIt.syncEventIndex(ws, "stale", mark);
        CtiIt.within(CtiIt.LINK_BOUND, "sync synced after stale", () -> CtiIt.syncEventIndex(ws, "synced", stale + 1) >= 0,
                ws::dump);

        JsonNode call = awaitEvent(ws, "call.updated", withLeg(device).and(state("CONNECTED")),
                "the call from the outage appears CONNECTED after the resync");
        String id = call.path("call_id").asText();
        assertThat(call.path("tenant").asText()).isEqualTo("demo");
        JsonNode ended = awaitEvent(ws, "call.ended", callId(id), "the call " + id + " ended");
        assertThat(ended.path("disposition").asText()).as("%s", ended).isEqualTo("ANSWERED");
        customerPhone.assertSucceeded(CtiIt.CALL_BOUND);
        agentPhone.assertSucceeded(CtiIt.CALL_BOUND);
    }
}
