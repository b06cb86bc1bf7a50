package org.asteriskcti.server.control;

import java.util.EnumSet;
import java.util.Set;

/**
 * An attended transfer (consultation), from the transferring agent's point of view:
 * <pre>
 *   RINGING_TARGET ──target answers──> TALKING_TO_TARGET <──swap──> TALKING_TO_CUSTOMER
 *        │                                  │  │                        │  │
 *        │ busy / no answer / target gone   │  └──complete / conference─┘  │
 *        └──────────────> (customer back) ──┴──cancel / target hangs up────┘
 * </pre>
 * The customer is HELD (music) while the agent talks to the target and the other way round after a
 * swap. Terminal outcomes are not states: the consultation is dropped and the parties are where the
 * outcome put them.
 */
public enum TransferState {
    RINGING_TARGET, TALKING_TO_TARGET, TALKING_TO_CUSTOMER;

    private Set<TransferState> next() {
        return switch (this) {
            case RINGING_TARGET -> EnumSet.of(TALKING_TO_TARGET);
            case TALKING_TO_TARGET -> EnumSet.of(TALKING_TO_CUSTOMER);
            case TALKING_TO_CUSTOMER -> EnumSet.of(TALKING_TO_TARGET);
        };
    }

    public boolean canGo(TransferState to) {
        return next().contains(to);
    }
}
