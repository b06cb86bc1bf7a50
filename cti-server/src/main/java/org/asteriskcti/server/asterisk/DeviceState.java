package org.asteriskcti.server.asterisk;

import java.util.Locale;

/** Asterisk device states (AMI {@code DeviceStateChange.State}, ARI {@code DeviceStateChanged.device_state.state}). */
public enum DeviceState {
    UNKNOWN,
    NOT_INUSE,
    INUSE,
    BUSY,
    INVALID,
    UNAVAILABLE,
    RINGING,
    RINGINUSE,
    ONHOLD;

    /** Parses Asterisk's text ({@code NOT_INUSE}, {@code INUSE}, ...); anything else is UNKNOWN. */
    public static DeviceState parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
