package org.asteriskcti.server.control;

import java.time.Instant;
import java.util.Objects;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One party of a {@link Conversation}: a channel with a role. Mutable; owned by the domain loop. */
public final class Participant {

    private static final Logger log = LoggerFactory.getLogger(Participant.class);

    private final ChannelId channel;
    private final Role role;
    private final AgentId agent;
    private final String number;
    private final String name;
    private PartyState state;
    private boolean muted;
    private Instant joinedAt;
    /** Why it left: the Q.850 cause of its hangup, or -1. */
    private int cause = -1;
    /** Completes when Asterisk accepted the originate of this leg (at once for legs we did not dial). */
    java.util.concurrent.CompletableFuture<Void> originated = java.util.concurrent.CompletableFuture.completedFuture(null);

    Participant(ChannelId channel, Role role, AgentId agent, String number, String name, PartyState state, Instant at) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.role = Objects.requireNonNull(role, "role");
        this.agent = agent;
        this.number = number == null ? "" : number;
        this.name = name == null ? "" : name;
        this.state = state;
        this.joinedAt = state == PartyState.CONNECTED ? at : null;
    }

    /** Moves to {@code to}; an illegal transition is a bug and throws. */
    void go(PartyState to, Instant at) {
        if (state == to) {
            return;
        }
        if (!state.canGo(to)) {
            throw new IllegalStateException("party " + channel + " (" + role + "): " + state + " -> " + to + " is not allowed");
        }
        log.info("party {} ({}{}): {} -> {}", channel, role, agent == null ? "" : " " + agent, state, to);
        if (to == PartyState.CONNECTED && joinedAt == null) {
            joinedAt = at;
        }
        state = to;
    }

    void muted(boolean m) {
        muted = m;
    }

    void cause(int c) {
        cause = c;
    }

    public ChannelId channel() {
        return channel;
    }

    public Role role() {
        return role;
    }

    /** The agent whose phone this is, or null. */
    public AgentId agent() {
        return agent;
    }

    public String number() {
        return number;
    }

    public String name() {
        return name;
    }

    public PartyState state() {
        return state;
    }

    public boolean muted() {
        return muted;
    }

    public Instant joinedAt() {
        return joinedAt;
    }

    public int cause() {
        return cause;
    }

    public boolean present() {
        return state.present();
    }

    @Override
    public String toString() {
        return channel + "(" + role + (agent == null ? "" : " " + agent) + " " + state + ")";
    }
}
