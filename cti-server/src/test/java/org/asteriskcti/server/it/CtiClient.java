package org.asteriskcti.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A test client of the CTI's client API: logs in over REST, opens WebSockets and records every text
 * frame as JSON, with queries made for awaitility ({@code await().until(() -> ws.event(...).isPresent())}).
 */
final class CtiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final String token;
    private final JsonNode user;

    private CtiClient(URI base, HttpClient http, String token, JsonNode user) {
        this.base = base;
        this.http = http;
        this.token = token;
        this.user = user;
    }

    /** {@code POST /api/v1/auth/login} with {"username","password"}; fails unless 200 with a token. */
    static CtiClient login(URI base, String username, String password) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve("/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + username + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode j = parse(r.body());
        if (!j.path("token").isTextual()) {
            throw new AssertionError("login answer without a token: " + r.body());
        }
        return new CtiClient(base, http, j.get("token").asText(), j.path("user"));
    }

    /** {@code GET /health}: status code and body, whatever the status. */
    static Health health(URI base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve("/health"))
                .timeout(Duration.ofSeconds(5)).GET().build());
        return new Health(r.statusCode(), parse(r.body()));
    }

    /** The Prometheus text of {@code /metrics} (no login needed). */
    static String metrics(URI base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve("/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    record Health(int httpStatus, JsonNode body) {
        String status() {
            return body.path("status").asText();
        }

        String ami() {
            return body.path("asterisk").path("ami").asText();
        }

        String ari() {
            return body.path("asterisk").path("ari").asText();
        }

        @Override
        public String toString() {
            return httpStatus + " " + body;
        }
    }

    String token() {
        return token;
    }

    /** {@code GET path} with this user's token; the parsed body, or an AssertionError naming the status. */
    JsonNode get(String path) {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return parse(r.body());
    }

    /** {@code POST path} with a JSON body and this user's token; fails unless 200. */
    JsonNode post(String path, String json) {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        if (r.statusCode() != 200) {
            throw new AssertionError("POST " + path + " " + json + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return parse(r.body());
    }

    /** {@code POST path} with a JSON body; the status and the parsed body, whatever the status. */
    Answer postAnswer(String path, String json) {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        return new Answer(r.statusCode(), parse(r.body()));
    }

    record Answer(int status, JsonNode body) {}

    /** {@code GET path} as raw bytes with its status (downloads; error bodies are JSON bytes). */
    Bytes getBytes(String path) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Bytes(int status, String contentType, byte[] body) {
        JsonNode json() {
            return parse(new String(body, StandardCharsets.UTF_8));
        }
    }

    JsonNode user() {
        return user;
    }

    /** A new session. */
    Connection connect() {
        return open("");
    }

    /** Resumes a session: {@code &resume=<sessionId>&last_seq=<lastSeq>}. */
    Connection resume(String sessionId, long lastSeq) {
        return open("&resume=" + enc(sessionId) + "&last_seq=" + lastSeq);
    }

    private Connection open(String extra) {
        URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws?access_token=" + enc(token) + extra);
        Connection c = new Connection(ws);
        try {
            c.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(ws, c.listener).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot open " + ws.toString().replace(token, "<token>") + ": " + e, e);
        }
        return c;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    /** One WebSocket: every text frame received, in order. */
    static final class Connection implements AutoCloseable {
        private final URI uri;
        private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        private final CompletableFuture<String> closed = new CompletableFuture<>();
        private final Listener listener = new Listener();
        private volatile WebSocket socket;
        private int nextId = 1;

        private Connection(URI uri) {
            this.uri = uri;
        }

        /** Every frame so far. */
        List<JsonNode> frames() {
            return List.copyOf(frames);
        }

        /** The welcome frame, once it arrived. */
        Optional<JsonNode> welcome() {
            return frames.stream().filter(f -> "welcome".equals(f.path("type").asText())).findFirst();
        }

        /** Frames on the stream (those with a seq), in arrival order. */
        List<JsonNode> stream() {
            return frames.stream().filter(f -> f.has("seq")).collect(Collectors.toList());
        }

        List<Long> seqs() {
            return stream().stream().map(f -> f.get("seq").asLong()).collect(Collectors.toList());
        }

        long lastSeq() {
            return seqs().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** {@code type: event} frames with this event name ({@code call.updated}, {@code call.ended}, {@code sync}...). */
        List<JsonNode> events(String name) {
            return frames.stream()
                    .filter(f -> "event".equals(f.path("type").asText()) && name.equals(f.path("event").asText()))
                    .collect(Collectors.toList());
        }

        /** The first event with this name whose data matches. */
        Optional<JsonNode> event(String name, Predicate<JsonNode> data) {
            return events(name).stream().filter(f -> data.test(f.path("data"))).findFirst();
        }

        /** {@code type: snapshot} frames of a topic. */
        List<JsonNode> snapshots(String topic) {
            return frames.stream()
                    .filter(f -> "snapshot".equals(f.path("type").asText()) && topic.equals(f.path("topic").asText()))
                    .collect(Collectors.toList());
        }

        Optional<JsonNode> reply(String id) {
            return frames.stream().filter(f -> "reply".equals(f.path("type").asText()) && id.equals(f.path("id").asText()))
                    .findFirst();
        }

        /** Sends {@code {"type":"subscribe","id":<n>,"topics":[...]}} and returns the id. */
        String subscribe(String... topics) {
            String id = Integer.toString(nextId++);
            ObjectNode m = JSON.createObjectNode().put("type", "subscribe").put("id", id);
            m.putArray("topics").addAll(List.of(topics).stream().map(JSON.getNodeFactory()::textNode).toList());
            send(m.toString());
            return id;
        }

        void send(String text) {
            try {
                socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("cannot send " + text + ": " + e, e);
            }
        }

        boolean isClosed() {
            return closed.isDone();
        }

        /** How the connection ended ("1000 bye", "aborted", "error: ..."), once it has. */
        Optional<String> closeReason() {
            return Optional.ofNullable(closed.getNow(null));
        }

        /** Drops the TCP connection without a close handshake (a network failure, as the server sees it). */
        void abort() {
            WebSocket s = socket;
            if (s != null) {
                s.abort();
            }
            closed.complete("aborted");
        }

        @Override
        public void close() {
            WebSocket s = socket;
            if (s != null && !closed.isDone()) {
                try {
                    s.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    s.abort();
                }
            }
            closed.complete("closed by the test");
        }

        /** Everything received, one frame a line, for failure messages. */
        String dump() {
            List<String> lines = new ArrayList<>();
            for (JsonNode f : frames) {
                String s = f.toString();
                lines.add(s.length() > 600 ? s.substring(0, 600) + "..." : s);
            }
            return uri.getPath() + " (" + frames.size() + " frames, " + closeReason().orElse("open") + ")\n  "
                    + String.join("\n  ", lines);
        }

        @Override
        public String toString() {
            return dump();
        }

        private final class Listener implements WebSocket.Listener {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(parse(partial.toString()));
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete("error: " + error);
            }
        }
    }
}
