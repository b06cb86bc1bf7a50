package org.asteriskcti.softphone.sip;

/** A command or SIP message that is not allowed in the call's current state. */
public class IllegalCallTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final CallState from;
    private final CallState to;

    public IllegalCallTransitionException(String callId, CallState from, CallState to) {
        super("call " + callId + ": " + from + " -> " + to + " is not allowed");
        this.from = from;
        this.to = to;
    }

    public CallState from() {
        return from;
    }

    public CallState to() {
        return to;
    }
}
