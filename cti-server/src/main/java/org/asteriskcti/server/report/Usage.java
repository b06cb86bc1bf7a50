package org.asteriskcti.server.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A tenant's use of the platform over a range, for billing.
 *
 * @param loggedInNanos sum over the tenant's agents of their logged-in time in the range (all states but
 *                      LOGGED_OUT; an agent logged in now counts up to now)
 * @param handleMillis  sum of talk + hold + wrap-up of the calls handled ({@code Completed}) in the range
 * @param callsHandled  {@code Completed} events in the range
 * @param callsOffered  offered calls of all the tenant's queues in the range (as the queue report's offered)
 */
public record Usage(long loggedInNanos, long handleMillis, int callsHandled, int callsOffered) {

    /** logged-in time / 3600 s, exactly, then half-up to 2 decimals. */
    public BigDecimal seatHours() {
        return BigDecimal.valueOf(loggedInNanos).divide(BigDecimal.valueOf(3_600_000_000_000L), 2, RoundingMode.HALF_UP);
    }

    /** handle time / 60 s, exactly, then half-up to 2 decimals. */
    public BigDecimal handledMinutes() {
        return BigDecimal.valueOf(handleMillis).divide(BigDecimal.valueOf(60_000L), 2, RoundingMode.HALF_UP);
    }
}
