package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One recorded ARI trace from {@code src/test/resources/traces}: the WebSocket frames of each connection exactly
 * as received ({@code <name>.events.jsonl}, or {@code <name>.ws1.events.jsonl}, {@code .ws2...} for ari-12) and
 * the REST exchanges ({@code <name>.rest.jsonl}).
 */
final class TraceFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded REST exchange. {@code query} holds the parameters as sent. */
    record Exchange(int index, String method, String path, Map<String, String> query, JsonNode requestBody,
            int status, String contentType, JsonNode responseBody) {}

    private final String name;
    private final List<List<String>> connections;
    private final List<Exchange> exchanges;

    private TraceFiles(String name, List<List<String>> connections, List<Exchange> exchanges) {
        this.name = name;
        this.connections = connections;
        this.exchanges = exchanges;
    }

    static TraceFiles load(String name) {
        List<List<String>> conns = new ArrayList<>();
        List<String> single = readLines("/traces/" + name + ".events.jsonl");
        if (single != null) {
            conns.add(single);
        } else {
            for (int i = 1; ; i++) {
                List<String> ws = readLines("/traces/" + name + ".ws" + i + ".events.jsonl");
                if (ws == null) {
                    break;
                }
                conns.add(ws);
            }
        }
        if (conns.isEmpty()) {
            throw new IllegalArgumentException("no events file for trace " + name);
        }
        List<Exchange> rest = new ArrayList<>();
        List<String> restLines = readLines("/traces/" + name + ".rest.jsonl");
        if (restLines != null) {
            for (String line : restLines) {
                rest.add(exchange(rest.size(), line));
            }
        }
        return new TraceFiles(name, Collections.unmodifiableList(conns), Collections.unmodifiableList(rest));
    }

    String name() {
        return name;
    }

    /** Frames of WebSocket connection {@code index} (0-based), exactly as recorded. */
    List<String> frames(int index) {
        return index < connections.size() ? connections.get(index) : List.of();
    }

    int connectionCount() {
        return connections.size();
    }

    List<Exchange> exchanges() {
        return exchanges;
    }

    /** The first frame (of any connection) with this type, for single-frame translator tests. */
    String firstFrame(String type) {
        return nthFrame(type, 0);
    }

    String nthFrame(String type, int n) {
        int seen = 0;
        for (List<String> frames : connections) {
            for (String f : frames) {
                if (type.equals(typeOf(f))) {
                    if (seen++ == n) {
                        return f;
                    }
                }
            }
        }
        throw new IllegalArgumentException(name + " has no " + type + " #" + n);
    }

    /** The frame at 1-based line {@code line} of connection 0 (line numbers as in the .jsonl file). */
    String line(int line) {
        return connections.get(0).get(line - 1);
    }

    static String typeOf(String frame) {
        try {
            return JSON.readTree(frame).path("type").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Exchange exchange(int index, String line) {
        try {
            JsonNode n = JSON.readTree(line);
            Map<String, String> query = new LinkedHashMap<>();
            n.path("query").properties().forEach(e -> query.put(e.getKey(), e.getValue().asText()));
            JsonNode req = n.get("request_body");
            JsonNode resp = n.get("response_body");
            JsonNode ct = n.get("content_type");
            return new Exchange(index, n.path("method").asText(), n.path("path").asText(), query,
                    req == null || req.isNull() ? null : req, n.path("status").asInt(),
                    ct == null || ct.isNull() ? null : ct.asText(), resp == null || resp.isNull() ? null : resp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(String resource) {
        InputStream in = TraceFiles.class.getResourceAsStream(resource);
        if (in == null) {
            return null;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
