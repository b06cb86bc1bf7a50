package org.asteriskcti.server.voicemail;

import java.util.Objects;

/**
 * Where the caller came from when they were sent to voicemail: a queue's overflow or an IVR flow's
 * {@code voicemail:} node.
 *
 * @param id the queue's or the flow's id
 */
public record Origin(Kind kind, String id) {

    public enum Kind {
        /** A queue overflowed (max wait, or full). */
        QUEUE,
        /** An IVR flow's voicemail node (e.g. closed hours). */
        FLOW
    }

    public Origin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an origin names its queue or flow");
        }
    }

    public static Origin queue(String queue) {
        return new Origin(Kind.QUEUE, queue);
    }

    public static Origin flow(String flow) {
        return new Origin(Kind.FLOW, flow);
    }

    /** {@code QUEUE:support}, {@code FLOW:main}: the form kept on the channel. */
    public String encode() {
        return kind.name() + ":" + id;
    }

    /** @throws IllegalArgumentException for text that is not {@link #encode()}'s */
    public static Origin decode(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not an origin (KIND:id): '" + text + "'");
        }
        return new Origin(Kind.valueOf(text.substring(0, colon)), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
    }
}
