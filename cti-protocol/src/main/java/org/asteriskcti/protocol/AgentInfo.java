package org.asteriskcti.protocol;

/**
 * An agent as clients see it: in {@code agent.updated} events, the snapshots of {@code agents} and
 * {@code agent:<id>}, REST {@code /api/v1/agents} and the reply to every agent command. One shape for
 * both sources of change: the phone (Asterisk's device state) and the ACD.
 *
 * @param phone UNKNOWN, OFFLINE, IDLE, RINGING or BUSY, from Asterisk's device state
 * @param acd   the agent's ACD state; null (left out) when the server runs without the ACD
 */
public record AgentInfo(String agentId, String name, String device, String phone, AcdAgent acd) {

    /**
     * The ACD side of an agent.
     *
     * @param state             LOGGED_OUT, READY, NOT_READY, RESERVED (an offer rings), ON_CALL, WRAP_UP, ON_OTHER
     *                          (a call not from the ACD)
     * @param reason            the NOT_READY reason (configured, or one the ACD sets: login, phone offline, no
     *                          answer, phone busy, ring failed); null in other states
     * @param since             when the agent entered {@code state}
     * @param cause             what made the last change (LOGIN, AGENT_REQUEST, FORCED_BY_SUPERVISOR, OFFERED,
     *                          CALL_ENDED, WRAP_UP_TIMER, PHONE_OFFLINE, ...)
     * @param forcedBy          the supervisor's user name when {@code cause} is FORCED_BY_SUPERVISOR
     * @param phoneOnline       whether the ACD counts the agent's phone as registered (needed to be READY)
     * @param onOtherCall       a call not placed by the ACD is up on the phone
     * @param nextState         what the agent settles into after the current call, wrap-up or other call:
     *                          READY, NOT_READY or LOGGED_OUT
     * @param nextReason        with {@code nextState} NOT_READY: its reason
     * @param idleSince         when the agent last became READY (longest-idle routing); null before
     * @param callsHandledToday ACD calls handled since midnight in the tenant's time zone
     * @param wrapUpEndsAt      in WRAP_UP: when it ends (moves with extensions)
     * @param wrapUpLimit       in WRAP_UP: the latest it may be extended to
     */
    public record AcdAgent(String state, String reason, java.time.Instant since, String cause, String forcedBy,
            boolean phoneOnline, boolean onOtherCall, String nextState, String nextReason,
            java.time.Instant idleSince, int callsHandledToday, java.time.Instant wrapUpEndsAt,
            java.time.Instant wrapUpLimit) {}
}
