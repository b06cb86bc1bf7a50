package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CTI restart in the middle of a menu: the caller is in the menu when the CTI process is killed
 * ({@code kill -9}); a new process on the same configuration finds them by the position kept on their
 * channel, takes them back into the flow at the menu, and the key they press then queues them to an agent.
 */
class IvrRestartIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    static final String FLOW = """
            entry: menu
            nodes:
              menu:
                type: menu
                prompt: [sound:beep]
                options: {"1": support}
                timeout: 60s
                retries: 0
                on-invalid: bye
                on-timeout: bye
              support: {type: queue, queue: support}
              bye: {type: hangup}
            """;

    /** The tenant's callers in the flow now, by flow version, as the supervisor's REST API reports them. */
    private static int callersInFlow(CtiProcess cti) {
        JsonNode flows = CtiClient.login(cti.base(), "supervisor", "supervisor").get("/api/v1/ivr/flows").path("flows");
        int n = 0;
        for (JsonNode f : flows) {
            for (JsonNode count : f.path("callers")) {
                n += count.asInt();
            }
        }
        return n;
    }

    private static double metric(CtiProcess cti, String name) {
        String text = CtiClient.metrics(cti.base());
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).mapToDouble(
                l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void givenACallerInAMenu_whenTheCtiIsKilledAndStartedAgain_thenTheyResumeAtTheMenuAndTheirKeyQueuesThem() {
        Path dir = env.workDir().resolve("ivr-restart");
        Path flows = IvrIT.writeFlows(dir, FLOW, "");
        String yaml = IvrIT.ivrConfig(flows);
        int port = CtiProcess.freePort();
        Sipp.Phone customer;
        try (CtiProcess first = CtiProcess.start(dir, port, yaml, "cti-1")) {
            first.awaitUp();
            CtiClient boss = CtiClient.login(first.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 READY", () -> {
                try {
                    boss.post("/api/v1/agents/agent-1001/login", "{\"ready\": true}");
                    return true;
                } catch (AssertionError e) {
                    return false; // phone not yet seen online: try again
                }
            }, () -> "");
            // The key comes 25 s after the answer: well after the first CTI is gone and the second is up.
            customer = env.sipp().customerKeys("2001", "700", "p25000 k1", false);
            CtiIt.within(CtiIt.CALL_BOUND, "the caller in the menu", () -> callersInFlow(first) == 1, first::tail);
            // Killed once the position is on the channel in Asterisk (an ARI request after the caller enters the
            // menu): the resume is what is tested, not a kill racing that request.
            CtiIt.within(CtiIt.LINK_BOUND, "CTI_IVR_POSITION on the caller's channel", () -> {
                JsonNode channels = CtiIt.ari("/channels");
                for (JsonNode ch : channels == null ? java.util.List.<JsonNode>of() : channels) {
                    JsonNode v = CtiIt.ari("/channels/" + ch.path("id").asText() + "/variable?variable=CTI_IVR_POSITION");
                    if (v != null && !v.path("value").asText().isEmpty()) {
                        return true;
                    }
                }
                return false;
            }, first::tail);
            first.kill9();
        }
        try (CtiProcess second = CtiProcess.start(dir, port, yaml, "cti-2")) {
            second.awaitUp();
            CtiIt.within(CtiIt.LINK_BOUND, "the caller taken back into the flow", () -> callersInFlow(second) == 1,
                    second::tail);
            assertThat(metric(second, "cti_ivr_resumed_total")).isEqualTo(1.0);
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);

            agent.assertSucceeded(Duration.ofSeconds(60));
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            JsonNode today = CtiClient.login(second.base(), "supervisor", "supervisor").get("/api/v1/queues/support")
                    .path("stats").path("today");
            assertThat(today.path("answered").asInt()).as("%s", today).isEqualTo(1);
            assertThat(callersInFlow(second)).isZero();
            assertThat(metric(second, "cti_ivr_left_total")).as("one caller left a flow: to the queue").isEqualTo(1.0);
        }
    }
}
