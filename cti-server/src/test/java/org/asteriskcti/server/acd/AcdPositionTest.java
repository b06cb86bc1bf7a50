package org.asteriskcti.server.acd;

import static org.asteriskcti.server.acd.AcdServiceTest.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.asteriskcti.server.acd.stats.QueueStatistics;
import org.asteriskcti.server.acd.stats.QueueStatistics.PeriodFigures;
import org.asteriskcti.server.acd.stats.QueueStatistics.Ratio;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.RingFailure;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.Test;

/** Positions, estimated waits, announcements, and statistics recomputed from the service's own log. */
class AcdPositionTest {

    /** sales: default AHT 3 min, announcements every 30 s, wrap-up 10 s; AHT over 4 calls; EWT cap 4 min. */
    private final AcdHarness h = new AcdHarness(List.of(AcdServiceTest.sales()
            .defaultHandleTime(Duration.ofMinutes(3)).announcePeriod(Duration.ofSeconds(30)).build(),
            AcdServiceTest.support().build()), AcdServiceTest.agents(), 4, Duration.ofMinutes(4));

    /** a1 and a2 on calls c1 and c2; c3, c4, c5 waiting. */
    private void twoAgentsBusyThreeWaiting() {
        h.ready("a1", "a2");
        EntryId c1 = h.enqueue("c1", "sales");
        EntryId c2 = h.enqueue("c2", "sales");
        h.answer(c1, "a1");
        h.answer(c2, "a2");
        h.enqueue("c3", "sales");
        h.advance(1);
        h.enqueue("c4", "sales");
        h.advance(1);
        h.enqueue("c5", "sales");
        h.port.take();
    }

    @Test
    void givenTwoStaffedAgentsAndThreeWaitingCallers_whenEstimated_thenPositionsOneToThreeWithEwtFromTheDefaultAhtCapped() {
        twoAgentsBusyThreeWaiting();
        List<WaitingCaller> w = h.call(() -> h.acd.waiting(SALES));
        assertThat(w).extracting(c -> c.entry().caller().value(), WaitingCaller::position, WaitingCaller::estimatedWait)
                .containsExactly(
                        tuple("c3", 1, Duration.ofSeconds(90)),   // 1 x 180 / 2
                        tuple("c4", 2, Duration.ofSeconds(180)),  // 2 x 180 / 2
                        tuple("c5", 3, Duration.ofSeconds(240)));  // 270 capped at 4 min
        assertThat(h.call(() -> h.acd.staffed(SALES))).isEqualTo(2);
    }

    @Test
    void givenAThirdAgentLogsInNotReady_whenEstimated_thenTheyCountAsStaffedAndEveryEstimateShrinks() {
        twoAgentsBusyThreeWaiting();
        h.run(() -> h.acd.agentLogin(AgentId.of("a3"), false));
        assertThat(h.call(() -> h.acd.waiting(SALES))).extracting(WaitingCaller::estimatedWait)
                .containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(180));
    }

    @Test
    void givenWaitingCallers_whenTheAnnouncementPeriodPasses_thenEachWaitingCallerHearsTheirPositionAndEwt() {
        twoAgentsBusyThreeWaiting();
        h.advance(28);   // c3 entered 30 s ago
        assertThat(h.port.take()).containsExactly("play c3/3 position 1 ewt 90s");
        h.advance(1);
        assertThat(h.port.take()).containsExactly("play c4/4 position 2 ewt 180s");
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c3")));
        h.advance(1);
        assertThat(h.port.take()).containsExactly("play c5/5 position 2 ewt 180s");
        h.advance(29);
        assertThat(h.port.take()).containsExactly("play c4/4 position 1 ewt 90s");
    }

    @Test
    void givenARingingCaller_whenTheirAnnouncementIsDue_thenTheyHearNothingButTheNextOneComes() {
        EntryId c1 = h.enqueue("c1", "sales");        // t = 0: announcements due at 30 s, 60 s...
        h.advance(20);
        h.run(() -> {
            h.acd.phoneOnline(AcdServiceTest.A1);
            h.acd.agentLogin(AcdServiceTest.A1, true);
        });                                            // t = 20: a1 rings until 35 s
        h.advance(10);                                 // t = 30: due while ringing
        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s");
        h.advance(2);
        h.run(() -> h.acd.agentLegFailed(c1, AcdServiceTest.A1, RingFailure.NO_ANSWER)); // t = 32: a1 NOT_READY
        h.advance(27);
        assertThat(h.port.take()).isEmpty();
        h.advance(1);                                  // t = 60; a1 (not ready) is the only one staffed: 1 x 180 / 1
        assertThat(h.port.take()).containsExactly("play c1/1 position 1 ewt 180s");
    }

    @Test
    void givenOneCompletedCall_whenEstimated_thenTheAverageHandleTimeMovedOneCallTowardIt() {
        twoAgentsBusyThreeWaiting();
        h.advance(48);
        h.agentHangsUp(EntryId.of("c1/1"), "a1");   // talk 50 s
        h.advance(10);                             // wrap-up 10 s: handle 60 s; a1 takes c3
        // AHT = (60 + 3 x 180) / 4 = 150 s; c4 is now first: 1 x 150 / 2 = 75 s
        assertThat(h.call(() -> h.acd.averageHandleTime(SALES))).isEqualTo(Duration.ofSeconds(150));
        assertThat(h.call(() -> h.acd.waiting(SALES))).extracting(w -> w.entry().caller().value() + ":" + w.position() + ":"
                + w.estimatedWait().toSeconds()).containsExactly("c3:1:75", "c4:2:150", "c5:3:225");
    }

    @Test
    void givenCallsAnsweredAndAbandonedAtTheThresholds_whenStatisticsAreComputedFromTheServicesLog_thenTheyAreExact() {
        Instant start = h.clock.instant();
        h.enqueue("c1", "sales");
        h.enqueue("c2", "sales");
        h.enqueue("c3", "sales");
        h.enqueue("c4", "sales");
        h.advance(4);
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c3")));       // 4 s: a short abandon
        h.advance(1);
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c2")));       // 5 s: exactly the short threshold, a real abandon
        h.advance(15);
        loginReady(AcdServiceTest.A1);                               // 20 s: rung for c1
        h.answer(EntryId.of("c1/1"), "a1");                          // waited exactly 20 s: meets the target
        h.advance(1);
        loginReady(AcdServiceTest.A2);                               // 21 s: rung for c4
        h.answer(EntryId.of("c4/4"), "a2");                          // waited 21 s: misses it
        h.advance(60);
        h.agentHangsUp(EntryId.of("c1/1"), "a1");                    // talk 61 s
        h.agentHangsUp(EntryId.of("c4/4"), "a2");                    // talk 60 s
        h.advance(10);                                               // wrap-up 10 s each

        PeriodFigures f = QueueStatistics.period(h.log.events(), SALES, start, h.clock.instant().plusSeconds(1),
                QueueStatistics.Thresholds.of(h.acd.queues().iterator().next()));
        assertThat(f.offered()).isEqualTo(4);
        assertThat(f.answered()).isEqualTo(2);
        assertThat(f.answeredWithinThreshold()).isEqualTo(1);
        assertThat(f.abandoned()).isEqualTo(1);
        assertThat(f.shortAbandoned()).isEqualTo(1);
        assertThat(f.serviceLevel()).isEqualTo(new Ratio(1, 3));
        assertThat(f.serviceLevel().percent()).contains(new BigDecimal("33.33"));
        assertThat(f.abandonRate()).isEqualTo(new Ratio(1, 3));
        assertThat(f.averageSpeedOfAnswer()).contains(Duration.ofMillis(20_500));
        assertThat(f.completed()).isEqualTo(2);
        assertThat(f.averageHandleTime()).contains(Duration.ofMillis(70_500)); // (71 + 70) / 2
        assertThat(f.longestWait()).isEqualTo(Duration.ofSeconds(21));

        QueueStatistics.RealTimeFigures now = h.call(() -> h.acd.realTime(SALES));
        assertThat(now.waiting()).isZero();
        assertThat(now.agentsByState()).containsEntry(AgentState.READY, 2).containsEntry(AgentState.LOGGED_OUT, 1);
    }

    private void loginReady(AgentId agent) {
        h.run(() -> {
            h.acd.phoneOnline(agent);
            h.acd.agentLogin(agent, true);
        });
    }
}
