package org.asteriskcti.server.ivr;

import java.util.Objects;

/** Typed id: a node of a flow (its key under {@code nodes:}). */
public record NodeId(String value) implements Comparable<NodeId> {
    public NodeId {
        Objects.requireNonNull(value, "NodeId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("NodeId must not be blank");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
