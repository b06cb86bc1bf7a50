package org.asteriskcti.server.recording;

/** Why a recording ended. */
public enum EndReason {
    /** A user (or the server on their behalf) stopped it. */
    STOPPED,
    /** The call ended: its bridge is gone, and Asterisk closed the file. */
    CALL_ENDED,
    /** Asterisk finished it without being asked (RecordingFinished): e.g. the bridge was torn down first. */
    ENDED_BY_ASTERISK,
    /**
     * It ended while the CTI was down (its bridge or Asterisk's live recording was gone when a restarted
     * CTI looked): the end time is when that was found, so its duration (end minus start) is an upper bound.
     */
    CTI_RESTART,
    /** Asterisk reported the recording failed (RecordingFailed); the file may be incomplete. */
    FAILED
}
