package org.asteriskcti.protocol;

import java.time.Instant;
import java.util.List;

/**
 * One call in an agent's call history, as the agent saw it: in the {@code agent:<id>} snapshot
 * ({@code history}, newest first), the {@code history.added} event, and REST
 * {@code GET /api/v1/agents/{id}/history}.
 *
 * @param callId          the call (its Asterisk Linkedid, as in {@code call.*} events)
 * @param tenant          the tenant of the call and of the agent
 * @param agentId         whose history this entry is in
 * @param direction       from the agent's point of view: INBOUND (it came to the agent's phone), OUTBOUND (the
 *                        agent placed it to someone outside), INTERNAL (agent to agent)
 * @param number          the other party's number: the caller (inbound), the number dialled (outbound), the
 *                        other agent's extension (internal)
 * @param name            the other party's name, when known; empty otherwise
 * @param startedAt       when the call reached the agent (their phone's leg was created)
 * @param answeredAt      when the agent was connected; absent when they never were
 * @param endedAt         when the agent's part of the call ended
 * @param talkSeconds     whole seconds the agent was connected (0 when never answered)
 * @param disposition     the agent's outcome: ANSWERED (connected), MISSED (their phone rang, they were never
 *                        connected), UNANSWERED (they placed the call and nobody answered)
 * @param callDisposition the call's own outcome: ANSWERED (by someone), ABANDONED (the caller gave up),
 *                        UNANSWERED
 * @param queue           the ACD or Asterisk queue the call came through; absent when none
 * @param recordings      the call's recordings; empty when none
 */
public record CallHistoryEntry(String callId, String tenant, String agentId, String direction, String number,
        String name, Instant startedAt, Instant answeredAt, Instant endedAt, long talkSeconds, String disposition,
        String callDisposition, String queue, List<Recording> recordings) {

    public CallHistoryEntry {
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
    }

    /**
     * A recording of the call.
     *
     * @param recordingId the recording's id
     * @param url         where to fetch it: {@code /api/v1/recordings/<id>}
     */
    public record Recording(String recordingId, String url) {}
}
