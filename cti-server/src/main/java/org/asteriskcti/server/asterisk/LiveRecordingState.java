package org.asteriskcti.server.asterisk;

/**
 * A live recording's state as Asterisk shows it ({@code GET /recordings/live/{name}}). A muted recording
 * still shows {@link #RECORDING}: a mute cannot be seen (ari-11).
 */
public enum LiveRecordingState {
    /** Asked, not writing yet ({@code queued}). */
    QUEUED,
    /** Writing the file ({@code recording}); also while muted. */
    RECORDING,
    /** Asterisk's own pause ({@code paused}: the span is left out of the file); we never use it. */
    PAUSED,
    /** Over: done, failed or canceled, the file closed. */
    ENDED;

    /** Asterisk still writes (or will write) the file. */
    public boolean isLive() {
        return this != ENDED;
    }
}
