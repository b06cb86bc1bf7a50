package org.asteriskcti.server.domain;

import java.util.Objects;

/** Typed id: a queue, unique across the platform. */
public record QueueId(String value) implements Comparable<QueueId> {
    public QueueId {
        Objects.requireNonNull(value, "QueueId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("QueueId must not be blank");
        }
    }

    public static QueueId of(String value) {
        return new QueueId(value);
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
