package org.asteriskcti.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed, path-aware view of a YAML node. Reading a key marks it used; {@link #finish()} reports
 * keys nobody read (typos) as errors. Every error names the key's full path and where its value came
 * from, and errors are collected so one run reports all of them.
 */
final class ConfigNode {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    private final JsonNode node;
    private final String path;
    private final Origins origins;
    private final List<String> errors;
    private final Set<String> read = new HashSet<>();

    /** Tells where the value at a path came from (a file, or an environment variable). */
    interface Origins {
        String of(String path);
    }

    ConfigNode(JsonNode node, String path, Origins origins, List<String> errors) {
        this.node = node;
        this.path = path;
        this.origins = origins;
        this.errors = errors;
    }

    String path() {
        return path;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String at(String key) {
        String p = child(key);
        return origins.of(p) + ": key '" + p + "'";
    }

    void error(String key, String message) {
        errors.add(at(key) + " " + message);
    }

    /** Whether {@code key} holds one value (text, number...) rather than a list or a mapping. */
    boolean isValue(String key) {
        return has(key) && node.get(key).isValueNode();
    }

    boolean has(String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    private JsonNode raw(String key) {
        read.add(key);
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    String string(String key, String fallback) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode()) {
            error(key, "must be a text value, got " + kind(v));
            return fallback;
        }
        return v.asText();
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            if (node == null || !node.has(key) || node.get(key).isNull()) {
                error(key, "is required");
            } else if (s != null) {
                error(key, "must not be blank");
            }
            return "";
        }
        return s;
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        int value;
        if (v.isInt()) {
            value = v.intValue();
        } else if (v.isTextual() && v.asText().trim().matches("-?\\d+")) {
            try {
                value = Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException e) {
                error(key, "must be a whole number, got '" + v.asText() + "'");
                return fallback;
            }
        } else {
            error(key, "must be a whole number, got '" + v.asText() + "'");
            return fallback;
        }
        if (value < min || value > max) {
            error(key, "must be between " + min + " and " + max + ", got " + value);
            return fallback;
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String s = v.asText().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("yes")) {
            return true;
        }
        if (s.equals("false") || s.equals("no")) {
            return false;
        }
        error(key, "must be true or false, got '" + v.asText() + "'");
        return fallback;
    }

    /** Durations are written {@code 500ms}, {@code 4s}, {@code 2m}, {@code 12h}, {@code 1d}. */
    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(v.asText().trim());
        if (!v.isValueNode() || !m.matches()) {
            error(key, "must be a duration like 500ms, 4s, 2m, 12h or 1d, got '" + v.asText() + "'");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            error(key, "must be between " + fmt(min) + " and " + fmt(max) + ", got '" + v.asText() + "'");
            return fallback;
        }
        return d;
    }

    /** Sizes in bytes, written {@code 65536}, {@code 64KiB}, {@code 1MiB}. */
    int size(String key, int fallback, int min, int max) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(v.asText().trim());
        if (!v.isValueNode() || !m.matches()) {
            error(key, "must be a size like 65536, 64KiB or 1MiB, got '" + v.asText() + "'");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long bytes = switch (unit) {
            case "KiB" -> n * 1024;
            case "MiB" -> n * 1024 * 1024;
            case "GiB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
        if (bytes < min || bytes > max) {
            error(key, "must be between " + min + " and " + max + " bytes, got '" + v.asText() + "'");
            return fallback;
        }
        return (int) bytes;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim().replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        error(key, "must be one of " + names + ", got '" + s + "'");
        return fallback;
    }

    List<String> strings(String key) {
        JsonNode v = raw(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            error(key, "must be a list, got " + kind(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isValueNode() || e.asText().isBlank()) {
                errors.add(origins.of(child(key)) + ": key '" + child(key) + "[" + i + "]' must be a non-blank text value");
            } else {
                out.add(e.asText());
            }
        }
        return out;
    }

    /**
     * A mapping of names to whole numbers within {@code min..max}, like {@code skills: {sales: 5}}.
     * Errors name the entry ({@code queues[0].skills.sales}); names differing only in case are one name.
     */
    Map<String, Integer> levels(String key, int min, int max) {
        JsonNode v = raw(key);
        Map<String, Integer> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            error(key, "must be a mapping of name: level, got " + kind(v));
            return out;
        }
        ConfigNode map = new ConfigNode(v, child(key), origins, errors);
        Set<String> seen = new HashSet<>();
        Iterator<String> names = v.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.isBlank()) {
                map.error(name, "must not be a blank name");
                continue;
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                map.error(name, "repeats a name already given in another case (names ignore case)");
                continue;
            }
            JsonNode level = v.get(name);
            if (level.isNull()) {
                map.error(name, "must be a level from " + min + " to " + max);
                continue;
            }
            int n = map.integer(name, Integer.MIN_VALUE, min, max);
            if (n != Integer.MIN_VALUE) {
                out.put(name, n);
            }
        }
        return out;
    }

    ConfigNode object(String key) {
        JsonNode v = raw(key);
        if (v != null && !v.isObject()) {
            error(key, "must be a mapping of keys, got " + kind(v));
            v = null;
        }
        return new ConfigNode(v, child(key), origins, errors);
    }

    <T> List<T> list(String key, Function<ConfigNode, T> reader) {
        JsonNode v = raw(key);
        List<T> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            error(key, "must be a list, got " + kind(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = child(key) + "[" + i + "]";
            if (!e.isObject()) {
                errors.add(origins.of(child(key)) + ": key '" + p + "' must be a mapping of keys, got " + kind(e));
                continue;
            }
            ConfigNode item = new ConfigNode(e, p, q -> origins.of(child(key)), errors);
            out.add(reader.apply(item));
            item.finish();
        }
        return out;
    }

    /** Reports keys present in the YAML that nothing read. */
    void finish() {
        if (node == null) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!read.contains(n)) {
                errors.add(origins.of(child(n)) + ": unknown key '" + child(n) + "'");
            }
        }
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return "'" + v.asText() + "'";
    }

    private static String fmt(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.toSeconds() + "s";
    }
}
