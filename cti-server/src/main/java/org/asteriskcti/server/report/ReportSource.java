package org.asteriskcti.server.report;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;

/** Where reports read the stored statistics log from. Blocking: called on the reports' worker threads only. */
public interface ReportSource {

    /** The tenant's events with {@code from <= at < to}, in time order. */
    List<QueueEvent> events(TenantId tenant, Instant from, Instant to);

    /** The tenant's {@code Entered} events with {@code from <= at < to}, in time order (the DID look-back). */
    List<QueueEvent.Entered> entered(TenantId tenant, Instant from, Instant to);

    /** Of each of {@code agents}, their last state change before {@code before}, if any is stored. */
    Map<AgentId, AgentStateInterval> lastStates(TenantId tenant, Collection<AgentId> agents, Instant before);
}
