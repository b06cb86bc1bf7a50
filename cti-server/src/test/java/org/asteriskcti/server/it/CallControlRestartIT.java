package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Call control survives {@code kill -9}: a customer transferred from one agent to another is talking to
 * the second when the CTI dies; the new process finds the conversation on Asterisk's channels, shows it,
 * and can still end it.
 */
class CallControlRestartIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final String YAML = "queues:\n  - id: support\n    tenant: demo\n    wrap-up: 0s\n"
            + "    announce-period: 0s\n    overflow: {message: all-circuits-busy-now}\n";

    private static JsonNode conversations(CtiClient c) {
        return c.get("/api/v1/conversations").path("conversations");
    }

    @Test
    void givenATransferredCall_whenTheCtiIsKilledAndStartedAgain_thenTheConversationIsTakenBackAndCanBeEnded() {
        Path dir = env.workDir().resolve("ctl-restart");
        int port = CtiProcess.freePort();
        Sipp.Phone first = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(300), 1);
        Sipp.Phone second = env.sipp().agent("1002", "uas-answer.xml", Duration.ofMillis(300), 1);
        Sipp.Phone customer;
        String id;
        try (CtiProcess cti = CtiProcess.start(dir, port, YAML, "cti-1")) {
            cti.awaitUp();
            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 READY", () -> {
                try {
                    boss.post("/api/v1/agents/agent-1001/login", "{\"ready\": true}");
                    return true;
                } catch (AssertionError e) {
                    return false;
                }
            }, () -> "");
            customer = env.sipp().customerCallingUntilHungUp("2001", "700");
            CtiIt.within(CtiIt.CALL_BOUND, "the ACD call under call control", () -> conversations(boss).size() == 1
                    && conversations(boss).get(0).path("parties").size() == 2, () -> conversations(boss).toString());
            boss.post("/api/v1/call-control/call.transfer.blind",
                    "{\"command_id\":\"r1\",\"agent\":\"agent-1001\",\"target\":\"agent:agent-1002\"}");
            first.assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(CtiIt.CALL_BOUND, "customer talking to agent-1002", () -> {
                JsonNode c = conversations(boss);
                return c.size() == 1 && c.get(0).path("transfer").isMissingNode() && c.get(0).path("parties").get(2)
                        .path("state").asText().equals("CONNECTED");
            }, () -> conversations(boss).toString());
            id = conversations(boss).get(0).path("id").asText();
            cti.kill9();
        }
        try (CtiProcess cti = CtiProcess.start(dir, port, YAML, "cti-2")) {
            cti.awaitUp();
            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            CtiIt.within(CtiIt.LINK_BOUND, "the conversation taken back", () -> conversations(boss).size() == 1,
                    () -> conversations(boss) + "\n" + cti.tail());
            JsonNode c = conversations(boss).get(0);
            assertThat(c.path("id").asText()).isEqualTo(id);
            assertThat(c.path("parties")).extracting(p -> p.path("role").asText() + " " + p.path("agent").asText("")
                    + " " + p.path("state").asText()).containsExactlyInAnyOrder("CUSTOMER  CONNECTED", "THIRD_PARTY agent-1002 CONNECTED");

            boss.post("/api/v1/call-control/call.hangup", "{\"command_id\":\"r2\",\"agent\":\"agent-1002\"}");

            second.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(CtiIt.CALL_BOUND, "no conversation left", () -> conversations(boss).isEmpty(), () -> "");
        }
    }
}
