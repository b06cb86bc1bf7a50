package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARI REST calls on {@link java.net.http.HttpClient}. Every method returns at once with a future; nothing blocks
 * the caller. Futures complete on the HTTP client's executor, so the domain hops back onto its own thread
 * ({@code thenAcceptAsync(..., domainExecutor)}). Failures complete the future with {@link AriException}.
 *
 * <p>Parameters go in the query string as the traces show (Asterisk 22 accepts them there); the only JSON body
 * is originate's {@code variables}. Every path segment and query value is percent-encoded.
 */
public final class AriClient {

    private static final Logger log = LoggerFactory.getLogger(AriClient.class);

    private final AriSettings settings;
    private final HttpClient http;
    private final String authorization;
    private final String basePath;

    /** Builds its own HTTP/1.1 client (Asterisk's HTTP server speaks 1.1 only) on daemon threads. */
    public AriClient(AriSettings settings) {
        this(settings, defaultHttpClient(settings));
    }

    public AriClient(AriSettings settings, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.authorization = basicAuth(settings.username(), settings.password());
        this.basePath = settings.baseUrl().getRawPath() == null ? "" : settings.baseUrl().getRawPath();
    }

    public AriSettings settings() {
        return settings;
    }

    /** The HTTP client, shared with {@link AriEventsConnector} for the events WebSocket. */
    HttpClient httpClient() {
        return http;
    }

    /** The {@code Authorization: Basic ...} header value. */
    String authorizationHeader() {
        return authorization;
    }

    // ---------------------------------------------------------------- asterisk, applications

    public CompletableFuture<AriAsteriskInfo> asteriskInfo() {
        return call("GET", path("asterisk", "info"), Map.of(), null, AriClient::asteriskInfoOf);
    }

    /** {@code GET /applications/{app}} for our own app. */
    public CompletableFuture<AriApplication> getApplication() {
        return getApplication(settings.app());
    }

    public CompletableFuture<AriApplication> getApplication(String app) {
        return call("GET", path("applications", app), Map.of(), null, AriClient::applicationOf);
    }

    /** {@code POST /applications/{app}/subscription?eventSource=a,b}, e.g. {@code endpoint:PJSIP/1001}. */
    public CompletableFuture<AriApplication> subscribe(String app, List<String> eventSources) {
        return call("POST", path("applications", app, "subscription"), eventSourceQuery(eventSources), null,
                AriClient::applicationOf);
    }

    public CompletableFuture<AriApplication> unsubscribe(String app, List<String> eventSources) {
        return call("DELETE", path("applications", app, "subscription"), eventSourceQuery(eventSources), null,
                AriClient::applicationOf);
    }

    // ---------------------------------------------------------------- endpoints

    /** {@code GET /endpoints}: {@code technology/resource} (e.g. {@code PJSIP/1001}) → state ({@code online}, {@code offline}, {@code unknown}). */
    public CompletableFuture<Map<String, String>> listEndpoints() {
        return call("GET", path("endpoints"), Map.of(), null, body -> {
            Map<String, String> out = new LinkedHashMap<>();
            if (body != null && body.isArray()) {
                for (com.fasterxml.jackson.databind.JsonNode e : body) {
                    out.put(e.path("technology").asText("") + "/" + e.path("resource").asText(""),
                            e.path("state").asText("unknown"));
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- channels

    public CompletableFuture<List<ChannelSnapshot>> listChannels() {
        return call("GET", path("channels"), Map.of(), null, body -> listOf(body, AriJson::channel));
    }

    public CompletableFuture<ChannelSnapshot> getChannel(ChannelId channel) {
        return call("GET", path("channels", channel.value()), Map.of(), null, AriJson::channel);
    }

    /** Originates a channel into a Stasis app; completes with the new channel (state Down) on 200. */
    public CompletableFuture<ChannelSnapshot> originate(OriginateRequest request) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("endpoint", request.endpoint());
        q.put("app", request.app());
        if (!request.appArgs().isEmpty()) {
            q.put("appArgs", String.join(",", request.appArgs()));
        }
        putIf(q, "callerId", request.callerId());
        if (request.timeout() != null) {
            q.put("timeout", Long.toString(request.timeout().toSeconds()));
        }
        putIf(q, "channelId", idOf(request.channelId()));
        putIf(q, "otherChannelId", idOf(request.otherChannelId()));
        putIf(q, "originator", idOf(request.originator()));
        String body = null;
        if (!request.variables().isEmpty()) {
            ObjectNode root = AriJson.MAPPER.createObjectNode();
            ObjectNode vars = root.putObject("variables");
            request.variables().forEach(vars::put);
            body = root.toString();
        }
        return call("POST", path("channels"), q, body, AriJson::channel);
    }

    public CompletableFuture<Void> answer(ChannelId channel) {
        return callVoid("POST", path("channels", channel.value(), "answer"), Map.of());
    }

    /** {@code DELETE /channels/{id}} with Asterisk's default cause (16, Normal Clearing). */
    public CompletableFuture<Void> hangup(ChannelId channel) {
        return callVoid("DELETE", path("channels", channel.value()), Map.of());
    }

    /** {@code DELETE /channels/{id}?reason=...}; keep your own reason too: the events cannot tell (ari-10). */
    public CompletableFuture<Void> hangup(ChannelId channel, HangupReason reason) {
        return callVoid("DELETE", path("channels", channel.value()), Map.of("reason", reason.wire()));
    }

    /** {@code DELETE /channels/{id}?reason_code=<Q.850 cause>}. */
    public CompletableFuture<Void> hangupWithCause(ChannelId channel, int q850Cause) {
        return callVoid("DELETE", path("channels", channel.value()),
                Map.of("reason_code", Integer.toString(q850Cause)));
    }

    /**
     * {@code POST /channels/{id}/continue}: the channel leaves our Stasis application and goes on in
     * the dialplan at {@code context,extension,priority} (Asterisk 22 accepts the three as query
     * parameters; a null one keeps the channel's current value).
     */
    public CompletableFuture<Void> continueInDialplan(ChannelId channel, String context, String extension,
            Integer priority) {
        Map<String, String> q = new java.util.LinkedHashMap<>();
        if (context != null) {
            q.put("context", context);
        }
        if (extension != null) {
            q.put("extension", extension);
        }
        if (priority != null) {
            q.put("priority", String.valueOf(priority));
        }
        return callVoid("POST", path("channels", channel.value(), "continue"), q);
    }

    public CompletableFuture<Void> hold(ChannelId channel) {
        return callVoid("POST", path("channels", channel.value(), "hold"), Map.of());
    }

    public CompletableFuture<Void> unhold(ChannelId channel) {
        return callVoid("DELETE", path("channels", channel.value(), "hold"), Map.of());
    }

    /** Music on hold on one channel; {@code mohClass} null for the default class. */
    public CompletableFuture<Void> startChannelMoh(ChannelId channel, String mohClass) {
        return callVoid("POST", path("channels", channel.value(), "moh"), optional("mohClass", mohClass));
    }

    public CompletableFuture<Void> stopChannelMoh(ChannelId channel) {
        return callVoid("DELETE", path("channels", channel.value(), "moh"), Map.of());
    }

    public CompletableFuture<Void> mute(ChannelId channel, AriMediaDirection direction) {
        return callVoid("POST", path("channels", channel.value(), "mute"), directionQuery(direction));
    }

    public CompletableFuture<Void> unmute(ChannelId channel, AriMediaDirection direction) {
        return callVoid("DELETE", path("channels", channel.value(), "mute"), directionQuery(direction));
    }

    /**
     * Sends DTMF <em>to</em> the phone (no event comes back).
     *
     * @param durationMs per digit; null for Asterisk's default (100 ms)
     */
    public CompletableFuture<Void> sendDtmf(ChannelId channel, String dtmf, Integer durationMs) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("dtmf", Objects.requireNonNull(dtmf, "dtmf"));
        if (durationMs != null) {
            q.put("duration", durationMs.toString());
        }
        return callVoid("POST", path("channels", channel.value(), "dtmf"), q);
    }

    public CompletableFuture<Void> setChannelVariable(ChannelId channel, String name, String value) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("variable", Objects.requireNonNull(name, "name"));
        q.put("value", value == null ? "" : value);
        return callVoid("POST", path("channels", channel.value(), "variable"), q);
    }

    /** The variable's value; Asterisk answers 404 for an unknown channel. */
    public CompletableFuture<String> getChannelVariable(ChannelId channel, String name) {
        return call("GET", path("channels", channel.value(), "variable"), Map.of("variable", name), null,
                body -> AriJson.text(body, "value"));
    }

    /**
     * {@code POST /channels/{id}/snoop}: a {@code Snoop/...} channel that enters {@code app} with its own
     * StasisStart. {@code spy} = audio we hear, {@code whisper} = audio we inject.
     */
    public CompletableFuture<ChannelSnapshot> snoop(ChannelId channel, AriMediaDirection spy,
            AriMediaDirection whisper, String app, List<String> appArgs, ChannelId snoopId) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("spy", (spy == null ? AriMediaDirection.NONE : spy).wire());
        q.put("whisper", (whisper == null ? AriMediaDirection.NONE : whisper).wire());
        q.put("app", Objects.requireNonNull(app, "app"));
        if (appArgs != null && !appArgs.isEmpty()) {
            q.put("appArgs", String.join(",", appArgs));
        }
        putIf(q, "snoopId", idOf(snoopId));
        return call("POST", path("channels", channel.value(), "snoop"), q, null, AriJson::channel);
    }

    // ---------------------------------------------------------------- bridges

    public CompletableFuture<List<BridgeSnapshot>> listBridges() {
        return call("GET", path("bridges"), Map.of(), null, body -> listOf(body, AriJson::bridge));
    }

    public CompletableFuture<BridgeSnapshot> getBridge(BridgeId bridge) {
        return call("GET", path("bridges", bridge.value()), Map.of(), null, AriJson::bridge);
    }

    /**
     * {@code POST /bridges?type=...&bridgeId=...&name=...}.
     *
     * @param type Asterisk's bridge type list, e.g. {@code mixing}, {@code holding}, {@code mixing,dtmf_events}
     */
    public CompletableFuture<BridgeSnapshot> createBridge(BridgeId bridge, String type, String name) {
        Map<String, String> q = new LinkedHashMap<>();
        putIf(q, "type", type);
        putIf(q, "bridgeId", idOf(bridge));
        putIf(q, "name", name);
        return call("POST", path("bridges"), q, null, AriJson::bridge);
    }

    public CompletableFuture<Void> destroyBridge(BridgeId bridge) {
        return callVoid("DELETE", path("bridges", bridge.value()), Map.of());
    }

    /** Also moves a channel that sits in another bridge (ari-09: no removeChannel needed). */
    public CompletableFuture<Void> addChannel(BridgeId bridge, ChannelId channel) {
        return callVoid("POST", path("bridges", bridge.value(), "addChannel"), Map.of("channel", channel.value()));
    }

    public CompletableFuture<Void> removeChannel(BridgeId bridge, ChannelId channel) {
        return callVoid("POST", path("bridges", bridge.value(), "removeChannel"),
                Map.of("channel", channel.value()));
    }

    /** Bridge MOH; it stops by itself when the last channel leaves, after which stop gives 409 CONFLICT. */
    public CompletableFuture<Void> startBridgeMoh(BridgeId bridge, String mohClass) {
        return callVoid("POST", path("bridges", bridge.value(), "moh"), optional("mohClass", mohClass));
    }

    public CompletableFuture<Void> stopBridgeMoh(BridgeId bridge) {
        return callVoid("DELETE", path("bridges", bridge.value(), "moh"), Map.of());
    }

    // ---------------------------------------------------------------- playbacks

    /**
     * @param media      e.g. {@code sound:queue-youarenext}
     * @param lang       null for the channel's language
     * @param playbackId our id, recommended (events carry it)
     */
    public CompletableFuture<AriPlayback> playOnChannel(ChannelId channel, String media, String lang,
            String playbackId) {
        return call("POST", path("channels", channel.value(), "play"), playQuery(media, lang, playbackId), null,
                AriClient::playbackOf);
    }

    public CompletableFuture<AriPlayback> playOnBridge(BridgeId bridge, String media, String lang,
            String playbackId) {
        return call("POST", path("bridges", bridge.value(), "play"), playQuery(media, lang, playbackId), null,
                AriClient::playbackOf);
    }

    public CompletableFuture<Void> stopPlayback(String playbackId) {
        return callVoid("DELETE", path("playbacks", playbackId), Map.of());
    }

    // ---------------------------------------------------------------- recordings

    public CompletableFuture<AriLiveRecording> recordChannel(ChannelId channel, RecordOptions options) {
        return call("POST", path("channels", channel.value(), "record"), recordQuery(options), null,
                AriClient::recordingOf);
    }

    public CompletableFuture<AriLiveRecording> recordBridge(BridgeId bridge, RecordOptions options) {
        return call("POST", path("bridges", bridge.value(), "record"), recordQuery(options), null,
                AriClient::recordingOf);
    }

    public CompletableFuture<AriLiveRecording> getLiveRecording(String name) {
        return call("GET", path("recordings", "live", name), Map.of(), null, AriClient::recordingOf);
    }

    public CompletableFuture<Void> stopRecording(String name) {
        return callVoid("POST", path("recordings", "live", name, "stop"), Map.of());
    }

    /** Pause leaves the span out of the file (ari-11: 4 s file for 6 s wall time). */
    public CompletableFuture<Void> pauseRecording(String name) {
        return callVoid("POST", path("recordings", "live", name, "pause"), Map.of());
    }

    public CompletableFuture<Void> unpauseRecording(String name) {
        return callVoid("DELETE", path("recordings", "live", name, "pause"), Map.of());
    }

    /** Mute writes silence and keeps the timeline (ari-11); it cannot be seen in the recording's state. */
    public CompletableFuture<Void> muteRecording(String name) {
        return callVoid("POST", path("recordings", "live", name, "mute"), Map.of());
    }

    public CompletableFuture<Void> unmuteRecording(String name) {
        return callVoid("DELETE", path("recordings", "live", name, "mute"), Map.of());
    }

    public CompletableFuture<Void> deleteStoredRecording(String name) {
        return callVoid("DELETE", path("recordings", "stored", name), Map.of());
    }

    /**
     * {@code GET /recordings/stored/{name}/file}: the stored recording's audio (ari-11: 200 {@code audio/wav}),
     * as a stream. Completes once Asterisk answered with the headers; the caller reads the body from
     * {@link AriStoredFile#body()} and must close it. An error status completes exceptionally with an
     * {@link AriException} (404: no such stored recording).
     */
    public CompletableFuture<AriStoredFile> storedRecordingFile(String name) {
        String method = "GET";
        URI uri = uri(path("recordings", "stored", name, "file"), Map.of());
        String rawPath = uri.getRawPath();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Authorization", authorization)
                .GET()
                .build();
        log.debug("ARI {} {}", method, uri);
        CompletableFuture<HttpResponse<java.io.InputStream>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new AriException(0, AriException.Kind.UNAVAILABLE, describe(e), method, rawPath, e));
        }
        return sent.handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                String what = cause instanceof HttpTimeoutException
                        ? "timed out after " + settings.requestTimeout().toMillis() + " ms" : describe(cause);
                throw new AriException(0, AriException.Kind.UNAVAILABLE, what, method, rawPath, cause);
            }
            int status = response.statusCode();
            log.debug("ARI {} {} -> {}", method, rawPath, status);
            if (status < 200 || status > 299) {
                String body;
                try (java.io.InputStream in = response.body()) {
                    body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    body = "";
                }
                throw new AriException(status, AriException.Kind.ofStatus(status), errorMessage(body), method, rawPath,
                        null);
            }
            java.util.OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            String type = response.headers().firstValue("Content-Type").orElse("audio/wav");
            return new AriStoredFile(response.body(), length, type);
        });
    }

    // ---------------------------------------------------------------- transport

    private CompletableFuture<Void> callVoid(String method, String path, Map<String, String> query) {
        return call(method, path, query, null, body -> null);
    }

    private <T> CompletableFuture<T> call(String method, String path, Map<String, String> query, String jsonBody,
            Function<JsonNode, T> mapper) {
        URI uri = uri(path, query);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (jsonBody != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String rawPath = uri.getRawPath();
        log.debug("ARI {} {}", method, uri);
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new AriException(0, AriException.Kind.UNAVAILABLE, describe(e), method, rawPath, e));
        }
        return sent.handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                String what = cause instanceof HttpTimeoutException
                        ? "timed out after " + settings.requestTimeout().toMillis() + " ms"
                        : describe(cause);
                log.debug("ARI {} {} failed: {}", method, rawPath, what);
                throw new AriException(0, AriException.Kind.UNAVAILABLE, what, method, rawPath, cause);
            }
            return decode(method, rawPath, response, mapper);
        });
    }

    private <T> T decode(String method, String rawPath, HttpResponse<String> response, Function<JsonNode, T> mapper) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        log.debug("ARI {} {} -> {}", method, rawPath, status);
        if (status < 200 || status > 299) {
            throw new AriException(status, AriException.Kind.ofStatus(status), errorMessage(body), method, rawPath,
                    null);
        }
        try {
            JsonNode node = body.isBlank() ? null : AriJson.MAPPER.readTree(body);
            return mapper.apply(node);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new AriException(status, AriException.Kind.UNEXPECTED, "unreadable answer: " + describe(e),
                    method, rawPath, e);
        }
    }

    /** Asterisk's {@code {"message": "..."}}, else the body's start. */
    private static String errorMessage(String body) {
        if (body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = AriJson.MAPPER.readTree(body);
            if (node != null && node.isObject() && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: fall through to the text
        }
        String t = body.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder sb = new StringBuilder(settings.baseUrl().toString()).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return URI.create(sb.toString());
    }

    /** {@code /seg1/seg2...}, each segment percent-encoded (a {@code /} in an id becomes {@code %2F}). */
    private static String path(String... segments) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("empty path segment in " + String.join("/", segments));
            }
            sb.append('/').append(encode(s));
        }
        return sb.toString();
    }

    /** Percent-encoding (RFC 3986 style: space is {@code %20}, not {@code +}). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<String, String> optional(String key, String value) {
        return value == null || value.isEmpty() ? Map.of() : Map.of(key, value);
    }

    private static void putIf(Map<String, String> q, String key, String value) {
        if (value != null && !value.isEmpty()) {
            q.put(key, value);
        }
    }

    private static String idOf(Object id) {
        return id == null ? null : id.toString();
    }

    private static Map<String, String> eventSourceQuery(List<String> sources) {
        if (sources == null || sources.isEmpty()) {
            throw new IllegalArgumentException("at least one eventSource");
        }
        return Map.of("eventSource", String.join(",", sources));
    }

    private static Map<String, String> directionQuery(AriMediaDirection direction) {
        AriMediaDirection d = direction == null ? AriMediaDirection.BOTH : direction;
        if (d == AriMediaDirection.NONE) {
            throw new IllegalArgumentException("mute direction must be IN, OUT or BOTH");
        }
        return Map.of("direction", d.wire());
    }

    private static Map<String, String> playQuery(String media, String lang, String playbackId) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("media", Objects.requireNonNull(media, "media"));
        putIf(q, "lang", lang);
        putIf(q, "playbackId", playbackId);
        return q;
    }

    private static Map<String, String> recordQuery(RecordOptions o) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("name", o.name());
        q.put("format", o.format());
        if (o.maxDuration() != null) {
            q.put("maxDurationSeconds", Long.toString(o.maxDuration().toSeconds()));
        }
        if (o.maxSilence() != null) {
            q.put("maxSilenceSeconds", Long.toString(o.maxSilence().toSeconds()));
        }
        if (o.ifExists() != null) {
            q.put("ifExists", o.ifExists().wire());
        }
        if (o.beep() != null) {
            q.put("beep", o.beep().toString());
        }
        putIf(q, "terminateOn", o.terminateOn());
        return q;
    }

    private static <T> List<T> listOf(JsonNode body, Function<JsonNode, T> f) {
        if (body == null || !body.isArray()) {
            throw new IllegalArgumentException("expected a JSON array");
        }
        List<T> out = new ArrayList<>(body.size());
        for (JsonNode n : body) {
            out.add(f.apply(n));
        }
        return out;
    }

    private static JsonNode required(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return body;
    }

    static AriApplication applicationOf(JsonNode body) {
        JsonNode b = required(body);
        return new AriApplication(AriJson.text(b, "name"), AriJson.list(b, "channel_ids", ChannelId::of),
                AriJson.list(b, "bridge_ids", BridgeId::of), AriJson.strings(b, "endpoint_ids"),
                AriJson.strings(b, "device_names"));
    }

    private static AriPlayback playbackOf(JsonNode body) {
        JsonNode b = required(body);
        return new AriPlayback(AriJson.text(b, "id"), AriJson.text(b, "media_uri"), AriJson.text(b, "target_uri"),
                AriJson.text(b, "language"), AriJson.text(b, "state"));
    }

    private static AriLiveRecording recordingOf(JsonNode body) {
        JsonNode b = required(body);
        return new AriLiveRecording(AriJson.text(b, "name"), AriJson.text(b, "format"), AriJson.text(b, "state"),
                AriJson.text(b, "target_uri"));
    }

    private static AriAsteriskInfo asteriskInfoOf(JsonNode body) {
        JsonNode b = required(body);
        JsonNode system = AriJson.object(b, "system");
        JsonNode status = AriJson.object(b, "status");
        return new AriAsteriskInfo(AriJson.text(system, "version"), AriJson.text(system, "entity_id"),
                AriJson.parseTime(AriJson.text(status, "startup_time")),
                AriJson.parseTime(AriJson.text(status, "last_reload_time")));
    }

    /**
     * One line for logs and errors: the first real exception's class and the first message in its cause chain,
     * e.g. {@code ConnectException: connection refused or unreachable}, {@code IOException: Connection reset}.
     */
    static String describe(Throwable t) {
        Throwable top = t;
        while ((top instanceof CompletionException || top instanceof ExecutionException) && top.getCause() != null) {
            top = top.getCause();
        }
        String msg = null;
        for (Throwable c = top; c != null && msg == null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getMessage();
            }
        }
        if (msg == null && top instanceof ConnectException) {
            msg = "connection refused or unreachable";
        }
        String name = top.getClass().getSimpleName();
        return msg == null ? name : name + ": " + msg;
    }

    private static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpClient defaultHttpClient(AriSettings settings) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "ari-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService executor = Executors.newCachedThreadPool(tf);
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .executor(executor)
                .build();
    }
}
