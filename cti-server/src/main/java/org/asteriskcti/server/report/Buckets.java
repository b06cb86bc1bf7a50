package org.asteriskcti.server.report;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

/** A report's rows in time: boundaries b0 &lt; b1 &lt; ... &lt; bn, row i being {@code [b(i), b(i+1))}. */
public record Buckets(List<Instant> bounds) {

    public Buckets {
        bounds = List.copyOf(bounds);
        if (bounds.size() < 2) {
            throw new IllegalArgumentException("at least one row: " + bounds);
        }
        for (int i = 1; i < bounds.size(); i++) {
            if (!bounds.get(i - 1).isBefore(bounds.get(i))) {
                throw new IllegalArgumentException("bounds must increase: " + bounds);
            }
        }
    }

    public int size() {
        return bounds.size() - 1;
    }

    public Instant from() {
        return bounds.get(0);
    }

    public Instant to() {
        return bounds.get(bounds.size() - 1);
    }

    public Instant start(int i) {
        return bounds.get(i);
    }

    public Instant end(int i) {
        return bounds.get(i + 1);
    }

    /** The row {@code at} falls in, or -1 outside {@code [from, to)}. */
    public int indexOf(Instant at) {
        if (at.isBefore(from()) || !at.isBefore(to())) {
            return -1;
        }
        int i = Collections.binarySearch(bounds, at);
        return i >= 0 ? i : -i - 2;
    }
}
