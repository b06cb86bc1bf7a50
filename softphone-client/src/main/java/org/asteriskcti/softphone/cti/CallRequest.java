package org.asteriskcti.softphone.cti;

import org.asteriskcti.protocol.Protocol.Type;

/**
 * A call-control command before it gets its ids (see {@link org.asteriskcti.protocol.CallCommand}). Fields the
 * command does not use are null. The factories cover what the agent desktop sends for its own call.
 */
public record CallRequest(String type, String call, String number, String target, String digits, String participant,
        Boolean muted, String reason) {

    public static CallRequest of(String type) {
        return new CallRequest(type, null, null, null, null, null, null, null);
    }

    public static CallRequest dial(String number) {
        return new CallRequest(Type.CALL_DIAL, null, requireText(number, "number"), null, null, null, null, null);
    }

    public static CallRequest dtmf(String digits) {
        if (digits == null || !digits.matches("[0-9*#A-Da-d]+")) {
            throw new IllegalArgumentException("DTMF digits must be 0-9, *, # or A-D (got '" + digits + "')");
        }
        return new CallRequest(Type.CALL_DTMF, null, null, null, digits, null, null, null);
    }

    /** {@code call.transfer.blind}, {@code call.transfer.attended} or {@code call.conference.add} to {@code target}. */
    public static CallRequest toTarget(String type, String target) {
        return new CallRequest(type, null, null, requireText(target, "target"), null, null, null, null);
    }

    public static CallRequest recordPause(String reason) {
        return new CallRequest(Type.CALL_RECORD_PAUSE, null, null, null, null, null, null, reason);
    }

    private static String requireText(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        return v.strip();
    }
}
