package org.asteriskcti.server.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Abandoned;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.Completed;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueStatistics;
import org.asteriskcti.server.acd.stats.QueueStatistics.PeriodFigures;
import org.asteriskcti.server.acd.stats.QueueStatistics.Thresholds;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;

/** The pure calculator: intervals in a zone (DST), what counts where, exact agreement with QueueStatistics. */
class ReportCalculatorTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final TenantId DEMO = TenantId.of("demo");
    private static final QueueId SALES = QueueId.of("sales");
    private static final AgentId A1 = AgentId.of("a1");
    private static final Thresholds T = new Thresholds(Duration.ofSeconds(20), Duration.ofSeconds(5));
    private static final Instant H9 = Instant.parse("2026-11-23T09:00:00Z");

    private static Instant day(String date, ZoneId z) {
        return LocalDate.parse(date).atStartOfDay(z).toInstant();
    }

    // ---- intervals ----------------------------------------------------------------------------------

    @Test
    void givenTheSpringForwardDayInBerlin_thenItHas92QuarterHours23HoursAndOneDay() {
        Instant from = day("2026-03-29", BERLIN);
        Instant to = day("2026-03-30", BERLIN);
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(23));
        assertThat(ReportInterval.QUARTER_HOUR.buckets(from, to, BERLIN).size()).isEqualTo(92);
        assertThat(ReportInterval.HOUR.buckets(from, to, BERLIN).size()).isEqualTo(23);
        assertThat(ReportInterval.DAY.buckets(from, to, BERLIN).size()).isEqualTo(1);
        Buckets hours = ReportInterval.HOUR.buckets(from, to, BERLIN);
        // 01:00 CET is followed by 03:00 CEST: one real hour later
        assertThat(hours.start(1)).isEqualTo(Instant.parse("2026-03-29T00:00:00Z"));
        assertThat(hours.start(2)).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(hours.start(2).atZone(BERLIN).getHour()).isEqualTo(3);
    }

    @Test
    void givenTheFallBackDayInBerlin_thenItHas100QuarterHoursAnd25Hours_andAWeekOfDaysFollowsLocalMidnights() {
        Instant from = day("2026-10-25", BERLIN);
        Instant to = day("2026-10-26", BERLIN);
        assertThat(ReportInterval.QUARTER_HOUR.buckets(from, to, BERLIN).size()).isEqualTo(100);
        assertThat(ReportInterval.HOUR.buckets(from, to, BERLIN).size()).isEqualTo(25);
        Buckets week = ReportInterval.DAY.buckets(day("2026-10-22", BERLIN), day("2026-10-29", BERLIN), BERLIN);
        assertThat(week.size()).isEqualTo(7);
        for (int i = 0; i < week.size(); i++) {
            assertThat(week.start(i).atZone(BERLIN).toLocalTime().toSecondOfDay()).isZero();
        }
        assertThat(Duration.between(week.start(3), week.end(3))).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void givenAHalfHourOffsetZone_thenHoursStartAtLocalHours_andAnUnalignedFromClipsTheFirstRow() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        Buckets b = ReportInterval.HOUR.buckets(day("2026-01-01", kolkata), day("2026-01-02", kolkata), kolkata);
        assertThat(b.size()).isEqualTo(24);
        assertThat(b.start(1)).isEqualTo(Instant.parse("2025-12-31T19:30:00Z"));
        Buckets clipped = ReportInterval.QUARTER_HOUR.buckets(Instant.parse("2026-01-01T10:07:00Z"),
                Instant.parse("2026-01-01T10:40:00Z"), ZoneId.of("UTC"));
        assertThat(clipped.bounds()).containsExactly(Instant.parse("2026-01-01T10:07:00Z"),
                Instant.parse("2026-01-01T10:15:00Z"), Instant.parse("2026-01-01T10:30:00Z"),
                Instant.parse("2026-01-01T10:40:00Z"));
    }

    @Test
    void givenAnEventExactlyOnABoundary_thenItCountsInTheLaterInterval_andOneAtToNotAtAll() {
        Buckets b = ReportInterval.QUARTER_HOUR.buckets(H9, H9.plusSeconds(1800), ZoneId.of("UTC"));
        List<QueueEvent> log = List.of(entered(H9.plusSeconds(900), "c1", EntryOrigin.NEW, null),
                entered(H9.plusSeconds(899).plusNanos(999_999_999), "c0", EntryOrigin.NEW, null),
                entered(H9.plusSeconds(1800), "c2", EntryOrigin.NEW, null));
        List<QueueRow> rows = ReportCalculator.queues(log, b, List.of(SALES), q -> T);
        assertThat(rows).extracting(QueueRow::intervalStart, QueueRow::offered).containsExactly(
                org.assertj.core.groups.Tuple.tuple(H9, 1), org.assertj.core.groups.Tuple.tuple(H9.plusSeconds(900), 1),
                org.assertj.core.groups.Tuple.tuple(null, 2));
    }

    // ---- queues ---------------------------------------------------------------------------------------

    @Test
    void givenShortAbandonsAndTransfers_thenShortAbandonsAreOutOfServiceLevelAndTransfersAreCountedWhereTheyEnter() {
        Buckets b = ReportInterval.HOUR.buckets(H9, H9.plusSeconds(3600), ZoneId.of("UTC"));
        List<QueueEvent> log = List.of(
                entered(H9, "c1", EntryOrigin.NEW, "700"),
                new Answered(H9.plusSeconds(20), SALES, id("c1"), A1, Duration.ofSeconds(20)),        // within, at exactly 20 s
                entered(H9.plusSeconds(30), "c2", EntryOrigin.NEW, "700"),
                new Abandoned(H9.plusSeconds(34), SALES, id("c2"), Duration.ofMillis(4999), false, true), // short
                new QueueEvent.Transferred(H9.plusSeconds(35), SALES, id("c1"), A1, QueueEvent.TransferKind.BLIND, "queue:sales"),
                entered(H9.plusSeconds(40), "c3", EntryOrigin.TRANSFERRED, null),
                new Abandoned(H9.plusSeconds(100), SALES, id("c3"), Duration.ofSeconds(90), false, false),
                entered(H9.plusSeconds(50), "c4", EntryOrigin.CALLBACK, null));
        QueueRow total = ReportCalculator.queues(sorted(log), b, List.of(SALES), q -> T).get(1);
        assertThat(total.intervalStart()).isNull();
        assertThat(total.offered()).isEqualTo(3); // the callback entry is the same caller, not offered again
        assertThat(total.transfers()).isEqualTo(1);
        assertThat(total.transfersIn()).isEqualTo(1);
        assertThat(total.shortAbandoned()).isEqualTo(1);
        assertThat(total.abandoned()).isEqualTo(1);
        assertThat(total.serviceLevel()).contains(new BigDecimal("0.5000")); // 1 within / (1 answered + 1 abandoned)
        assertThat(total.abandonRate()).contains(new BigDecimal("0.5000"));
        assertThat(total.longestWait()).isEqualTo(Duration.ofSeconds(90));
        assertThat(total.averageSpeedOfAnswer()).contains(Duration.ofSeconds(20));
        assertThat(total.averageHandleTime()).isEmpty();
        assertThat(total.csat()).isEmpty();
    }

    @Test
    void givenASeededDay_thenEveryRowIsQueueStatisticsPeriodOfItsInterval_andTheTotalThatOfTheWholeDay() {
        Instant from = day("2026-03-29", BERLIN);
        Instant to = day("2026-03-30", BERLIN);
        List<QueueEvent> log = new SeededDay(7, DEMO, LocalDate.parse("2026-03-29"), BERLIN, 400,
                List.of("a1", "a2", "a3", "a4", "a5", "a6")).events();
        Buckets b = ReportInterval.QUARTER_HOUR.buckets(from, to, BERLIN);
        List<QueueId> queues = SeededDay.QUEUES.stream().map(QueueId::of).toList();
        List<QueueRow> rows = ReportCalculator.queues(log, b, queues, q -> T);
        int checked = 0;
        for (QueueRow r : rows) {
            Instant s = r.intervalStart() == null ? from : r.intervalStart();
            Instant e = r.intervalStart() == null ? to : b.end(b.indexOf(s));
            PeriodFigures p = QueueStatistics.period(log, QueueId.of(r.key()), s, e, T);
            assertThat(r.offered()).isEqualTo(p.offered());
            assertThat(r.answered()).isEqualTo(p.answered());
            assertThat(r.answeredWithinSl()).isEqualTo(p.answeredWithinThreshold());
            assertThat(r.abandoned()).isEqualTo(p.abandoned());
            assertThat(r.shortAbandoned()).isEqualTo(p.shortAbandoned());
            assertThat(r.overflowed()).isEqualTo(p.overflowed());
            assertThat(r.callbacks()).isEqualTo(p.callbacks());
            assertThat(r.completed()).isEqualTo(p.completed());
            assertThat(r.serviceLevel()).isEqualTo(p.serviceLevel().percent().map(x -> x.movePointLeft(2)));
            assertThat(r.abandonRate()).isEqualTo(p.abandonRate().percent().map(x -> x.movePointLeft(2)));
            assertThat(r.averageSpeedOfAnswer()).isEqualTo(p.averageSpeedOfAnswer());
            assertThat(r.averageHandleTime()).isEqualTo(p.averageHandleTime());
            assertThat(r.longestWait()).isEqualTo(p.longestWait());
            assertThat(r.surveyOffered()).isEqualTo(p.surveys().offered());
            assertThat(r.surveyAnswered()).isEqualTo(p.surveys().answered());
            assertThat(r.responseRate()).isEqualTo(p.surveys().responseRate().percent().map(x -> x.movePointLeft(2)));
            assertThat(r.csat()).isEqualTo(p.surveys().csat().percent().map(x -> x.movePointLeft(2)));
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(rows.stream().filter(r -> r.intervalStart() == null).mapToInt(QueueRow::offered).sum())
                .isGreaterThanOrEqualTo(400);
    }

    // ---- DIDs -----------------------------------------------------------------------------------------

    @Test
    void givenVisitsFromDids_thenOutcomesFollowTheirFirstEntered_evenBeforeTheRange_andTransfersAreLeftOut() {
        Instant from = H9.plusSeconds(3600);
        Buckets b = ReportInterval.HOUR.buckets(from, from.plusSeconds(3600), ZoneId.of("UTC"));
        List<QueueEvent> log = sorted(List.of(
                entered(H9.plusSeconds(3590), "early", EntryOrigin.NEW, "701"),     // look-back: entered before the range
                new Answered(from.plusSeconds(5), SALES, id("early"), A1, Duration.ofSeconds(15)),
                entered(from.plusSeconds(10), "new", EntryOrigin.NEW, "700"),
                new Abandoned(from.plusSeconds(40), SALES, id("new"), Duration.ofSeconds(30), false, false),
                entered(from.plusSeconds(50), "old", EntryOrigin.NEW, null),         // stored before DIDs were logged
                entered(from.plusSeconds(60), "moved", EntryOrigin.TRANSFERRED, null),
                new Answered(from.plusSeconds(70), SALES, id("moved"), A1, Duration.ofSeconds(70))));
        Map<String, QueueRow> totals = ReportCalculator.dids(log, b, Optional.empty(), q -> T).stream()
                .filter(r -> r.intervalStart() == null).collect(Collectors.toMap(QueueRow::key, r -> r));
        assertThat(totals.keySet()).containsExactlyInAnyOrder("700", "701", ReportCalculator.UNKNOWN_DID);
        assertThat(totals.get("701").offered()).isZero();
        assertThat(totals.get("701").answered()).isEqualTo(1);
        assertThat(totals.get("700").offered()).isEqualTo(1);
        assertThat(totals.get("700").abandoned()).isEqualTo(1);
        assertThat(totals.get(ReportCalculator.UNKNOWN_DID).offered()).isEqualTo(1);
        assertThat(totals.values().stream().mapToInt(QueueRow::answered).sum()).isEqualTo(1); // "moved" is no DID's

        List<QueueRow> only = ReportCalculator.dids(log, b, Optional.of("702"), q -> T);
        assertThat(only).singleElement().satisfies(r -> assertThat(r.offered()).isZero());
    }

    // ---- agents ---------------------------------------------------------------------------------------

    @Test
    void givenAStateAcrossABoundary_thenItIsSplitExactly_andTheStateAtTheEndRunsToNowOrTo() {
        Buckets b = ReportInterval.QUARTER_HOUR.buckets(H9, H9.plusSeconds(3600), ZoneId.of("UTC"));
        // logged in READY at 08:50 (before the range), offered 09:10, on call 09:10:05, wrap-up 09:20:00.5
        AgentStateInterval before = state(H9.minusSeconds(600), AgentState.LOGGED_OUT, AgentState.READY, null, Duration.ZERO);
        List<QueueEvent> log = List.of(
                state(H9.plusSeconds(600), AgentState.READY, AgentState.RESERVED, null, Duration.ofSeconds(1200)),
                state(H9.plusSeconds(605), AgentState.RESERVED, AgentState.ON_CALL, null, Duration.ofSeconds(5)),
                state(H9.plusSeconds(1200).plusMillis(500), AgentState.ON_CALL, AgentState.WRAP_UP, null,
                        Duration.ofMillis(595_500)),
                new Completed(H9.plusSeconds(1230), SALES, id("c1"), A1, Duration.ofSeconds(590), Duration.ofSeconds(5),
                        Duration.ofSeconds(30)),
                state(H9.plusSeconds(1230).plusMillis(500), AgentState.WRAP_UP, AgentState.NOT_READY,
                        NotReadyReason.of("break"), Duration.ofSeconds(30)));
        Instant now = H9.plusSeconds(2400); // 09:40: the report's last 20 minutes have not happened yet
        List<AgentRow> rows = ReportCalculator.agents(log, Map.of(A1, before), b, List.of(A1), now);

        assertThat(rows).extracting(AgentRow::intervalStart).containsExactly(H9, H9.plusSeconds(900),
                H9.plusSeconds(1800), null);
        AgentRow q1 = rows.get(0);
        assertThat(q1.readyNanos()).isEqualTo(Duration.ofSeconds(600).toNanos());
        assertThat(q1.reservedNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(q1.onCallNanos()).isEqualTo(Duration.ofSeconds(295).toNanos());
        assertThat(q1.loggedInNanos()).isEqualTo(Duration.ofSeconds(900).toNanos());
        AgentRow q2 = rows.get(1);
        assertThat(q2.onCallNanos()).isEqualTo(Duration.ofMillis(300_500).toNanos());
        assertThat(q2.wrapUpNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(q2.notReadyByReason()).containsExactly(Map.entry("break", Duration.ofMillis(569_500).toNanos()));
        assertThat(q2.callsHandled()).isEqualTo(1);
        assertThat(q2.averageHandleTime()).contains(Duration.ofSeconds(625));
        AgentRow q3 = rows.get(2);
        assertThat(q3.notReadyNanos()).isEqualTo(Duration.ofSeconds(600).toNanos()); // up to now, not to 10:00
        AgentRow total = rows.get(3);
        assertThat(total.loggedInNanos()).isEqualTo(Duration.ofSeconds(2400).toNanos());
        // occupancy = (5 + 595.5 + 30) / (2400 - 1169.5)
        assertThat(total.occupancy()).contains(new BigDecimal("0.5124"));
        assertThat(AgentRow.seconds(total.onCallNanos())).isEqualByComparingTo("595.500");
    }

    @Test
    void givenNotReadyToNotReadyWithANewReason_thenEachPartGoesToItsOwnReason_andAnUnknownStartIsUnknown() {
        Buckets b = ReportInterval.HOUR.buckets(H9, H9.plusSeconds(3600), ZoneId.of("UTC"));
        List<QueueEvent> log = List.of(
                // NOT_READY since before the range, no earlier change stored: reason unknown
                state(H9.plusSeconds(60), AgentState.NOT_READY, AgentState.NOT_READY, NotReadyReason.of("lunch"),
                        Duration.ofSeconds(120)),
                state(H9.plusSeconds(660), AgentState.NOT_READY, AgentState.LOGGED_OUT, null, Duration.ofSeconds(600)));
        List<AgentRow> rows = ReportCalculator.agents(log, Map.of(), b, List.of(A1), H9.plusSeconds(7200));
        AgentRow total = rows.get(rows.size() - 1);
        assertThat(total.notReadyByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ReportCalculator.UNKNOWN_REASON, Duration.ofSeconds(60).toNanos(), "lunch", Duration.ofSeconds(600).toNanos()));
        assertThat(total.loggedInNanos()).isEqualTo(Duration.ofSeconds(660).toNanos());
        assertThat(total.occupancy()).isEmpty(); // never available
    }

    @Test
    void givenAnAgentWithoutChangesInTheRange_thenTheStateBeforeCoversItAll_andLoggedOutCountsNothing() {
        Buckets b = ReportInterval.DAY.buckets(day("2026-03-29", BERLIN), day("2026-03-30", BERLIN), BERLIN);
        AgentId a2 = AgentId.of("a2");
        Map<AgentId, AgentStateInterval> before = Map.of(
                A1, state(day("2026-03-28", BERLIN), AgentState.LOGGED_OUT, AgentState.READY, null, Duration.ZERO),
                a2, new AgentStateInterval(day("2026-03-28", BERLIN), a2, DEMO, AgentState.READY, AgentState.LOGGED_OUT,
                        null, TransitionCause.AGENT_REQUEST, Duration.ofHours(1)));
        List<AgentRow> rows = ReportCalculator.agents(List.of(), before, b, List.of(A1, a2), Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(rows).extracting(AgentRow::agent, AgentRow::loggedInNanos).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a1", Duration.ofHours(23).toNanos()),
                org.assertj.core.groups.Tuple.tuple("a1", Duration.ofHours(23).toNanos()),
                org.assertj.core.groups.Tuple.tuple("a2", 0L));
        Usage u = ReportCalculator.usage(rows, List.of());
        assertThat(u.seatHours()).isEqualByComparingTo("23.00");
    }

    @Test
    void givenSeatTime_thenSeatHoursAreExactThenHalfUpToTwoDecimals() {
        assertThat(new Usage(Duration.ofSeconds(18).toNanos(), 0, 0, 0).seatHours()).isEqualByComparingTo("0.01"); // 0.005 h
        assertThat(new Usage(Duration.ofSeconds(18).toNanos() - 1, 0, 0, 0).seatHours()).isEqualByComparingTo("0.00");
        assertThat(new Usage(0, 90_000, 1, 1).handledMinutes()).isEqualByComparingTo("1.50");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static EntryId id(String caller) {
        return EntryId.of(caller + "/1");
    }

    private static Entered entered(Instant at, String caller, EntryOrigin origin, String did) {
        return new Entered(at, SALES, DEMO, id(caller), ChannelId.of(caller), at, origin, 0, did);
    }

    private static AgentStateInterval state(Instant at, AgentState from, AgentState to, NotReadyReason reason, Duration in) {
        return new AgentStateInterval(at, A1, DEMO, from, to, reason, TransitionCause.AGENT_REQUEST, in);
    }

    private static List<QueueEvent> sorted(List<QueueEvent> events) {
        List<QueueEvent> out = new ArrayList<>(events);
        out.sort(java.util.Comparator.comparing(QueueEvent::at));
        return out;
    }
}
