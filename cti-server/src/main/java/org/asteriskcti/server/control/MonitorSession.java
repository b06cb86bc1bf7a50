package org.asteriskcti.server.control;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervisor monitoring one agent's leg of one {@link Conversation} from their phone. The phone's
 * leg ({@link #phone}) sits in the session's own mixing bridge ({@link #bridge}, {@code sup-<id>}) with
 * a snoop channel on the agent's leg (LISTEN, WHISPER), or in the conversation's bridge as a
 * {@link Role#SUPERVISOR} party (BARGE). Mutable; owned by the domain loop; driven by {@link Supervision}.
 */
public final class MonitorSession {

    private static final Logger log = LoggerFactory.getLogger(MonitorSession.class);

    private final String id;
    private final UserId supervisor;
    private final TenantId tenant;
    private final String endpoint;
    private final Conversation conversation;
    private final AgentId agent;
    private final ChannelId agentLeg;
    private final ChannelId phone;
    private final BridgeId bridge;
    private final Instant startedAt;
    private MonitorState state = MonitorState.RINGING_SUPERVISOR;
    /** The mode asked for: in effect while ACTIVE, being set up while CONNECTING or SWITCHING. */
    private MonitorMode mode;
    /** The mode in effect (null before the first is up). */
    MonitorMode effective;
    /** The snoop channel in the session's bridge (LISTEN, WHISPER in effect), or null. */
    ChannelId snoop;
    /** The snoop channel asked for and not yet in the bridge, or null; {@link #pendingMode} is its mode. */
    ChannelId pendingSnoop;
    MonitorMode pendingMode;
    /** The phone is in the conversation's bridge (BARGE in effect). */
    boolean barged;
    /** Counts the session's switches: an answer from Asterisk for an older one is not acted on. */
    int generation;
    int snoops;
    private String reason;
    private Instant endedAt;
    private long version;
    /** Every Asterisk request of this session goes out after the previous one. */
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);

    MonitorSession(String id, UserId supervisor, TenantId tenant, String endpoint, Conversation conversation, AgentId agent,
            ChannelId agentLeg, ChannelId phone, BridgeId bridge, MonitorMode mode, Instant startedAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.conversation = Objects.requireNonNull(conversation, "conversation");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.agentLeg = Objects.requireNonNull(agentLeg, "agentLeg");
        this.phone = Objects.requireNonNull(phone, "phone");
        this.bridge = Objects.requireNonNull(bridge, "bridge");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.startedAt = startedAt;
    }

    /** Moves to {@code to}; an illegal transition is a bug and throws. */
    void go(MonitorState to, Instant at) {
        if (state == to) {
            return;
        }
        if (!state.canGo(to)) {
            throw new IllegalStateException("monitor " + id + ": " + state + " -> " + to + " is not allowed");
        }
        log.info("monitor {} ({} on {} of {}): {} -> {} ({}){}", id, supervisor, agent, conversation.id(), state, to, mode,
                to == MonitorState.ENDED && reason != null ? ": " + reason : "");
        state = to;
        if (to == MonitorState.ENDED) {
            endedAt = at;
        }
        version++;
    }

    void mode(MonitorMode m) {
        if (m != mode) {
            mode = m;
            version++;
        }
    }

    void reason(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    public String id() {
        return id;
    }

    public UserId supervisor() {
        return supervisor;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The supervisor's phone rung for this session, e.g. {@code PJSIP/1004}. */
    public String endpoint() {
        return endpoint;
    }

    public Conversation conversation() {
        return conversation;
    }

    public AgentId agent() {
        return agent;
    }

    /** The agent's leg that is snooped on. */
    public ChannelId agentLeg() {
        return agentLeg;
    }

    /** The supervisor phone's leg. */
    public ChannelId phone() {
        return phone;
    }

    public BridgeId bridge() {
        return bridge;
    }

    public MonitorState state() {
        return state;
    }

    public MonitorMode mode() {
        return mode;
    }

    public boolean ended() {
        return state == MonitorState.ENDED;
    }

    /** Why it ended; null before. */
    public String reason() {
        return reason;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public long version() {
        return version;
    }

    @Override
    public String toString() {
        return "monitor " + id + " (" + supervisor + " " + mode + " " + state + " on " + agent + " of " + conversation.id() + ")";
    }
}
