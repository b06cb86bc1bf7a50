package org.asteriskcti.softphone.cti;

import java.util.Map;
import org.asteriskcti.protocol.ErrorBody;

/**
 * A refused or failed request, with the server's typed error ({@code error_id}, status, message, details) or one
 * of the client's own (ids starting with {@code client.}).
 */
public final class CtiException extends RuntimeException {

    /** The server could not be reached (connection refused, DNS, TLS, timeout). */
    public static final String UNREACHABLE = "client.unreachable";
    /** The server answered something that is not the client API (wrong URL?). */
    public static final String BAD_ANSWER = "client.bad_answer";
    /** The link dropped before the reply came: the command may or may not have been carried out. */
    public static final String CONNECTION_LOST = "client.connection_lost";
    /** No reply within the command timeout. */
    public static final String TIMEOUT = "client.timeout";
    /** The client is signed out (closed). */
    public static final String CLOSED = "client.closed";

    private final transient ErrorBody error;

    public CtiException(ErrorBody error) {
        super(error.errorId() + ": " + error.message());
        this.error = error;
    }

    public CtiException(String errorId, String message) {
        this(new ErrorBody(errorId, 0, message, Map.of()));
    }

    public ErrorBody error() {
        return error;
    }

    public String errorId() {
        return error.errorId();
    }

    /** The text for the agent: the server's message, which names what was wrong. */
    public String userMessage() {
        return error.message();
    }
}
