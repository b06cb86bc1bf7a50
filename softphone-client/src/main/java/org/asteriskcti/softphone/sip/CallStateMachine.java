package org.asteriskcti.softphone.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The state of one call; refuses transitions {@link CallState} does not allow; one log line per transition. */
public final class CallStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(CallStateMachine.class);

    private final String callId;
    private CallState state = CallState.IDLE;

    public CallStateMachine(String callId) {
        this.callId = callId;
    }

    public CallState state() {
        return state;
    }

    /**
     * @return the previous state
     * @throws IllegalCallTransitionException when {@code target} is not reachable from the current state
     */
    public CallState moveTo(CallState target, String reason) {
        if (!state.canMoveTo(target)) {
            throw new IllegalCallTransitionException(callId, state, target);
        }
        CallState previous = state;
        state = target;
        LOG.info("call {}: {} -> {} ({})", callId, previous, target, reason);
        return previous;
    }
}
