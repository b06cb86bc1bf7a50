package org.asteriskcti.softphone.sip;

/**
 * A failure reported to the UI.
 *
 * @param kind    a stable id for the UI to react to
 * @param callId  the call concerned, or null
 * @param message what went wrong, in words
 */
public record PhoneError(Kind kind, String callId, String message) {

    public enum Kind {
        REGISTRATION_FAILED,
        CALL_FAILED,
        NO_COMMON_CODEC,
        MEDIA_FAILED,
        TRANSPORT_FAILED,
        COMMAND_REFUSED
    }
}
