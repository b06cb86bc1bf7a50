package org.asteriskcti.server.acd;

import java.time.Instant;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * An immutable picture of a queue entry, as given to the {@link AcdPort}.
 *
 * @param agent     the agent being offered, connected or who last rang (abandoned while ringing); else null
 * @param attempt   how many offers this entry has had
 * @param arrivedAt the caller's original arrival time (orders the queue, measures the wait)
 * @param enteredAt when the caller entered this queue (max wait counts from here)
 * @param screenPop what the agent's screen shows about the caller
 */
public record EntryView(EntryId id, QueueId queue, TenantId tenant, ChannelId caller, EntryState state, AgentId agent,
        int attempt, int priority, Instant arrivedAt, Instant enteredAt, Instant since, EntryOrigin origin,
        boolean abandonedWhileRinging, ScreenPop screenPop) {}
