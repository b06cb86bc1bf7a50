package org.asteriskcti.server.voicemail;

/**
 * Where the IVR and the ACD send a caller to leave a message ({@link VoicemailService#leave}); from then on
 * the voicemail owns the channel. Called on the domain loop.
 */
@FunctionalInterface
public interface VoicemailEntry {
    void leave(VoicemailRequest request);
}
