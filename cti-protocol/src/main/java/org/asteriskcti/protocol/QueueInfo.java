package org.asteriskcti.protocol;

import java.util.List;

/**
 * An ACD queue: its statistics and, where asked for (the {@code queue:<id>} snapshot, REST
 * {@code /api/v1/queues/{id}}), the callers in it in queue order.
 *
 * @param waiting null (left out) in the list of queues
 */
public record QueueInfo(String queueId, String name, QueueStats stats, List<QueuedCaller> waiting) {

    /**
     * @param position             1-based place in the queue
     * @param estimatedWaitSeconds the estimate the caller would hear (capped by acd.wait-estimate-cap)
     */
    public record QueuedCaller(QueueCall call, int position, long estimatedWaitSeconds) {}
}
