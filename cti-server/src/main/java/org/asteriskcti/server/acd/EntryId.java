package org.asteriskcti.server.acd;

import java.util.Objects;

/** Typed id: one visit of a caller to one queue ({@code <caller channel>/<n>}). Opaque; never parsed. */
public record EntryId(String value) implements Comparable<EntryId> {
    public EntryId {
        Objects.requireNonNull(value, "EntryId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("EntryId must not be blank");
        }
    }

    public static EntryId of(String value) {
        return new EntryId(value);
    }

    @Override
    public int compareTo(EntryId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
