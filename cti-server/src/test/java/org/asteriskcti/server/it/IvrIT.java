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
        return cti(name, MENU, "", "");
    }

    /**
     * A CTI whose DID 700 runs {@code flow} (tenant demo's it-menu.yaml, with {@code tenantYaml} as its
     * tenant.yaml when not empty), with {@code extraYaml} (e.g. agents) added to the configuration.
     */
    private CtiUnderTest cti(String name, String flow, String tenantYaml, String extraYaml) {
        Path dir = env.workDir().resolve(name);
        Path flows = writeFlows(dir, flow, tenantYaml);
        CtiUnderTest cti = CtiUnderTest.start(dir, AsteriskUnderTest.AMI_PORT, ivrConfig(flows) + extraYaml);
        CtiIt.awaitHealthUp(cti);
        return cti;
    }

    static Path writeFlows(Path dir, String flow, String tenantYaml) {
        Path flows = dir.resolve("ivr");
        try {
            Files.createDirectories(flows.resolve("demo/prompts"));
            Files.writeString(flows.resolve("demo").resolve("it-menu.yaml"), flow);
            if (!tenantYaml.isEmpty()) {
                Files.writeString(flows.resolve("demo").resolve("tenant.yaml"), tenantYaml);
            }
            // The tenant's own recording: a copy of an Asterisk sound, played from the tenant's prompts folder.
            Files.copy(Path.of("/usr/share/asterisk/sounds/en_US_f_Allison/hello-world.wav"), flows.resolve("demo/prompts/it-hello.wav"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return flows;
    }

    static String ivrConfig(Path flows) {
        return String.join("\n",
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
                "    time-zone: UTC",
                "    routes:",
                "      - {did: \"700\", flow: it-menu}",
                "");
    }

    private static String ivrStats(CtiUnderTest cti) {
        return cti.acd(acd -> "started=" + cti.server().ivr().started() + " handedOver=" + cti.server().ivr().handedOver()
                + " hungUp=" + cti.server().ivr().hungUp() + " active=" + cti.server().ivr().active()
                + " failedPlaybacks=" + cti.server().ivr().playbacksFailed());
    }

    /** Whether the ACD's log has an offer to {@code agent}. */
    private static boolean offeredTo(CtiUnderTest cti, String agent) {
        return cti.acd(acd -> cti.server().acdEvents().events().stream()
                .anyMatch(e -> e instanceof QueueEvent.Offered o && o.agent().equals(AgentId.of(agent))));
    }

    /**
     * agent-1001 (longest idle) and agent-1002 both READY, a customer calls 700 pressing {@code keys}: agent-1002
     * answers, agent-1001's phone is never rung and the ACD never offered them the caller.
     */
    private void onlyAgent1002TakesIt(CtiUnderTest cti, String keys) {
        readyAgent(cti, "agent-1001");
        readyAgent(cti, "agent-1002");
        Sipp.Phone chosen = env.sipp().agent("1002", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
        Sipp.Phone other = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
        Sipp.Phone customer = env.sipp().customerKeys("2001", "700", keys, false);

        chosen.assertSucceeded(CtiIt.CALL_BOUND);
        customer.assertSucceeded(CtiIt.CALL_BOUND);
        assertThat(other.isAlive()).as("agent-1001 was never rung").isTrue();
        CtiIt.within(BOUND, "the answer logged", () -> cti.acd(acd -> cti.server().acdEvents().events().stream()
                .anyMatch(e -> e instanceof QueueEvent.Answered a && a.agent().equals(AgentId.of("agent-1002")))),
                () -> cti.acd(acd -> String.valueOf(cti.server().acdEvents().events())));
        assertThat(offeredTo(cti, "agent-1001")).as("agent-1001 offered the caller").isFalse();
    }

    private static void readyAgent(CtiUnderTest cti, String agent) {
        AgentId agentId = AgentId.of(agent);
        CtiIt.within(CtiIt.LINK_BOUND, agent + "'s phone online", () -> cti.acd(acd -> acd.agent(agentId).phoneOnline()),
                () -> cti.acd(acd -> acd.agent(agentId)).toString());
        cti.acd(acd -> {
            acd.agentLogin(agentId, true);
            return null;
        });
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

    // ---- menus: timeouts, invalid keys, retries --------------------------------------------------------------

    static final String RETRY_MENU = """
            entry: menu
            nodes:
              menu:
                type: menu
                prompt: [sound:beep]
                options: {"1": support}
                timeout: %s
                retries: 1
                invalid-prompt: sound:beep
                on-invalid: invalid
                on-timeout: timeout
              support: {type: queue, queue: support}
              timeout: {type: extension, extension: "1002"}
              invalid: {type: extension, extension: "1003"}
            """;

    @Test
    void givenAMenuNobodyAnswers_whenItTimesOutTwice_thenTheCallerGoesWhereTheFlowSendsTimeouts() {
        try (CtiUnderTest cti = cti("ivr-timeout", RETRY_MENU.formatted("2s"), "", "")) {
            Sipp.Phone timeoutDesk = env.sipp().agent("1002", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            long t0 = System.nanoTime();
            Sipp.Phone customer = env.sipp().customerKeys("2001", "700", "", false);

            timeoutDesk.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            // Two prompts (beep) and two 2 s timeouts before the hand-over.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofSeconds(4));
            assertThat(ivrStats(cti)).isEqualTo("started=1 handedOver=1 hungUp=0 active=0 failedPlaybacks=0");
        }
    }

    @Test
    void givenAMenu_whenTheCallerPressesAWrongKeyTwice_thenTheInvalidInputPath() {
        try (CtiUnderTest cti = cti("ivr-invalid", RETRY_MENU.formatted("20s"), "", "")) {
            Sipp.Phone invalidDesk = env.sipp().agent("1003", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerKeys("2001", "700", "p2000 k7 p2000 k9", false);

            invalidDesk.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(ivrStats(cti)).isEqualTo("started=1 handedOver=1 hungUp=0 active=0 failedPlaybacks=0");
        }
    }

    // ---- area routing, a tenant's own prompt file, the screen pop ---------------------------------------------

    static final String AREA_FLOW = """
            entry: area
            nodes:
              area: {type: area, table: callers, routes: {north: hello}, otherwise: bye}
              hello: {type: play, prompt: file:it-hello, next: menu}
              menu:
                type: menu
                prompt: [sound:beep]
                options: {"2": support}
                timeout: 20s
                retries: 1
                invalid-prompt: sound:beep
                on-invalid: bye
                on-timeout: bye
              support: {type: queue, queue: support}
              bye: {type: hangup}
            """;

    static final String AREA_TENANT = """
            areas:
              callers:
                "200": north
                "3": south
            """;

    @Test
    void givenACallerFromAnAreaOfTheTable_whenTheyGetTheMenuRightOnTheSecondTry_thenTheAgentsScreenPopShowsRegionAndChoice() {
        try (CtiUnderTest cti = cti("ivr-area", AREA_FLOW, AREA_TENANT, "")) {
            readyAgent(cti, "agent-1001");
            CtiClient.Connection desk = cti.login("demo1001", "demo1001").connect();
            desk.subscribe("agent:agent-1001");
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer-hangup.xml", Duration.ofSeconds(2), 1);
            // hello-world (~1.5 s), the beep, then a wrong key and the right one.
            Sipp.Phone customer = env.sipp().customerKeys("2001", "700", "p4000 k1 p2000 k2", false);

            agent.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            com.fasterxml.jackson.databind.JsonNode offered = desk.events("queue.call.offered").get(0).path("data");
            com.fasterxml.jackson.databind.JsonNode pop = offered.path("screen_pop");
            assertThat(pop.path("caller_number").asText()).isEqualTo("2001");
            assertThat(pop.path("region").asText()).isEqualTo("north");
            assertThat(pop.path("language").asText()).isEqualTo("en");
            assertThat(pop.path("choices")).hasSize(1);
            assertThat(pop.path("choices").get(0).path("node").asText()).isEqualTo("menu");
            assertThat(pop.path("choices").get(0).path("key").asText()).isEqualTo("2");
            assertThat(pop.path("data").path("menu.menu").asText()).isEqualTo("2");
            // The tenant's file was found and played by Asterisk (a failed playback is counted).
            assertThat(ivrStats(cti)).isEqualTo("started=1 handedOver=1 hungUp=0 active=0 failedPlaybacks=0");
            desk.close();
        }
    }

    // ---- business hours -----------------------------------------------------------------------------------------

    @Test
    void givenOfficeHoursThatAreNotNow_whenACustomerCalls_thenTheClosedPath() {
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        // Open only tomorrow (a day not listed is closed): closed now, whatever the time of day.
        String tomorrow = now.plusDays(1).getDayOfWeek().name().substring(0, 3).toLowerCase(java.util.Locale.ROOT);
        String tenant = "calendars:\n  office:\n    hours:\n      " + tomorrow + ": 00:00-24:00\n";
        String flow = """
                entry: hours
                nodes:
                  hours: {type: hours, calendar: office, open: support, closed: closed, holiday: closed}
                  support: {type: queue, queue: support}
                  closed: {type: play, prompt: sound:beep, next: after-hours}
                  after-hours: {type: extension, extension: "1002"}
                """;
        try (CtiUnderTest cti = cti("ivr-closed", flow, tenant, "")) {
            Sipp.Phone afterHours = env.sipp().agent("1002", "uas-answer-hangup.xml", Duration.ofMillis(500), 1);
            Sipp.Phone customer = env.sipp().customerKeys("2001", "700", "", false);

            afterHours.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(ivrStats(cti)).isEqualTo("started=1 handedOver=1 hungUp=0 active=0 failedPlaybacks=0");
        }
    }

    // ---- language choice ------------------------------------------------------------------------------------------

    @Test
    void givenALanguageMenu_whenTheCallerChoosesFrench_thenOnlyAFrenchSpeakingAgentIsOffered() {
        String flow = """
                entry: lang
                nodes:
                  lang:
                    type: language
                    prompt: sound:beep
                    options: {"1": en, "2": fr}
                    timeout: 20s
                    next: support
                  support: {type: queue, queue: support}
                """;
        String agents = String.join("\n",
                "agents:",
                "  - {id: agent-1001, tenant: demo, name: Agent One, endpoint: PJSIP/1001, languages: [en]}",
                "  - {id: agent-1002, tenant: demo, name: Agent Two, endpoint: PJSIP/1002, languages: [en, fr]}",
                // the default users' demo1005 acts as agent-1005 (logged out here, so never offered)
                "  - {id: agent-1005, tenant: demo, name: Agent Five, endpoint: PJSIP/1005}",
                "");
        try (CtiUnderTest cti = cti("ivr-language", flow, "", agents)) {
            // agent-1001 is the longest idle: without the language they would get the call.
            onlyAgent1002TakesIt(cti, "p1500 k2");
        }
    }

    // ---- straight to one agent, through the ACD ------------------------------------------------------------------

    @Test
    void givenAnAgentNodeWithAQueue_whenTwoAgentsAreReady_thenOnlyTheAgentNamedIsOffered() {
        String flow = """
                entry: direct
                nodes:
                  direct: {type: agent, agent: agent-1002, queue: support}
                """;
        try (CtiUnderTest cti = cti("ivr-agent", flow, "", "")) {
            // agent-1001 is the longest idle: a plain queue caller would go to them.
            onlyAgent1002TakesIt(cti, "");
        }
    }
}
