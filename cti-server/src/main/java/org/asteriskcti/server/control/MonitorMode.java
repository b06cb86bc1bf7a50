package org.asteriskcti.server.control;

/** How a supervisor takes part in a call they monitor. */
public enum MonitorMode {
    /** Hears both sides of the agent's leg; nobody hears them (snoop, spy both). */
    LISTEN,
    /** Hears both sides and speaks to the agent only (snoop, spy both, whisper out). */
    WHISPER,
    /** In the call's bridge as a party: everyone hears them. */
    BARGE
}
