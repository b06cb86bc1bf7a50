package org.asteriskcti.server.recording;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A recording command refused, with a stable {@code error_id}. The service's futures fail with it (seen
 * inside a {@link CompletionException} through {@code join()}: {@link #unwrap}). A normal outcome, no stack trace.
 */
public final class RecordingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RecordingError error;
    private final transient Map<String, Object> details;

    public RecordingException(RecordingError error, String message, Map<String, Object> details) {
        super(error.id() + ": " + message, null, false, false);
        this.error = error;
        this.details = Map.copyOf(details);
    }

    public RecordingException(RecordingError error, String message) {
        this(error, message, Map.of());
    }

    public RecordingError error() {
        return error;
    }

    public String errorId() {
        return error.id();
    }

    public int status() {
        return error.status();
    }

    /** The message without the error id in front. */
    public String reason() {
        String m = getMessage();
        return m.startsWith(error.id() + ": ") ? m.substring(error.id().length() + 2) : m;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** The RecordingException inside CompletionException/ExecutionException wrappers; null if there is none. */
    public static RecordingException unwrap(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecordingException r) {
                return r;
            }
            if (!(c instanceof CompletionException) && !(c instanceof ExecutionException)) {
                return null;
            }
        }
        return null;
    }
}
