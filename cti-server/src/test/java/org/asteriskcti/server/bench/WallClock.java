package org.asteriskcti.server.bench;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds with {@link System#nanoTime()} resolution: one reading of the
 * system clock at class load, then monotonic nanoTime deltas. Every timestamp the benchmark compares
 * (the AMI {@code Timestamp:} the replay server writes, the bare server's {@code at}, the client's
 * receive time) comes from here, so a latency is a difference of two monotonic readings in one JVM.
 */
final class WallClock {

    private static final long BASE_NANOS;
    private static final long BASE_MICROS;

    static {
        Instant now = Instant.now();
        BASE_NANOS = System.nanoTime();
        BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private WallClock() {}

    static long micros() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }

    /** ISO-8601 as the CTI writes instants ({@link Instant#toString()}). */
    static String iso(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1_000L).toString();
    }
}
