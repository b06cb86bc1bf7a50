package org.asteriskcti.softphone.phone;

import java.util.concurrent.CompletableFuture;

/**
 * The agent's SIP phone as the desktop needs it. The CTI server rings this phone for ACD offers and controls the
 * call itself (hang up, hold, transfer... go through the CTI); only answering happens here. The SIP library
 * (org.asteriskcti.softphone.sip) implements it; until it is wired in, {@link NoPhone} stands in.
 */
public interface Phone {

    /** Whether this phone can answer calls at all (registered with Asterisk). */
    boolean available();

    /** One line for the status bar, e.g. "SIP 1001@pbx registered" or why there is none. */
    String describe();

    /** Answers the call ringing on this phone; fails with a message naming why it could not. */
    CompletableFuture<Void> answer();
}
