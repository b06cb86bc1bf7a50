package org.asteriskcti.server.acd;

/** How a queue picks among the READY agents who can take a caller (see {@link Distributor}). */
public enum Strategy {
    /** The agent idle the longest (oldest {@code idleSince}); ties by agent id. The default: fairest. */
    LONGEST_IDLE,
    /** The agent with the fewest calls handled today, then longest idle, then agent id. */
    LEAST_CALLS,
    /** The best skill match (sum of the agent's levels in the required skills), then longest idle, then id. */
    SKILLS
}
