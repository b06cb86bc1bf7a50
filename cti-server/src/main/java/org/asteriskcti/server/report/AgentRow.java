package org.asteriskcti.server.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One agent in one interval, or their total over the range ({@code intervalStart} null). Times are
 * exact (nanoseconds, as the events); {@link #seconds} shows them half-up to the millisecond.
 *
 * @param notReadyByReason NOT_READY time per reason code ({@code unknown} when the log does not say
 *                         which reason: the change into NOT_READY is older than anything stored)
 * @param callsHandled     {@code Completed} events of the agent (a call is handled when its wrap-up ends)
 * @param handleMillis     their talk + hold + wrap-up, each in whole milliseconds
 */
public record AgentRow(Instant intervalStart, String agent, long loggedInNanos, long readyNanos, long notReadyNanos,
        Map<String, Long> notReadyByReason, long reservedNanos, long onCallNanos, long wrapUpNanos,
        long onOtherNanos, int callsHandled, long handleMillis) {

    public AgentRow {
        notReadyByReason = Map.copyOf(notReadyByReason);
    }

    /**
     * (reserved + on call + wrap-up + on other) / (logged in − not ready): the share of the time the agent
     * was available for work that they were not idle in READY. 4 decimals half-up; empty without such time.
     */
    public Optional<BigDecimal> occupancy() {
        long staffed = loggedInNanos - notReadyNanos;
        return QueueRow.ratio(reservedNanos + onCallNanos + wrapUpNanos + onOtherNanos, staffed);
    }

    /** handle time / calls handled, half-up to the millisecond. */
    public Optional<Duration> averageHandleTime() {
        return QueueRow.average(handleMillis, callsHandled);
    }

    /** Nanoseconds as seconds, half-up to the millisecond (3 decimals). */
    public static BigDecimal seconds(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(9).setScale(3, RoundingMode.HALF_UP);
    }
}
