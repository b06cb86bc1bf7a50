package org.asteriskcti.server.acd;

/** Why an ACD command was refused: a stable {@code error_id} and the HTTP status for the client API. */
public enum AcdError {
    UNKNOWN_QUEUE("acd.unknown_queue", 404),
    UNKNOWN_ENTRY("acd.unknown_entry", 404),
    ALREADY_QUEUED("acd.already_queued", 409),
    ILLEGAL_ENTRY_TRANSITION("acd.illegal_entry_transition", 409),
    INVALID_CONFIG("acd.invalid_config", 400);

    private final String id;
    private final int status;

    AcdError(String id, int status) {
        this.id = id;
        this.status = status;
    }

    public String id() {
        return id;
    }

    public int status() {
        return status;
    }
}
