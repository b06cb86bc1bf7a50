package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/** ARI JSON → our records, shared by the REST client and the event translator. Tolerant: missing text is "". */
final class AriJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Asterisk writes {@code 2026-11-23T08:55:51.261+0000}; also accept {@code +00:00}, {@code Z}, no fraction. */
    private static final DateTimeFormatter ARI_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private AriJson() {}

    /** Parses an ARI timestamp; null when absent or unreadable (the caller falls back to the receive time). */
    static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim(), ARI_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The field's text, "" when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** The field's text, null when absent, null or empty. */
    static String textOrNull(JsonNode node, String field) {
        String s = text(node, field);
        return s.isEmpty() ? null : s;
    }

    /** The field's int, null when absent or not a number. */
    static Integer intOrNull(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.intValue();
        }
        try {
            return Integer.parseInt(v.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The object field, or null when absent or not an object. */
    static JsonNode object(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isObject() ? v : null;
    }

    static List<String> strings(JsonNode node, String field) {
        return list(node, field, s -> s);
    }

    static <T> List<T> list(JsonNode node, String field, Function<String, T> f) {
        JsonNode v = node == null ? null : node.get(field);
        List<T> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isNull() && !e.asText().isEmpty()) {
                    out.add(f.apply(e.asText()));
                }
            }
        }
        return out;
    }

    /** An ARI Channel object. Throws IllegalArgumentException without an {@code id}. */
    static ChannelSnapshot channel(JsonNode c) {
        if (c == null || !c.isObject()) {
            throw new IllegalArgumentException("channel object missing");
        }
        String id = text(c, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("channel without id");
        }
        JsonNode dialplan = object(c, "dialplan");
        return new ChannelSnapshot(ChannelId.of(id), text(c, "name"), ChannelState.parse(text(c, "state")),
                party(object(c, "caller")), party(object(c, "connected")), null, text(dialplan, "context"),
                text(dialplan, "exten"), text(c, "accountcode"), text(c, "language"),
                parseTime(text(c, "creationtime")), channelVars(object(c, "channelvars")));
    }

    /** ari.conf {@code channelvars}: a flat object of name → value; values that are not text are skipped. */
    static java.util.Map<String, String> channelVars(JsonNode vars) {
        if (vars == null) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        vars.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().asText().isEmpty()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    static Party party(JsonNode p) {
        return p == null ? Party.EMPTY : new Party(text(p, "number"), text(p, "name"));
    }

    /** An ARI Bridge object. Throws IllegalArgumentException without an {@code id}. */
    static BridgeSnapshot bridge(JsonNode b) {
        if (b == null || !b.isObject()) {
            throw new IllegalArgumentException("bridge object missing");
        }
        String id = text(b, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("bridge without id");
        }
        return new BridgeSnapshot(BridgeId.of(id), text(b, "bridge_type"), text(b, "technology"),
                text(b, "creator"), text(b, "name"), list(b, "channels", ChannelId::of));
    }

    /** The id of an embedded object ({@code channel}, {@code peer}...), null when absent. */
    static ChannelId channelIdOrNull(JsonNode node, String field) {
        String id = text(object(node, field), "id");
        return id.isEmpty() ? null : ChannelId.of(id);
    }

    /**
     * The document with object keys sorted, so two frames that differ only in key order (ARI's order is not
     * stable) give the same text.
     */
    static String canonical(JsonNode node) {
        StringBuilder sb = new StringBuilder(256);
        writeCanonical(node, sb);
        return sb.toString();
    }

    private static void writeCanonical(JsonNode node, StringBuilder sb) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                sorted.put(e.getKey(), e.getValue());
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(quote(e.getKey())).append(':');
                writeCanonical(e.getValue(), sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeCanonical(node.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(node.toString());
        }
    }

    private static String quote(String s) {
        return MAPPER.getNodeFactory().textNode(s).toString();
    }
}
