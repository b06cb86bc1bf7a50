package org.asteriskcti.softphone.cti;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.asteriskcti.protocol.Welcome;

/**
 * What the stream delivers, in stream order, on the client's delivery executor (the UI thread in the app). Frames
 * arrive exactly once each and without gaps: duplicates after a resume are dropped by the client, a gap makes it
 * resume (the server then replays or sends snapshots).
 */
public interface StreamListener {

    /** A connection was (re)established. {@code w.resumed()} false with a resume asked: a new session, snapshots follow. */
    default void welcome(Welcome w) {}

    /** The state of a topic replaces what the listener knew of it. */
    void snapshot(String topic, JsonNode data);

    /** A change on the stream. */
    void event(String event, List<String> topics, JsonNode data);

    /** The link changed; {@code detail} says why (for the status bar). */
    default void status(ConnectionStatus status, String detail) {}
}
