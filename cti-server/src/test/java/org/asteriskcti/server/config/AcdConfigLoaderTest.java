package org.asteriskcti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.Strategy;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acd section, queues and the agents' ACD keys: binding, cross-checks and {@link AcdConfig#from}. */
class AcdConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, text);
        return f;
    }

    /** Two tenants, each with its agents (none naming a queue); queues come from each test. */
    private static final String TENANTS = """
            tenants:
              - {id: acme, time-zone: Europe/Paris, endpoints: ["2001", "2002"], not-ready-reasons: [coaching, lunch]}
              - {id: other, endpoints: ["3001"]}
            agents:
              - {id: a1, tenant: acme, endpoint: PJSIP/2001, skills: {sales: 7, Billing: 3}, languages: [en, FR]}
              - {id: a2, tenant: acme, endpoint: PJSIP/2002}
              - {id: o1, tenant: other, endpoint: PJSIP/3001}
            users: []
            """;

    private static String a1Serves(String queues) {
        return TENANTS.replace("languages: [en, FR]}", "languages: [en, FR], queues: [" + queues + "]}");
    }

    private CtiConfig load(String queues) throws IOException {
        return ConfigLoader.load(yaml(TENANTS + queues), Map.of());
    }

    private void assertProblem(String queues, String key, String message) {
        assertThatThrownBy(() -> load(queues))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("key '" + key + "'").contains(message)));
    }

    @Test
    void givenNoFile_whenLoaded_thenTheDemoHasQueueSupportServedByAllItsAgents() {
        CtiConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.acd().handleTimeWindow()).isEqualTo(20);
        assertThat(c.acd().waitEstimateCap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.acd().notReadyReasons()).containsExactly("break", "lunch", "training", "meeting", "back-office");
        assertThat(c.queues()).singleElement().satisfies(q -> {
            assertThat(q.id()).isEqualTo("support");
            assertThat(q.tenant()).isEqualTo("demo");
            assertThat(q.settings().strategy()).isEqualTo(CtiConfig.QueueStrategy.LONGEST_IDLE);
            assertThat(q.settings().maxWait()).isZero();
            assertThat(q.overflow()).contains(new CtiConfig.Overflow(CtiConfig.OverflowKind.MESSAGE, "all-circuits-busy-now"));
        });
        AcdConfig acd = AcdConfig.from(c);
        QueueDefinition support = acd.queues().get(0);
        assertThat(acd.agents()).extracting(AgentProfile::id).containsExactly(
                AgentId.of("agent-1001"), AgentId.of("agent-1002"), AgentId.of("agent-1003"), AgentId.of("agent-1004"),
                AgentId.of("agent-1005"));
        assertThat(acd.agents()).allSatisfy(a -> assertThat(a.serves(support.id(), support.tenant())).isTrue());
        assertThat(acd.agents()).allSatisfy(a -> assertThat(support.requirements().matches(a.skills())).isTrue());
    }

    @Test
    void givenASampleFile_whenConvertedForTheAcd_thenQueuesCarryDefaultsAndTheirOwnValues() throws IOException {
        CtiConfig c = ConfigLoader.load(yaml(a1Serves("sales") + """
                acd:
                  handle-time-window: 5
                  wait-estimate-cap: 10m
                  queue-defaults: {ring-timeout: 20s, wrap-up: 30s}
                queues:
                  - id: sales
                    tenant: acme
                    name: Sales
                    strategy: skills
                    skills: {Sales: 5}
                    language: EN
                    ring-timeout: 12s
                    max-wait: 2m
                    overflow: {queue: sales-backup}
                  - {id: sales-backup, tenant: acme, max-size: 10, overflow: {voicemail: 1000@acme}}
                  - {id: other-q, tenant: other}
                """), Map.of());
        AcdConfig acd = AcdConfig.from(c);

        QueueDefinition sales = acd.queues().get(0);
        assertThat(sales.id()).isEqualTo(QueueId.of("sales"));
        assertThat(sales.name()).isEqualTo("Sales");
        assertThat(sales.strategy()).isEqualTo(Strategy.SKILLS);
        assertThat(sales.ringTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(sales.wrapUp()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sales.maxWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(sales.overflow()).contains(new OverflowTarget.ToQueue(QueueId.of("sales-backup")));
        assertThat(sales.requirements().skills()).containsExactly(Map.entry("sales", 5));
        assertThat(sales.requirements().language()).contains("en");

        QueueDefinition backup = acd.queues().get(1);
        assertThat(backup.strategy()).isEqualTo(Strategy.LONGEST_IDLE);
        assertThat(backup.ringTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(backup.maxSize()).isEqualTo(10);
        assertThat(backup.overflow()).contains(new OverflowTarget.ToVoicemail("1000@acme"));
        assertThat(backup.mohClass()).isEqualTo("default");
        assertThat(backup.defaultHandleTime()).isEqualTo(Duration.ofMinutes(3));

        QueueDefinition otherQ = acd.queues().get(2);
        assertThat(otherQ.overflow()).isEqualTo(Optional.empty());
        assertThat(otherQ.requirements().language()).isEmpty();

        AgentProfile a1 = acd.agents().get(0);
        assertThat(a1.queues()).containsExactly(QueueId.of("sales"));
        assertThat(a1.skills().level("billing")).isEqualTo(3);
        assertThat(a1.skills().speaks("fr")).isTrue();
        assertThat(sales.requirements().matches(a1.skills())).isTrue();
        assertThat(acd.agents().get(1).queues()).isEmpty();

        assertThat(acd.handleTimeWindow()).isEqualTo(5);
        assertThat(acd.waitEstimateCap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(acd.zoneOf(TenantId.of("acme"))).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(acd.notReadyReasons().forTenant(TenantId.of("acme")))
                .containsExactlyInAnyOrder(NotReadyReason.of("coaching"), NotReadyReason.of("lunch"));
        assertThat(acd.notReadyReasons().forTenant(TenantId.of("other"))).contains(NotReadyReason.of("back-office"));
    }

    @Test
    void givenAQueueListInTheEnvironment_whenLoaded_thenItReplacesTheDefaultQueues() {
        String tenants = "[{id: demo, endpoints: ['1001', '1002', '1003', '1004'], dids: ['700', '701'],"
                + " routes: [{did: '700', queue: sales}, {did: '701', queue: sales, priority: 5, language: zh}]}]";
        CtiConfig c = ConfigLoader.load(null, Map.of("CTI_QUEUES",
                "[{id: sales, tenant: demo, strategy: least-calls}, {id: billing, tenant: demo, skills: {billing: 2}}]",
                "CTI_TENANTS", tenants));
        assertThat(c.queues()).extracting(CtiConfig.Queue::id).containsExactly("sales", "billing");
        assertThat(c.queues().get(0).settings().strategy()).isEqualTo(CtiConfig.QueueStrategy.LEAST_CALLS);
        assertThat(c.queues().get(1).skills()).containsExactly(Map.entry("billing", 2));
        assertThat(c.tenants().get(0).routes()).containsExactly(new CtiConfig.Route("700", "sales", 0, java.util.Optional.empty()),
                new CtiConfig.Route("701", "sales", 5, java.util.Optional.of("zh")));

        assertThat(ConfigLoader.load(null, Map.of("CTI_QUEUES", "[]", "CTI_TENANTS",
                "[{id: demo, endpoints: ['1001', '1002', '1003', '1004']}]")).queues()).isEmpty();
    }

    @Test
    void givenRoutesThatPointNowhere_whenLoaded_thenEachIsReportedWithItsKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_QUEUES", "[]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'tenants[0].routes[0].queue' names unknown queue 'support'");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_TENANTS",
                "[{id: demo, endpoints: ['1001', '1002', '1003', '1004'], dids: ['700'],"
                        + " routes: [{did: '600', queue: support}, {did: '700', queue: support}, {did: '700', queue: support}]}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'tenants[0].routes[0].did' '600' is not one of the tenant's dids [700]")
                .hasMessageContaining("key 'tenants[0].routes[2].did' routes DID '700' a second time");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_TENANTS",
                "[{id: demo, endpoints: ['1001'], dids: ['700'], routes: [{did: '700', queue: support, priority: 101, language: 'Chinese!'}]}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants[0].routes[0].priority")
                .hasMessageContaining("key 'tenants[0].routes[0].language' must be a language code like en, zh or pt_BR, got 'Chinese!'");
    }

    @Test
    void givenARouteToAFlow_whenLoaded_thenItHasTheFlowAndNoQueue() {
        CtiConfig c = ConfigLoader.load(null, Map.of("CTI_TENANTS",
                "[{id: demo, endpoints: ['1001', '1002', '1003', '1004'], dids: ['700'], routes: [{did: '700', flow: main, language: fr}]}]"));
        assertThat(c.tenants().get(0).routes()).containsExactly(
                new CtiConfig.Route("700", "", 0, java.util.Optional.of("fr"), java.util.Optional.of("main")));
    }

    @Test
    void givenARouteWithBothOrNeitherQueueAndFlow_whenLoaded_thenTheKeyIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_TENANTS",
                "[{id: demo, endpoints: ['1001'], dids: ['700', '701'],"
                        + " routes: [{did: '700', queue: support, flow: main}, {did: '701'}]}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'tenants[0].routes[0].flow' cannot be given with 'queue'")
                .hasMessageContaining("key 'tenants[0].routes[1].queue' is required (or 'flow'");
    }

    @Test
    void givenQueueDefaultsAndReasonsInTheEnvironment_whenLoaded_thenTheDefaultQueueInheritsThem() {
        CtiConfig c = ConfigLoader.load(null, Map.of(
                "CTI_ACD_QUEUE_DEFAULTS_STRATEGY", "skills",
                "CTI_ACD_QUEUE_DEFAULTS_MAX_WAIT", "2m",
                "CTI_ACD_NOT_READY_REASONS", "[break, coaching]"));
        QueueDefinition support = AcdConfig.from(c).queues().get(0);
        assertThat(support.strategy()).isEqualTo(Strategy.SKILLS);
        assertThat(support.maxWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(support.overflow()).contains(new OverflowTarget.HangupWithMessage("all-circuits-busy-now"));
        assertThat(c.acd().notReadyReasons()).containsExactly("break", "coaching");
    }

    @Test
    void givenAnEnvironmentQueueWithABadKey_whenLoaded_thenTheErrorNamesTheVariableAndKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_QUEUES", "[{id: q, tenant: demo, ring-timeout: 0s}]")))
                .hasMessageContaining("environment variable CTI_QUEUES: key 'queues[0].ring-timeout' must be between");
    }

    @Test
    void givenDuplicateQueueIds_thenTheSecondIdIsNamed() {
        assertProblem("queues: [{id: q, tenant: acme}, {id: q, tenant: acme}]", "queues[1].id", "duplicates queue 'q'");
    }

    @Test
    void givenAQueueOfAnUnknownTenant_thenItsTenantIsNamed() {
        assertProblem("queues: [{id: q, tenant: nobody}]", "queues[0].tenant", "names unknown tenant 'nobody'");
    }

    @Test
    void givenAnOverflowToAnotherTenantsQueue_thenItIsRejected() {
        assertProblem("queues: [{id: q, tenant: acme, overflow: {queue: o}}, {id: o, tenant: other}]",
                "queues[0].overflow.queue", "queue 'o' belongs to tenant 'other', not 'acme'");
    }

    @Test
    void givenAnOverflowToAnUnknownQueue_thenItIsRejected() {
        assertProblem("queues: [{id: q, tenant: acme, overflow: {queue: nope}}]",
                "queues[0].overflow.queue", "names unknown queue 'nope'");
    }

    @Test
    void givenOverflowsInACircle_thenTheCircleIsSpelledOutOnce() {
        assertThatThrownBy(() -> load("""
                queues:
                  - {id: a, tenant: acme, overflow: {queue: b}}
                  - {id: b, tenant: acme, overflow: {queue: a}}
                  - {id: c, tenant: acme, overflow: {queue: a}}
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .singleElement().asString()
                        .contains("key 'queues[0].overflow.queue'").contains("overflows in a circle: a -> b -> a"));
    }

    @Test
    void givenAQueueOverflowingToItself_thenItIsACircle() {
        assertProblem("queues: [{id: a, tenant: acme, overflow: {queue: a}}]",
                "queues[0].overflow.queue", "overflows in a circle: a -> a");
    }

    @Test
    void givenAnOverflowWithTwoTargets_thenItIsRejected() {
        assertProblem("queues: [{id: a, tenant: acme, overflow: {voicemail: 1@x, message: bye}}]",
                "queues[0].overflow", "exactly one of");
    }

    @Test
    void givenAnUnknownOverflowKey_thenItIsRejectedLikeAnyUnknownKey() {
        assertProblem("queues: [{id: a, tenant: acme, overflow: {queue: a, mesage: bye}}]",
                "queues[0].overflow.mesage", "");
        assertThatThrownBy(() -> load("queues: [{id: a, tenant: acme, stratgey: skills}]"))
                .hasMessageContaining("unknown key 'queues[0].stratgey'");
    }

    @Test
    void givenAnAgentNamingAQueueOfAnotherTenantOrNone_thenTheEntryIsNamed() {
        String queues = "queues: [{id: sales, tenant: acme}, {id: o, tenant: other}]\n";
        assertThatThrownBy(() -> ConfigLoader.load(yaml(a1Serves("sales, o, gone") + queues), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("key 'agents[0].queues[1]'")
                                .contains("queue 'o' belongs to tenant 'other', not 'acme'"))
                        .anySatisfy(p -> assertThat(p).contains("key 'agents[0].queues[2]'")
                                .contains("names unknown queue 'gone'")));
    }

    @Test
    void givenMaxWrapUpShorterThanWrapUp_thenTheQueueKeyIsNamed() {
        assertProblem("queues: [{id: a, tenant: acme, wrap-up: 3m}]", "queues[0].max-wrap-up",
                "must not be shorter than wrap-up (180s)");
    }

    @Test
    void givenDefaultMaxWrapUpShorterThanWrapUp_thenTheDefaultsKeyIsNamed() {
        assertProblem("acd: {queue-defaults: {wrap-up: 3m}}\nqueues: []", "acd.queue-defaults.max-wrap-up",
                "must not be shorter than acd.queue-defaults.wrap-up");
    }

    @Test
    void givenMaxWaitOrMaxSizeWithoutOverflow_thenTheOverflowIsRequired() {
        assertProblem("queues: [{id: a, tenant: acme, max-wait: 5m}]", "queues[0].overflow", "is required when max-wait");
        assertProblem("queues: [{id: a, tenant: acme, max-size: 3}]", "queues[0].overflow", "is required when max-wait");
        assertProblem("acd: {queue-defaults: {max-wait: 5m}}\nqueues: [{id: a, tenant: acme}]", "queues[0].overflow",
                "is required when max-wait");
    }

    @Test
    void givenBadSkillLevels_thenEachSkillIsNamed() {
        assertThatThrownBy(() -> load("queues: [{id: a, tenant: acme, skills: {sales: 11, billing: high, Sales: 2}}]"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).contains("key 'queues[0].skills.sales'").contains("between 1 and 10"))
                        .anySatisfy(p -> assertThat(p).contains("key 'queues[0].skills.billing'").contains("whole number"))
                        .anySatisfy(p -> assertThat(p).contains("key 'queues[0].skills.Sales'").contains("another case")));
        assertProblem("queues: [{id: a, tenant: acme, skills: [sales]}]", "queues[0].skills", "must be a mapping");
    }

    @Test
    void givenABadStrategyOrReason_thenTheKeyIsNamed() {
        assertProblem("queues: [{id: a, tenant: acme, strategy: random}]", "queues[0].strategy",
                "must be one of [longest_idle, least_calls, skills]");
        assertProblem("acd: {not-ready-reasons: [break, no answer]}\nqueues: []", "acd.not-ready-reasons",
                "'no answer' is a reason the ACD sets itself");
    }
}
