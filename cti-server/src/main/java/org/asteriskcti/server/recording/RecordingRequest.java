package org.asteriskcti.server.recording;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * What to record: the mixing bridge of one call, with the agents on it.
 *
 * @param bridge    the bridge Asterisk records (everything said in it, mixed)
 * @param agents    the agents on the call now; more join with {@code RecordingService#addAgent}
 * @param queue     the ACD queue the call came through, if any: its policy overrides the tenant's
 * @param startedBy the user id of whoever asked, or {@link #POLICY} when the policy (ALWAYS) starts it
 */
public record RecordingRequest(TenantId tenant, CallId call, BridgeId bridge, List<AgentId> agents,
        Optional<QueueId> queue, String startedBy) {

    /** {@code startedBy} of a recording the policy started (ALWAYS), not a person. */
    public static final String POLICY = "policy";

    public RecordingRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(bridge, "bridge");
        agents = List.copyOf(agents);
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(startedBy, "startedBy");
        if (startedBy.isBlank()) {
            throw new IllegalArgumentException("startedBy must name a user or be \"" + POLICY + "\"");
        }
    }
}
