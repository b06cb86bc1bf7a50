package org.asteriskcti.server.domain;

import java.util.Objects;

/** Typed id: tenant id, as configured (for example `acme`). */
public record TenantId(String value) implements Comparable<TenantId> {
    public TenantId {
        Objects.requireNonNull(value, "TenantId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("TenantId must not be blank");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
