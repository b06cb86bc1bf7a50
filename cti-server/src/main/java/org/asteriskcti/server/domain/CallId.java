package org.asteriskcti.server.domain;

import java.util.Objects;

/** Typed id: a call, keyed by the Asterisk Linkedid shared by all its legs. */
public record CallId(String value) implements Comparable<CallId> {
    public CallId {
        Objects.requireNonNull(value, "CallId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("CallId must not be blank");
        }
    }

    public static CallId of(String value) {
        return new CallId(value);
    }

    @Override
    public int compareTo(CallId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
