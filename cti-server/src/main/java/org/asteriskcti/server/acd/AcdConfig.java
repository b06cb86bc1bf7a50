package org.asteriskcti.server.acd;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.NotReadyReasons;
import org.asteriskcti.server.domain.TenantId;

/**
 * Everything the ACD is configured with.
 *
 * @param timeZones         each tenant's zone ("calls handled today" restarts at its midnight); UTC when absent
 * @param handleTimeWindow  how many recent calls the average handle time of a queue is taken over
 * @param waitEstimateCap   the longest estimated wait ever announced (see {@link WaitEstimate})
 */
public record AcdConfig(List<QueueDefinition> queues, List<AgentProfile> agents, NotReadyReasons notReadyReasons,
        Map<TenantId, ZoneId> timeZones, int handleTimeWindow, Duration waitEstimateCap) {

    public AcdConfig {
        queues = List.copyOf(queues);
        agents = List.copyOf(agents);
        Objects.requireNonNull(notReadyReasons, "notReadyReasons");
        timeZones = Map.copyOf(timeZones);
        if (handleTimeWindow < 1) {
            throw new IllegalArgumentException("handle-time-window must be at least 1");
        }
        if (waitEstimateCap.isNegative() || waitEstimateCap.isZero()) {
            throw new IllegalArgumentException("wait-estimate-cap must be positive");
        }
    }

    public ZoneId zoneOf(TenantId tenant) {
        return timeZones.getOrDefault(tenant, ZoneId.of("UTC"));
    }
}
