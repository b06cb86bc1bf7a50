package org.asteriskcti.server.ivr;

/** An HTTP lookup gave no usable answer: timeout, a status other than 200, or a body that is not a JSON object. */
public final class LookupFailedException extends RuntimeException {
    public LookupFailedException(String message) {
        super(message);
    }

    public LookupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
