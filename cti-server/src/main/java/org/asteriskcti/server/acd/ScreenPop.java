package org.asteriskcti.server.acd;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent's screen shows about a caller when their phone rings: the caller's number and name, and
 * what an IVR flow learnt before the queue (the caller's region, their language, every menu choice in
 * order, collected digits and lookup results as {@code data}). Travels with the queue entry through
 * requeues, overflows, transfers to a queue and CTI restarts.
 */
public record ScreenPop(String callerNumber, String callerName, Optional<String> region, Optional<String> language,
        List<Choice> choices, Map<String, String> data) {

    /** A key the caller pressed at an IVR node. */
    public record Choice(String node, String key) {
        public Choice {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(key, "key");
        }
    }

    public ScreenPop {
        callerNumber = callerNumber == null ? "" : callerNumber;
        callerName = callerName == null ? "" : callerName;
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(language, "language");
        choices = List.copyOf(choices);
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** Only who calls: a caller straight from a DID, or one whose IVR data is unknown. */
    public static ScreenPop caller(String number, String name) {
        return new ScreenPop(number, name, Optional.empty(), Optional.empty(), List.of(), Map.of());
    }

    public static final ScreenPop EMPTY = caller("", "");
}
