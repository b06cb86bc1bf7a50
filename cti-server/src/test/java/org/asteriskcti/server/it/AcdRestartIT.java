package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ACD survives {@code kill -9}: five callers wait in queue support, the CTI process is killed, a
 * new one starts on the same data directory, re-queues them from what their channels remember, and
 * once an agent is ready they are all answered in the order they called.
 */
class AcdRestartIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final String YAML = "queues:\n  - id: support\n    tenant: demo\n    wrap-up: 0s\n"
            + "    announce-period: 0s\n    overflow: {message: all-circuits-busy-now}\n";

    private static JsonNode queue(CtiProcess cti) {
        return CtiClient.login(cti.base(), "supervisor", "supervisor").get("/api/v1/queues/support");
    }

    @Test
    void givenFiveCallersWaiting_whenTheCtiIsKilledAndStartedAgain_thenAllFiveAreAnsweredInTheirOriginalOrder() {
        Path dir = env.workDir().resolve("acd-restart");
        int port = CtiProcess.freePort();
        Sipp.Phone customers;
        try (CtiProcess first = CtiProcess.start(dir, port, YAML, "cti-1")) {
            first.awaitUp();
            // The agent is at work but on a break: that survives the restart too.
            CtiClient boss = CtiClient.login(first.base(), "supervisor", "supervisor");
            boss.post("/api/v1/agents/agent-1001/login", "{\"ready\": false}");
            boss.post("/api/v1/agents/agent-1001/not-ready", "{\"reason\": \"break\"}");
            customers = env.sipp().customers("2001", "700", 5, Duration.ofMillis(700), null);
            CtiIt.within(CtiIt.CALL_BOUND, "5 callers waiting in support", () -> queue(first).path("stats").path("waiting").asInt() == 5,
                    () -> queue(first).toString());
            JsonNode before = queue(first);
            assertThat(before.path("stats").path("today").path("offered").asInt()).isEqualTo(5);
            first.kill9();
        }

        try (CtiProcess second = CtiProcess.start(dir, port, YAML, "cti-2")) {
            second.awaitUp();
            CtiIt.within(CtiIt.LINK_BOUND, "the 5 callers re-queued", () -> queue(second).path("stats").path("waiting").asInt() == 5,
                    () -> queue(second).toString() + "\n" + second.tail());
            // Their place in line is their original arrival.
            List<String> arrivals = new ArrayList<>();
            queue(second).path("waiting").forEach(w -> arrivals.add(w.path("call").path("arrived_at").asText()));
            assertThat(arrivals).hasSize(5).isSorted();

            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(200), 5);
            CtiClient supervisor = CtiClient.login(second.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 back on their break",
                    () -> "NOT_READY".equals(supervisor.get("/api/v1/agents/agent-1001").path("acd").path("state").asText()),
                    () -> supervisor.get("/api/v1/agents/agent-1001").toString());
            assertThat(supervisor.get("/api/v1/agents/agent-1001").path("acd").path("reason").asText()).isEqualTo("break");
            supervisor.post("/api/v1/agents/agent-1001/ready", "{}");

            agent.assertSucceeded(Duration.ofSeconds(60));
            customers.assertSucceeded(Duration.ofSeconds(30));
            JsonNode after = queue(second);
            assertThat(after.path("stats").path("waiting").asInt()).isZero();
            assertThat(after.path("stats").path("today").path("answered").asInt()).as("%s", after).isEqualTo(5);
            // Restored callers are not offered twice: the stored log of the first process counts them once.
            assertThat(after.path("stats").path("today").path("offered").asInt()).as("%s", after).isEqualTo(5);

            // The order they were served: the order Asterisk hung them up (after each agent's BYE), by the
            // sipp call number in each Call-ID, which is the order they called.
            assertThat(hangupOrder(customers)).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void givenACallInProgress_whenTheCtiIsKilledAndStartedAgain_thenTheCallIsGivenBackToItsAgentAndEndsNormally() {
        Path dir = env.workDir().resolve("acd-restart-connected");
        int port = CtiProcess.freePort();
        Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(200), 1);
        Sipp.Phone customer;
        try (CtiProcess first = CtiProcess.start(dir, port, YAML, "cti-1")) {
            first.awaitUp();
            CtiClient supervisor = CtiClient.login(first.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 READY", () -> loginReady(supervisor), () -> "");
            customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(10));
            CtiIt.within(CtiIt.CALL_BOUND, "agent-1001 ON_CALL", () -> "ON_CALL".equals(
                    supervisor.get("/api/v1/agents/agent-1001").path("acd").path("state").asText()), () -> "");
            first.kill9();
        }
        try (CtiProcess second = CtiProcess.start(dir, port, YAML, "cti-2")) {
            second.awaitUp();
            CtiClient supervisor = CtiClient.login(second.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 ON_CALL again", () -> "ON_CALL".equals(
                    supervisor.get("/api/v1/agents/agent-1001").path("acd").path("state").asText()),
                    () -> supervisor.get("/api/v1/agents/agent-1001") + "\n" + second.tail());
            // The customer hangs up after 10 s of talk: the new CTI hangs up the agent's leg (its BYE).
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(CtiIt.CALL_BOUND, "the call completed", () -> queue(second).path("stats").path("today")
                    .path("completed").asInt() == 1, () -> queue(second).toString());
            JsonNode today = queue(second).path("stats").path("today");
            assertThat(today.path("offered").asInt()).isEqualTo(1);
            assertThat(today.path("answered").asInt()).isEqualTo(1);
            // Talk time runs from the answer before the restart: handle time covers the whole call.
            assertThat(today.path("aht_seconds").asDouble()).as("%s", today).isGreaterThan(8.0);
        }
    }

    private static boolean loginReady(CtiClient supervisor) {
        try {
            supervisor.post("/api/v1/agents/agent-1001/login", "{\"ready\": true}");
            return true;
        } catch (AssertionError e) {
            return false; // phone not yet seen online: try again
        }
    }

    /** Call numbers (the N of sipp's Call-ID "N-pid@ip") of the BYEs the customer phone received, in order. */
    static List<Integer> hangupOrder(Sipp.Phone customers) {
        List<Integer> order = new ArrayList<>();
        Matcher m = Pattern.compile("message received \\[\\d+\\] bytes :\\s*BYE sip:[^\\n]*\\n(?:[^\\n]+\\n)*?Call-ID: *(\\d+)-")
                .matcher(customers.messages());
        while (m.find()) {
            order.add(Integer.parseInt(m.group(1)));
        }
        return order;
    }

    @SuppressWarnings("unused")
    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
