package org.asteriskcti.server.voicemail;

/** Told, on the domain loop, of what happens to complete messages (the client API publishes it). */
public interface VoicemailListener {

    /** A new message was stored (NEW). */
    void added(VoicemailMessage message);

    /** A message changed (marked HEARD). */
    void updated(VoicemailMessage message);

    /** A message was deleted (its row and its file). */
    void deleted(VoicemailMessage message);

    VoicemailListener NONE = new VoicemailListener() {
        @Override
        public void added(VoicemailMessage message) {}

        @Override
        public void updated(VoicemailMessage message) {}

        @Override
        public void deleted(VoicemailMessage message) {}
    };
}
