package org.asteriskcti.server.recording;

/** Whether a tenant's (or one of its queues') calls are recorded: {@code tenants[].recording.policy}, {@code queues[].recording.policy}. */
public enum RecordingPolicy {
    /** Every call is recorded from the start to its end; users may pause (PCI) but not stop it. */
    ALWAYS,
    /** Recorded when a user starts it; users may stop it. */
    ON_DEMAND,
    /** Never recorded. */
    NEVER
}
