package org.asteriskcti.server.voicemail;

/** Why a voicemail request was refused: a stable {@code error_id} and the HTTP status for the client API. */
public enum VoicemailError {
    /** No such message in the user's tenant (another tenant's is refused the same way). */
    UNKNOWN("voicemail.unknown", 404),
    /** A query parameter or body field is wrong; the message names it. */
    INVALID_REQUEST("voicemail.invalid_request", 400),
    /** Asterisk has no file for the message any more. */
    AUDIO_MISSING("voicemail.audio_missing", 404),
    /** Asterisk refused or did not answer (reading or deleting the file). */
    ASTERISK_FAILED("voicemail.asterisk_failed", 502);

    private final String id;
    private final int status;

    VoicemailError(String id, int status) {
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
