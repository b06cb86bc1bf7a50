package org.asteriskcti.server.ivr;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem in the IVR files: the file (relative to the IVR directory), the line, what it is about
 * ({@code node 'menu'}, {@code calendar 'office'}...) when it is about one thing, and what is wrong.
 * {@link #toString()} is the line an operator reads: {@code demo/main.yaml:12: node 'menu': ...}.
 */
public record IvrError(String file, int line, Optional<String> subject, String message) {

    public IvrError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + subject.map(s -> s + ": ").orElse("") + message;
    }
}
