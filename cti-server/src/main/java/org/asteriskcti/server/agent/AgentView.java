package org.asteriskcti.server.agent;

import java.time.Instant;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;

/**
 * An immutable picture of an agent.
 *
 * @param reason        the NOT_READY reason, null in other states
 * @param next          what the agent settles into after the current call, wrap-up or other call
 * @param idleSince     when the agent last became READY other than by an offer going away; null before
 * @param wrapUpEndsAt  null outside WRAP_UP
 */
public record AgentView(AgentId id, TenantId tenant, AgentState state, NotReadyReason reason, Instant since,
        Cause cause, boolean phoneOnline, boolean onOtherCall, RequestedState next, Instant idleSince,
        int callsHandledToday, Instant wrapUpEndsAt, Instant wrapUpLimit) {}
