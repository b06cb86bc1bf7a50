package org.asteriskcti.server.voicemail;

/** A stored message's state. */
public enum MessageState {
    /**
     * Being recorded: stored before Asterisk starts recording, so that a CTI restart finds it (and finishes it
     * from Asterisk's file). Never listed to clients.
     */
    RECORDING,
    /** Complete, nobody has marked it heard yet. */
    NEW,
    /** A supervisor marked it heard (who and when are kept). */
    HEARD
}
