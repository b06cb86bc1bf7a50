package org.asteriskcti.server.acd;

import java.time.Duration;

/** A caller in a queue with their 1-based position and estimated wait (see {@link WaitEstimate}). */
public record WaitingCaller(EntryView entry, int position, Duration estimatedWait) {}
