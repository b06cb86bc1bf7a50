package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.it.CtiIt.awaitEvent;
import static org.asteriskcti.server.it.CtiIt.callId;
import static org.asteriskcti.server.it.CtiIt.hasLeg;
import static org.asteriskcti.server.it.CtiIt.state;
import static org.asteriskcti.server.it.CtiIt.withLeg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real call seen end to end through the CTI: Asterisk -> AMI/ARI edges -> model -> WebSocket. */
class CallLifecycleIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    @BeforeEach
    void edgesWired() {
    }

    @Test
    void givenSupervisorOnCalls_whenCustomerCallsAgentWhoAnswers_thenCallAppearsConnectsAndEndsAnswered() {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("cti-lifecycle"), AsteriskUnderTest.AMI_PORT)) {
            CtiClient.Health health = CtiIt.awaitHealthUp(cti);
            assertThat(health.body().path("model").asText()).isIn("synced", "stale");
            CtiClient.Connection ws = CtiIt.supervisorOnCalls(cti);
            assertThat(ws.welcome().orElseThrow().path("resumed").asBoolean()).isFalse();

            // customer 2001 dials agent 1001 directly (from-trunk _100X), the agent rings 1 s and answers,
            // they talk 4 s, the customer hangs up.
            Sipp.Phone agent = env.sipp().agentAnswering("1001", Duration.ofSeconds(1));
            Sipp.Phone customer = env.sipp().customerCalling("2001", "1001", Duration.ofSeconds(4));

            JsonNode appeared = awaitEvent(ws, "call.updated", withLeg("PJSIP/2001").or(withLeg("PJSIP/1001")),
                    "the call 2001 -> 1001 appears on the calls topic");
            String id = appeared.path("call_id").asText();
            assertThat(id).isNotBlank();
            assertThat(appeared.path("tenant").asText()).isEqualTo("demo");
            assertThat(appeared.path("state").asText()).isIn("STARTED", "RINGING", "CONNECTED");

            JsonNode connected = awaitEvent(ws, "call.updated", callId(id).and(state("CONNECTED")).and(withLeg("PJSIP/1001")),
                    "call " + id + " CONNECTED with PJSIP/1001");
            assertThat(hasLeg(connected, "PJSIP/2001")).as("customer leg in %s", connected).isTrue();

            JsonNode ended = awaitEvent(ws, "call.ended", callId(id), "call " + id + " ended");
            assertThat(ended.path("state").asText()).isEqualTo("ENDED");
            assertThat(ended.path("disposition").asText()).as("disposition of %s", ended).isEqualTo("ANSWERED");

            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            // The call is gone from the model once ended.
            assertThat(cti.health().body().path("active_calls").asInt()).isZero();
        }
    }
}
