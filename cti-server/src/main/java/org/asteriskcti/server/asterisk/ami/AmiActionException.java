package org.asteriskcti.server.asterisk.ami;

/** Asterisk refused an action ({@code Response: Error}) or did not answer it in time. */
public class AmiActionException extends RuntimeException {

    private final String action;
    private final String reason;

    public AmiActionException(String action, String reason) {
        super(action + ": " + reason);
        this.action = action;
        this.reason = reason;
    }

    /** The AMI action name, e.g. {@code Hangup}. */
    public String action() {
        return action;
    }

    /** Asterisk's {@code Message:} (or our timeout text). */
    public String reason() {
        return reason;
    }
}
