package org.asteriskcti.server.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call under our control: one ARI mixing bridge and the parties in it (or held out of it, or still
 * being dialled into it). ACD calls, click-to-dial calls, transfers and conferences are all
 * conversations; parties come and go while the bridge (and its recording) stays. Mutable; owned by the
 * domain loop.
 */
public final class Conversation {

    private static final Logger log = LoggerFactory.getLogger(Conversation.class);

    public enum Origin { ACD, DIAL }

    /** How a conversation ended; null while it goes on. */
    public enum End { COMPLETED, FAILED }

    private final String id;
    private final TenantId tenant;
    private final BridgeId bridge;
    private final Origin origin;
    private final Instant startedAt;
    private final QueueId queue;
    private final EntryId entry;
    private final Instant arrival;
    private final Map<ChannelId, Participant> parties = new LinkedHashMap<>();
    private Consultation consultation;
    private Blind blind;
    private End end;
    private String failure;
    private long version;
    /** Every Asterisk request of this conversation goes out after the previous one (bridge first). */
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    /** Click-to-dial: the number to dial once the agent answers; null after. */
    DialPlan.Target pendingDial;
    /** Two parties were connected at some point (an ACD call is, from the start). */
    boolean talked;
    /** Why the call failed, when nobody talked (e.g. "busy"). */
    String why;

    Conversation(String id, TenantId tenant, BridgeId bridge, Origin origin, Instant startedAt, QueueId queue,
            Instant arrival) {
        this(id, tenant, bridge, origin, startedAt, queue, null, arrival);
    }

    Conversation(String id, TenantId tenant, BridgeId bridge, Origin origin, Instant startedAt, QueueId queue,
            EntryId entry, Instant arrival) {
        this.entry = entry;
        this.id = id;
        this.tenant = tenant;
        this.bridge = bridge;
        this.origin = origin;
        this.startedAt = startedAt;
        this.queue = queue;
        this.arrival = arrival == null ? startedAt : arrival;
    }

    /** An attended transfer in progress: who asked, which party is the target. */
    static final class Consultation {
        final AgentId agent;
        final ChannelId agentLeg;
        ChannelId target;
        final String targetLabel;
        TransferState state = TransferState.RINGING_TARGET;
        /** The agent hung up while the target still rang: hand the customer over when it answers. */
        boolean completeOnAnswer;

        Consultation(AgentId agent, ChannelId agentLeg, ChannelId target, String targetLabel) {
            this.agent = agent;
            this.agentLeg = agentLeg;
            this.target = target;
            this.targetLabel = targetLabel;
        }

        void go(TransferState to) {
            if (!state.canGo(to)) {
                throw new IllegalStateException("transfer to " + targetLabel + ": " + state + " -> " + to + " is not allowed");
            }
            log.info("transfer by {} to {}: {} -> {}", agent, targetLabel, state, to);
            state = to;
        }
    }

    /** A blind transfer whose target still rings; the agent has left already. */
    record Blind(AgentId agent, String agentEndpoint, ChannelId target, String targetLabel, boolean recalled) {}

    Participant add(Participant p) {
        parties.put(p.channel(), p);
        version++;
        return p;
    }

    void touch() {
        version++;
    }

    public String id() {
        return id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public BridgeId bridge() {
        return bridge;
    }

    public Origin origin() {
        return origin;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The ACD queue the call came through, or empty. */
    public Optional<QueueId> queue() {
        return Optional.ofNullable(queue);
    }

    /**
     * The ACD entry (the caller's visit to {@link #queue()}) that was answered into this call; empty for
     * other calls, and for one taken back after a CTI restart without the ACD.
     */
    public Optional<EntryId> entry() {
        return Optional.ofNullable(entry);
    }

    /** The customer's first arrival (an ACD caller: when they entered the first queue). */
    public Instant arrival() {
        return arrival;
    }

    public Optional<Participant> party(ChannelId channel) {
        return Optional.ofNullable(parties.get(channel));
    }

    public List<Participant> parties() {
        return List.copyOf(parties.values());
    }

    /** Parties neither gone nor (for those still dialled) failed. */
    public List<Participant> active() {
        List<Participant> out = new ArrayList<>();
        for (Participant p : parties.values()) {
            if (p.state() != PartyState.GONE) {
                out.add(p);
            }
        }
        return out;
    }

    /** The agent's leg in this conversation that is not gone, if any. */
    public Optional<Participant> agentLeg(AgentId agent) {
        return parties.values().stream().filter(p -> agent.equals(p.agent()) && p.state() != PartyState.GONE)
                .reduce((a, b) -> b);
    }

    Consultation consultation() {
        return consultation;
    }

    void consultation(Consultation c) {
        consultation = c;
        version++;
    }

    Blind blind() {
        return blind;
    }

    void blind(Blind b) {
        blind = b;
        version++;
    }

    public Optional<End> end() {
        return Optional.ofNullable(end);
    }

    public String failure() {
        return failure;
    }

    void end(End e, String why) {
        if (end == null) {
            end = e;
            failure = why;
            version++;
            log.info("conversation {} ended: {}{}", id, e, why == null ? "" : " (" + why + ")");
        }
    }

    public boolean ended() {
        return end != null;
    }

    public long version() {
        return version;
    }

    /** The transfer state for views: empty when none. */
    public Optional<String> transferState() {
        if (consultation != null) {
            return Optional.of(consultation.state.name());
        }
        if (blind != null) {
            return Optional.of("BLIND_RINGING");
        }
        return Optional.empty();
    }

    public Optional<String> transferTarget() {
        if (consultation != null) {
            return Optional.of(consultation.targetLabel);
        }
        return blind == null ? Optional.empty() : Optional.of(blind.targetLabel());
    }

    @Override
    public String toString() {
        return "conversation " + id + " " + parties.values();
    }
}
