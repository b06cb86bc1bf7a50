package org.asteriskcti.protocol;

import java.time.Instant;
import java.util.Map;

/**
 * A queue's real-time statistics ({@code queue.stats} events, the {@code queue:<id>} snapshot, REST
 * {@code /api/v1/queues}). Definitions (service level, short abandons, ...) are those of the server's
 * QueueStatistics and docs/asyncapi.yaml.
 *
 * @param at                 when these figures were taken
 * @param waiting            callers in the queue now (waiting or being offered)
 * @param longestWaitSeconds the longest current wait at {@code at}
 * @param oldestArrivedAt    arrival of the caller waiting longest (to keep a wallboard ticking between
 *                           events); null when nobody waits
 * @param staffed            logged-in agents who can take this queue's callers
 * @param agents             agents who can take this queue's callers, by ACD state (every state present)
 * @param today              counts and ratios since midnight in the tenant's time zone
 */
public record QueueStats(String queueId, String name, Instant at, int waiting, long longestWaitSeconds,
        Instant oldestArrivedAt, int staffed, Map<String, Integer> agents, Today today) {

    /**
     * @param offered                 callers who entered (restored ones not counted again)
     * @param answered                answered by an agent
     * @param answeredWithinThreshold answered within {@code serviceLevelThresholdSeconds}
     * @param abandoned               hung up while queued, short abandons excluded
     * @param shortAbandoned          hung up before the short-abandon threshold
     * @param serviceLevelPercent     answered within threshold / (answered + abandoned); null before any
     * @param abandonRatePercent      abandoned / (answered + abandoned); null before any
     * @param asaSeconds              average speed of answer; null before any answer
     * @param ahtSeconds              average handle time (talk + hold + wrap-up); null before any completed call
     * @param survey                  the post-call satisfaction survey's figures
     */
    public record Today(Instant from, int offered, int answered, int answeredWithinThreshold, int abandoned,
            int shortAbandoned, int overflowed, int callbacks, int completed, Double serviceLevelPercent,
            Double abandonRatePercent, Double asaSeconds, Double ahtSeconds, long serviceLevelThresholdSeconds,
            long shortAbandonThresholdSeconds, Survey survey) {}

    /**
     * The post-call satisfaction survey, counted when each survey ended (definitions in the server's
     * QueueStatistics and docs/asyncapi.yaml).
     *
     * @param offered             customers asked the question (any outcome)
     * @param answered            customers who pressed a score 1..5
     * @param responseRatePercent answered / offered, 2 decimals; null before any survey
     * @param csatPercent         answers scoring 4 or 5 / answers, 2 decimals; null before any answer
     * @param averageScore        mean score, 2 decimals (half-up); null before any answer
     * @param scores              how many answers gave each score: [count of 1, ..., count of 5]
     */
    public record Survey(int offered, int answered, Double responseRatePercent, Double csatPercent, Double averageScore,
            java.util.List<Integer> scores) {}
}
