package org.asteriskcti.softphone.cti;

import java.time.Duration;

/** Delays between reconnect attempts: doubling from {@code first} up to {@code max}; reset once connected. */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private int attempt;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max, got first=" + first + " max=" + max);
        }
        this.first = first;
        this.max = max;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    }

    /** The delay before the next attempt. */
    public Duration next() {
        long ms = first.toMillis() << Math.min(attempt, 20);
        attempt++;
        return ms >= max.toMillis() || ms <= 0 ? max : Duration.ofMillis(ms);
    }

    public void reset() {
        attempt = 0;
    }
}
