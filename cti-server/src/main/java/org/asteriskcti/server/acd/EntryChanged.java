package org.asteriskcti.server.acd;

import java.time.Instant;

/** One queue-entry transition, published to clients; {@code from} is null when the entry was just created. */
public record EntryChanged(EntryView entry, EntryState from, Instant at) {}
