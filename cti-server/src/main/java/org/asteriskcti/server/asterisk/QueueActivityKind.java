package org.asteriskcti.server.asterisk;

/** app_queue events as seen over AMI. */
public enum QueueActivityKind {
    CALLER_JOINED,
    CALLER_LEFT,
    CALLER_ABANDONED,
    AGENT_CALLED,
    AGENT_CONNECTED,
    AGENT_COMPLETED,
    AGENT_RING_NO_ANSWER
}
