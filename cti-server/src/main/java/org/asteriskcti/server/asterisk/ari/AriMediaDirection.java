package org.asteriskcti.server.asterisk.ari;

/**
 * Audio direction as ARI names it, seen from the channel: {@code in} = from the phone, {@code out} = to the
 * phone. Used by mute ({@code direction}) and snoop ({@code spy}, {@code whisper}; NONE only there).
 */
public enum AriMediaDirection {
    NONE("none"),
    IN("in"),
    OUT("out"),
    BOTH("both");

    private final String wire;

    AriMediaDirection(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
