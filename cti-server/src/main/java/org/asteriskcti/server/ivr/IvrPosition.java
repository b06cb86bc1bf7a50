package org.asteriskcti.server.ivr;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a caller is in a flow, compact enough to keep on their channel (a channel variable) so that a
 * restarted CTI can resume them: {@code <flow>@<version>:<node>;lang=<language>}, for example
 * {@code main@3fa9c2e1b0d4:billing;lang=fr}.
 */
public record IvrPosition(FlowId flow, String version, NodeId node, String language) {

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]+)@([0-9a-f]+):([A-Za-z0-9_-]+);lang=([A-Za-z0-9_-]+)");

    public IvrPosition {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(language, "language");
    }

    public String encode() {
        return flow + "@" + version + ":" + node + ";lang=" + language;
    }

    /** The position a channel variable holds; empty when it is not one (unset, or written by someone else). */
    public static Optional<IvrPosition> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new IvrPosition(FlowId.of(m.group(1)), m.group(2), NodeId.of(m.group(3)), m.group(4)));
    }

    @Override
    public String toString() {
        return encode();
    }
}
