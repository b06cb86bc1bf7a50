package org.asteriskcti.server.call;

public enum Direction {
    /** A customer (not an agent phone) started it. */
    INBOUND,
    /** An agent phone started it (or it was originated on one) towards a non-agent. */
    OUTBOUND,
    /** Agent phone to agent phone. */
    INTERNAL
}
