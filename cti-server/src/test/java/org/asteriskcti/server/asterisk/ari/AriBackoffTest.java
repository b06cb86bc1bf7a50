package org.asteriskcti.server.asterisk.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reconnect delays of {@link Backoff}: doubling from min, capped at max, jittered within [d/2, d]. */
class AriBackoffTest {

    private static List<Long> delays(Backoff b, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.next().toMillis());
        }
        return out;
    }

    @Test
    void givenMin100Max1000_whenAttemptsFail_thenDelaysDoubleWithinJitterBoundsAndCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new Random(42));

        List<Long> d = delays(b, 7);

        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (int i = 0; i < ceilings.length; i++) {
            assertThat(d.get(i)).as("attempt %d", i).isBetween(ceilings[i] / 2, ceilings[i]);
        }
    }

    @Test
    void givenJitter_whenManyAttemptsAtTheCap_thenDelaysDiffer() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), new Random(7));

        List<Long> d = delays(b, 20);

        assertThat(d).allMatch(x -> x >= 50 && x <= 100);
        assertThat(d.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void givenReset_whenNextAttempt_thenBackToMin() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(10_000), new Random(1));
        delays(b, 6);

        b.reset();

        assertThat(b.next().toMillis()).isBetween(50L, 100L);
    }
}
