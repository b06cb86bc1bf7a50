package org.asteriskcti.server.agent;

/** What made an agent change state. Every transition carries one (see {@link Cause}). */
public enum TransitionCause {
    LOGIN,
    AGENT_REQUEST,
    FORCED_BY_SUPERVISOR,
    OFFERED,
    /** The agent asked for a call ringing elsewhere or waiting in a queue (pickup). */
    PICKUP,
    OFFER_ANSWERED,
    /** The caller hung up, or the entry left the queue, while the agent's phone rang. */
    OFFER_CANCELLED,
    OFFER_REJECTED,
    RING_NO_ANSWER,
    RING_BUSY,
    RING_FAILED,
    CALL_ENDED,
    WRAP_UP_TIMER,
    WRAP_UP_ENDED,
    PHONE_OFFLINE,
    OTHER_CALL_STARTED,
    OTHER_CALL_ENDED,
    /** A CTI restart found the agent's ACD call still up on Asterisk and gave it back to them. */
    RESTORED
}
