package org.asteriskcti.server.ivr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node that waits for the caller's keys (menu, collect, language) asks and retries.
 *
 * <p>The prompts are played; with {@code bargeIn} a key pressed during them stops them and counts.
 * After the prompts the caller has {@code timeout} to press (for collect: between keys). A wrong
 * entry or a timeout is one failure; the caller gets {@code retries} more tries (the invalid or
 * timeout prompt, then the prompts again). After the last failure the caller goes to
 * {@code onInvalid} or {@code onTimeout} (after whichever kind the last failure was), or is hung up
 * when that target is not set.
 */
public record DigitInput(List<Prompt> prompts, Duration timeout, int retries, List<Prompt> invalidPrompts,
        List<Prompt> timeoutPrompts, boolean bargeIn, Optional<NodeId> onInvalid, Optional<NodeId> onTimeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 2;

    public DigitInput {
        prompts = List.copyOf(prompts);
        invalidPrompts = List.copyOf(invalidPrompts);
        timeoutPrompts = List.copyOf(timeoutPrompts);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(onInvalid, "onInvalid");
        Objects.requireNonNull(onTimeout, "onTimeout");
        if (retries < 0) {
            throw new IllegalArgumentException("retries < 0");
        }
    }
}
