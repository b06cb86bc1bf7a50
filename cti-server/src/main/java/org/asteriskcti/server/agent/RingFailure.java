package org.asteriskcti.server.agent;

/** Why an ACD offer to an agent's phone ended without an answer, as reported by the edge. */
public enum RingFailure {
    /** The phone was busy. The agent goes NOT_READY("phone busy"), or ON_OTHER when a call is known. */
    BUSY,
    /** Rang until the ring timeout. The agent goes NOT_READY("no answer"). */
    NO_ANSWER,
    /** The agent declined this call. They stay READY, but get this caller again only after the others. */
    REJECTED,
    /** Asterisk could not ring the phone. The agent goes NOT_READY("ring failed"). */
    FAILED
}
