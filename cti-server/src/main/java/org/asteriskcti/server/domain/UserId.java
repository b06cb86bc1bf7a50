package org.asteriskcti.server.domain;

import java.util.Objects;

/** Typed id: a login user of the client API (agent or supervisor), unique across the platform. */
public record UserId(String value) implements Comparable<UserId> {
    public UserId {
        Objects.requireNonNull(value, "UserId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("UserId must not be blank");
        }
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public int compareTo(UserId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
