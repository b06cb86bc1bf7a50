package org.asteriskcti.server.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The queue figures of one row: one queue (or one DID) in one interval, or its total over the whole
 * range ({@code intervalStart} null). Counts and sums as counted by {@link ReportCalculator}; the ratios
 * and averages derived here, with exactly {@link org.asteriskcti.server.acd.stats.QueueStatistics}'s
 * definitions and rounding.
 *
 * @param key                the queue id (queue report) or the DID (DID report)
 * @param transfers          the visits' transfers by their agents ({@code Transferred}), counted where done
 * @param transfersIn        visits that entered the queue by a transfer ({@code Entered} origin TRANSFERRED)
 * @param answerWaitMillis   sum of the answered callers' waits, each in whole milliseconds (as QueueStatistics)
 * @param handleMillis       sum of the completed calls' talk + hold + wrap-up, each in whole milliseconds
 * @param surveyTopTwo       survey answers scoring 4 or 5
 */
public record QueueRow(Instant intervalStart, String key, int offered, int answered, int answeredWithinSl,
        int abandoned, int shortAbandoned, int overflowed, int callbacks, int transfers, int transfersIn, int completed,
        long answerWaitMillis, long handleMillis, Duration longestWait, int surveyOffered, int surveyAnswered,
        int surveyTopTwo) {

    /** answered within threshold / (answered + abandoned), short abandons excluded; 4 decimals half-up. */
    public Optional<BigDecimal> serviceLevel() {
        return ratio(answeredWithinSl, answered + abandoned);
    }

    /** abandoned / (answered + abandoned), short abandons excluded; 4 decimals half-up. */
    public Optional<BigDecimal> abandonRate() {
        return ratio(abandoned, answered + abandoned);
    }

    /** Sum of answered waits / answered, half-up to the millisecond. */
    public Optional<Duration> averageSpeedOfAnswer() {
        return average(answerWaitMillis, answered);
    }

    /** Sum of (talk + hold + wrap-up) / completed calls, half-up to the millisecond. */
    public Optional<Duration> averageHandleTime() {
        return average(handleMillis, completed);
    }

    /** Surveys answered / surveys offered. */
    public Optional<BigDecimal> responseRate() {
        return ratio(surveyAnswered, surveyOffered);
    }

    /** Answers scoring 4 or 5 / answers. */
    public Optional<BigDecimal> csat() {
        return ratio(surveyTopTwo, surveyAnswered);
    }

    /**
     * n / d to 4 decimals, half-up: the same number as {@code QueueStatistics.Ratio.percent()} (percent
     * to 2 decimals, half-up) divided by 100. Empty when d is 0.
     */
    static Optional<BigDecimal> ratio(long n, long d) {
        if (d == 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(n).divide(BigDecimal.valueOf(d), 4, RoundingMode.HALF_UP));
    }

    /** As {@code QueueStatistics}: the average of whole milliseconds, half-up to the millisecond. */
    static Optional<Duration> average(long totalMillis, long count) {
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(BigDecimal.valueOf(totalMillis)
                .divide(BigDecimal.valueOf(count), 0, RoundingMode.HALF_UP).longValueExact()));
    }

    /** A duration in seconds with its milliseconds (3 decimals; shorter units are cut, never rounded up). */
    public static BigDecimal seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY);
    }
}
