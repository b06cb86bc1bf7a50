package org.asteriskcti.server.api;

import java.util.Map;
import org.asteriskcti.protocol.ErrorBody;

/**
 * A client request refused with a typed error: the same {@link ErrorBody} goes out as a WebSocket
 * {@code error} and as a REST answer with its status. A normal outcome, not a failure: no stack trace.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorBody body;

    ApiException(ErrorBody body) {
        super(body.errorId() + ": " + body.message(), null, false, false);
        this.body = body;
    }

    ApiException(String errorId, int status, String message, Map<String, Object> details) {
        this(new ErrorBody(errorId, status, message, details));
    }

    ErrorBody body() {
        return body;
    }
}
