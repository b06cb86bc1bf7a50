package org.asteriskcti.server.asterisk;

public enum RecordingState {
    STARTED,
    MUTED,
    UNMUTED,
    PAUSED,
    RESUMED,
    STOPPED,
    FAILED
}
