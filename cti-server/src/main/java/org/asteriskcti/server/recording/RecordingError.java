package org.asteriskcti.server.recording;

/** Why a recording command was refused: a stable {@code error_id} and the HTTP status for the client API. */
public enum RecordingError {
    UNKNOWN("recording.unknown", 404),
    FORBIDDEN_BY_POLICY("recording.forbidden_by_policy", 403),
    ALREADY_ACTIVE("recording.already_active", 409),
    NOT_ACTIVE("recording.not_active", 409),
    ALREADY_PAUSED("recording.already_paused", 409),
    NOT_PAUSED("recording.not_paused", 409),
    INVALID_REQUEST("recording.invalid_request", 400),
    IN_PROGRESS("recording.in_progress", 409),
    AUDIO_MISSING("recording.audio_missing", 404),
    ASTERISK_FAILED("recording.asterisk_failed", 502);

    private final String id;
    private final int status;

    RecordingError(String id, int status) {
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
