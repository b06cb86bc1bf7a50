package org.asteriskcti.server.asterisk.ari;

/** ARI's {@code reason} for {@code DELETE /channels/{id}}; Asterisk maps each to a Q.850 cause. */
public enum HangupReason {
    NORMAL("normal"),
    BUSY("busy"),
    CONGESTION("congestion"),
    /** Our own ring timeout: Asterisk then reports cause 19 "User alerting, no answer" (ari-10). */
    NO_ANSWER("no_answer"),
    TIMEOUT("timeout"),
    REJECTED("rejected"),
    UNALLOCATED("unallocated"),
    NORMAL_UNSPECIFIED("normal_unspecified"),
    NUMBER_INCOMPLETE("number_incomplete"),
    CODEC_MISMATCH("codec_mismatch"),
    INTERWORKING("interworking"),
    FAILURE("failure"),
    ANSWERED_ELSEWHERE("answered_elsewhere");

    private final String wire;

    HangupReason(String wire) {
        this.wire = wire;
    }

    /** The query value, e.g. {@code no_answer}. */
    public String wire() {
        return wire;
    }
}
