package org.asteriskcti.server.asterisk;

public enum PlaybackState {
    STARTED,
    CONTINUING,
    FINISHED,
    FAILED
}
