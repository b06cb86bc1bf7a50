package org.asteriskcti.server.acd;

import java.time.Instant;
import java.util.Comparator;

/**
 * The one order of callers in a queue, for offers and for announced positions alike: higher priority
 * first, then earlier ORIGINAL arrival (kept through restarts, transfers and overflows), then earlier
 * enqueue.
 */
interface QueueOrder {

    int priority();

    Instant arrivedAt();

    long seq();

    Comparator<QueueOrder> ORDER = Comparator.comparingInt((QueueOrder q) -> -q.priority())
            .thenComparing(QueueOrder::arrivedAt)
            .thenComparingLong(QueueOrder::seq);
}
