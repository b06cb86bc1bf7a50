package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.acd.stats.QueueStatistics;
import org.asteriskcti.server.acd.stats.QueueStatistics.PeriodFigures;
import org.asteriskcti.server.acd.stats.QueueStatistics.Thresholds;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.RingFailure;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.JdbcQueueEventStore;
import org.asteriskcti.server.storage.QueueEventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every figure is reproducible from the stored events: an ACD day driven through {@link AcdService}
 * with its log stored, then the figures computed from what the database gives back are equal, field
 * by field, to the live ones; and an ACD restarted on the stored log goes on from them.
 */
class AcdStatisticsStorageTest {

    private static final QueueId SALES = QueueId.of("sales");
    private static final QueueId SUPPORT = QueueId.of("support");
    private static final QueueId ACME_SALES = QueueId.of("acme-sales");
    private static final TenantId DEMO = TenantId.of("demo");
    private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");
    private static final Instant DAY_END = DAY.plus(Duration.ofDays(1));
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final List<QueueDefinition> QUEUES = List.of(
            QueueDefinition.builder("sales", "demo").ringTimeout(Duration.ofSeconds(15)).wrapUp(Duration.ofSeconds(10))
                    .maxWrapUp(Duration.ofSeconds(30)).announcePeriod(Duration.ZERO).serviceLevel(Duration.ofSeconds(20))
                    .shortAbandon(Duration.ofSeconds(5)).defaultHandleTime(Duration.ofMinutes(3))
                    .maxWait(Duration.ofSeconds(120), new OverflowTarget.ToQueue(SUPPORT)).build(),
            QueueDefinition.builder("support", "demo").announcePeriod(Duration.ZERO).wrapUp(Duration.ZERO)
                    .maxSize(1).overflow(new OverflowTarget.ToVoicemail("1000@support")).build(),
            QueueDefinition.builder("acme-sales", "acme").announcePeriod(Duration.ZERO)
                    .maxWait(Duration.ofSeconds(60), new OverflowTarget.HangupWithMessage("all-circuits-busy-now")).build());
    private static final List<AgentProfile> AGENTS = List.of(AgentProfile.of("a1", "demo"), AgentProfile.of("a2", "demo"),
            AgentProfile.of("s1", "demo").withQueues(Set.of(SUPPORT)), AgentProfile.of("x1", "acme"));

    private final Database db = Database.open("jdbc:h2:mem:acd-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE,
            "", "", 2);
    private final List<JdbcQueueEventStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(JdbcQueueEventStore::close);
        db.close();
    }

    private JdbcQueueEventStore store() {
        JdbcQueueEventStore s = new JdbcQueueEventStore(db.dataSource(),
                Map.of(SALES, DEMO, SUPPORT, DEMO, ACME_SALES, TenantId.of("acme")),
                new JdbcQueueEventStore.Settings(7, Duration.ofMillis(10), Duration.ofMillis(100), WAIT, Optional.empty()));
        stores.add(s);
        return s;
    }

    private static void survey(AcdHarness h, org.asteriskcti.server.survey.SurveyService surveys, String caller,
            QueueId queue, EntryId entry, String agent) {
        h.run(() -> surveys.take(ChannelId.of(caller), DEMO, queue, entry, AgentId.of(agent),
                java.util.concurrent.CompletableFuture.completedFuture(null)));
    }

    private static void surveyEvent(AcdHarness h, org.asteriskcti.server.survey.SurveyService surveys,
            org.asteriskcti.server.asterisk.AsteriskEvent e) {
        h.run(() -> surveys.onEvent(e));
    }

    private static org.asteriskcti.server.asterisk.EventMeta ariMeta(AcdHarness h) {
        return new org.asteriskcti.server.asterisk.EventMeta(org.asteriskcti.server.asterisk.Source.ARI, h.clock.instant(),
                h.clock.instant(), 0);
    }

    /** Moves the clock by whole seconds plus a few nanoseconds, so that times need every digit. */
    private static void step(AcdHarness h, long seconds, long nanos) {
        h.scheduler.advance(Duration.ofSeconds(seconds, nanos));
    }

    /**
     * A morning: answered within and over the threshold, ring-no-answer, reject, busy and withdrawn
     * offers, a real abandon, a short one, one while ringing, hold, wrap-up (by timer, ended early, cut
     * by a logout, none), an overflow to a queue, a full queue to voicemail, a max wait to a message, a
     * callback, and a caller still waiting at the end.
     */
    private static void morning(AcdHarness h) {
        // The post-call survey logs into the same log, on the same loop (no thanks: we hang up at once).
        org.asteriskcti.server.survey.SurveyDefinition d = new org.asteriskcti.server.survey.SurveyDefinition(
                List.of("sound:q"), List.of(), List.of(), Duration.ofSeconds(5), 0);
        org.asteriskcti.server.survey.SurveyService surveys = new org.asteriskcti.server.survey.SurveyService(h.loop,
                new org.asteriskcti.server.testsupport.FakeAsteriskCommands(), h.log, Map.of(SALES, d, SUPPORT, d),
                org.asteriskcti.server.survey.SurveyService.Listener.NONE);
        h.ready("a1", "a2", "s1", "x1");
        EntryId c1 = h.enqueue("c1", "sales");                            // rings a1
        step(h, 4, 123);
        h.answer(c1, "a1");                                               // 4 s: within 20 s
        h.enqueue("c2", "sales");                                         // rings a2
        step(h, 15, 7);                                                   // a2: no answer -> not ready
        step(h, 10, 0);
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c2")));               // 25 s: a real abandon
        h.enqueue("c3", "sales");
        step(h, 2, 500_000_001);
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c3")));               // 2.5 s: short
        h.run(() -> h.acd.holdChanged(c1, true));
        step(h, 7, 3);
        h.run(() -> h.acd.holdChanged(c1, false));
        step(h, 30, 0);
        h.agentHangsUp(c1, "a1");
        survey(h, surveys, "c1", SALES, c1, "a1");
        surveyEvent(h, surveys, new org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived(ariMeta(h),
                ChannelId.of("c1"), '5', 80));                            // survey: 5
        step(h, 10, 0);                                                   // wrap-up ends by timer
        h.enqueue("c4", "sales");                                         // rings a1
        step(h, 3, 999_999_999);
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c4")));               // abandoned while ringing, short
        h.run(() -> h.acd.agentReady(AgentId.of("a2")));
        EntryId c5 = h.enqueue("c5", "sales");                            // rings a1
        step(h, 1, 1);
        h.run(() -> h.acd.agentLegFailed(c5, AgentId.of("a1"), RingFailure.REJECTED)); // -> a2
        step(h, 2, 0);
        h.run(() -> h.acd.agentLegFailed(c5, AgentId.of("a2"), RingFailure.BUSY));     // -> a1 again
        step(h, 12, 11);
        h.answer(c5, "a1");                                               // 15 s: within
        h.run(() -> h.acd.agentReady(AgentId.of("a2")));
        EntryId c6 = h.enqueue("c6", "sales");                            // rings a2
        step(h, 1, 0);
        h.run(() -> h.acd.agentNotReady(AgentId.of("a2"), NotReadyReason.of("break"))); // withdrawn
        step(h, 22, 0);
        h.run(() -> h.acd.agentReady(AgentId.of("a2")));                  // rings a2 again
        step(h, 1, 5);
        h.answer(c6, "a2");                                               // 24 s: over 20 s
        h.enqueue("c7", "sales");                                         // nobody free
        step(h, 120, 0);                                                  // max wait -> support, rings s1
        EntryId c7inSupport = h.call(() -> h.acd.entryOf(ChannelId.of("c7"))).orElseThrow().id();
        step(h, 5, 5);
        h.answer(c7inSupport, "s1");
        h.enqueue("c8", "support");                                       // s1 busy: waits
        h.enqueue("c10", "support");                                      // full -> voicemail
        step(h, 6, 0);
        EntryId cb8 = h.call(() -> h.acd.requestCallback(ChannelId.of("c8"), ChannelId.of("callback-c8")));
        h.run(() -> h.acd.agentLogout(AgentId.of("x1")));
        h.enqueue("x-c1", "acme-sales");
        step(h, 60, 0);                                                   // max wait -> message
        h.agentHangsUp(c5, "a1");
        survey(h, surveys, "c5", SALES, c5, "a1");
        surveyEvent(h, surveys, new org.asteriskcti.server.asterisk.AsteriskEvent.ChannelHungUp(ariMeta(h),
                ChannelId.of("c5"), 16, ""));                             // survey: hung up
        step(h, 4, 0);
        h.run(() -> h.acd.endWrapUp(AgentId.of("a1")));                   // wrap-up ended early
        h.agentHangsUp(c6, "a2");
        survey(h, surveys, "c6", SALES, c6, "a2");
        surveyEvent(h, surveys, new org.asteriskcti.server.asterisk.AsteriskEvent.PlaybackChanged(ariMeta(h),
                "survey-c6-1", "channel:c6", org.asteriskcti.server.asterisk.PlaybackState.FINISHED, "sound:q"));
        step(h, 3, 0);                                                    // survey: no response 5 s later
        h.agentHangsUp(c7inSupport, "s1");                                // no wrap-up in support
        survey(h, surveys, "c7", SUPPORT, c7inSupport, "s1");
        surveyEvent(h, surveys, new org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived(ariMeta(h),
                ChannelId.of("c7"), '2', 80));                            // survey: 2
        h.answer(cb8, h.entry(cb8).agent().value());                      // c8's callback, in c8's place
        h.run(() -> h.acd.callbackDialled(cb8, QueueEvent.CallbackOutcome.ANSWERED));
        step(h, 2, 0);
        h.run(() -> h.acd.callerHungUp(ChannelId.of("callback-c8")));
        h.run(() -> h.acd.agentLogout(AgentId.of("a1")));
        h.run(() -> h.acd.agentLogout(AgentId.of("a2")));                 // cuts their wrap-up
        h.enqueue("c9", "sales");                                         // still waiting at the end
        step(h, 30, 42);
    }

    private static Set<AgentId> members(AcdHarness h, QueueId q) {
        Set<AgentId> out = new HashSet<>();
        for (AgentProfile p : AGENTS) {
            QueueDefinition def = QUEUES.stream().filter(d -> d.id().equals(q)).findFirst().orElseThrow();
            if (p.serves(q, def.tenant())) {
                out.add(p.id());
            }
        }
        return out;
    }

    @Test
    void givenAMorningStoredEventByEvent_whenTheFiguresAreComputedFromTheDatabase_thenEveryFigureEqualsTheLiveOne()
            throws Exception {
        JdbcQueueEventStore store = store();
        AcdHarness live = new AcdHarness(QUEUES, AGENTS, 20, Duration.ofMinutes(30), new QueueEventLog(store::append));
        morning(live);
        List<QueueEvent> liveEvents = live.log.events();
        // The morning is worth checking: every kind of event and every kind of figure occurs.
        // (Transferred is logged by call control, not by the ACD: its storage is covered by QueueEventSamples.)
        java.util.Set<String> acdTypes = new java.util.HashSet<>(QueueEventJson.types().keySet());
        acdTypes.remove("Transferred");
        assertThat(liveEvents).extracting(e -> QueueEventJson.typeOf(e)).containsAll(acdTypes);
        PeriodFigures sales = QueueStatistics.period(liveEvents, SALES, DAY, DAY_END, thresholds(SALES));
        assertThat(sales.offered()).isEqualTo(8);                          // c1-c7, c9
        assertThat(sales.answered()).isEqualTo(3);                         // c1 c5 c6
        assertThat(sales.answeredWithinThreshold()).isEqualTo(2);          // c1 c5
        assertThat(sales.abandoned()).isEqualTo(1);                        // c2
        assertThat(sales.shortAbandoned()).isEqualTo(2);                   // c3 c4
        assertThat(sales.abandonedWhileRinging()).isEqualTo(1);            // c4
        assertThat(sales.overflowed()).isEqualTo(1);                       // c7
        assertThat(sales.completed()).isEqualTo(3);
        assertThat(sales.averageSpeedOfAnswer()).isPresent();
        assertThat(sales.averageHandleTime()).isPresent();
        assertThat(sales.surveys().offered()).isEqualTo(3);                // c1 (5), c5 (hung up), c6 (no response)
        assertThat(sales.surveys().answered()).isEqualTo(1);
        assertThat(sales.surveys().responseRate()).isEqualTo(new QueueStatistics.Ratio(1, 3));
        assertThat(sales.surveys().csat()).isEqualTo(new QueueStatistics.Ratio(1, 1));
        assertThat(sales.surveys().averageScore()).contains(new java.math.BigDecimal("5.00"));
        PeriodFigures support = QueueStatistics.period(liveEvents, SUPPORT, DAY, DAY_END, thresholds(SUPPORT));
        assertThat(support.callbacks()).isEqualTo(1);                      // c8
        assertThat(support.overflowed()).isEqualTo(1);                     // c10
        assertThat(support.surveys().scores()).containsExactly(0, 1, 0, 0, 0); // c7: 2
        assertThat(support.surveys().csat()).isEqualTo(new QueueStatistics.Ratio(0, 1));

        assertThat(store.flush(WAIT)).isTrue();
        List<QueueEvent> stored = store.load(DAY, DAY_END);
        QueueEventLog restored = new QueueEventLog(stored, e -> {});

        assertThat(stored).containsExactlyElementsOf(liveEvents);
        Instant start = liveEvents.get(0).at();
        Instant end = live.clock.instant();
        List<Instant[]> periods = new ArrayList<>();
        periods.add(new Instant[] {DAY, DAY_END});
        for (Instant from = start.minusSeconds(7); from.isBefore(end); from = from.plusSeconds(17)) {
            periods.add(new Instant[] {from, from.plusSeconds(17)});
        }
        for (QueueId q : List.of(SALES, SUPPORT, ACME_SALES)) {
            for (Instant[] p : periods) {
                assertThat(QueueStatistics.period(restored.events(), q, p[0], p[1], thresholds(q)))
                        .as("%s %s..%s", q, p[0], p[1])
                        .isEqualTo(QueueStatistics.period(liveEvents, q, p[0], p[1], thresholds(q)));
            }
            for (Instant at = start; !at.isAfter(end); at = at.plusMillis(4_321)) {
                assertThat(QueueStatistics.realTime(restored.events(), q, members(live, q), at)).as("%s at %s", q, at)
                        .isEqualTo(QueueStatistics.realTime(liveEvents, q, members(live, q), at));
            }
        }
        // One tenant's stored events give that tenant's figures.
        List<QueueEvent> demoOnly = store.load(DEMO, DAY, DAY_END);
        assertThat(demoOnly).noneMatch(e -> e instanceof QueueEvent.EntryEvent ee && ee.queue().equals(ACME_SALES));
        assertThat(QueueStatistics.period(demoOnly, SALES, DAY, DAY_END, thresholds(SALES))).isEqualTo(sales);
    }

    @Test
    void givenARestartOnTheStoredLog_whenTheAcdGoesOn_thenTodaysFiguresContinueAndTheCurrentStateStartsAfresh()
            throws Exception {
        JdbcQueueEventStore before = store();
        AcdHarness first = new AcdHarness(QUEUES, AGENTS, 20, Duration.ofMinutes(30), new QueueEventLog(before::append));
        morning(first);
        QueueStatistics.RealTimeFigures salesBefore = first.call(() -> first.acd.realTime(SALES));
        Duration ahtBefore = first.call(() -> first.acd.averageHandleTime(SALES));
        PeriodFigures dayBefore = QueueStatistics.period(first.log.events(), SALES, DAY, DAY_END, thresholds(SALES));
        assertThat(salesBefore.waiting()).isEqualTo(1);                   // c9
        assertThat(ahtBefore).isNotEqualTo(Duration.ofMinutes(3));         // moved off the default
        before.close();

        JdbcQueueEventStore after = store();
        Instant restart = first.clock.instant().plusSeconds(20);    // c9 has waited 50 s of their 120
        AcdHarness second = new AcdHarness(QUEUES, AGENTS, 20, Duration.ofMinutes(30),
                new QueueEventLog(after.load(DAY, restart), after::append));
        second.clock.set(restart);

        // Figures over the day include the morning; the current state is this run's own.
        assertThat(QueueStatistics.period(second.log.events(), SALES, DAY, DAY_END, thresholds(SALES))).isEqualTo(dayBefore);
        assertThat(second.call(() -> second.acd.realTime(SALES)).waiting()).isZero();
        assertThat(second.call(() -> second.acd.averageHandleTime(SALES))).isEqualTo(ahtBefore);

        // The caller still there is put back from their channel; a new caller is answered.
        Instant c9Arrival = first.log.events().stream().filter(e -> e instanceof QueueEvent.Entered en
                && en.caller().equals(ChannelId.of("c9"))).findFirst().orElseThrow().at();
        second.enqueue(EnqueueRequest.newCaller(ChannelId.of("c9"), SALES, c9Arrival).withOrigin(EntryOrigin.RESTORED));
        assertThat(second.call(() -> second.acd.realTime(SALES)).waiting()).isEqualTo(1);
        second.ready("a1");
        EntryId c9 = second.call(() -> second.acd.entryOf(ChannelId.of("c9"))).orElseThrow().id();
        second.answer(c9, "a1");

        PeriodFigures day = QueueStatistics.period(second.log.events(), SALES, DAY, DAY_END, thresholds(SALES));
        assertThat(day.offered()).isEqualTo(dayBefore.offered());          // the restored caller is not offered twice
        assertThat(day.answered()).isEqualTo(dayBefore.answered() + 1);
        assertThat(after.flush(WAIT)).isTrue();
        assertThat(after.load(DAY, DAY_END)).containsExactlyElementsOf(second.log.events());
    }

    private static Thresholds thresholds(QueueId q) {
        return Thresholds.of(QUEUES.stream().filter(d -> d.id().equals(q)).findFirst().orElseThrow());
    }
}
