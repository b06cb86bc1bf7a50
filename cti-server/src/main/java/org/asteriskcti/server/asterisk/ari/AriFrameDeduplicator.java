package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops exact duplicate frames. With the app subscribed to {@code endpoint:PJSIP/1001} <em>and</em> owning a
 * channel originated on 1001, Asterisk delivers many of that leg's events twice, as identical frames on the same
 * socket (ari-08, ari-10: Dial, ChannelStateChange, ChannelHangupRequest, ChannelDestroyed, ChannelVarset).
 *
 * <p>Rule: the key is (type, timestamp text, subject id, SHA-256 of the frame with its object keys sorted). The
 * subject id is the channel's (or Dial's peer's) id, else the bridge, playback, recording, device or endpoint
 * name. A frame whose key is among the last {@code window} keys is a duplicate. A frame that differs in anything
 * but key order (another variable, digit, state, another channel...) has another hash and is kept, even with the
 * same millisecond timestamp. In the traces the copies arrive at most 6 frames apart; the window is 256.
 *
 * <p>Not thread-safe: one instance per connection reader. {@link #reset()} on every new connection.
 */
final class AriFrameDeduplicator {

    static final int DEFAULT_WINDOW = 256;

    record Key(String type, String timestamp, String subject, long hashHigh, long hashLow) {}

    private final int window;
    private final LinkedHashMap<Key, Boolean> recent;

    AriFrameDeduplicator(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
        this.window = window;
        this.recent = new LinkedHashMap<>(window * 2, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > AriFrameDeduplicator.this.window;
            }
        };
    }

    /** True when an identical frame is in the window (the caller drops it); otherwise remembers this one. */
    boolean isDuplicate(AriFrame frame) {
        Key key = keyOf(frame);
        if (recent.containsKey(key)) {
            return true;
        }
        recent.put(key, Boolean.TRUE);
        return false;
    }

    void reset() {
        recent.clear();
    }

    static Key keyOf(AriFrame frame) {
        byte[] digest = sha256(AriJson.canonical(frame.json()));
        ByteBuffer bb = ByteBuffer.wrap(digest);
        return new Key(frame.type(), frame.timestampText(), subjectOf(frame.json()), bb.getLong(), bb.getLong());
    }

    private static String subjectOf(JsonNode json) {
        String id = AriJson.text(AriJson.object(json, "channel"), "id");
        if (!id.isEmpty()) {
            return "channel:" + id;
        }
        id = AriJson.text(AriJson.object(json, "peer"), "id");
        if (!id.isEmpty()) {
            return "channel:" + id;
        }
        id = AriJson.text(AriJson.object(json, "bridge"), "id");
        if (!id.isEmpty()) {
            return "bridge:" + id;
        }
        id = AriJson.text(AriJson.object(json, "playback"), "id");
        if (!id.isEmpty()) {
            return "playback:" + id;
        }
        id = AriJson.text(AriJson.object(json, "recording"), "name");
        if (!id.isEmpty()) {
            return "recording:" + id;
        }
        id = AriJson.text(AriJson.object(json, "device_state"), "name");
        if (!id.isEmpty()) {
            return "device:" + id;
        }
        JsonNode endpoint = AriJson.object(json, "endpoint");
        if (endpoint != null) {
            return "endpoint:" + AriJson.text(endpoint, "technology") + "/" + AriJson.text(endpoint, "resource");
        }
        return "";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
