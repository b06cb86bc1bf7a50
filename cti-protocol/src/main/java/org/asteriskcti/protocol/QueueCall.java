package org.asteriskcti.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 * @param screenPop             what the agent's screen shows about the caller
 */
public record QueueCall(String entryId, String queue, String caller, String state, String previousState, String agent,
        int attempt, int priority, String origin, Instant arrivedAt, Instant enteredAt, Instant since,
        long waitSeconds, boolean abandonedWhileRinging, ScreenPop screenPop) {

    /**
     * Who calls and what an IVR flow learnt of them before the queue.
     *
     * @param callerNumber the caller's number (caller id)
     * @param callerName   the caller's name; null when unknown
     * @param region       the region of the caller's number (an IVR area node); null when none
     * @param language     the caller's language (a route's, or chosen in the IVR); null when not set
     * @param choices      every key pressed at an IVR menu or language node, in order
     * @param data         collected digits, {@code lookup.<field>} results, set variables, {@code menu.<node>} keys
     */
    public record ScreenPop(String callerNumber, String callerName, String region, String language, List<Choice> choices,
            Map<String, String> data) {}

    /** A key pressed at an IVR node. */
    public record Choice(String node, String key) {}
}
