package org.asteriskcti.server.control;

import java.util.Map;

/**
 * A call-control command refused, with a stable error id ({@code call.*}, {@code transfer.*}, ...), an
 * HTTP-like status and a message naming what was wrong. The client API turns it into an error body.
 */
public final class ControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorId;
    private final int status;
    private final transient Map<String, Object> details;

    public ControlException(String errorId, int status, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.errorId = errorId;
        this.status = status;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ControlException(String errorId, int status, String message) {
        this(errorId, status, message, Map.of());
    }

    public String errorId() {
        return errorId;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }

    // The stable ids (also in Protocol.Errors and docs/asyncapi.yaml).
    public static final String NO_CALL = "call.no_active_call";
    public static final String UNKNOWN_CALL = "call.unknown";
    public static final String AGENT_BUSY = "call.agent_busy";
    public static final String INVALID_NUMBER = "call.invalid_number";
    public static final String INVALID_TARGET = "call.invalid_target";
    public static final String NOT_POSSIBLE = "call.not_possible";
    public static final String UNKNOWN_PARTY = "call.unknown_party";
    public static final String ASTERISK_FAILED = "call.asterisk_failed";
    public static final String TRANSFER_IN_PROGRESS = "transfer.in_progress";
    public static final String NO_TRANSFER = "transfer.none";
    public static final String NO_PHONE = "call.no_phone";
    public static final String NOT_WAITING = "pickup.not_available";
    public static final String NO_AGENT = "transfer.no_agent_available";
    public static final String MONITOR_IN_PROGRESS = "monitor.in_progress";
    public static final String MONITOR_NONE = "monitor.none";
}
