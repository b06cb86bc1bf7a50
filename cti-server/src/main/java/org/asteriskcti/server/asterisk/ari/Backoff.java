package org.asteriskcti.server.asterisk.ari;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": attempt n waits a random time in [d/2, d] where
 * d = min(max, min * 2^n). The jitter keeps several CTIs (or a restarted Asterisk's clients) from reconnecting in
 * lock-step. Not thread-safe: used by the connector's own thread.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final Random random;
    private int attempt;

    Backoff(Duration min, Duration max, Random random) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.random = random;
    }

    Duration next() {
        long d = minMillis;
        for (int i = 0; i < attempt && d < maxMillis; i++) {
            d *= 2;
        }
        d = Math.min(d, maxMillis);
        if (attempt < 62) {
            attempt++;
        }
        long half = d / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (d - half + 1)));
    }

    void reset() {
        attempt = 0;
    }
}
