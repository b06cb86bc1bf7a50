package org.asteriskcti.server.agent;

import java.time.Duration;
import java.time.Instant;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One agent transition, published to clients and written to the statistics log.
 *
 * @param reason        the new NOT_READY reason, null in other states
 * @param fromReason    the NOT_READY reason left behind, null when {@code from} was not NOT_READY
 * @param inFromState   how long the agent was in {@code from} (the interval this change closes)
 */
public record AgentStateChanged(AgentId agent, TenantId tenant, AgentState from, NotReadyReason fromReason,
        AgentState to, NotReadyReason reason, Cause cause, Instant at, Duration inFromState) {}
