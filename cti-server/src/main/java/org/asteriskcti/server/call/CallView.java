package org.asteriskcti.server.call;

import java.time.Instant;
import java.util.List;

/** An immutable picture of a call, as published to clients (snake_case on the wire). */
public record CallView(
        String callId,
        String tenant,
        String state,
        String direction,
        String callerNumber,
        String callerName,
        String dialled,
        Instant startedAt,
        Instant connectedAt,
        Instant endedAt,
        String disposition,
        String mergedInto,
        String queue,
        Integer queueWaitSeconds,
        Integer ringSeconds,
        Long talkSeconds,
        List<String> agents,
        List<String> connectedDevices,
        String conference,
        String recording,
        String recordingFile,
        List<TransferView> transfers,
        List<LegView> legs,
        long version) {

    /** Is this agent on the call (connected in it at some point, or one of its legs is the agent's phone)? */
    public boolean involves(String agentId) {
        return agents.contains(agentId) || legs.stream().anyMatch(l -> agentId.equals(l.agent()));
    }

    /** The same picture with another version: two views that differ only in version show the same call. */
    public CallView withVersion(long v) {
        return new CallView(callId, tenant, state, direction, callerNumber, callerName, dialled, startedAt, connectedAt,
                endedAt, disposition, mergedInto, queue, queueWaitSeconds, ringSeconds, talkSeconds, agents,
                connectedDevices, conference, recording, recordingFile, transfers, legs, v);
    }

    public record LegView(String channelId, String name, String device, String state, String callerNumber,
            String callerName, String connectedNumber, String connectedName, String agent, boolean onHold,
            String bridge, Instant createdAt, Instant answeredAt, Instant endedAt, Integer hangupCause) {}

    public record TransferView(String kind, String target, Instant at) {}
}
