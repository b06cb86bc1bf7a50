package org.asteriskcti.server.acd;

import java.util.Objects;
import org.asteriskcti.server.domain.QueueId;

/** Where a caller goes when a queue is full or they waited its maximum. */
public sealed interface OverflowTarget {

    /** Another queue of the same tenant; the caller keeps their original arrival time there. */
    record ToQueue(QueueId queue) implements OverflowTarget {
        public ToQueue {
            Objects.requireNonNull(queue, "queue");
        }
    }

    /** A voicemail box (as the edge names it, e.g. {@code 1000@sales}). */
    record ToVoicemail(String mailbox) implements OverflowTarget {
        public ToVoicemail {
            requireText(mailbox, "mailbox");
        }
    }

    /** Play a prompt (a sound name) and hang up. */
    record HangupWithMessage(String prompt) implements OverflowTarget {
        public HangupWithMessage {
            requireText(prompt, "prompt");
        }
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("overflow " + what + " must not be blank");
        }
    }
}
