package org.asteriskcti.softphone.sip;

/** An SDP body we cannot use; the message names the line or the missing part. */
public class SdpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }
}
