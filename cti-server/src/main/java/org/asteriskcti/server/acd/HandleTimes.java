package org.asteriskcti.server.acd;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.asteriskcti.server.domain.QueueId;

/**
 * The average handle time (talk + hold + wrap-up) of each queue over its last {@code window} calls,
 * for wait estimates.
 *
 * <p>Until {@code window} calls have been seen the missing ones count as the queue's configured
 * default: {@code AHT = (sum of the k observed + (window − k) × default) / window}. So the estimate
 * starts at the default and moves toward observed reality one call at a time, instead of jumping to
 * whatever the first, possibly odd, call took.
 */
final class HandleTimes {

    private final int window;
    private final Map<QueueId, Deque<Duration>> samples = new HashMap<>();

    HandleTimes(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the handle-time window must be at least 1, got " + window);
        }
        this.window = window;
    }

    void record(QueueId queue, Duration handleTime) {
        Deque<Duration> d = samples.computeIfAbsent(queue, q -> new ArrayDeque<>());
        d.addLast(handleTime);
        if (d.size() > window) {
            d.removeFirst();
        }
    }

    Duration average(QueueId queue, Duration seed) {
        Deque<Duration> d = samples.getOrDefault(queue, new ArrayDeque<>());
        long total = d.stream().mapToLong(Duration::toMillis).sum() + (window - d.size()) * seed.toMillis();
        return Duration.ofMillis(total / window);
    }
}
