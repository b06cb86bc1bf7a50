package org.asteriskcti.protocol;

import java.util.Map;

/**
 * A typed error: REST bodies and WebSocket {@code error} messages share it.
 *
 * @param errorId stable id, e.g. {@code subscription.denied} (see {@link Protocol.Errors})
 * @param status  HTTP-like status (400, 401, 403, 404, ...)
 * @param message human-readable text naming what was wrong
 * @param details extra facts (the offending field, topic, ...)
 */
public record ErrorBody(String errorId, int status, String message, Map<String, Object> details) {
    public ErrorBody {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
