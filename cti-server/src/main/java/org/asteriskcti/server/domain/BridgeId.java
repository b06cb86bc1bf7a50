package org.asteriskcti.server.domain;

import java.util.Objects;

/** Typed id: Asterisk bridge unique id (AMI BridgeUniqueid, ARI bridge id). */
public record BridgeId(String value) implements Comparable<BridgeId> {
    public BridgeId {
        Objects.requireNonNull(value, "BridgeId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("BridgeId must not be blank");
        }
    }

    public static BridgeId of(String value) {
        return new BridgeId(value);
    }

    @Override
    public int compareTo(BridgeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
