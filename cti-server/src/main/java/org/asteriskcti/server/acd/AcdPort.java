package org.asteriskcti.server.acd;

import java.time.Duration;
import org.asteriskcti.server.domain.AgentId;

/**
 * What the ACD asks of the world, called on the domain loop. Implementations must not block: they
 * start the work (ARI requests) and report results back as {@link AcdService} inputs, on the loop
 * ({@code agentLegAnswered}, {@code agentLegFailed}, {@code callerHungUp}...). None of these calls
 * may call back into the {@link AcdService} synchronously.
 */
public interface AcdPort extends AcdListener {

    // ---- commands ---------------------------------------------------------------------------------

    /**
     * Ring the agent's phone for this caller. The ACD runs its own ring timer ({@code ringTimeout})
     * and sends {@link #cancelRing} when it expires; the originate timeout may be a little longer.
     */
    void ringAgent(EntryView entry, AgentId agent, Duration ringTimeout);

    /** Stop ringing the agent for this caller (ring timeout, caller hung up, agent withdrew). */
    void cancelRing(EntryView entry, AgentId agent);

    /** The agent answered: connect them with the caller (take the caller out of the holding bridge). */
    void bridge(EntryView entry, AgentId agent);

    /**
     * Tell a waiting caller their 1-based position and estimated wait (rounded to seconds); a zero wait
     * means no credible estimate (nobody staffed, or at the cap): say only the position.
     */
    void playPosition(EntryView entry, int position, Duration estimatedWait);

    /**
     * The caller leaves this queue for {@code target}. For a voicemail or a message-and-hangup the
     * port moves the caller there. For another queue the ACD has already put the caller in it (an
     * {@link EntryChanged} with origin OVERFLOW follows); the caller stays in the holding bridge and
     * the port only changes what they hear (that queue's music on hold).
     */
    void overflow(EntryView entry, OverflowTarget target);

    // ---- events for clients and statistics: see AcdListener ---------------------------------------------
}
