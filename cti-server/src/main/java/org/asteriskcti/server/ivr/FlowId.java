package org.asteriskcti.server.ivr;

import java.util.Objects;

/** Typed id: a flow, unique within its tenant (the file name without {@code .yaml}). */
public record FlowId(String value) implements Comparable<FlowId> {
    public FlowId {
        Objects.requireNonNull(value, "FlowId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("FlowId must not be blank");
        }
    }

    public static FlowId of(String value) {
        return new FlowId(value);
    }

    @Override
    public int compareTo(FlowId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
