package org.asteriskcti.server.survey;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one customer is in the post-call survey.
 *
 * <pre>
 *   ASKING ──question said──> WAITING_KEY ──timeout / invalid key, tries left──> ASKING
 *     │  └─invalid key, tries left─> ASKING                │
 *     └──key 1..5, or no tries left──> THANKING <──────────┘ key 1..5, or no tries left
 *   THANKING ──thanks said──> DONE (we hang up)
 *   any ──the customer hangs up──> DONE
 * </pre>
 */
public enum SurveyState {
    /** The question is being said (a key now counts: barge-in). */
    ASKING,
    /** The question was said; a timer runs for the key. */
    WAITING_KEY,
    /** The outcome is known and logged; the thank-you is being said, keys are ignored. */
    THANKING,
    /** Over: hung up by us or by the customer. */
    DONE;

    private Set<SurveyState> next() {
        return switch (this) {
            case ASKING -> EnumSet.of(ASKING, WAITING_KEY, THANKING, DONE);
            case WAITING_KEY -> EnumSet.of(ASKING, THANKING, DONE);
            case THANKING -> EnumSet.of(DONE);
            case DONE -> EnumSet.noneOf(SurveyState.class);
        };
    }

    public boolean canGo(SurveyState to) {
        return next().contains(to);
    }
}
