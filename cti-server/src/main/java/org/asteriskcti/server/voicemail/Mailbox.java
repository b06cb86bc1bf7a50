package org.asteriskcti.server.voicemail;

import java.util.Objects;

/**
 * Typed id: a voicemail box, as the configuration names it ({@code queues[].overflow.voicemail}, an IVR
 * flow's {@code voicemail:} node), e.g. {@code 1000@default}. Messages are listed by it; it belongs to the
 * tenant whose caller left the message.
 */
public record Mailbox(String value) {

    public Mailbox {
        Objects.requireNonNull(value, "Mailbox value");
        if (value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a mailbox is a non-blank name without control characters, got '"
                    + value + "'");
        }
    }

    public static Mailbox of(String value) {
        return new Mailbox(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
