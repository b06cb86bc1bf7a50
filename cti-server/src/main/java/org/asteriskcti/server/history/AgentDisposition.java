package org.asteriskcti.server.history;

/** How a call ended for one agent (the call's own outcome is {@link org.asteriskcti.server.call.Disposition}). */
public enum AgentDisposition {
    /** The agent was connected in the call. */
    ANSWERED,
    /** The agent's phone was offered the call (it rang) and the agent was never connected in it. */
    MISSED,
    /** The agent placed the call and was never connected: nobody answered (busy, no answer, or they gave up). */
    UNANSWERED
}
