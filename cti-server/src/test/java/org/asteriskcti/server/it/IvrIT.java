package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.domain.AgentId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IVR flows on real calls: DID 700 is routed to a flow whose menu sends key 1 to queue support; a sipp
 * customer presses 1 (RFC 4733) and an agent's sipp phone answers the call the ACD offers.
 */
class IvrIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final Duration BOUND = Duration.ofSeconds(30);

    static final String MENU = """
            entry: menu
            nodes:
              menu:
                type: menu
                prompt: [sound:beep]
                options: {"1": support}
                timeout: 10s
                retries: 0
                on-invalid: bye
                on-timeout: bye
              support: {type: queue, queue: support}
              bye: {type: hangup}
            """;

    private CtiUnderTest cti(String name) {
        Path dir = env.workDir().resolve(name);
        Path flows = dir.resolve("ivr");
        try {
            Files.createDirectories(flows.resolve("demo"));
            Files.writeString(flows.resolve("demo").resolve("it-menu.yaml"), MENU);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CtiUnderTest cti = CtiUnderTest.start(dir, AsteriskUnderTest.AMI_PORT, String.join("\n",
                "ivr:",
                "  dir: " + flows,
                "queues:",
                "  - id: support",
                "    tenant: demo",
                "    announce-period: 0s",
                "    wrap-up: 1s",
                "tenants:",
                "  - id: demo",
                "    endpoints: [\"1001\", \"1002\", \"1003\", \"1004\"]",
                "    dids: [\"600\", \"700\", \"800\"]",
                "    routes:",
                "      - {did: \"700\", flow: it-menu}"));
        CtiIt.awaitHealthUp(cti);
        return cti;
    }

    @Test
    void givenADidRoutedToAMenu_whenTheCustomerPresses1_thenTheQueuesAgentIsRungAndTheyTalk() {
        try (CtiUnderTest cti = cti("ivr-menu-to-queue")) {
            AgentId agentId = AgentId.of("agent-1001");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001's phone online", () -> cti.acd(acd -> acd.agent(agentId).phoneOnline()),
                    () -> cti.acd(acd -> acd.agent(agentId)).toString());
            cti.acd(acd -> {
                acd.agentLogin(agentId, true);
                return null;
            });
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerPressing1("2001", "700");

            agent.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(agent.messages()).contains("From: \"Customer One\" <sip:2001@");
            CtiIt.within(BOUND, "the answer logged", () -> cti.acd(acd -> cti.server().acdEvents().events().stream()
                    .anyMatch(e -> e instanceof QueueEvent.Answered a && a.agent().equals(agentId))),
                    () -> cti.acd(acd -> String.valueOf(cti.server().acdEvents().events())));
            String ivr = cti.acd(acd -> "started=" + cti.server().ivr().started() + " handedOver="
                    + cti.server().ivr().handedOver() + " active=" + cti.server().ivr().active());
            assertThat(ivr).isEqualTo("started=1 handedOver=1 active=0");
        }
    }
}
