package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.asteriskcti.server.domain.QueueId;
import org.junit.jupiter.api.Test;

class WaitEstimateTest {

    private static final Duration CAP = Duration.ofMinutes(30);

    @Test
    void givenThreeMinuteAhtAndTwoAgents_whenPositionsOneToThree_thenNinetyOneEightyTwoSeventySeconds() {
        Duration aht = Duration.ofMinutes(3);
        assertThat(WaitEstimate.estimate(1, aht, 2, CAP)).isEqualTo(Duration.ofSeconds(90));
        assertThat(WaitEstimate.estimate(2, aht, 2, CAP)).isEqualTo(Duration.ofSeconds(180));
        assertThat(WaitEstimate.estimate(3, aht, 2, CAP)).isEqualTo(Duration.ofSeconds(270));
    }

    @Test
    void givenAFractionalResult_whenEstimated_thenRoundedUpToTheNextSecond() {
        // 1 x 100 s / 3 = 33.33 s -> 34 s
        assertThat(WaitEstimate.estimate(1, Duration.ofSeconds(100), 3, CAP)).isEqualTo(Duration.ofSeconds(34));
        // exactly 50 s stays 50 s
        assertThat(WaitEstimate.estimate(1, Duration.ofSeconds(100), 2, CAP)).isEqualTo(Duration.ofSeconds(50));
    }

    @Test
    void givenNobodyStaffed_whenEstimated_thenAsIfOneAgentAndCapped() {
        assertThat(WaitEstimate.estimate(2, Duration.ofMinutes(3), 0, CAP)).isEqualTo(Duration.ofMinutes(6));
        assertThat(WaitEstimate.estimate(20, Duration.ofMinutes(3), 0, CAP)).isEqualTo(CAP);
    }

    @Test
    void givenPositionZero_whenEstimated_thenRejected() {
        assertThatThrownBy(() -> WaitEstimate.estimate(0, Duration.ofMinutes(3), 1, CAP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenAWindowOfFourSeededWithThreeMinutes_whenCallsAreRecorded_thenTheAverageMovesOneCallAtATime() {
        HandleTimes h = new HandleTimes(4);
        QueueId q = QueueId.of("sales");
        Duration seed = Duration.ofMinutes(3);
        assertThat(h.average(q, seed)).isEqualTo(Duration.ofSeconds(180));
        h.record(q, Duration.ofSeconds(60));
        assertThat(h.average(q, seed)).isEqualTo(Duration.ofSeconds(150)); // (60 + 3 x 180) / 4
        h.record(q, Duration.ofSeconds(100));
        h.record(q, Duration.ofSeconds(140));
        h.record(q, Duration.ofSeconds(200));
        assertThat(h.average(q, seed)).isEqualTo(Duration.ofSeconds(125)); // (60 + 100 + 140 + 200) / 4
        h.record(q, Duration.ofSeconds(300));
        assertThat(h.average(q, seed)).isEqualTo(Duration.ofSeconds(185)); // 60 dropped: (100 + 140 + 200 + 300) / 4
        assertThat(h.average(QueueId.of("other"), seed)).isEqualTo(seed);
    }
}
