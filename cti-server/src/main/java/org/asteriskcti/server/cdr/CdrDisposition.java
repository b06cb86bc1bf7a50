package org.asteriskcti.server.cdr;

/**
 * How a call ended, as its detail record says (docs/reports.md, "Call detail records"). Decided once, when
 * the record is finished, in this order: the first that applies wins.
 */
public enum CdrDisposition {
    /** Two of its legs were connected at some point (an agent, or whoever was dialled, answered). */
    ANSWERED,
    /** Never answered, and the caller left a voicemail message. */
    VOICEMAIL,
    /** Never answered, and the caller asked to be called back from a queue. */
    CALLBACK,
    /** Never answered; the caller hung up in a queue within the queue's short-abandon threshold. */
    SHORT_ABANDON,
    /** Never answered; the caller hung up in a queue, or (without a queue) while it rang or in an IVR. */
    ABANDONED,
    /** Never answered; the last queue sent the caller on (max wait, queue full) and nobody answered after. */
    OVERFLOWED,
    /** Never answered: a leg failed in the network (Q.850 cause unallocated number, congestion, out of order...). */
    FAILED,
    /** Never answered otherwise: busy, no answer, rejected, an originate refused. */
    UNANSWERED
}
