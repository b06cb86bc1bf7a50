package org.asteriskcti.server.call;

import java.util.EnumSet;
import java.util.Set;

/**
 * A call's lifecycle, derived from its legs after every event:
 * <ul>
 *   <li>STARTED: legs exist, none is being dialled and no two are bridged (IVR, waiting in queue)</li>
 *   <li>RINGING: a leg is being dialled / alerting</li>
 *   <li>CONNECTED: two or more of its legs share a bridge</li>
 *   <li>ENDED: no live leg is left (terminal)</li>
 * </ul>
 * Transfers move a call back and forth between STARTED, RINGING and CONNECTED; nothing leaves ENDED.
 */
public enum CallState {
    STARTED,
    RINGING,
    CONNECTED,
    ENDED;

    public boolean canMoveTo(CallState next) {
        return allowed().contains(next);
    }

    private Set<CallState> allowed() {
        return switch (this) {
            case STARTED -> EnumSet.of(RINGING, CONNECTED, ENDED);
            case RINGING -> EnumSet.of(STARTED, CONNECTED, ENDED);
            case CONNECTED -> EnumSet.of(STARTED, RINGING, ENDED);
            case ENDED -> EnumSet.noneOf(CallState.class);
        };
    }
}
