package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyOutcome;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.domain.AgentId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The post-call survey on real calls: a sipp customer dials 700 (queue support, which has a survey), the
 * agent's sipp phone answers, talks 2 s and hangs up; the customer stays on the line in our Stasis app,
 * hears the question (ARI playback of stock sounds) and presses a key by RFC 4733 DTMF, or nothing. The
 * score reaches the queue's figures over REST, and we hang the customer up after the thank-you. A CTI
 * killed during a survey leaves the customer on the line until the next CTI's ARI resync hangs them up
 * and counts the survey (interrupted).
 */
class SurveyIT {

    private static final Logger log = LoggerFactory.getLogger(SurveyIT.class);

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final AgentId AGENT = AgentId.of("agent-1001");

    private CtiUnderTest cti(String name, String timeout, int retries) {
        CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve(name), AsteriskUnderTest.AMI_PORT, String.join("\n",
                "queues:",
                "  - id: support",
                "    tenant: demo",
                "    announce-period: 0s",
                "    wrap-up: 1s",
                "    survey:",
                "      question: [sound:vm-press, digits:12345]",
                "      invalid: [sound:pm-invalid-option]",
                "      thanks: [sound:auth-thankyou, sound:vm-goodbye]",
                "      timeout: " + timeout,
                "      retries: " + retries));
        CtiIt.awaitHealthUp(cti);
        CtiIt.within(CtiIt.LINK_BOUND, "agent-1001's phone online", () -> cti.acd(acd -> acd.agent(AGENT).phoneOnline()),
                () -> cti.acd(acd -> acd.agent(AGENT)).toString());
        cti.acd(acd -> {
            acd.agentLogin(AGENT, true);
            return null;
        });
        return cti;
    }

    private static <T extends QueueEvent> List<T> logged(CtiUnderTest cti, Class<T> type) {
        return cti.acd(acd -> cti.server().acdEvents().events().stream().filter(type::isInstance).map(type::cast).toList());
    }

    private static void await(CtiUnderTest cti, String what, java.util.concurrent.Callable<Boolean> condition) {
        CtiIt.within(BOUND, what, condition, () -> cti.acd(acd -> String.valueOf(cti.server().acdEvents().events())));
    }

    private static JsonNode survey(CtiUnderTest cti) {
        return CtiClient.login(cti.base(), "supervisor", "supervisor").get("/api/v1/queues/support").at("/stats/today/survey");
    }

    @Test
    void givenAQueueWithASurvey_whenTheAgentHangsUpAndTheCustomerPresses4_thenTheScoreIsInTheQueueFiguresAndWeHangUp() {
        try (CtiUnderTest cti = cti("survey-answered", "10s", 1)) {
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            long t0 = System.nanoTime();
            Sipp.Phone customer = env.sipp().customerAnsweringSurveyWith4("2001", "700", Duration.ofSeconds(6));

            agent.assertSucceeded(CtiIt.CALL_BOUND);
            long agentDone = System.nanoTime();
            customer.assertSucceeded(CtiIt.CALL_BOUND); // its script ends with our BYE, answered
            long customerDone = System.nanoTime();

            await(cti, "the survey logged", () -> !logged(cti, QueueEvent.SurveyEnded.class).isEmpty());
            QueueEvent.Answered answered = logged(cti, QueueEvent.Answered.class).get(0);
            QueueEvent.SurveyEnded ended = logged(cti, QueueEvent.SurveyEnded.class).get(0);
            assertThat(ended.outcome()).isEqualTo(SurveyOutcome.ANSWERED);
            assertThat(ended.score()).isEqualTo(4);
            assertThat(ended.agent()).isEqualTo(AGENT);
            assertThat(ended.entry()).isEqualTo(answered.entry()); // the score is the answered call's
            assertThat(logged(cti, QueueEvent.SurveyEnded.class)).hasSize(1);
            assertThat(customer.messages()).contains("BYE sip:2001@");
            await(cti, "the survey over", () -> cti.acd(acd -> cti.server().surveys().active() == 0));

            JsonNode s = survey(cti);
            assertThat(s.get("offered").asInt()).isEqualTo(1);
            assertThat(s.get("answered").asInt()).isEqualTo(1);
            assertThat(s.get("response_rate_percent").asDouble()).isEqualTo(100.0);
            assertThat(s.get("csat_percent").asDouble()).isEqualTo(100.0);
            assertThat(s.get("average_score").asDouble()).isEqualTo(4.0);
            assertThat(s.get("scores")).extracting(JsonNode::asInt).containsExactly(0, 0, 0, 1, 0);
            assertThat(cti.server().metrics().scrape())
                    .contains("cti_surveys_total{outcome=\"answered\",queue=\"support\",tenant=\"demo\"} 1.0");
            await(cti, "the agent out of wrap-up", () -> cti.acd(acd -> acd.agent(AGENT).state() == AgentState.READY));
            log.info("SurveyIT measured: agent answered at {}, survey answered {} ms later; agent's script done {} ms "
                    + "after the customer's call started, customer's (our BYE answered) {} ms after that",
                    answered.at(), Duration.between(answered.at(), ended.at()).toMillis(),
                    Duration.ofNanos(agentDone - t0).toMillis(), Duration.ofNanos(customerDone - agentDone).toMillis());
        }
    }

    @Test
    void givenAQueueWithASurvey_whenTheCustomerPressesNothing_thenNoResponseIsCountedAndWeHangUp() {
        try (CtiUnderTest cti = cti("survey-no-response", "2s", 0)) {
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerCallingUntilHungUp("2001", "700");

            agent.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);

            await(cti, "the survey logged", () -> !logged(cti, QueueEvent.SurveyEnded.class).isEmpty());
            QueueEvent.SurveyEnded ended = logged(cti, QueueEvent.SurveyEnded.class).get(0);
            assertThat(ended.outcome()).isEqualTo(SurveyOutcome.NO_RESPONSE);
            JsonNode s = survey(cti);
            assertThat(s.get("offered").asInt()).isEqualTo(1);
            assertThat(s.get("answered").asInt()).isZero();
            assertThat(s.get("response_rate_percent").asDouble()).isEqualTo(0.0);
            assertThat(s.has("csat_percent")).isFalse();
            assertThat(s.get("scores")).extracting(JsonNode::asInt).containsExactly(0, 0, 0, 0, 0);
        }
    }

    @Test
    void givenASurveyGoingOn_whenTheCtiIsKilledAndStartedAgain_thenTheCustomerIsHungUpAndTheSurveyCountsAsInterrupted() {
        java.nio.file.Path dir = env.workDir().resolve("survey-restart");
        int port = CtiProcess.freePort();
        String yaml = String.join("\n", "queues:", "  - id: support", "    tenant: demo", "    announce-period: 0s",
                "    wrap-up: 0s", "    survey:", "      question: [sound:vm-press, digits:12345]", "      timeout: 60s",
                "      retries: 0", "");
        Sipp.Phone customer;
        try (CtiProcess first = CtiProcess.start(dir, port, yaml, "cti-1")) {
            first.awaitUp();
            CtiClient boss = CtiClient.login(first.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001's phone online",
                    () -> boss.get("/api/v1/agents/agent-1001").path("acd").path("phone_online").asBoolean(),
                    () -> boss.get("/api/v1/agents/agent-1001").toString());
            boss.post("/api/v1/agents/agent-1001/login", "{\"ready\": true}");
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            customer = env.sipp().customerCallingUntilHungUp("2001", "700"); // presses nothing
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            // The survey has the customer now (a 60 s wait for the key); nothing is counted until it ends.
            sleep(1500);
            assertThat(customer.isAlive()).isTrue();
            assertThat(boss.get("/api/v1/queues/support").at("/stats/today/survey/offered").asInt()).isZero();
            first.kill9();
        }
        assertThat(customer.isAlive()).as("the customer is still on the line while no CTI runs").isTrue();

        try (CtiProcess second = CtiProcess.start(dir, port, yaml, "cti-2")) {
            second.awaitUp();
            // Hung up at the first ARI resync, long before the survey's own 60 s.
            customer.assertSucceeded(CtiIt.LINK_BOUND);
            CtiClient boss = CtiClient.login(second.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "the interrupted survey counted",
                    () -> boss.get("/api/v1/queues/support").at("/stats/today/survey/offered").asInt() == 1,
                    () -> boss.get("/api/v1/queues/support").toString() + "\n" + second.tail());
            JsonNode s = boss.get("/api/v1/queues/support").at("/stats/today/survey");
            assertThat(s.get("answered").asInt()).isZero();
            assertThat(s.get("response_rate_percent").asDouble()).isEqualTo(0.0);
            assertThat(boss.get("/api/v1/queues/support").at("/stats/today/answered").asInt())
                    .as("the stored log of the first process still counts the call").isEqualTo(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
