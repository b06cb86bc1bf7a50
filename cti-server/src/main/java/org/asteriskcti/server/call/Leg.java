package org.asteriskcti.server.call;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;

/** One channel of a call. Mutable, owned by the domain loop. */
public final class Leg {
    final ChannelId id;
    ChannelSnapshot snapshot;
    CallId call;
    final EnumSet<Source> seenBy = EnumSet.noneOf(Source.class);
    BridgeId bridge;
    /** The last bridge the leg was in (kept after it leaves). */
    BridgeId lastBridge;
    boolean onHold;
    boolean inStasis;
    boolean farEndHangup;
    /** Some hangup was requested (far end or inside Asterisk): the leg is on its way out. */
    boolean ending;
    /**
     * Its bridge partner started hanging up: Asterisk will tear this leg down too (app_queue and Dial
     * do so without a hangup request event), unless it goes on to something new (a dial, another
     * bridge, our Stasis app), which clears the flag.
     */
    boolean partnerEnding;
    boolean dialing;
    /** It was dialled (by a Dial or an originate): its far end rejecting is not a caller giving up. */
    boolean dialled;
    /** Answered by a Dial and not yet bridged: the connection is being made. */
    boolean connecting;
    AgentId agent;
    final Instant createdAt;
    Instant answeredAt;
    Instant endedAt;
    Integer hangupCause;
    String hangupCauseText;
    final Map<String, String> variables = new HashMap<>();

    Leg(ChannelSnapshot snapshot, CallId call, Instant createdAt) {
        this.id = snapshot.id();
        this.snapshot = snapshot;
        this.call = call;
        this.createdAt = createdAt;
    }

    void setBridge(BridgeId b) {
        bridge = b;
        if (b != null) {
            lastBridge = b;
        }
    }

    public ChannelId id() {
        return id;
    }

    public ChannelSnapshot snapshot() {
        return snapshot;
    }

    public CallId call() {
        return call;
    }

    public BridgeId bridge() {
        return bridge;
    }

    public boolean onHold() {
        return onHold;
    }

    public boolean inStasis() {
        return inStasis;
    }

    public AgentId agent() {
        return agent;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Integer hangupCause() {
        return hangupCause;
    }

    public String hangupCauseText() {
        return hangupCauseText;
    }

    boolean goingDown() {
        return ending || partnerEnding;
    }

    public boolean ended() {
        return endedAt != null;
    }

    public boolean ringing() {
        ChannelState s = snapshot.state();
        return dialing || connecting || s == ChannelState.RINGING;
    }

    public Map<String, String> variables() {
        return Map.copyOf(variables);
    }
}
