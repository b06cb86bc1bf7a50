package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.it.CtiIt.awaitEvent;
import static org.asteriskcti.server.it.CtiIt.callId;
import static org.asteriskcti.server.it.CtiIt.state;
import static org.asteriskcti.server.it.CtiIt.withLeg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Asterisk goes away under a running CTI and comes back: health and sync follow the links down and
 * back up, the call that was up is ended, and a new call is seen as usual. Once as a clean restart
 * ({@code core stop now} hangs the call up, so the CTI sees its Hangup events), once as a crash
 * (SIGKILL: no event at all, only the resync after the reconnect can end the call).
 */
class AsteriskRestartIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    @BeforeEach
    void edgesWired() {
    }

    @Test
    void givenCtiWithACallUp_whenAsteriskRestarts_thenDownStaleThenUpSyncedAndNewCallsAreSeen() {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("cti-restart"), AsteriskUnderTest.AMI_PORT)) {
            CtiClient.Connection ws = readyWithSupervisor(cti);
            String oldCall = callUpOn1002(ws);

            int mark = ws.stream().size();
            env.asterisk().stop();
            awaitDownAndStale(cti, ws, mark);
            env.asterisk().start();
            awaitUpAndSyncedAgain(cti, ws, mark);

            // core stop now hung the call up before Asterisk went away: the CTI has it ended.
            awaitEvent(ws, "call.ended", callId(oldCall), "the call " + oldCall + " that was up during the restart ended");
            newCallIsSeen(ws, oldCall);
        }
    }

    @Test
    void givenCtiWithACallUp_whenAsteriskCrashesAndComesBack_thenTheResyncEndsTheLostCall() {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("cti-crash"), AsteriskUnderTest.AMI_PORT)) {
            CtiClient.Connection ws = readyWithSupervisor(cti);
            String oldCall = callUpOn1002(ws);

            int mark = ws.stream().size();
            env.asterisk().crash();
            awaitDownAndStale(cti, ws, mark);
            int stale = CtiIt.syncEventIndex(ws, "stale", mark);
            // Nothing told the CTI that the call ended: it still has it while Asterisk is away.
            assertThat(ws.event("call.ended", callId(oldCall))).as("call.ended before Asterisk is back: %s", ws.dump()).isEmpty();
            env.asterisk().start();
            awaitUpAndSyncedAgain(cti, ws, mark);

            // The new Asterisk has no such call: the resync ends it, after the link went stale.
            awaitEvent(ws, "call.ended", callId(oldCall), "the lost call " + oldCall + " ended by the resync");
            List<JsonNode> stream = ws.stream();
            int endedAt = stream.indexOf(ws.event("call.ended", callId(oldCall)).orElseThrow());
            assertThat(endedAt).as("call.ended after the stale sync event").isGreaterThan(stale);
            newCallIsSeen(ws, oldCall);
        }
    }

    private static CtiClient.Connection readyWithSupervisor(CtiUnderTest cti) {
        CtiIt.awaitHealthUp(cti);
        CtiClient.Connection ws = CtiIt.supervisorOnCalls(cti);
        CtiIt.within(CtiIt.LINK_BOUND, "model synced", () -> CtiIt.syncState(ws).filter("synced"::equals).isPresent(), ws::dump);
        return ws;
    }

    /** Customer 2002 calls agent 1002 and stays on the line; returns the call id once CONNECTED. */
    private static String callUpOn1002(CtiClient.Connection ws) {
        env.sipp().agentAnswering("1002", Duration.ofMillis(300));
        env.sipp().customerCallingUntilHungUp("2002", "1002");
        return awaitEvent(ws, "call.updated", withLeg("PJSIP/1002").and(state("CONNECTED")),
                "the call 2002 -> 1002 CONNECTED").path("call_id").asText();
    }

    private static void awaitDownAndStale(CtiUnderTest cti, CtiClient.Connection ws, int mark) {
        AtomicReference<CtiClient.Health> last = new AtomicReference<>();
        CtiIt.within(CtiIt.LINK_BOUND, "/health not UP (AMI DOWN) while Asterisk is away", () -> {
            CtiClient.Health h = cti.health();
            last.set(h);
            return h.httpStatus() != 200 && !"UP".equals(h.status()) && "DOWN".equals(h.ami());
        }, () -> "last /health: " + last.get());
        assertThat(last.get().status()).isIn("DOWN", "DEGRADED");
        CtiIt.within(CtiIt.LINK_BOUND, "sync stale", () -> CtiIt.syncEventIndex(ws, "stale", mark) >= 0, ws::dump);
    }

    private static void awaitUpAndSyncedAgain(CtiUnderTest cti, CtiClient.Connection ws, int mark) {
        CtiIt.awaitHealthUp(cti);
        int stale = CtiIt.syncEventIndex(ws, "stale", mark);
        CtiIt.within(CtiIt.LINK_BOUND, "sync synced after stale", () -> CtiIt.syncEventIndex(ws, "synced", stale + 1) >= 0,
                ws::dump);
    }

    /** Business as usual with the new Asterisk: 2001 -> 1001 is seen connected and ended ANSWERED. */
    private static void newCallIsSeen(CtiClient.Connection ws, String oldCall) {
        Sipp.Phone agent = env.sipp().agentAnswering("1001", Duration.ofMillis(500));
        Sipp.Phone customer = env.sipp().customerCalling("2001", "1001", Duration.ofSeconds(2));
        JsonNode connected = awaitEvent(ws, "call.updated", withLeg("PJSIP/1001").and(state("CONNECTED")),
                "a new call 2001 -> 1001 CONNECTED after Asterisk came back");
        String id = connected.path("call_id").asText();
        assertThat(id).isNotEqualTo(oldCall);
        JsonNode ended = awaitEvent(ws, "call.ended", callId(id), "the new call " + id + " ended");
        assertThat(ended.path("disposition").asText()).isEqualTo("ANSWERED");
        customer.assertSucceeded(CtiIt.CALL_BOUND);
        agent.assertSucceeded(CtiIt.CALL_BOUND);
    }
}
