package org.asteriskcti.server.agent;

import static org.asteriskcti.server.agent.AgentState.LOGGED_OUT;
import static org.asteriskcti.server.agent.AgentState.NOT_READY;
import static org.asteriskcti.server.agent.AgentState.ON_CALL;
import static org.asteriskcti.server.agent.AgentState.ON_OTHER;
import static org.asteriskcti.server.agent.AgentState.READY;
import static org.asteriskcti.server.agent.AgentState.RESERVED;
import static org.asteriskcti.server.agent.AgentState.WRAP_UP;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's ACD state machine (see {@link AgentState} for the transition table). Owned by the
 * domain loop; not thread-safe. Every transition has a {@link Cause} and a since-time from the injected
 * clock, is logged in one INFO line and is handed to the listener; a command that does not fit is
 * refused with an {@link AgentStateException} and changes nothing.
 *
 * <p>Rules kept here:
 * <ul>
 *   <li>The phone must be registered to be READY: {@link #request} READY with the phone offline is
 *       refused ({@code agent.phone_unregistered}); the phone going offline moves READY (and RESERVED)
 *       to NOT_READY("phone offline"); anything that would settle into READY while it is offline
 *       settles into NOT_READY("phone offline") instead. A phone is offline until reported online.</li>
 *   <li>While ON_CALL, WRAP_UP or ON_OTHER, asking for READY or NOT_READY(reason) sets what the agent
 *       settles into when that ends ({@link #next}); it does not cut the call or the wrap-up short.
 *       {@link #endWrapUp()} ends wrap-up early; a supervisor forcing READY/NOT_READY ends it at once.</li>
 *   <li>Whatever would settle into READY or NOT_READY while a non-ACD call is up on the phone settles
 *       into ON_OTHER instead, and into the wanted state when that call ends.</li>
 *   <li>{@link #idleSince()} (longest-idle routing) is set each time the agent becomes READY, except
 *       when an offer goes away without a call (caller hung up, call rejected): ringing is not work,
 *       so the agent keeps their place.</li>
 * </ul>
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentProfile profile;
    private final ZoneId zone;
    private final Set<NotReadyReason> reasons;
    private final Clock clock;
    private final Consumer<AgentStateChanged> listener;

    private AgentState state = LOGGED_OUT;
    private NotReadyReason reason;
    private Instant since;
    private Cause cause;
    private boolean phoneOnline;
    private boolean otherCall;
    private RequestedState next = RequestedState.READY;
    /** The current RESERVED came from a pickup (not the distributor). */
    private boolean pickedUp;
    private Instant idleSince;
    private Instant wrapUpEndsAt;
    private Instant wrapUpLimit;
    private LocalDate handledDay;
    private int handledOnDay;

    /**
     * @param zone     the tenant's time zone: "calls handled today" restarts at its midnight
     * @param reasons  the not-ready reasons this agent's tenant may choose from
     * @param listener gets every transition, after the agent's state has changed
     */
    public Agent(AgentProfile profile, ZoneId zone, Set<NotReadyReason> reasons, Clock clock,
            Consumer<AgentStateChanged> listener) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.reasons = Set.copyOf(reasons);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.since = clock.instant();
    }

    // ---- commands from the agent or a supervisor ------------------------------------------------

    /** LOGGED_OUT → READY ({@code ready}, phone online) or NOT_READY("login" / "phone offline"). */
    public void login(boolean ready) {
        if (state != LOGGED_OUT) {
            throw AgentStateException.illegal(id(), state, ready ? READY : NOT_READY, "already logged in");
        }
        settle(ready ? RequestedState.READY : RequestedState.notReady(NotReadyReason.LOGIN), Cause.of(TransitionCause.LOGIN));
    }

    /** The agent's own request: READY, NOT_READY(reason) or LOGGED_OUT (not while ON_CALL). */
    public void request(RequestedState target) {
        change(target, Cause.of(TransitionCause.AGENT_REQUEST));
    }

    /**
     * A supervisor's order: like {@link #request} but it may also log the agent in, log them out in
     * the middle of a call, and end their wrap-up at once.
     */
    public void force(RequestedState target, UserId supervisor) {
        change(target, Cause.forcedBy(supervisor));
    }

    private void change(RequestedState target, Cause why) {
        Objects.requireNonNull(target, "target");
        boolean forced = why.kind() == TransitionCause.FORCED_BY_SUPERVISOR;
        if (target instanceof RequestedState.NotReady nr && !reasons.contains(nr.reason())) {
            throw new AgentStateException(AgentError.UNKNOWN_REASON, id(), "'" + nr.reason() + "' is not a configured not-ready reason",
                    Map.of("reason", nr.reason().code(), "allowed", reasons.stream().map(NotReadyReason::code).sorted().toList()));
        }
        if (target instanceof RequestedState.LoggedOut) {
            if (state == ON_CALL && !forced) {
                throw AgentStateException.illegal(id(), state, LOGGED_OUT, "finish the call first (a supervisor can force a logout)");
            }
            go(LOGGED_OUT, null, why, RequestedState.READY);
            return;
        }
        switch (state) {
            case LOGGED_OUT -> {
                if (!forced) {
                    throw AgentStateException.illegal(id(), state, stateOf(target), "log in first");
                }
                requirePhoneFor(target);
                settle(target, why);
            }
            case RESERVED -> {
                if (target instanceof RequestedState.Ready) {
                    throw AgentStateException.illegal(id(), state, READY, "a call is already ringing for this agent");
                }
                settle(target, why);
            }
            case READY, NOT_READY -> {
                requirePhoneFor(target);
                settle(target, why);
            }
            case WRAP_UP -> {
                if (forced) {
                    requirePhoneFor(target);
                    settle(target, why);
                } else {
                    setNext(target, why);
                }
            }
            case ON_CALL, ON_OTHER -> setNext(target, why);
        }
    }

    /** WRAP_UP → the state asked for during the call or wrap-up (READY by default). */
    public void endWrapUp() {
        requireWrapUp("end wrap-up");
        settle(next, Cause.of(TransitionCause.WRAP_UP_ENDED));
    }

    /**
     * Moves the end of wrap-up {@code extra} later, up to the limit set when it began.
     *
     * @return the new end of wrap-up
     */
    public Instant extendWrapUp(Duration extra) {
        requireWrapUp("extend wrap-up");
        if (extra.isNegative() || extra.isZero()) {
            throw new AgentStateException(AgentError.INVALID_REQUEST, id(), "a wrap-up extension must be positive, got " + extra);
        }
        Instant end = wrapUpEndsAt.plus(extra);
        if (end.isAfter(wrapUpLimit)) {
            throw new AgentStateException(AgentError.WRAP_UP_LIMIT, id(),
                    "wrap-up may not go past " + wrapUpLimit + " (asked until " + end + ")",
                    Map.of("limit", wrapUpLimit.toString(), "requested_end", end.toString(),
                            "remaining_seconds", Duration.between(wrapUpEndsAt, wrapUpLimit).toSeconds()));
        }
        wrapUpEndsAt = end;
        log.info("agent {} wrap-up extended by {}s until {}", id(), extra.toSeconds(), end);
        return end;
    }

    // ---- facts from the ACD ----------------------------------------------------------------------

    /** READY → RESERVED: the distributor offered this agent a call and their phone rings. */
    public void reserve() {
        requireState(READY, RESERVED, "the distributor offers calls to READY agents only");
        go(RESERVED, null, Cause.of(TransitionCause.OFFERED), RequestedState.READY);
    }

    /**
     * READY or NOT_READY → RESERVED: the agent picks up a call (their phone rings for it now). A
     * not-ready agent keeps their reason for afterwards: the call, its wrap-up, then NOT_READY again.
     */
    public void reserveForPickup() {
        if (state != READY && state != NOT_READY) {
            throw AgentStateException.illegal(id(), state, RESERVED, "a call can be picked up from READY or NOT_READY only");
        }
        if (!phoneOnline) {
            throw AgentStateException.illegal(id(), state, RESERVED, "the agent's phone is not registered");
        }
        RequestedState after = state == NOT_READY && reason != null ? RequestedState.notReady(reason) : RequestedState.READY;
        pickedUp = true;
        go(RESERVED, null, Cause.of(TransitionCause.PICKUP), after);
    }

    /** RESERVED → ON_CALL: the agent answered the offer. */
    public void answered() {
        requireState(RESERVED, ON_CALL, "only a ringing offer can be answered");
        // A picked-up call keeps what the agent asked for before (e.g. NOT_READY "break" after it).
        go(ON_CALL, null, Cause.of(TransitionCause.OFFER_ANSWERED), pickedUp ? next : RequestedState.READY);
    }

    /**
     * LOGGED_OUT → ON_CALL: after a CTI restart (which starts every agent logged out) the agent's ACD
     * call is found still up on Asterisk. They settle into READY after it (and its wrap-up): they were
     * working when the CTI went away.
     */
    public void restoreOnCall() {
        requireState(LOGGED_OUT, ON_CALL, "only a freshly started CTI restores calls in progress");
        go(ON_CALL, null, Cause.of(TransitionCause.RESTORED), RequestedState.READY);
    }

    /** RESERVED → READY, keeping the agent's idle position: the offer went away through no fault of theirs. */
    public void offerCancelled() {
        requireState(RESERVED, READY, "an offer can only be cancelled while it rings");
        settle(pickedUp ? next : RequestedState.READY, Cause.of(TransitionCause.OFFER_CANCELLED));
    }

    /** RESERVED → what {@link RingFailure} says. */
    public void offerFailed(RingFailure failure) {
        requireState(RESERVED, NOT_READY, "an offer can only fail while it rings");
        switch (failure) {
            case NO_ANSWER -> settle(RequestedState.notReady(NotReadyReason.NO_ANSWER), Cause.of(TransitionCause.RING_NO_ANSWER));
            case BUSY -> settle(otherCall ? RequestedState.READY : RequestedState.notReady(NotReadyReason.PHONE_BUSY),
                    Cause.of(TransitionCause.RING_BUSY));
            case REJECTED -> settle(RequestedState.READY, Cause.of(TransitionCause.OFFER_REJECTED));
            case FAILED -> settle(RequestedState.notReady(NotReadyReason.RING_FAILED), Cause.of(TransitionCause.RING_FAILED));
        }
    }

    /**
     * ON_CALL → WRAP_UP for {@code wrapUp} (at most {@code maxWrapUp} in all with extensions), or
     * straight to the next state when {@code wrapUp} is zero. Counts one call handled today.
     */
    public void callEnded(Duration wrapUp, Duration maxWrapUp) {
        requireState(ON_CALL, WRAP_UP, "a call can only end for an agent on a call");
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        if (!today.equals(handledDay)) {
            handledDay = today;
            handledOnDay = 0;
        }
        handledOnDay++;
        if (wrapUp.isZero()) {
            settle(next, Cause.of(TransitionCause.CALL_ENDED));
            return;
        }
        wrapUpEndsAt = now.plus(wrapUp);
        wrapUpLimit = now.plus(maxWrapUp.compareTo(wrapUp) < 0 ? wrapUp : maxWrapUp);
        go(WRAP_UP, null, Cause.of(TransitionCause.CALL_ENDED), next);
    }

    /**
     * The wrap-up timer fired. Ends wrap-up when it is due; a timer left over from before an
     * extension (or after wrap-up already ended) changes nothing.
     *
     * @return whether wrap-up ended
     */
    public boolean wrapUpTimerFired() {
        if (state != WRAP_UP || clock.instant().isBefore(wrapUpEndsAt)) {
            log.debug("agent {}: wrap-up timer ignored in {} (ends at {})", id(), state, wrapUpEndsAt);
            return false;
        }
        settle(next, Cause.of(TransitionCause.WRAP_UP_TIMER));
        return true;
    }

    public void phoneOnline() {
        if (!phoneOnline) {
            phoneOnline = true;
            log.info("agent {} phone online ({})", id(), state);
        }
    }

    /** The phone unregistered: READY and RESERVED drop to NOT_READY("phone offline") at once. */
    public void phoneOffline() {
        if (!phoneOnline) {
            return;
        }
        phoneOnline = false;
        if (state == READY || state == RESERVED) {
            go(NOT_READY, NotReadyReason.PHONE_OFFLINE, Cause.of(TransitionCause.PHONE_OFFLINE), RequestedState.READY);
        } else {
            log.info("agent {} phone offline ({})", id(), state);
        }
    }

    /** A call the ACD did not place is up on the agent's phone: READY / NOT_READY → ON_OTHER. */
    public void otherCallStarted() {
        if (otherCall) {
            return;
        }
        otherCall = true;
        Cause why = Cause.of(TransitionCause.OTHER_CALL_STARTED);
        if (state == READY) {
            go(ON_OTHER, null, why, RequestedState.READY);
        } else if (state == NOT_READY) {
            go(ON_OTHER, null, why, RequestedState.notReady(reason));
        } else {
            log.info("agent {} other call started ({})", id(), state);
        }
    }

    /** The non-ACD call ended: ON_OTHER → the state the agent was in or asked for since. */
    public void otherCallEnded() {
        if (!otherCall) {
            return;
        }
        otherCall = false;
        if (state == ON_OTHER) {
            settle(next, Cause.of(TransitionCause.OTHER_CALL_ENDED));
        } else {
            log.info("agent {} other call ended ({})", id(), state);
        }
    }

    // ---- queries --------------------------------------------------------------------------------

    public AgentId id() {
        return profile.id();
    }

    public TenantId tenant() {
        return profile.tenant();
    }

    public AgentProfile profile() {
        return profile;
    }

    public AgentState state() {
        return state;
    }

    /** The NOT_READY reason; null in other states. */
    public NotReadyReason reason() {
        return reason;
    }

    public Instant since() {
        return since;
    }

    public boolean phoneIsOnline() {
        return phoneOnline;
    }

    public RequestedState next() {
        return next;
    }

    /** When the agent last became READY other than by an offer going away; null before the first time. */
    public Instant idleSince() {
        return idleSince;
    }

    public Instant wrapUpEndsAt() {
        return wrapUpEndsAt;
    }

    /**
     * After a restart: the calls this agent already handled today, counted from the stored log, so the
     * least-calls strategy stays fair. Calls counted here must be of today in the tenant's time zone.
     */
    public void restoreCallsHandledToday(int calls) {
        handledDay = LocalDate.ofInstant(clock.instant(), zone);
        handledOnDay = calls;
    }

    public int callsHandledToday() {
        return LocalDate.ofInstant(clock.instant(), zone).equals(handledDay) ? handledOnDay : 0;
    }

    public AgentView view() {
        return new AgentView(id(), tenant(), state, reason, since, cause, phoneOnline, otherCall, next, idleSince,
                callsHandledToday(), wrapUpEndsAt, wrapUpLimit);
    }

    @Override
    public String toString() {
        return "Agent[" + id() + " " + describe(state, reason) + "]";
    }

    // ---- the machine ----------------------------------------------------------------------------

    /**
     * Into READY or NOT_READY(reason) as wanted, unless the phone says otherwise: ON_OTHER while a
     * non-ACD call is up (remembering the wish), NOT_READY("phone offline") instead of READY.
     */
    private void settle(RequestedState target, Cause why) {
        if (otherCall) {
            go(ON_OTHER, null, why, target);
        } else if (target instanceof RequestedState.NotReady nr) {
            go(NOT_READY, nr.reason(), why, RequestedState.READY);
        } else if (!phoneOnline) {
            go(NOT_READY, NotReadyReason.PHONE_OFFLINE, why, RequestedState.READY);
        } else {
            go(READY, null, why, RequestedState.READY);
        }
    }

    private void go(AgentState to, NotReadyReason newReason, Cause why, RequestedState nextAfter) {
        if (!state.canGoTo(to)) {
            throw AgentStateException.illegal(id(), state, to, "allowed from " + state + ": " + state.next());
        }
        Instant now = clock.instant();
        AgentStateChanged change = new AgentStateChanged(id(), tenant(), state, reason, to, newReason, why, now,
                Duration.between(since, now));
        if (to == READY && state != RESERVED) {
            idleSince = now;
        }
        if (to != WRAP_UP) {
            wrapUpEndsAt = null;
            wrapUpLimit = null;
        }
        if (to != RESERVED && to != ON_CALL && to != WRAP_UP) {
            pickedUp = false;
        }
        state = to;
        reason = newReason;
        since = now;
        cause = why;
        next = nextAfter;
        log.info("agent {} {} -> {} cause={} after {}s", id(), describe(change.from(), change.fromReason()),
                describe(to, newReason), why, change.inFromState().toSeconds());
        listener.accept(change);
    }

    private void setNext(RequestedState target, Cause why) {
        next = target;
        log.info("agent {} {}: will be {} afterwards ({})", id(), state, target, why);
    }

    private void requirePhoneFor(RequestedState target) {
        if (target instanceof RequestedState.Ready && !phoneOnline) {
            throw new AgentStateException(AgentError.PHONE_UNREGISTERED, id(), "the agent's phone is not registered; it cannot be READY",
                    Map.of("state", state.name()));
        }
    }

    private void requireState(AgentState expected, AgentState to, String why) {
        if (state != expected) {
            throw AgentStateException.illegal(id(), state, to, why);
        }
    }

    private void requireWrapUp(String what) {
        if (state != WRAP_UP) {
            throw new AgentStateException(AgentError.NOT_IN_WRAP_UP, id(), "cannot " + what + " in " + state,
                    Map.of("state", state.name()));
        }
    }

    private static AgentState stateOf(RequestedState target) {
        if (target instanceof RequestedState.Ready) {
            return READY;
        }
        return target instanceof RequestedState.NotReady ? NOT_READY : LOGGED_OUT;
    }

    private static String describe(AgentState s, NotReadyReason r) {
        return r == null ? s.name() : s + "(" + r + ")";
    }
}
