package org.asteriskcti.server.acd;

import java.time.Instant;

/** One queue-entry transition, published to clients. */
public record EntryChanged(EntryView entry, EntryState from, Instant at) {}
