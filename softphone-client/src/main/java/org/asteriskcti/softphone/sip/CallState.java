package org.asteriskcti.softphone.sip;

import java.util.EnumSet;
import java.util.Set;

/**
 * A call's lifecycle on the phone.
 * <pre>
 * IDLE ─┬─> RINGING_IN ──(answer)──────────────┐
 *       └─> DIALLING ──(180/183)──> ALERTING ──┴─(200)─> CONNECTED <──> HELD
 * every state but IDLE ──> ENDED (hang-up, reject, cancel, failure)
 * </pre>
 */
public enum CallState {
    IDLE,
    /** An INVITE came in; we sent 180 Ringing. */
    RINGING_IN,
    /** We sent an INVITE; no ringing yet. */
    DIALLING,
    /** The far end rings (180) or plays early media (183). */
    ALERTING,
    CONNECTED,
    /** Held by us, by the far end, or both. */
    HELD,
    ENDED;

    private Set<CallState> next() {
        return switch (this) {
            case IDLE -> EnumSet.of(RINGING_IN, DIALLING);
            case RINGING_IN -> EnumSet.of(CONNECTED, ENDED);
            case DIALLING -> EnumSet.of(ALERTING, CONNECTED, ENDED);
            case ALERTING -> EnumSet.of(CONNECTED, ENDED);
            case CONNECTED -> EnumSet.of(HELD, ENDED);
            case HELD -> EnumSet.of(CONNECTED, ENDED);
            case ENDED -> EnumSet.noneOf(CallState.class);
        };
    }

    public boolean canMoveTo(CallState target) {
        return next().contains(target);
    }

    /** Whether the call has a confirmed dialog with media. */
    public boolean established() {
        return this == CONNECTED || this == HELD;
    }
}
