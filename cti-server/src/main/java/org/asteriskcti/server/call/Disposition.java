package org.asteriskcti.server.call;

/** How an ended call ended. */
public enum Disposition {
    /** Two of its legs were connected at some point. */
    ANSWERED,
    /** Never connected, and the originating party hung up (gave up waiting or ringing). */
    ABANDONED,
    /** Never connected, and the call was ended by Asterisk (busy, no answer, failed). */
    UNANSWERED,
    /** Its legs turned out to belong to another call (Asterisk propagated a Linkedid) and moved there. */
    MERGED
}
