package org.asteriskcti.server.recording;

/** Told of every recording change, on the domain loop, after the change (the client API publishes them). */
@FunctionalInterface
public interface RecordingListener {

    void recordingChanged(RecordingEvent event);

    RecordingListener NONE = e -> { };
}
