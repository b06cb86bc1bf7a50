package org.asteriskcti.server.control;

/** What a party is to the conversation. */
public enum Role {
    /** An agent's phone leg (originated by us, one per call). */
    AGENT,
    /** The customer: the inbound caller, or the number an agent dialled. */
    CUSTOMER,
    /** A third party brought in by a transfer or conference: another agent's phone or a number. */
    THIRD_PARTY,
    /** A supervisor barging in. */
    SUPERVISOR
}
