package org.asteriskcti.server.acd;

import java.time.Duration;

/**
 * Estimated wait time (EWT) for a caller at a given position.
 *
 * <pre>
 * EWT = min(cap, ceil_to_second(position × AHT / max(1, staffed)))
 * </pre>
 *
 * <ul>
 *   <li>{@code position}: the caller's 1-based place in the queue (callers being offered count).</li>
 *   <li>{@code AHT}: the queue's average handle time (talk + hold + wrap-up), a moving average of
 *       recent calls seeded with the configured default ({@link HandleTimes}).</li>
 *   <li>{@code staffed}: agents logged in (any state but LOGGED_OUT) who can take the queue's callers.
 *       With {@code n} agents each freeing up once per AHT on average, one agent frees up every
 *       AHT/n, and the caller at position p is served after about p such releases. Counting busy and
 *       not-ready agents (not only READY ones) reflects that they come back; ignoring them would say
 *       "forever" whenever everyone is on a call. {@code max(1, ·)}: with no one staffed the estimate
 *       is as if one agent came, and the cap bounds it.</li>
 *   <li>{@code cap}: estimates beyond it are not credible (staffing changes, callers leave), and
 *       announcing them only drives callers away; callers at or above it hear "more than cap".</li>
 *   <li>Rounded up to whole seconds: announcements speak seconds, and rounding up never promises a
 *       shorter wait than computed.</li>
 * </ul>
 *
 * This is the simple queueing estimate (it ignores the time the agents now busy have already spent on
 * their calls); its error is largest for the first positions, where callers wait least anyway.
 */
public final class WaitEstimate {

    private WaitEstimate() {}

    public static Duration estimate(int position, Duration aht, int staffed, Duration cap) {
        if (position < 1) {
            throw new IllegalArgumentException("position is 1-based, got " + position);
        }
        long millis = Math.multiplyExact(position, aht.toMillis()) / Math.max(1, staffed);
        long seconds = (millis + 999) / 1000;
        Duration ewt = Duration.ofSeconds(seconds);
        return ewt.compareTo(cap) > 0 ? cap : ewt;
    }
}
