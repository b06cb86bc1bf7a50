package org.asteriskcti.server.ivr;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.domain.TenantId;

/**
 * Where a caller is in a flow and what the flow has learnt of them, kept on their channel (the channel
 * variable {@code CTI_IVR_POSITION}) so that a restarted CTI can resume them where they were, with their
 * menu choices, collected digits and lookup results (the screen pop) intact.
 *
 * <p>URL form, the keys in this order: {@code t} tenant, {@code f} flow, {@code v} flow version, {@code n}
 * node, {@code lang}, then optionally {@code r} region, {@code ch} the choices as
 * {@code node:key,node:key}, and one {@code d.<name>} per variable. For example
 * {@code t=acme&f=main&v=3fa9c2e1b0d4&n=billing&lang=fr&ch=lang:2,menu:1&d.menu.menu=1}.
 */
public record IvrPosition(TenantId tenant, FlowId flow, String version, NodeId node, String language,
        Optional<String> region, List<CallData.MenuChoice> choices, Map<String, String> vars) {

    public IvrPosition {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(region, "region");
        choices = List.copyOf(choices);
        vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /** A position with nothing learnt yet. */
    public static IvrPosition at(TenantId tenant, FlowId flow, String version, NodeId node, String language) {
        return new IvrPosition(tenant, flow, version, node, language, Optional.empty(), List.of(), Map.of());
    }

    public String encode() {
        StringBuilder b = new StringBuilder();
        put(b, "t", tenant.value());
        put(b, "f", flow.value());
        put(b, "v", version);
        put(b, "n", node.value());
        put(b, "lang", language);
        region.ifPresent(r -> put(b, "r", r));
        if (!choices.isEmpty()) {
            StringBuilder ch = new StringBuilder();
            for (CallData.MenuChoice c : choices) {
                ch.append(ch.length() == 0 ? "" : ",").append(c.node().value()).append(':').append(c.key());
            }
            put(b, "ch", ch.toString());
        }
        vars.forEach((k, v) -> put(b, "d." + k, v));
        return b.toString();
    }

    private static void put(StringBuilder b, String key, String value) {
        b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /**
     * The position a channel variable holds; empty when it is unset or blank (a caller who left the flow).
     *
     * @throws IllegalArgumentException naming what is wrong when the text is not a position
     */
    public static Optional<IvrPosition> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : text.strip().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + pair + "' is not key=value in IVR position " + text);
            }
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        for (String key : List.of("t", "f", "v", "n", "lang")) {
            if (m.getOrDefault(key, "").isEmpty()) {
                throw new IllegalArgumentException("'" + key + "' missing in IVR position " + text);
            }
        }
        List<CallData.MenuChoice> choices = new ArrayList<>();
        String ch = m.getOrDefault("ch", "");
        if (!ch.isEmpty()) {
            for (String c : ch.split(",")) {
                int colon = c.lastIndexOf(':');
                if (colon <= 0 || colon == c.length() - 1) {
                    throw new IllegalArgumentException("choice '" + c + "' is not node:key in IVR position " + text);
                }
                choices.add(new CallData.MenuChoice(NodeId.of(c.substring(0, colon)), c.substring(colon + 1)));
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("d.") && k.length() > 2) {
                vars.put(k.substring(2), v);
            }
        });
        try {
            return Optional.of(new IvrPosition(TenantId.of(m.get("t")), FlowId.of(m.get("f")), m.get("v"),
                    NodeId.of(m.get("n")), m.get("lang"), Optional.ofNullable(m.get("r")), choices, vars));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in IVR position " + text, e);
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + flow + "@" + version + ":" + node + ";lang=" + language;
    }
}
