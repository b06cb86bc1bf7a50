package org.asteriskcti.server.recording;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One recording and its audit, immutable: what the service hands out, what is stored, what clients see
 * (as {@code RecordingInfo}).
 *
 * @param name            the Asterisk recording's name (ours, never a client's); the stored file is
 *                        {@code name.format} in Asterisk's recording directory
 * @param policy          the policy in force when it started
 * @param startedAt       when Asterisk confirmed it records
 * @param endedAt         null while active
 * @param endReason       null while active
 * @param stoppedBy       who stopped it (end reason STOPPED), else null
 * @param durationSeconds the length Asterisk reported (RecordingFinished), else end minus start; null while active
 * @param pauses          every pause, oldest first
 */
public record RecordingView(RecordingId id, TenantId tenant, CallId call, Optional<QueueId> queue, BridgeId bridge,
        List<AgentId> agents, String name, String format, RecordingPolicy policy, RecordingStatus status,
        String startedBy, Instant startedAt, Instant endedAt, EndReason endReason, String stoppedBy,
        Integer durationSeconds, List<Pause> pauses) {

    public RecordingView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(bridge, "bridge");
        agents = List.copyOf(agents);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedBy, "startedBy");
        Objects.requireNonNull(startedAt, "startedAt");
        pauses = List.copyOf(pauses);
    }

    /** The stored file's name in Asterisk's recording directory, e.g. {@code cti-demo-1795424151_47-x3k9.wav}. */
    public String file() {
        return name + "." + format;
    }

    public boolean isActive() {
        return status.isActive();
    }

    public boolean involves(AgentId agent) {
        return agent != null && agents.contains(agent);
    }

    /** The pause going on, if the recording is paused. */
    public Optional<Pause> openPause() {
        return pauses.isEmpty() || pauses.get(pauses.size() - 1).resumedAt() != null ? Optional.empty()
                : Optional.of(pauses.get(pauses.size() - 1));
    }

    /**
     * One pause: the file holds silence from {@code pausedAt} to {@code resumedAt} (Asterisk's mute keeps the
     * timeline, ari-11), so nothing said then — a card number — is in it.
     *
     * @param pausedAt           when Asterisk confirmed the mute
     * @param resumedAt          when Asterisk confirmed the unmute, or the recording's end when it ended paused;
     *                           null while paused
     * @param resumedBy          null while paused, and when it ended paused
     * @param endedWithRecording the recording ended while paused
     */
    public record Pause(Instant pausedAt, String pausedBy, String reason, Instant resumedAt, String resumedBy,
            boolean endedWithRecording) {
        public Pause {
            Objects.requireNonNull(pausedAt, "pausedAt");
            Objects.requireNonNull(pausedBy, "pausedBy");
        }
    }
}
