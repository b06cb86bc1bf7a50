package org.asteriskcti.server.control;

import java.util.EnumSet;
import java.util.Set;

/**
 * A monitoring session's life:
 * <pre>
 *   RINGING_SUPERVISOR ──answer──> CONNECTING ──mode up──> ACTIVE ──switch──> SWITCHING
 *          │                           │                    │   ^──new mode up──┘  │
 *          └──no answer, busy──> ENDED <──┴── stop, hangup, call ended, failure ──┴──┘
 * </pre>
 * CONNECTING: the supervisor answered, the first mode is being set up (they hear nothing yet).
 * SWITCHING: the previous mode goes on until the new one is up (no gap); a failed switch goes back to
 * ACTIVE in the previous mode.
 */
public enum MonitorState {
    RINGING_SUPERVISOR, CONNECTING, ACTIVE, SWITCHING, ENDED;

    private Set<MonitorState> next() {
        return switch (this) {
            case RINGING_SUPERVISOR -> EnumSet.of(CONNECTING, ENDED);
            case CONNECTING -> EnumSet.of(ACTIVE, ENDED);
            case ACTIVE -> EnumSet.of(SWITCHING, ENDED);
            case SWITCHING -> EnumSet.of(ACTIVE, ENDED);
            case ENDED -> EnumSet.noneOf(MonitorState.class);
        };
    }

    public boolean canGo(MonitorState to) {
        return next().contains(to);
    }
}
