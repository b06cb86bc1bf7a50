package org.asteriskcti.server.voicemail;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of one caller leaving a message (one {@link VoicemailSession}):
 *
 * <pre>
 * GREETING  -> RECORDING (greeting over), ABANDONED (hung up during it)
 * RECORDING -> SAVING (Asterisk finished the file: '#', max length, silence, or the caller hung up), FAILED
 * SAVING    -> THANKING (the caller is still there), DONE
 * THANKING  -> DONE (the caller was hung up on after the thank-you, or hung up themselves)
 * DONE, ABANDONED, FAILED: final
 * </pre>
 *
 * A message too short to keep is discarded in SAVING; the session still ends through THANKING (a goodbye) or DONE.
 */
public enum VoicemailState {
    GREETING,
    RECORDING,
    SAVING,
    THANKING,
    DONE,
    ABANDONED,
    FAILED;

    private static final Map<VoicemailState, Set<VoicemailState>> ALLOWED = new EnumMap<>(VoicemailState.class);

    static {
        ALLOWED.put(GREETING, EnumSet.of(RECORDING, ABANDONED));
        ALLOWED.put(RECORDING, EnumSet.of(SAVING, FAILED));
        ALLOWED.put(SAVING, EnumSet.of(THANKING, DONE));
        ALLOWED.put(THANKING, EnumSet.of(DONE));
        for (VoicemailState end : EnumSet.of(DONE, ABANDONED, FAILED)) {
            ALLOWED.put(end, EnumSet.noneOf(VoicemailState.class));
        }
    }

    public boolean canMoveTo(VoicemailState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }
}
