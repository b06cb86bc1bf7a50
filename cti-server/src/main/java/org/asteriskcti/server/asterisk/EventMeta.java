package org.asteriskcti.server.asterisk;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an event came from and when.
 *
 * @param source        the edge that read it
 * @param asteriskTime  Asterisk's own timestamp (ARI {@code timestamp}, AMI {@code Timestamp:} with
 *                      {@code timestampevents=yes}); null when the wire had none
 * @param receivedAt    wall-clock time the adapter read the event
 * @param receivedNanos {@link System#nanoTime()} at read, for measuring our own pipeline latency
 */
public record EventMeta(Source source, Instant asteriskTime, Instant receivedAt, long receivedNanos) {
    public EventMeta {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** Asterisk's time when known, otherwise when we read it. */
    public Instant bestTime() {
        return asteriskTime != null ? asteriskTime : receivedAt;
    }
}
