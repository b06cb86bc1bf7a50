package org.asteriskcti.server.asterisk;

public enum ConferenceChange {
    STARTED,
    JOINED,
    LEFT,
    ENDED
}
