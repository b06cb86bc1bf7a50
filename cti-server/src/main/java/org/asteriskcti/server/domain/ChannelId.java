package org.asteriskcti.server.domain;

import java.util.Objects;

/** Typed id: Asterisk channel Uniqueid / ARI channel id. An opaque string: an originate with ChannelId makes it any text, so it is never parsed as a number. */
public record ChannelId(String value) implements Comparable<ChannelId> {
    public ChannelId {
        Objects.requireNonNull(value, "ChannelId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("ChannelId must not be blank");
        }
    }

    public static ChannelId of(String value) {
        return new ChannelId(value);
    }

    @Override
    public int compareTo(ChannelId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
