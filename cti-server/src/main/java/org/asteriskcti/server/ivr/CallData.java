package org.asteriskcti.server.ivr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the IVR learnt about a caller, handed over with the call (the agent's screen pop): the caller's
 * number, their region (area node), the language (language node, or the route's), every menu choice
 * in order, and the variables: collected digits, {@code lookup.<field>} results, {@code set} values,
 * {@code menu.<node>} keys.
 */
public record CallData(String caller, Optional<String> region, String language, List<MenuChoice> choices,
        Map<String, String> vars) {

    /** A key the caller pressed at a menu or language node. */
    public record MenuChoice(NodeId node, String key) {}

    public CallData {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(language, "language");
        choices = List.copyOf(choices);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /** A variable by name: {@code caller}, {@code region}, {@code language}, or one of {@link #vars()}. */
    public Optional<String> get(String name) {
        return switch (name) {
            case "caller" -> Optional.of(caller);
            case "region" -> region;
            case "language" -> Optional.of(language);
            default -> Optional.ofNullable(vars.get(name));
        };
    }
}
