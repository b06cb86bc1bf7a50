package org.asteriskcti.protocol;

import java.time.Instant;

/**
 * One caller's visit to one ACD queue, as in the {@code queue.call.*} events and a queue's waiting list.
 *
 * @param entryId               the visit's id (opaque text)
 * @param caller                the caller's channel (Asterisk Uniqueid, opaque text)
 * @param state                 WAITING, OFFERING, CONNECTED, COMPLETED, ABANDONED, OVERFLOWED, CALLBACK_REQUESTED
 * @param previousState         the state before this change; null when the caller just entered
 * @param agent                 the agent being offered, connected, or who last rang (abandoned while ringing)
 * @param attempt               how many offers the caller has had
 * @param priority              higher is served first
 * @param origin                NEW, TRANSFERRED, OVERFLOW (from another queue) or RESTORED (after a CTI restart)
 * @param arrivedAt             the caller's original arrival (kept through transfers and overflows); waits run from here
 * @param enteredAt             when the caller entered this queue
 * @param since                 when the visit entered {@code state}
 * @param waitSeconds           the caller's wait: so far while waiting or offered; until the answer once answered
 *                              (also on COMPLETED); until they left for the other final states
 * @param abandonedWhileRinging ABANDONED while an agent's phone rang
 */
public record QueueCall(String entryId, String queue, String caller, String state, String previousState, String agent,
        int attempt, int priority, String origin, Instant arrivedAt, Instant enteredAt, Instant since,
        long waitSeconds, boolean abandonedWhileRinging) {}
