package org.asteriskcti.server.control;

import java.util.EnumSet;
import java.util.Set;

/**
 * A party's life in a conversation:
 * <pre>
 *   DIALLING ──answer──> CONNECTED <──unhold── HELD
 *      │                    │  └───hold──────────^
 *      └──fail/cancel──> GONE <──hangup/kick─────┘
 * </pre>
 * CONNECTED means in the conversation's mixing bridge; HELD means out of it, hearing music on hold.
 */
public enum PartyState {
    DIALLING, CONNECTED, HELD, GONE;

    private Set<PartyState> next() {
        return switch (this) {
            case DIALLING -> EnumSet.of(CONNECTED, GONE);
            case CONNECTED -> EnumSet.of(HELD, GONE);
            case HELD -> EnumSet.of(CONNECTED, GONE);
            case GONE -> EnumSet.noneOf(PartyState.class);
        };
    }

    public boolean canGo(PartyState to) {
        return next().contains(to);
    }

    public boolean present() {
        return this == CONNECTED || this == HELD;
    }
}
