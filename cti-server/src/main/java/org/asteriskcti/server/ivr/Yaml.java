package org.asteriskcti.server.ivr;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every key and value (Jackson's streaming
 * parser and its token locations), so the loader's errors can name lines. Duplicate keys are kept
 * aside for the loader to report, never silently merged.
 */
final class Yaml {

    private Yaml() {
    }

    /** A parsed value and the line (1-based) it starts on. */
    sealed interface Value permits Scalar, MapValue, ListValue {
        int line();

        String describe();
    }

    /** A scalar; {@code text} is null for an empty value ({@code key:} or {@code ~}). */
    record Scalar(String text, int line) implements Value {
        @Override
        public String describe() {
            return text == null ? "nothing" : "'" + text + "'";
        }
    }

    record Entry(String key, int line, Value value) {}

    /** A map; {@code duplicates} are the later entries of keys already seen (left out of entries). */
    record MapValue(Map<String, Entry> entries, List<Entry> duplicates, int line) implements Value {
        @Override
        public String describe() {
            return "a map";
        }
    }

    record ListValue(List<Value> items, int line) implements Value {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A YAML syntax error, with its line. */
    static final class SyntaxError extends Exception {
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    static Value parse(String text) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Scalar(null, 1);
            }
            return read(p);
        } catch (JsonProcessingException e) {
            throw new SyntaxError(e.getLocation() == null ? 1 : e.getLocation().getLineNr(),
                    "not valid YAML: " + e.getOriginalMessage().lines()
                            .filter(l -> !l.isBlank() && !l.strip().startsWith("in '") && !l.strip().startsWith("^"))
                            .map(String::strip).collect(java.util.stream.Collectors.joining("; ")));
        } catch (IOException e) {
            throw new SyntaxError(1, "cannot read: " + e.getMessage());
        }
    }

    private static Value read(JsonParser p) throws IOException, SyntaxError {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                List<Entry> duplicates = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    Value v = read(p);
                    if (entries.containsKey(key)) {
                        duplicates.add(new Entry(key, keyLine, v));
                    } else {
                        entries.put(key, new Entry(key, keyLine, v));
                    }
                }
                return new MapValue(Collections.unmodifiableMap(entries), List.copyOf(duplicates), line);
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p));
                }
                return new ListValue(List.copyOf(items), line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line);
            }
            default -> {
                return new Scalar(p.getText(), line);
            }
        }
    }
}
