package org.asteriskcti.server.asterisk.ari;

import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of {@code POST /channels|bridges/{id}/record}. Null fields are not sent (Asterisk's default).
 *
 * @param name        the recording's name: live recording id, then the stored file {@code name.format}
 * @param format      e.g. {@code wav}
 * @param beep        play a beep first
 * @param terminateOn DTMF that stops the recording: {@code none}, {@code any}, {@code *}, {@code #}
 */
public record RecordOptions(String name, String format, Duration maxDuration, Duration maxSilence, IfExists ifExists,
        Boolean beep, String terminateOn) {

    /** What Asterisk does when a stored recording with that name exists. */
    public enum IfExists {
        FAIL("fail"),
        OVERWRITE("overwrite"),
        APPEND("append");

        private final String wire;

        IfExists(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public RecordOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
    }

    public static RecordOptions of(String name, String format) {
        return new RecordOptions(name, format, null, null, null, null, null);
    }

    public RecordOptions withIfExists(IfExists value) {
        return new RecordOptions(name, format, maxDuration, maxSilence, value, beep, terminateOn);
    }

    public RecordOptions withBeep(boolean value) {
        return new RecordOptions(name, format, maxDuration, maxSilence, ifExists, value, terminateOn);
    }

    public RecordOptions withMaxDuration(Duration value) {
        return new RecordOptions(name, format, value, maxSilence, ifExists, beep, terminateOn);
    }

    public RecordOptions withMaxSilence(Duration value) {
        return new RecordOptions(name, format, maxDuration, value, ifExists, beep, terminateOn);
    }

    public RecordOptions withTerminateOn(String value) {
        return new RecordOptions(name, format, maxDuration, maxSilence, ifExists, beep, value);
    }
}
