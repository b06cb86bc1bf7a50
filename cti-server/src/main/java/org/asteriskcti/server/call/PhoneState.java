package org.asteriskcti.server.call;

import org.asteriskcti.server.asterisk.DeviceState;

/** What an agent's phone is doing, from Asterisk's device state. (Agent ACD states come with the ACD.) */
public enum PhoneState {
    UNKNOWN,
    OFFLINE,
    IDLE,
    RINGING,
    BUSY;

    public static PhoneState of(DeviceState s) {
        return switch (s) {
            case NOT_INUSE -> IDLE;
            case INUSE, BUSY, ONHOLD, RINGINUSE -> BUSY;
            case RINGING -> RINGING;
            case UNAVAILABLE, INVALID -> OFFLINE;
            case UNKNOWN -> UNKNOWN;
        };
    }
}
