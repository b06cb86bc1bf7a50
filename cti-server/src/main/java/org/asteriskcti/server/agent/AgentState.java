package org.asteriskcti.server.agent;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An agent's ACD state, with the complete table of allowed transitions. {@link Agent} refuses every
 * transition not listed here with {@link AgentError#ILLEGAL_TRANSITION}.
 *
 * <pre>
 * LOGGED_OUT -> READY, NOT_READY, ON_OTHER            (login; ON_OTHER when the phone is already on a call)
 * LOGGED_OUT -> ON_CALL                              (only restoring a call that outlived a CTI restart)
 * READY      -> NOT_READY, RESERVED, ON_OTHER, LOGGED_OUT
 * NOT_READY  -> READY, NOT_READY (new reason), RESERVED (picking up a call), ON_OTHER, LOGGED_OUT
 * RESERVED   -> ON_CALL, READY, NOT_READY, ON_OTHER, LOGGED_OUT   (answered / cancelled, failed, withdrawn)
 * ON_CALL    -> WRAP_UP, READY, NOT_READY, ON_OTHER, LOGGED_OUT   (no wrap-up configured; forced logout)
 * WRAP_UP    -> READY, NOT_READY, ON_OTHER, LOGGED_OUT
 * ON_OTHER   -> READY, NOT_READY, LOGGED_OUT
 * </pre>
 *
 * A call reaches an agent only through RESERVED (one offer at a time), and wrap-up only follows a call.
 */
public enum AgentState {
    /** Not working; never offered calls. */
    LOGGED_OUT,
    /** Available: the distributor may offer a call. */
    READY,
    /** Logged in but unavailable, always with a {@link NotReadyReason}. */
    NOT_READY,
    /** An ACD offer is ringing on the agent's phone. */
    RESERVED,
    /** Talking to an ACD caller. */
    ON_CALL,
    /** After-call work; ends by timer, early by the agent, and may be extended up to a limit. */
    WRAP_UP,
    /** A direct or personal call (not from the ACD) is seen on the agent's phone. */
    ON_OTHER;

    private static final Map<AgentState, Set<AgentState>> ALLOWED = new EnumMap<>(AgentState.class);

    static {
        ALLOWED.put(LOGGED_OUT, EnumSet.of(READY, NOT_READY, ON_OTHER, ON_CALL));
        ALLOWED.put(READY, EnumSet.of(NOT_READY, RESERVED, ON_OTHER, LOGGED_OUT));
        ALLOWED.put(NOT_READY, EnumSet.of(READY, NOT_READY, RESERVED, ON_OTHER, LOGGED_OUT));
        ALLOWED.put(RESERVED, EnumSet.of(ON_CALL, READY, NOT_READY, ON_OTHER, LOGGED_OUT));
        ALLOWED.put(ON_CALL, EnumSet.of(WRAP_UP, READY, NOT_READY, ON_OTHER, LOGGED_OUT));
        ALLOWED.put(WRAP_UP, EnumSet.of(READY, NOT_READY, ON_OTHER, LOGGED_OUT));
        ALLOWED.put(ON_OTHER, EnumSet.of(READY, NOT_READY, LOGGED_OUT));
    }

    public boolean canGoTo(AgentState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The states this one may move to, for error messages and documentation. */
    public Set<AgentState> next() {
        return EnumSet.copyOf(ALLOWED.get(this));
    }

    public boolean loggedIn() {
        return this != LOGGED_OUT;
    }
}
