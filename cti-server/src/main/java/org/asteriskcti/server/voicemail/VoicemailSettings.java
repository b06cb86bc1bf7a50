package org.asteriskcti.server.voicemail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.asteriskcti.server.config.CtiConfig;

/**
 * How messages are recorded ({@code voicemail} in the configuration).
 *
 * @param maxDuration the longest message; Asterisk ends the recording there
 * @param minDuration shorter messages are discarded (a caller hanging up at the beep); zero keeps everything
 * @param maxSilence  this much silence ends the message (the silence is cut off); zero: never
 * @param greeting    sounds played before the beep, e.g. {@code vm-intro}
 * @param thanks      sounds played after a message was stored, before the CTI hangs up
 */
public record VoicemailSettings(Duration maxDuration, Duration minDuration, Duration maxSilence, List<String> greeting,
        List<String> thanks) {

    /** The key that ends a message (the greeting {@code vm-intro} says so). */
    public static final char END_KEY = '#';
    /** What a caller still there hears when their message was too short to keep. */
    public static final List<String> NOT_KEPT = List.of("vm-goodbye");

    public VoicemailSettings {
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(minDuration, "minDuration");
        Objects.requireNonNull(maxSilence, "maxSilence");
        greeting = List.copyOf(greeting);
        thanks = List.copyOf(thanks);
        if (minDuration.compareTo(maxDuration) >= 0) {
            throw new IllegalArgumentException("min duration " + minDuration + " must be shorter than max duration "
                    + maxDuration);
        }
    }

    /** The defaults of cti-defaults.yaml. */
    public static VoicemailSettings defaults() {
        return new VoicemailSettings(Duration.ofMinutes(3), Duration.ofSeconds(1), Duration.ofSeconds(10),
                List.of("vm-intro"), List.of("vm-msgsaved", "vm-goodbye"));
    }

    public static VoicemailSettings from(CtiConfig.Voicemail v) {
        return new VoicemailSettings(v.maxDuration(), v.minDuration(), v.maxSilence(), v.greeting(), v.thanks());
    }
}
