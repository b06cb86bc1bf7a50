package org.asteriskcti.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A call recording as clients see it: the {@code recording.*} events and REST {@code /api/v1/recordings}.
 *
 * @param recordingId     opaque id; the audio is {@code GET /api/v1/recordings/{recordingId}/audio}
 * @param callId          the recorded call (its Linkedid)
 * @param queue           the ACD queue the call came through; null for none
 * @param agents          every agent who was on the recorded call while it was recorded, in order of joining
 * @param policy          the policy in force when it started: ALWAYS, ON_DEMAND
 * @param state           STARTING, RECORDING, PAUSED, STOPPED, FAILED
 * @param startedBy       the user who started it, or {@code policy} when the policy did
 * @param endedAt         null while it goes on
 * @param endReason       STOPPED (a user stopped it), CALL_ENDED, ENDED_BY_ASTERISK, CTI_RESTART (ended while the
 *                        CTI was down), FAILED; null while it goes on
 * @param stoppedBy       the user who stopped it (end reason STOPPED)
 * @param durationSeconds the file's length, as Asterisk reports it when known, else end minus start
 * @param pauses          every pause, oldest first: the file holds silence from each pause to its resume
 */
public record RecordingInfo(String recordingId, String tenant, String callId, String queue, List<String> agents,
        String policy, String state, String startedBy, Instant startedAt, Instant endedAt, String endReason,
        String stoppedBy, Integer durationSeconds, List<Pause> pauses) {

    public RecordingInfo {
        agents = List.copyOf(agents);
        pauses = List.copyOf(pauses);
    }

    /**
     * One pause of a recording (the audit of who kept what out of the file).
     *
     * @param resumedAt          null while paused; the recording's end when it ended paused
     * @param resumedBy          who resumed it; null while paused or when it ended paused
     * @param endedWithRecording the recording (the call) ended while it was paused
     */
    public record Pause(Instant pausedAt, String pausedBy, String reason, Instant resumedAt, String resumedBy,
            boolean endedWithRecording) {}
}
