package org.asteriskcti.server.ivr;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an {@link IvrSession} stands within its current node, with the complete table of allowed
 * transitions ({@link IvrSession} refuses the rest). Nodes that decide at once (hours, area, set,
 * branch) have no state of their own: the session passes through them within one input.
 *
 * <pre>
 * STARTING       -> PLAYING, WAITING_DIGITS, LOOKING_UP, FINISHED   (the entry or resume node)
 * PLAYING        -> PLAYING (next node's prompts), WAITING_DIGITS (prompts over, or barge-in),
 *                   LOOKING_UP, FINISHED
 * WAITING_DIGITS -> PLAYING (a choice, or a retry's prompts), WAITING_DIGITS (a node with nothing to say),
 *                   LOOKING_UP, FINISHED
 * LOOKING_UP     -> PLAYING, WAITING_DIGITS, LOOKING_UP, FINISHED   (result or failure: the next node)
 * FINISHED       final: handed over, hung up, or the caller hung up
 * </pre>
 */
public enum IvrState {
    STARTING,
    PLAYING,
    WAITING_DIGITS,
    LOOKING_UP,
    FINISHED;

    private static final Map<IvrState, Set<IvrState>> ALLOWED = new EnumMap<>(IvrState.class);

    static {
        Set<IvrState> moving = EnumSet.of(PLAYING, WAITING_DIGITS, LOOKING_UP, FINISHED);
        ALLOWED.put(STARTING, moving);
        ALLOWED.put(PLAYING, moving);
        ALLOWED.put(WAITING_DIGITS, moving);
        ALLOWED.put(LOOKING_UP, moving);
        ALLOWED.put(FINISHED, EnumSet.noneOf(IvrState.class));
    }

    public boolean canGoTo(IvrState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return this == FINISHED;
    }
}
