package org.asteriskcti.server.acd;

import java.util.Map;

/** An ACD command refused; carries a stable {@code error_id}. */
public final class AcdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final AcdError error;
    private final transient Map<String, Object> details;

    public AcdException(AcdError error, String message, Map<String, Object> details) {
        super(error.id() + ": " + message);
        this.error = error;
        this.details = Map.copyOf(details);
    }

    public AcdException(AcdError error, String message) {
        this(error, message, Map.of());
    }

    public AcdError error() {
        return error;
    }

    public String errorId() {
        return error.id();
    }

    public int status() {
        return error.status();
    }

    public Map<String, Object> details() {
        return details;
    }
}
