package org.asteriskcti.server.voicemail;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** Typed id: one voicemail message. Random (128 bits), so that nobody finds a message by guessing. */
public record VoicemailId(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public VoicemailId {
        Objects.requireNonNull(value, "VoicemailId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("VoicemailId must not be blank");
        }
    }

    public static VoicemailId of(String value) {
        return new VoicemailId(value);
    }

    /** A new id: {@code vm-} and 22 URL-safe characters. */
    public static VoicemailId random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new VoicemailId("vm-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    @Override
    public String toString() {
        return value;
    }
}
