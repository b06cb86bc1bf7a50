package org.asteriskcti.server.api;

import java.nio.charset.StandardCharsets;

/**
 * One stream message serialised once and shared by every session that receives it: the UTF-8 bytes
 * of its JSON object after the opening brace. A session's frame is {@code {"seq":N,} + these bytes,
 * so fan-out to N sessions copies nothing but the short prefix.
 */
public final class StreamBody {
    private final byte[] tail;

    private StreamBody(byte[] tail) {
        this.tail = tail;
    }

    /** {@code json} must be a JSON object text: {@code {"v":1,...}}. */
    public static StreamBody of(String json) {
        if (json.length() < 2 || json.charAt(0) != '{') {
            throw new IllegalArgumentException("not a JSON object: " + json);
        }
        return new StreamBody(json.substring(1).getBytes(StandardCharsets.UTF_8));
    }

    /** Shared, never modified: callers must not write into it. */
    byte[] tail() {
        return tail;
    }

    static byte[] prefix(long seq) {
        return ("{\"seq\":" + seq + ",").getBytes(StandardCharsets.US_ASCII);
    }

    /** The full frame text (tests, logs). */
    public String text(long seq) {
        return "{\"seq\":" + seq + "," + new String(tail, StandardCharsets.UTF_8);
    }

    public int size() {
        return tail.length;
    }
}
