package org.asteriskcti.server.acd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's visit to one queue: the {@link EntryState} machine. Owned by {@link AcdService} on
 * the domain loop. Each transition is logged in one INFO line and returned as an {@link EntryChanged}.
 */
final class QueueEntry implements QueueOrder {

    private static final Logger log = LoggerFactory.getLogger(QueueEntry.class);

    private final EntryId id;
    private final QueueDefinition queue;
    private final EnqueueRequest request;
    private final Requirements requirements;
    private final long seq;
    private final Instant enteredAt;
    private final Clock clock;

    private EntryState state = EntryState.WAITING;
    private Instant since;
    private AgentId agent;
    private int attempts;
    private final Set<AgentId> declined = new TreeSet<>();
    private boolean abandonedWhileRinging;
    private boolean overdue;
    private Instant connectedAt;
    private Duration held = Duration.ZERO;
    private Instant holdStartedAt;

    QueueEntry(EntryId id, QueueDefinition queue, EnqueueRequest request, long seq, Instant enteredAt, Clock clock) {
        this.id = id;
        this.queue = queue;
        this.request = request;
        this.requirements = queue.requirements().and(request.skills(), request.language()).onlyFor(request.agent());
        this.seq = seq;
        this.enteredAt = enteredAt;
        this.clock = clock;
        this.since = clock.instant();
    }

    // ---- transitions ------------------------------------------------------------------------------

    EntryChanged offer(AgentId to) {
        EntryChanged c = go(EntryState.OFFERING, () -> {
            agent = to;
            attempts++;
        });
        return c;
    }

    /** OFFERING → WAITING: the offered agent will not take it; they get it again only in a new round. */
    EntryChanged requeue() {
        AgentId was = agent;
        return go(EntryState.WAITING, () -> {
            declined.add(was);
            agent = null;
        });
    }

    EntryChanged connect() {
        return connect(clock.instant());
    }

    /** Connected since {@code at} (earlier than now only for a call restored after a CTI restart). */
    EntryChanged connect(Instant at) {
        return go(EntryState.CONNECTED, () -> connectedAt = at);
    }

    EntryChanged complete() {
        return go(EntryState.COMPLETED, () -> hold(false));
    }

    EntryChanged abandon() {
        boolean ringing = state == EntryState.OFFERING;
        return go(EntryState.ABANDONED, () -> abandonedWhileRinging = ringing);
    }

    EntryChanged overflow() {
        return go(EntryState.OVERFLOWED, () -> { });
    }

    EntryChanged callback() {
        return go(EntryState.CALLBACK_REQUESTED, () -> { });
    }

    private EntryChanged go(EntryState to, Runnable effect) {
        if (!state.canGoTo(to)) {
            throw new AcdException(AcdError.ILLEGAL_ENTRY_TRANSITION,
                    "entry " + id + ": " + state + " -> " + to + " (allowed from " + state + ": " + state.next() + ")",
                    java.util.Map.of("entry", id.value(), "from", state.name(), "to", to.name()));
        }
        EntryState from = state;
        Instant now = clock.instant();
        effect.run();
        state = to;
        since = now;
        log.info("entry {} queue={} {} -> {}{} attempt={}", id, queue.id(), from, to,
                agent == null ? "" : " agent=" + agent, attempts);
        return new EntryChanged(view(), from, now);
    }

    // ---- other bookkeeping ------------------------------------------------------------------------

    /** A new offer round: agents who declined this caller may be offered it again. */
    void startNewRound() {
        declined.clear();
    }

    /** Max wait passed while an offer rang: overflow as soon as the offer fails. */
    void markOverdue() {
        overdue = true;
    }

    boolean overdue() {
        return overdue;
    }

    void hold(boolean onHold) {
        Instant now = clock.instant();
        if (onHold && holdStartedAt == null) {
            holdStartedAt = now;
        } else if (!onHold && holdStartedAt != null) {
            held = held.plus(Duration.between(holdStartedAt, now));
            holdStartedAt = null;
        }
    }

    // ---- queries ------------------------------------------------------------------------------------

    EntryId id() {
        return id;
    }

    QueueDefinition queue() {
        return queue;
    }

    QueueId queueId() {
        return queue.id();
    }

    EnqueueRequest request() {
        return request;
    }

    ChannelId caller() {
        return request.caller();
    }

    Requirements requirements() {
        return requirements;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public int priority() {
        return request.priority();
    }

    EntryState state() {
        return state;
    }

    AgentId agent() {
        return agent;
    }

    int attempts() {
        return attempts;
    }

    Set<AgentId> declined() {
        return Set.copyOf(declined);
    }

    @Override
    public Instant arrivedAt() {
        return request.enqueuedAt();
    }

    Instant enteredAt() {
        return enteredAt;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    Duration held() {
        return held;
    }

    /** How long the caller has waited since their original arrival. */
    Duration waited(Instant now) {
        return Duration.between(arrivedAt(), now);
    }

    EntryView view() {
        return new EntryView(id, queue.id(), queue.tenant(), request.caller(), state, agent, attempts, request.priority(),
                arrivedAt(), enteredAt, since, request.origin(), abandonedWhileRinging, request.screenPop());
    }

    @Override
    public String toString() {
        return "QueueEntry[" + id + " " + state + "]";
    }
}
