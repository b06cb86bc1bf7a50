package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;

/**
 * One parsed events-socket frame: its {@code type}, the JSON tree, the text exactly as received, and when.
 *
 * @param asteriskTime the frame's {@code timestamp}; null when absent or unreadable
 */
record AriFrame(String type, JsonNode json, String raw, Instant asteriskTime, Instant receivedAt,
        long receivedNanos) {

    EventMeta meta() {
        return new EventMeta(Source.ARI, asteriskTime, receivedAt, receivedNanos);
    }

    /** The frame's {@code timestamp} text, "" when absent. */
    String timestampText() {
        return AriJson.text(json, "timestamp");
    }
}
