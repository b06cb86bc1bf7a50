package org.asteriskcti.softphone.sip;

/**
 * What the UI shows about a call.
 *
 * @param callId       the SIP Call-ID
 * @param remoteNumber the user part of the far end's URI (caller for incoming, callee for outgoing)
 * @param remoteName   the display name, or empty
 */
public record CallInfo(String callId, Direction direction, String remoteNumber, String remoteName, String remoteUri) {

    public enum Direction { INBOUND, OUTBOUND }
}
