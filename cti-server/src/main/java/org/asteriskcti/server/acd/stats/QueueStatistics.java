package org.asteriskcti.server.acd.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.stats.QueueEvent.Abandoned;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.CallbackRequested;
import org.asteriskcti.server.acd.stats.QueueEvent.Completed;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.EntryEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Overflowed;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyEnded;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;

/**
 * Queue figures computed from the {@link QueueEventLog} alone: pure functions of the events and the
 * queue's two thresholds, so any report can be recomputed from the log.
 *
 * <h2>Definitions</h2>
 * Every event counts in the period its own time falls in ({@code from <= at < to}): a caller who
 * entered before the period and was answered inside it counts as answered, not as offered. Waits run
 * from the caller's original arrival (kept through transfers, overflows and restarts).
 * <ul>
 *   <li><b>offered</b>: callers entering the queue ({@link Entered}); an entry restored after a
 *       restart is the same caller and is not counted again.</li>
 *   <li><b>short abandon</b>: a caller who hung up after waiting strictly less than the short-abandon
 *       threshold ({@link #isShortAbandon}); they gave the centre no real chance to answer.
 *       <b>abandoned</b> counts only the others.</li>
 *   <li><b>answered within threshold</b>: wait &lt;= service-level threshold
 *       ({@link #answeredWithin}); answered at exactly 20 s meets a 20 s target.</li>
 *   <li><b>service level</b> = answered within threshold / (answered + abandoned), short abandons
 *       excluded from the denominator. This is the common industry definition in which abandons
 *       count against the service level but short abandons do not (the "calls abandoned within a
 *       short time removed" variant among the standard formulas listed by ICMI, "Service Level
 *       Calculations", Queue Tips; also Genesys' ServiceFactor and Cisco's "abandoned calls
 *       ignored below the threshold"). Overflowed and callback callers are left out: they were
 *       neither answered nor lost here (an overflow to a queue is counted there).</li>
 *   <li><b>abandon rate</b> = abandoned / (answered + abandoned), short abandons excluded: the same
 *       population as the service level, so the two are comparable.</li>
 *   <li><b>ASA</b> (average speed of answer) = sum of answered waits / answered.</li>
 *   <li><b>AHT</b> (average handle time) = sum of (talk + hold + wrap-up) / completed calls.</li>
 *   <li><b>longest wait</b>: the longest wait that ended in the period, however it ended (answered,
 *       abandoned even short, overflowed, callback).</li>
 * </ul>
 * Averages are rounded half-up to the millisecond; ratios are kept exact ({@link Ratio}).
 *
 * <h2>Post-call survey ({@link SurveyFigures})</h2>
 * A survey counts in the period its {@link SurveyEnded} falls in (when its outcome was known), offered
 * and answered alike, so that both come from the same surveys and the response rate is never above 1.
 * <ul>
 *   <li><b>surveys offered</b>: customers kept on the line after the agent hung up and asked the
 *       question, whatever came of it (answered, no response, hung up, cut short by a CTI restart);</li>
 *   <li><b>surveys answered</b>: those where the customer pressed a score 1..5;</li>
 *   <li><b>response rate</b> = answered / offered;</li>
 *   <li><b>CSAT</b> (customer satisfaction score) = answers scoring 4 or 5 / answers: the common
 *       "top-two-box" definition on a 1..5 scale, in which only "satisfied" (4) and "very satisfied"
 *       (5) count and a neutral 3 does not (e.g. Delighted, "How is CSAT calculated?": satisfied
 *       responses, "any response where the score was a 4 or a 5", divided by all responses);</li>
 *   <li><b>average score</b> = sum of scores / answers, rounded half-up to 2 decimals;</li>
 *   <li><b>distribution</b>: how many answers gave each score 1..5.</li>
 * </ul>
 */
public final class QueueStatistics {

    private QueueStatistics() {}

    /** The two per-queue thresholds the figures depend on. */
    public record Thresholds(Duration serviceLevel, Duration shortAbandon) {
        public static Thresholds of(QueueDefinition q) {
            return new Thresholds(q.serviceLevelThreshold(), q.shortAbandonThreshold());
        }
    }

    /** An exact ratio; {@link #percent()} is empty when the denominator is zero. */
    public record Ratio(long numerator, long denominator) {
        /** Percent with two decimals, half-up. */
        public Optional<BigDecimal> percent() {
            if (denominator == 0) {
                return Optional.empty();
            }
            return Optional.of(BigDecimal.valueOf(numerator).multiply(BigDecimal.valueOf(100))
                    .divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP));
        }
    }

    public record PeriodFigures(QueueId queue, Instant from, Instant to, int offered, int answered,
            int answeredWithinThreshold, int abandoned, int shortAbandoned, int abandonedWhileRinging, int overflowed,
            int callbacks, int completed, Ratio serviceLevel, Ratio abandonRate,
            Optional<Duration> averageSpeedOfAnswer, Optional<Duration> averageHandleTime, Duration longestWait,
            SurveyFigures surveys) {}

    /**
     * The post-call survey's figures (see the class comment).
     *
     * @param scores how many answers gave each score: index 0 is score 1, index 4 score 5
     */
    public record SurveyFigures(int offered, int answered, Ratio responseRate, Ratio csat,
            Optional<BigDecimal> averageScore, List<Integer> scores) {
        public SurveyFigures {
            scores = List.copyOf(scores);
            if (scores.size() != 5) {
                throw new IllegalArgumentException("one count per score 1..5, got " + scores.size());
            }
        }

        /** How many answers gave {@code score} (1..5). */
        public int answersScoring(int score) {
            return scores.get(score - 1);
        }
    }

    /** Figures at one instant: callers in the queue now and the agents' states. */
    public record RealTimeFigures(QueueId queue, Instant at, int waiting, Duration longestCurrentWait,
            Map<AgentState, Integer> agentsByState) {}

    /** Answered at exactly the threshold meets it. */
    public static boolean answeredWithin(Duration wait, Duration threshold) {
        return wait.compareTo(threshold) <= 0;
    }

    /** Hung up at exactly the threshold is a real abandon, not a short one. */
    public static boolean isShortAbandon(Duration wait, Duration threshold) {
        return wait.compareTo(threshold) < 0;
    }

    public static PeriodFigures period(List<QueueEvent> events, QueueId queue, Instant from, Instant to, Thresholds t) {
        int offered = 0;
        int answered = 0;
        int within = 0;
        int abandoned = 0;
        int shortAbandoned = 0;
        int whileRinging = 0;
        int overflowed = 0;
        int callbacks = 0;
        int completed = 0;
        long answerWaitMillis = 0;
        long handleMillis = 0;
        Duration longest = Duration.ZERO;
        int surveysOffered = 0;
        int[] scores = new int[5];
        for (QueueEvent e : events) {
            if (!(e instanceof EntryEvent ee) || !ee.queue().equals(queue) || e.at().isBefore(from) || !e.at().isBefore(to)) {
                continue;
            }
            Duration endedWait = null;
            if (e instanceof Entered en) {
                // A restored caller or a callback is the same caller still: offered once, when they called.
                if (en.origin() != EntryOrigin.RESTORED && en.origin() != EntryOrigin.CALLBACK) {
                    offered++;
                }
            } else if (e instanceof Answered a) {
                answered++;
                if (answeredWithin(a.waited(), t.serviceLevel())) {
                    within++;
                }
                answerWaitMillis += a.waited().toMillis();
                endedWait = a.waited();
            } else if (e instanceof Abandoned a) {
                if (isShortAbandon(a.waited(), t.shortAbandon())) {
                    shortAbandoned++;
                } else {
                    abandoned++;
                }
                if (a.whileRinging()) {
                    whileRinging++;
                }
                endedWait = a.waited();
            } else if (e instanceof Overflowed o) {
                overflowed++;
                endedWait = o.waited();
            } else if (e instanceof CallbackRequested c) {
                callbacks++;
                endedWait = c.waited();
            } else if (e instanceof Completed c) {
                completed++;
                handleMillis += c.handleTime().toMillis();
            } else if (e instanceof SurveyEnded s) {
                surveysOffered++;
                if (s.outcome() == QueueEvent.SurveyOutcome.ANSWERED) {
                    scores[s.score() - 1]++;
                }
            }
            if (endedWait != null && endedWait.compareTo(longest) > 0) {
                longest = endedWait;
            }
        }
        return new PeriodFigures(queue, from, to, offered, answered, within, abandoned, shortAbandoned, whileRinging,
                overflowed, callbacks, completed, new Ratio(within, answered + abandoned),
                new Ratio(abandoned, answered + abandoned), average(answerWaitMillis, answered),
                average(handleMillis, completed), longest, surveys(surveysOffered, scores));
    }

    private static SurveyFigures surveys(int offered, int[] scores) {
        int answered = 0;
        long sum = 0;
        List<Integer> counts = new java.util.ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            answered += scores[i];
            sum += (long) (i + 1) * scores[i];
            counts.add(scores[i]);
        }
        Optional<BigDecimal> average = answered == 0 ? Optional.empty()
                : Optional.of(BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(answered), 2, RoundingMode.HALF_UP));
        return new SurveyFigures(offered, answered, new Ratio(answered, offered), new Ratio(scores[3] + scores[4], answered),
                average, counts);
    }

    /**
     * Callers in the queue at {@code now} (entered, not yet answered, abandoned, overflowed or called
     * back; an entry restored after a restart replaces the same caller's earlier one), the longest of
     * their waits, and how many of {@code agents} are in each state (their last change; LOGGED_OUT
     * when the log has none).
     */
    public static RealTimeFigures realTime(List<QueueEvent> events, QueueId queue, Set<AgentId> agents, Instant now) {
        Map<EntryId, Entered> open = new LinkedHashMap<>();
        Map<AgentId, AgentState> agentState = new HashMap<>();
        for (QueueEvent e : events) {
            if (e.at().isAfter(now)) {
                break;
            }
            if (e instanceof AgentStateInterval s) {
                agentState.put(s.agent(), s.to());
                continue;
            }
            EntryEvent ee = (EntryEvent) e;
            if (!ee.queue().equals(queue)) {
                continue;
            }
            if (e instanceof Entered en) {
                if (en.origin() == EntryOrigin.RESTORED) {
                    open.values().removeIf(o -> o.caller().equals(en.caller()));
                }
                open.put(en.entry(), en);
            } else if (e instanceof Answered || e instanceof Abandoned || e instanceof Overflowed
                    || e instanceof CallbackRequested) {
                open.remove(ee.entry());
            }
        }
        Duration longest = open.values().stream().map(en -> Duration.between(en.arrivedAt(), now))
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
        for (AgentState s : AgentState.values()) {
            byState.put(s, 0);
        }
        for (AgentId a : agents) {
            byState.merge(agentState.getOrDefault(a, AgentState.LOGGED_OUT), 1, Integer::sum);
        }
        return new RealTimeFigures(queue, now, open.size(), longest, Collections.unmodifiableMap(byState));
    }

    private static Optional<Duration> average(long totalMillis, int count) {
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(BigDecimal.valueOf(totalMillis)
                .divide(BigDecimal.valueOf(count), 0, RoundingMode.HALF_UP).longValueExact()));
    }
}
