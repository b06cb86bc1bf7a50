package org.asteriskcti.server.asterisk.ami;

/** The AMI link is down: the action was not sent, or the link dropped before its answer arrived. */
public class AmiNotConnectedException extends RuntimeException {

    public AmiNotConnectedException(String message) {
        super(message);
    }
}
