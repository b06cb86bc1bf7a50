package org.asteriskcti.server.recording;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** Typed id: one call recording. Random (128 bits), so that nobody finds a recording by guessing. */
public record RecordingId(String value) implements Comparable<RecordingId> {

    private static final SecureRandom RANDOM = new SecureRandom();

    public RecordingId {
        Objects.requireNonNull(value, "RecordingId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("RecordingId must not be blank");
        }
    }

    public static RecordingId of(String value) {
        return new RecordingId(value);
    }

    /** A new id: {@code rec-} and 22 URL-safe characters. */
    public static RecordingId random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new RecordingId("rec-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    @Override
    public int compareTo(RecordingId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
