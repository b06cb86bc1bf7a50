package org.asteriskcti.server.recording;

import java.util.Objects;

/** A change of a recording, for the client API: what happened and the recording after it. */
public record RecordingEvent(Kind kind, RecordingView recording) {

    public enum Kind {
        STARTED,
        PAUSED,
        RESUMED,
        /** Its agents changed (another agent joined the call). */
        UPDATED,
        /** It ended, whatever the reason (status STOPPED or FAILED). */
        STOPPED
    }

    public RecordingEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recording, "recording");
    }
}
