package org.asteriskcti.server.acd;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;

/**
 * A caller to put into a queue.
 *
 * @param priority   higher is served first; 0 is normal
 * @param skills     skills this caller needs on top of the queue's (e.g. from the IVR menu chosen)
 * @param language   the caller's language when known; overrides the queue's
 * @param enqueuedAt the caller's ORIGINAL arrival time: now for a new caller; the first arrival for a
 *                   caller re-queued after a CTI restart, a transfer or an overflow. Orders the queue
 *                   and measures the wait in statistics.
 * @param screenPop  what the agent's screen shows when offered this caller
 * @param agent      the one agent who may take this caller (an IVR's agent node); empty: any who qualifies
 * @param did        the number the caller dialled that routed them here (directly or through an IVR flow),
 *                   logged with their {@code Entered} for the reports per DID; only a NEW caller has one
 *                   (changing the origin drops it: a transfer, overflow or callback is no call to a DID)
 */
public record EnqueueRequest(ChannelId caller, QueueId queue, int priority, Map<String, Integer> skills,
        Optional<String> language, Instant enqueuedAt, EntryOrigin origin, ScreenPop screenPop,
        Optional<org.asteriskcti.server.domain.AgentId> agent, Optional<String> did) {

    public EnqueueRequest(ChannelId caller, QueueId queue, int priority, Map<String, Integer> skills,
            Optional<String> language, Instant enqueuedAt, EntryOrigin origin, ScreenPop screenPop,
            Optional<org.asteriskcti.server.domain.AgentId> agent) {
        this(caller, queue, priority, skills, language, enqueuedAt, origin, screenPop, agent, Optional.empty());
    }

    public EnqueueRequest(ChannelId caller, QueueId queue, int priority, Map<String, Integer> skills,
            Optional<String> language, Instant enqueuedAt, EntryOrigin origin) {
        this(caller, queue, priority, skills, language, enqueuedAt, origin, ScreenPop.EMPTY, Optional.empty());
    }

    public EnqueueRequest(ChannelId caller, QueueId queue, int priority, Map<String, Integer> skills,
            Optional<String> language, Instant enqueuedAt, EntryOrigin origin, ScreenPop screenPop) {
        this(caller, queue, priority, skills, language, enqueuedAt, origin, screenPop, Optional.empty());
    }

    public EnqueueRequest {
        Objects.requireNonNull(screenPop, "screenPop");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(queue, "queue");
        skills = Map.copyOf(skills);
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(did, "did");
        if (did.isPresent() && origin != EntryOrigin.NEW) {
            did = Optional.empty();
        }
    }

    /** A new caller with normal priority and no extra needs. */
    public static EnqueueRequest newCaller(ChannelId caller, QueueId queue, Instant at) {
        return new EnqueueRequest(caller, queue, 0, Map.of(), Optional.empty(), at, EntryOrigin.NEW);
    }

    public EnqueueRequest withPriority(int p) {
        return new EnqueueRequest(caller, queue, p, skills, language, enqueuedAt, origin, screenPop, agent, did);
    }

    public EnqueueRequest withSkills(Map<String, Integer> s) {
        return new EnqueueRequest(caller, queue, priority, s, language, enqueuedAt, origin, screenPop, agent, did);
    }

    public EnqueueRequest withLanguage(String l) {
        return new EnqueueRequest(caller, queue, priority, skills, Optional.of(l), enqueuedAt, origin, screenPop, agent, did);
    }

    public EnqueueRequest withOrigin(EntryOrigin o) {
        return new EnqueueRequest(caller, queue, priority, skills, language, enqueuedAt, o, screenPop, agent, did);
    }

    public EnqueueRequest onlyFor(org.asteriskcti.server.domain.AgentId a) {
        return new EnqueueRequest(caller, queue, priority, skills, language, enqueuedAt, origin, screenPop, Optional.of(a), did);
    }

    /** The same request for any agent who qualifies (an overflow: the agent asked for may not serve that queue). */
    public EnqueueRequest anyAgent() {
        return new EnqueueRequest(caller, queue, priority, skills, language, enqueuedAt, origin, screenPop, Optional.empty(), did);
    }

    /** The same request with the DID that routed the caller (kept only for a NEW caller). */
    public EnqueueRequest withDid(String d) {
        return new EnqueueRequest(caller, queue, priority, skills, language, enqueuedAt, origin, screenPop, agent,
                Optional.ofNullable(d));
    }

    public EnqueueRequest withScreenPop(ScreenPop p) {
        return new EnqueueRequest(caller, queue, priority, skills, language, enqueuedAt, origin, p, agent, did);
    }

    /** The same request for another channel (a callback waits under a channel id of its own). */
    public EnqueueRequest forCaller(ChannelId c) {
        return new EnqueueRequest(c, queue, priority, skills, language, enqueuedAt, origin, screenPop, agent, did);
    }

    public EnqueueRequest toQueue(QueueId q) {
        return new EnqueueRequest(caller, q, priority, skills, language, enqueuedAt, origin, screenPop, agent, did);
    }
}
