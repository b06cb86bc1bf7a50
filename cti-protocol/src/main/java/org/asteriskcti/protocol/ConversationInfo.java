package org.asteriskcti.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A call under call control as clients see it (events {@code conversation.updated},
 * {@code conversation.ended}; the data of every call-control reply).
 *
 * @param id        the conversation id: what {@code call} names in commands
 * @param origin    ACD (came through a queue) or DIAL (click-to-dial)
 * @param state     ACTIVE or ENDED
 * @param end       when ENDED: COMPLETED (someone talked) or FAILED (nobody answered)
 * @param failure   when FAILED: why (e.g. "busy")
 * @param queue     the ACD queue it came through, or null
 * @param transfer  the transfer in progress, or null
 * @param parties   everyone who is or was in it, in the order they came
 */
public record ConversationInfo(String id, String tenant, String origin, String state, String end, String failure,
        String queue, Instant startedAt, Transfer transfer, List<PartyInfo> parties, long version) {

    /**
     * @param state RINGING_TARGET, TALKING_TO_TARGET, TALKING_TO_CUSTOMER (attended) or BLIND_RINGING
     */
    public record Transfer(String state, String target) {}

    /**
     * @param id     the party's channel id: what {@code participant} names in conference commands
     * @param role   AGENT, CUSTOMER, THIRD_PARTY or SUPERVISOR
     * @param state  DIALLING, CONNECTED, HELD (music, out of the call) or GONE
     * @param cause  GONE: Q.850 hangup cause when known (17 busy, 19 no answer, 16 normal), else null
     */
    public record PartyInfo(String id, String role, String agent, String number, String name, String state, boolean muted,
            Instant joinedAt, Integer cause) {}
}
