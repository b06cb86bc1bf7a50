package org.asteriskcti.server.call;

/** How an ended call ended. */
public enum Disposition {
    /** Two of its legs were connected at some point. */
    ANSWERED,
    /** Never connected, and the caller who started it hung up (gave up waiting or ringing). */
    ABANDONED,
    /** Never connected otherwise: busy, no answer, rejected, failed, or an originated leg refused. */
    UNANSWERED,
    /** Its legs turned out to belong to another call (Asterisk propagated a Linkedid) and moved there. */
    MERGED
}
