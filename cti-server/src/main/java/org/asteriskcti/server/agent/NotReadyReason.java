package org.asteriskcti.server.agent;

import java.util.Objects;

/**
 * Why an agent is NOT_READY. Agents and supervisors pick from their tenant's configured list
 * ({@link NotReadyReasons}); the ACD itself sets the system reasons below, which need no configuration.
 */
public record NotReadyReason(String code) {

    /** Logged in without asking to be ready straight away. */
    public static final NotReadyReason LOGIN = new NotReadyReason("login");
    /** The agent's phone is not registered: the ACD cannot ring it. */
    public static final NotReadyReason PHONE_OFFLINE = new NotReadyReason("phone offline");
    /** An offer rang until the ring timeout (ring-no-answer). */
    public static final NotReadyReason NO_ANSWER = new NotReadyReason("no answer");
    /** An offer found the phone busy with a call the CTI had not seen. */
    public static final NotReadyReason PHONE_BUSY = new NotReadyReason("phone busy");
    /** Asterisk could not ring the phone (unreachable, congestion). */
    public static final NotReadyReason RING_FAILED = new NotReadyReason("ring failed");

    public NotReadyReason {
        Objects.requireNonNull(code, "NotReadyReason code");
        if (code.isBlank()) {
            throw new IllegalArgumentException("NotReadyReason must not be blank");
        }
    }

    public static NotReadyReason of(String code) {
        return new NotReadyReason(code);
    }

    @Override
    public String toString() {
        return code;
    }
}
