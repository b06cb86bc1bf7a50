package org.asteriskcti.server.acd.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.stats.QueueEvent.Abandoned;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.CallbackRequested;
import org.asteriskcti.server.acd.stats.QueueEvent.Completed;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.Offered;
import org.asteriskcti.server.acd.stats.QueueEvent.Overflowed;
import org.asteriskcti.server.acd.stats.QueueStatistics.PeriodFigures;
import org.asteriskcti.server.acd.stats.QueueStatistics.Ratio;
import org.asteriskcti.server.acd.stats.QueueStatistics.RealTimeFigures;
import org.asteriskcti.server.acd.stats.QueueStatistics.Thresholds;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;

class QueueStatisticsTest {

    private static final QueueId SALES = QueueId.of("sales");
    private static final QueueId SUPPORT = QueueId.of("support");
    private static final TenantId DEMO = TenantId.of("demo");
    private static final Thresholds THRESHOLDS = new Thresholds(Duration.ofSeconds(20), Duration.ofSeconds(5));
    private static final Instant FROM = at("09:00:00");
    private static final Instant TO = at("10:00:00");

    /**
     * One hour of the sales queue, written by hand, in time order. The expected figures below are
     * worked out from this list by hand.
     */
    private static final List<QueueEvent> LOG = List.of(
            state("08:50:00", "a2", AgentState.LOGGED_OUT, AgentState.NOT_READY),
            state("08:55:00", "a1", AgentState.LOGGED_OUT, AgentState.READY),
            entered("08:58:00", "c0", "08:58:00", EntryOrigin.NEW),                 // before the period
            entered("09:00:00", "c1", "09:00:00", EntryOrigin.NEW),
            new Offered(at("09:00:02"), SALES, id("c1"), AgentId.of("a1"), 1),
            state("09:00:02", "a1", AgentState.READY, AgentState.RESERVED),
            answered("09:00:10", "c0", 130),                                          // answered in period, offered before
            answered("09:00:20", "c1", 20),                                           // exactly at the 20 s threshold: within
            state("09:00:20", "a1", AgentState.RESERVED, AgentState.ON_CALL),
            entered("09:01:00", "c2", "09:01:00", EntryOrigin.NEW),
            new Abandoned(at("09:01:05"), SALES, id("c2"), Duration.ofSeconds(5), false, false), // exactly 5 s: a real abandon
            entered("09:02:00", "c3", "09:02:00", EntryOrigin.NEW),
            new Abandoned(at("09:02:04.999"), SALES, id("c3"), Duration.ofMillis(4999), false, true), // short
            entered("09:03:00", "c4", "08:59:30", EntryOrigin.TRANSFERRED),          // keeps its 08:59:30 arrival
            answered("09:03:10", "c4", 220),                                          // 10 s after entering, 220 s after arrival
            new Completed(at("09:05:35"), SALES, id("c1"), AgentId.of("a1"), Duration.ofSeconds(240),
                    Duration.ofSeconds(60), Duration.ofSeconds(15)),                  // 315 s
            new Completed(at("09:08:10"), SALES, id("c4"), AgentId.of("a1"), Duration.ofSeconds(270),
                    Duration.ZERO, Duration.ofSeconds(30)),                           // 300 s
            entered("09:10:00", "c5", "09:10:00", EntryOrigin.NEW),
            answered("09:10:21", "c5", 21),                                           // one second too late
            entered("09:20:00", "c6", "09:20:00", EntryOrigin.NEW),
            new Overflowed(at("09:22:00"), SALES, id("c6"), Duration.ofSeconds(120),
                    new OverflowTarget.ToQueue(SUPPORT), QueueEvent.OverflowReason.MAX_WAIT),
            new Entered(at("09:22:00"), SUPPORT, DEMO, EntryId.of("c6/2"), ChannelId.of("c6"), at("09:20:00"),
                    EntryOrigin.OVERFLOW, 0),                                         // another queue
            entered("09:25:00", "c8", "09:25:00", EntryOrigin.NEW),
            new Entered(at("09:26:00"), SALES, DEMO, EntryId.of("c8/restored"), ChannelId.of("c8"), at("09:25:00"),
                    EntryOrigin.RESTORED, 0),                                         // CTI restart: the same caller
            new Abandoned(at("09:26:30"), SALES, EntryId.of("c8/restored"), Duration.ofSeconds(90), true, false),
            entered("09:40:00", "c9", "09:40:00", EntryOrigin.NEW),
            new CallbackRequested(at("09:41:00"), SALES, id("c9"), Duration.ofSeconds(60)),
            entered("09:59:59", "c10", "09:59:59", EntryOrigin.NEW),
            answered("10:00:00", "c10", 1));                                          // the period's end is exclusive

    @Test
    void givenAnHourOfEvents_whenThePeriodFiguresAreComputed_thenEveryFigureIsExact() {
        PeriodFigures f = QueueStatistics.period(LOG, SALES, FROM, TO, THRESHOLDS);

        assertThat(f.offered()).isEqualTo(9);           // c1 c2 c3 c4 c5 c6 c8 c9 c10; not c0 (before), not c8's restore
        assertThat(f.answered()).isEqualTo(4);          // c0 c1 c4 c5; c10 at 10:00:00 is outside
        assertThat(f.answeredWithinThreshold()).isEqualTo(1); // c1 at exactly 20 s
        assertThat(f.abandoned()).isEqualTo(2);         // c2 (exactly 5 s) and c8
        assertThat(f.shortAbandoned()).isEqualTo(1);    // c3 at 4.999 s
        assertThat(f.abandonedWhileRinging()).isEqualTo(1);
        assertThat(f.overflowed()).isEqualTo(1);
        assertThat(f.callbacks()).isEqualTo(1);
        assertThat(f.completed()).isEqualTo(2);
        assertThat(f.serviceLevel()).isEqualTo(new Ratio(1, 6));  // 1 / (4 answered + 2 abandoned)
        assertThat(f.serviceLevel().percent()).contains(new BigDecimal("16.67"));
        assertThat(f.abandonRate()).isEqualTo(new Ratio(2, 6));
        assertThat(f.abandonRate().percent()).contains(new BigDecimal("33.33"));
        assertThat(f.averageSpeedOfAnswer()).contains(Duration.ofMillis(97_750)); // (130 + 20 + 220 + 21) / 4
        assertThat(f.averageHandleTime()).contains(Duration.ofMillis(307_500));  // (315 + 300) / 2
        assertThat(f.longestWait()).isEqualTo(Duration.ofSeconds(220));          // c4, from its original arrival
    }

    @Test
    void givenTheTransferredCallerMeasuredFromTheirOriginalArrival_whenTheirOwnQueueTimeWouldMeetTheTarget_thenTheyStillMissIt() {
        List<QueueEvent> onlyC4 = List.of(entered("09:03:00", "c4", "08:59:30", EntryOrigin.TRANSFERRED),
                answered("09:03:10", "c4", 220));
        PeriodFigures f = QueueStatistics.period(onlyC4, SALES, FROM, TO, THRESHOLDS);
        assertThat(f.offered()).isEqualTo(1);
        assertThat(f.answeredWithinThreshold()).isZero();
        assertThat(f.serviceLevel()).isEqualTo(new Ratio(0, 1));
    }

    @Test
    void givenAnswersOneMillisecondEitherSideOfTheThreshold_whenCounted_thenOnlyTheOneAtOrBelowIsWithin() {
        assertThat(QueueStatistics.answeredWithin(Duration.ofMillis(19_999), Duration.ofSeconds(20))).isTrue();
        assertThat(QueueStatistics.answeredWithin(Duration.ofSeconds(20), Duration.ofSeconds(20))).isTrue();
        assertThat(QueueStatistics.answeredWithin(Duration.ofMillis(20_001), Duration.ofSeconds(20))).isFalse();
        assertThat(QueueStatistics.isShortAbandon(Duration.ofMillis(4_999), Duration.ofSeconds(5))).isTrue();
        assertThat(QueueStatistics.isShortAbandon(Duration.ofSeconds(5), Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void givenAPeriodWithoutAnyAnswerOrAbandon_whenComputed_thenRatiosAndAveragesAreUndefinedNotZero() {
        PeriodFigures f = QueueStatistics.period(LOG, SALES, at("09:39:00"), at("09:45:00"), THRESHOLDS);
        assertThat(f.offered()).isEqualTo(1);
        assertThat(f.callbacks()).isEqualTo(1);
        assertThat(f.serviceLevel()).isEqualTo(new Ratio(0, 0));
        assertThat(f.serviceLevel().percent()).isEmpty();
        assertThat(f.averageSpeedOfAnswer()).isEmpty();
        assertThat(f.averageHandleTime()).isEmpty();
        assertThat(f.longestWait()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void givenAnotherQueueInTheSameLog_whenItsFiguresAreComputed_thenOnlyItsOwnEventsCount() {
        PeriodFigures f = QueueStatistics.period(LOG, SUPPORT, FROM, TO, THRESHOLDS);
        assertThat(f.offered()).isEqualTo(1);
        assertThat(f.answered()).isZero();
        assertThat(f.overflowed()).isZero();
    }

    @Test
    void givenTheLog_whenRealTimeFiguresAreTakenAtSeveralInstants_thenWaitingAndLongestWaitFollowTheCallers() {
        Set<AgentId> agents = Set.of(AgentId.of("a1"), AgentId.of("a2"), AgentId.of("a3"));

        RealTimeFigures early = QueueStatistics.realTime(LOG, SALES, agents, at("09:00:05"));
        assertThat(early.waiting()).isEqualTo(2);                        // c0 and c1 (c1 is ringing a1)
        assertThat(early.longestCurrentWait()).isEqualTo(Duration.ofSeconds(125)); // c0 since 08:58:00
        assertThat(early.agentsByState()).containsEntry(AgentState.RESERVED, 1).containsEntry(AgentState.NOT_READY, 1)
                .containsEntry(AgentState.LOGGED_OUT, 1).containsEntry(AgentState.READY, 0);

        RealTimeFigures beforeRestart = QueueStatistics.realTime(LOG, SALES, agents, at("09:25:30"));
        assertThat(beforeRestart.waiting()).isEqualTo(1);
        assertThat(beforeRestart.longestCurrentWait()).isEqualTo(Duration.ofSeconds(30));

        // The restored entry replaces c8's first one: still one caller, waiting since 09:25:00.
        RealTimeFigures afterRestart = QueueStatistics.realTime(LOG, SALES, agents, at("09:26:10"));
        assertThat(afterRestart.waiting()).isEqualTo(1);
        assertThat(afterRestart.longestCurrentWait()).isEqualTo(Duration.ofSeconds(70));
        assertThat(afterRestart.agentsByState()).containsEntry(AgentState.ON_CALL, 1);

        RealTimeFigures end = QueueStatistics.realTime(LOG, SALES, agents, at("09:59:59.500"));
        assertThat(end.waiting()).isEqualTo(1);                          // c10
        assertThat(end.longestCurrentWait()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void givenTheEventLog_whenAnOlderEventIsAppended_thenRefusedSoTheLogStaysInTimeOrder() {
        QueueEventLog log = new QueueEventLog();
        log.append(entered("09:00:00", "c1", "09:00:00", EntryOrigin.NEW));
        assertThatThrownBy(() -> log.append(entered("08:59:59", "c2", "08:59:59", EntryOrigin.NEW)))
                .isInstanceOf(IllegalArgumentException.class);
        log.append(entered("09:00:00", "c3", "09:00:00", EntryOrigin.NEW));
        assertThat(log.size()).isEqualTo(2);
        assertThatThrownBy(() -> log.events().add(LOG.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void givenARatio_whenAPercentIsAskedFor_thenItIsRoundedHalfUpToTwoDecimals() {
        assertThat(new Ratio(2, 3).percent()).isEqualTo(Optional.of(new BigDecimal("66.67")));
        assertThat(new Ratio(1, 8).percent()).isEqualTo(Optional.of(new BigDecimal("12.50")));
        assertThat(new Ratio(1, 200).percent()).isEqualTo(Optional.of(new BigDecimal("0.50")));
    }

    // ---- post-call survey ------------------------------------------------------------------------------

    /** Surveys of the sales queue around the 09:00-10:00 period, worked out by hand below. */
    private static final List<QueueEvent> SURVEYS = List.of(
            survey("08:59:59.999", "c0", QueueEvent.SurveyOutcome.ANSWERED, 1),      // before the period
            survey("09:00:00", "c1", QueueEvent.SurveyOutcome.ANSWERED, 5),          // the period's start is inclusive
            survey("09:05:00", "c2", QueueEvent.SurveyOutcome.ANSWERED, 4),
            survey("09:06:00", "c3", QueueEvent.SurveyOutcome.ANSWERED, 3),          // neutral: not satisfied
            survey("09:07:00", "c4", QueueEvent.SurveyOutcome.NO_RESPONSE, 0),
            survey("09:08:00", "c5", QueueEvent.SurveyOutcome.ANSWERED, 4),
            survey("09:09:00", "c6", QueueEvent.SurveyOutcome.HUNG_UP, 0),
            new QueueEvent.SurveyEnded(at("09:09:30"), SUPPORT, EntryId.of("s1/1"), AgentId.of("a1"),
                    QueueEvent.SurveyOutcome.ANSWERED, 1),                           // another queue
            survey("09:10:00", "c7", QueueEvent.SurveyOutcome.ANSWERED, 2),
            survey("09:11:00", "c8", QueueEvent.SurveyOutcome.INTERRUPTED, 0),
            survey("09:12:00", "c9", QueueEvent.SurveyOutcome.ANSWERED, 5),
            survey("10:00:00", "c10", QueueEvent.SurveyOutcome.ANSWERED, 1));        // the period's end is exclusive

    @Test
    void givenSurveysOfEveryOutcome_whenThePeriodFiguresAreComputed_thenOfferedAnsweredRateCsatAndAverageAreExact() {
        QueueStatistics.SurveyFigures s = QueueStatistics.period(SURVEYS, SALES, FROM, TO, THRESHOLDS).surveys();

        assertThat(s.offered()).isEqualTo(9);                       // c1..c9: every outcome counts as offered
        assertThat(s.answered()).isEqualTo(6);                      // c1 c2 c3 c5 c7 c9
        assertThat(s.responseRate()).isEqualTo(new Ratio(6, 9));
        assertThat(s.responseRate().percent()).contains(new BigDecimal("66.67"));
        assertThat(s.csat()).isEqualTo(new Ratio(4, 6));            // 5, 4, 4, 5 of 5 4 3 4 2 5
        assertThat(s.csat().percent()).contains(new BigDecimal("66.67"));
        assertThat(s.averageScore()).contains(new BigDecimal("3.83")); // 23 / 6 = 3.8333..
        assertThat(s.scores()).containsExactly(0, 1, 1, 2, 2);      // scores 1..5
        assertThat(s.answersScoring(4)).isEqualTo(2);
    }

    @Test
    void givenAnAverageExactlyHalfWayAtTheThirdDecimal_whenRounded_thenItGoesUp() {
        // 4 + 4 + 4 + 4 + 4 + 4 + 4 + 5 = 33 / 8 = 4.125 -> 4.13 (half-up, not half-even's 4.12)
        List<QueueEvent> eight = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(survey("09:0" + i + ":00", "r" + i, QueueEvent.SurveyOutcome.ANSWERED, i == 7 ? 5 : 4));
        }
        QueueStatistics.SurveyFigures s = QueueStatistics.period(eight, SALES, FROM, TO, THRESHOLDS).surveys();
        assertThat(s.averageScore()).contains(new BigDecimal("4.13"));
        assertThat(s.csat()).isEqualTo(new Ratio(8, 8));
        assertThat(s.responseRate()).isEqualTo(new Ratio(8, 8));
    }

    @Test
    void givenNoAnsweredSurvey_whenComputed_thenCsatAndAverageAreUndefinedAndTheRateIsZeroOfOffered() {
        QueueStatistics.SurveyFigures none = QueueStatistics.period(LOG, SALES, FROM, TO, THRESHOLDS).surveys();
        assertThat(none.offered()).isZero();
        assertThat(none.responseRate().percent()).isEmpty();
        assertThat(none.csat().percent()).isEmpty();
        assertThat(none.averageScore()).isEmpty();
        assertThat(none.scores()).containsExactly(0, 0, 0, 0, 0);

        QueueStatistics.SurveyFigures unanswered = QueueStatistics.period(SURVEYS, SALES, at("09:06:30"), at("09:07:30"),
                THRESHOLDS).surveys();
        assertThat(unanswered.offered()).isEqualTo(1);
        assertThat(unanswered.responseRate()).isEqualTo(new Ratio(0, 1));
        assertThat(unanswered.responseRate().percent()).contains(new BigDecimal("0.00"));
        assertThat(unanswered.csat()).isEqualTo(new Ratio(0, 0));
        assertThat(unanswered.averageScore()).isEmpty();
    }

    @Test
    void givenSurveysInTheLog_whenTheCallersFiguresAreComputed_thenTheyAreUnchangedAndTheRealTimeWaitingIgnoresThem() {
        List<QueueEvent> both = new java.util.ArrayList<>(LOG.subList(0, LOG.size() - 2));
        both.add(survey("09:50:00", "c1", QueueEvent.SurveyOutcome.ANSWERED, 5));
        PeriodFigures with = QueueStatistics.period(both, SALES, FROM, at("09:55:00"), THRESHOLDS);
        PeriodFigures without = QueueStatistics.period(LOG.subList(0, LOG.size() - 2), SALES, FROM, at("09:55:00"), THRESHOLDS);
        assertThat(with.offered()).isEqualTo(without.offered());
        assertThat(with.answered()).isEqualTo(without.answered());
        assertThat(with.completed()).isEqualTo(without.completed());
        assertThat(with.surveys().answered()).isEqualTo(1);
        assertThat(QueueStatistics.realTime(both, SALES, Set.of(), at("09:55:00")).waiting())
                .isEqualTo(QueueStatistics.realTime(LOG.subList(0, LOG.size() - 2), SALES, Set.of(), at("09:55:00")).waiting());
    }

    @Test
    void givenAScoreOutsideOneToFive_whenASurveyEventIsMade_thenItIsRefused() {
        assertThatThrownBy(() -> survey("09:00:00", "x", QueueEvent.SurveyOutcome.ANSWERED, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..5");
        assertThatThrownBy(() -> survey("09:00:00", "x", QueueEvent.SurveyOutcome.ANSWERED, 6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> survey("09:00:00", "x", QueueEvent.SurveyOutcome.NO_RESPONSE, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 otherwise");
    }

    private static QueueEvent.SurveyEnded survey(String at, String caller, QueueEvent.SurveyOutcome outcome, int score) {
        return new QueueEvent.SurveyEnded(at(at), SALES, id(caller), AgentId.of("a1"), outcome, score);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static Instant at(String time) {
        String t = time.length() == 8 ? time + ".000" : time;
        return Instant.parse("2026-11-23T" + t + "Z");
    }

    private static EntryId id(String caller) {
        return EntryId.of(caller + "/1");
    }

    private static Entered entered(String at, String caller, String arrived, EntryOrigin origin) {
        return new Entered(at(at), SALES, DEMO, id(caller), ChannelId.of(caller), at(arrived), origin, 0);
    }

    private static Answered answered(String at, String caller, int waitSeconds) {
        return new Answered(at(at), SALES, id(caller), AgentId.of("a1"), Duration.ofSeconds(waitSeconds));
    }

    private static AgentStateInterval state(String at, String agent, AgentState from, AgentState to) {
        return new AgentStateInterval(at(at), AgentId.of(agent), DEMO, from, to, null, TransitionCause.AGENT_REQUEST,
                Duration.ZERO);
    }
}
