package org.asteriskcti.server.acd;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A queue entry's lifecycle, with the complete table of allowed transitions ({@link QueueEntry}
 * refuses the rest with {@code acd.illegal_entry_transition}).
 *
 * <pre>
 * WAITING  -> OFFERING (agent, attempt), ABANDONED, OVERFLOWED (max wait / full), CALLBACK_REQUESTED
 * OFFERING -> CONNECTED (agent answered), WAITING (busy / no answer / rejected / withdrawn: next agent),
 *             ABANDONED (caller hung up while the agent's phone rang)
 * CONNECTED -> COMPLETED
 * COMPLETED, ABANDONED, OVERFLOWED, CALLBACK_REQUESTED: final
 * </pre>
 */
public enum EntryState {
    WAITING,
    OFFERING,
    CONNECTED,
    COMPLETED,
    ABANDONED,
    OVERFLOWED,
    CALLBACK_REQUESTED;

    private static final Map<EntryState, Set<EntryState>> ALLOWED = new EnumMap<>(EntryState.class);

    static {
        ALLOWED.put(WAITING, EnumSet.of(OFFERING, ABANDONED, OVERFLOWED, CALLBACK_REQUESTED));
        ALLOWED.put(OFFERING, EnumSet.of(CONNECTED, WAITING, ABANDONED));
        ALLOWED.put(CONNECTED, EnumSet.of(COMPLETED));
        for (EntryState end : EnumSet.of(COMPLETED, ABANDONED, OVERFLOWED, CALLBACK_REQUESTED)) {
            ALLOWED.put(end, EnumSet.noneOf(EntryState.class));
        }
    }

    public boolean canGoTo(EntryState next) {
        return ALLOWED.get(this).contains(next);
    }

    public Set<EntryState> next() {
        Set<EntryState> n = ALLOWED.get(this);
        return n.isEmpty() ? EnumSet.noneOf(EntryState.class) : EnumSet.copyOf(n);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** The caller is still in the queue (counted in positions and queue size). */
    public boolean inQueue() {
        return this == WAITING || this == OFFERING;
    }
}
