package org.asteriskcti.server.acd;

/** How a caller came into a queue. All but NEW keep the caller's original arrival time. */
public enum EntryOrigin {
    /** A new caller. */
    NEW,
    /** Transferred into this queue (by an agent or an IVR). */
    TRANSFERRED,
    /** Overflowed from another queue. */
    OVERFLOW,
    /** Put back after a CTI restart, from what the caller's channel remembers; not a new offered call. */
    RESTORED,
    /**
     * A caller who asked to be called back, waiting without a phone call in their old place; not a new
     * offered call. When an agent takes it, the customer is dialled.
     */
    CALLBACK
}
