package org.asteriskcti.softphone.sip;

/** The far end offered or answered no codec we speak (answered with 488 Not Acceptable Here). */
public class NoCommonCodecException extends SdpException {
    private static final long serialVersionUID = 1L;

    public NoCommonCodecException(String message) {
        super(message);
    }
}
