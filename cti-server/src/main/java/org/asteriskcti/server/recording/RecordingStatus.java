package org.asteriskcti.server.recording;

/**
 * The life of one recording:
 * <pre>
 *   STARTING ──record confirmed──> RECORDING ──pause (mute) confirmed──> PAUSED
 *      │                              ^  │                                  │
 *      │ refused / call ended         │  └──────────────────┐               │
 *      v                              └──resume confirmed───┼───────────────┘
 *   (dropped: never shown)                                  v
 *                             stop, call ended, Asterisk ──> STOPPED      Asterisk failed it ──> FAILED
 * </pre>
 * A recording is shown to clients and stored from RECORDING on; one that never got there was never made.
 */
public enum RecordingStatus {
    STARTING,
    RECORDING,
    PAUSED,
    STOPPED,
    FAILED;

    /** Still going on (Asterisk writes the file). */
    public boolean isActive() {
        return this == STARTING || this == RECORDING || this == PAUSED;
    }
}
