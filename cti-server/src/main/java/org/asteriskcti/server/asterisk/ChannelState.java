package org.asteriskcti.server.asterisk;

import java.util.Locale;

/** Asterisk's channel states, as AMI numbers ({@code ChannelState: 6}) and ARI text ({@code "Up"}). */
public enum ChannelState {
    DOWN(0, "Down"),
    RESERVED(1, "Rsrvd"),
    OFF_HOOK(2, "OffHook"),
    DIALING(3, "Dialing"),
    RING(4, "Ring"),
    RINGING(5, "Ringing"),
    UP(6, "Up"),
    BUSY(7, "Busy"),
    DIALING_OFFHOOK(8, "Dialing Offhook"),
    PRE_RING(9, "Pre-ring"),
    UNKNOWN(10, "Unknown");

    private final int code;
    private final String text;

    ChannelState(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    public static ChannelState fromCode(int code) {
        for (ChannelState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /** Accepts ARI/AMI text ({@code Up}, {@code Ringing}, {@code Rsrvd}) or a number. Unknown text: UNKNOWN. */
    public static ChannelState parse(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        String v = value.trim();
        if (Character.isDigit(v.charAt(0))) {
            try {
                return fromCode(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                return UNKNOWN;
            }
        }
        String lower = v.toLowerCase(Locale.ROOT);
        for (ChannelState s : values()) {
            if (s.text.toLowerCase(Locale.ROOT).equals(lower)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
