package org.asteriskcti.softphone.cti;

/** The desktop's link to the CTI server, as the agent sees it. */
public enum ConnectionStatus {
    /** The stream is up: the model is live. */
    CONNECTED,
    /** The link dropped (or is being opened again): the model shows the last known state, commands wait. */
    RECONNECTING,
    /** Not connected and not trying: signed out, or the server refused the credentials. */
    OFFLINE
}
