package org.asteriskcti.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.LoginResponse;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.CloseCodes;
import org.asteriskcti.server.config.CtiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP routes: {@code /health}, {@code /metrics}, REST under {@code /api/v1}, and the WebSocket
 * upgrade at {@code /ws}. Not sharable. Work that touches the domain runs on the domain loop; password
 * checks run on a small worker pool, never on the event loop.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
    private static final ObjectMapper JSON = Json.mapper();

    private final ApiContext api;

    HttpHandler(ApiContext api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            error(ctx, req, HttpResponseStatus.BAD_REQUEST, Protocol.Errors.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        String path = q.path();
        try {
            route(ctx, req, q, path);
        } catch (RuntimeException e) {
            log.error("{} {} failed", req.method(), path, e);
            error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, Protocol.Errors.INTERNAL, "internal error");
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String path) {
        switch (path) {
            case "/health" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    health(ctx, req);
                }
            }
            case "/metrics" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    respond(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", api.metrics().scrape());
                }
            }
            case Protocol.WS_PATH -> upgrade(ctx, req, q);
            case "/api/v1/auth/login" -> {
                if (only(ctx, req, HttpMethod.POST)) {
                    login(ctx, req);
                }
            }
            case "/api/v1/me" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    Principal p = authenticate(ctx, req);
                    if (p != null) {
                        json(ctx, req, HttpResponseStatus.OK, p.info());
                    }
                }
            }
            case "/api/v1/calls" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    Principal p = authenticate(ctx, req);
                    if (p != null) {
                        reply(ctx, req, api.rest().calls(p));
                    }
                }
            }
            case "/api/v1/agents" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    Principal p = authenticate(ctx, req);
                    if (p != null) {
                        domain(ctx, req, () -> Map.of("agents", api.hub().agents(p.tenant())));
                    }
                }
            }
            case "/api/v1/queues" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    Principal p = authenticate(ctx, req);
                    AcdApi acd = p == null ? null : acd(ctx, req);
                    if (acd != null) {
                        domain(ctx, req, () -> Map.of("queues", acd.queues(p)));
                    }
                }
            }
            case "/api/v1/not-ready-reasons" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    Principal p = authenticate(ctx, req);
                    AcdApi acd = p == null ? null : acd(ctx, req);
                    if (acd != null) {
                        domain(ctx, req, () -> Map.of("reasons", acd.notReadyReasons(p.tenant())));
                    }
                }
            }
            case "/api/v1/conversations" -> {
                if (only(ctx, req, HttpMethod.GET)) {
                    Principal p = authenticate(ctx, req);
                    ControlApi c = p == null ? null : control(ctx, req);
                    if (c != null) {
                        domain(ctx, req, () -> Map.of("conversations", c.conversations(p)));
                    }
                }
            }
            case "/wallboard" -> {
                if (onlyRead(ctx, req)) {
                    redirect(ctx, req, WallboardFiles.PREFIX);
                }
            }
            default -> {
                if (path.startsWith(WallboardFiles.PREFIX)) {
                    if (onlyRead(ctx, req)) {
                        wallboard(ctx, req, path.substring(WallboardFiles.PREFIX.length()));
                    }
                } else if (path.startsWith(CALL_CONTROL_PREFIX)) {
                    callCommand(ctx, req, path.substring(CALL_CONTROL_PREFIX.length()));
                } else if (path.startsWith(AGENTS_PREFIX)) {
                    agentRoute(ctx, req, path.substring(AGENTS_PREFIX.length()));
                } else if (path.equals(IVR_FLOWS) || path.equals(IVR_RELOAD)) {
                    ivrRoute(ctx, req, path);
                } else if (path.equals(VOICEMAIL) || path.startsWith(VOICEMAIL + "/")) {
                    voicemailRoute(ctx, req, q, path.substring(VOICEMAIL.length()));
                } else if (path.equals(CALL_RECORDS) || path.startsWith(CALL_RECORDS + "/")) {
                    callRecordRoute(ctx, req, q, path.substring(CALL_RECORDS.length()));
                } else if (path.startsWith(REPORTS_PREFIX)) {
                    reportRoute(ctx, req, q, path.substring(REPORTS_PREFIX.length()));
                } else if (path.equals(RECORDINGS) || path.startsWith(RECORDINGS + "/")) {
                    recordingRoute(ctx, req, q, path.substring(RECORDINGS.length()));
                } else if (path.startsWith(QUEUES_PREFIX) && path.length() > QUEUES_PREFIX.length()
                        && path.indexOf('/', QUEUES_PREFIX.length()) < 0) {
                    String id = path.substring(QUEUES_PREFIX.length());
                    if (only(ctx, req, HttpMethod.GET)) {
                        Principal p = authenticate(ctx, req);
                        AcdApi acd = p == null ? null : acd(ctx, req);
                        if (acd != null) {
                            domain(ctx, req, () -> acd.queue(p, id));
                        }
                    }
                } else {
                    error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + path);
                }
            }
        }
    }

    // ---- the wallboard's static files -----------------------------------------------------------------

    /**
     * GET or HEAD /wallboard/{name}. Revalidated on every load ({@code no-cache} with a strong ETag: a new
     * server version is picked up at once, an unchanged file costs a 304); nothing outside the folder is
     * reachable (see {@link WallboardFiles}).
     */
    private void wallboard(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
        java.util.Optional<WallboardFiles.File> file = api.wallboard().file(name);
        if (file.isEmpty()) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no wallboard file '" + name + "'");
            return;
        }
        WallboardFiles.File f = file.get();
        boolean unchanged = f.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean head = req.method().equals(HttpMethod.HEAD);
        ByteBuf body = unchanged || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.bytes());
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK, body);
        if (!unchanged) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, f.bytes().length);
        }
        r.headers().set(HttpHeaderNames.ETAG, f.etag());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        r.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().set("Referrer-Policy", "no-referrer");
        r.headers().set("Content-Security-Policy", WallboardFiles.CONTENT_SECURITY_POLICY);
        send(ctx, req, r);
    }

    private void redirect(ChannelHandlerContext ctx, FullHttpRequest req, String location) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        send(ctx, req, r);
    }

    /** GET or HEAD; otherwise answers 405. */
    private boolean onlyRead(ChannelHandlerContext ctx, FullHttpRequest req) {
        return req.method().equals(HttpMethod.HEAD) || only(ctx, req, HttpMethod.GET);
    }

    // ---- agents and queues (ACD) -----------------------------------------------------------------

    private static final String AGENTS_PREFIX = "/api/v1/agents/";
    private static final String QUEUES_PREFIX = "/api/v1/queues/";

    /** POST /api/v1/agents/{id}/{action}: the agent commands, as their WebSocket messages. */
    static final Map<String, String> AGENT_ACTIONS = Map.of(
            "login", Protocol.Type.AGENT_LOGIN,
            "logout", Protocol.Type.AGENT_LOGOUT,
            "ready", Protocol.Type.AGENT_READY,
            "not-ready", Protocol.Type.AGENT_NOT_READY,
            "wrap-up/end", Protocol.Type.AGENT_WRAP_UP_END,
            "wrap-up/extend", Protocol.Type.AGENT_WRAP_UP_EXTEND,
            "force", Protocol.Type.AGENT_FORCE);

    /** GET /api/v1/agents/{id}/history?limit=N: the agent's call history. */
    static final String HISTORY = "history";

    /** {@code rest}: what follows /api/v1/agents/ — {@code {id}} or {@code {id}/history} (GET), {@code {id}/{action}} (POST). */
    private void agentRoute(ChannelHandlerContext ctx, FullHttpRequest req, String rest) {
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String action = slash < 0 ? "" : rest.substring(slash + 1);
        if (id.isEmpty()) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + AGENTS_PREFIX + rest);
            return;
        }
        if (action.isEmpty()) {
            if (only(ctx, req, HttpMethod.GET)) {
                Principal p = authenticate(ctx, req);
                if (p != null) {
                    domain(ctx, req, () -> api.hub().agent(p, id));
                }
            }
            return;
        }
        if (HISTORY.equals(action)) {
            if (only(ctx, req, HttpMethod.GET)) {
                Principal p = authenticate(ctx, req);
                HistoryApi history = p == null ? null : api.hub().history();
                if (p != null && history == null) {
                    error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "call history is not enabled");
                } else if (history != null) {
                    String limit = new QueryStringDecoder(req.uri()).parameters().getOrDefault("limit", List.of())
                            .stream().findFirst().orElse(null);
                    domain(ctx, req, () -> history.history(p, id, limit));
                }
            }
            return;
        }
        String type = AGENT_ACTIONS.get(action);
        if (type == null) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + AGENTS_PREFIX + rest
                    + " (actions: " + String.join(", ", new java.util.TreeSet<>(AGENT_ACTIONS.keySet())) + ")");
            return;
        }
        if (!only(ctx, req, HttpMethod.POST)) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        CommandBody read = commandBody(ctx, req);
        if (read == null) {
            return;
        }
        JsonNode body = read.json();
        org.asteriskcti.protocol.ClientMessage command;
        try {
            command = AcdApi.readCommand(type, null, body).withAgent(id);
        } catch (ApiException e) {
            error(ctx, req, e.body());
            return;
        }
        AcdApi acd = acd(ctx, req);
        if (acd != null) {
            domain(ctx, req, () -> acd.execute(p, command));
        }
    }

    private static final String CALL_CONTROL_PREFIX = "/api/v1/call-control/";

    /** POST /api/v1/call-control/{type}: a call command, its other fields as the JSON body. */
    private void callCommand(ChannelHandlerContext ctx, FullHttpRequest req, String type) {
        if (!ControlApi.isCommand(type)) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + CALL_CONTROL_PREFIX + type
                    + " (commands: " + String.join(", ", new java.util.TreeSet<>(Protocol.Type.CALL_COMMANDS)) + ")");
            return;
        }
        if (!only(ctx, req, HttpMethod.POST)) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        CommandBody read = commandBody(ctx, req);
        if (read == null) {
            return;
        }
        JsonNode body = read.json();
        org.asteriskcti.protocol.CallCommand command;
        try {
            command = ControlApi.readCommand(type, null, body);
        } catch (ApiException e) {
            error(ctx, req, e.body());
            return;
        }
        ControlApi c = control(ctx, req);
        if (c != null) {
            reply(ctx, req, api.loop().call(() -> c.execute(p, command)).thenCompose(f -> f));
        }
    }

    private ControlApi control(ChannelHandlerContext ctx, FullHttpRequest req) {
        ControlApi c = api.hub().control();
        if (c == null) {
            error(ctx, req, new ErrorBody(Protocol.Errors.CALL_CONTROL_DISABLED, 404,
                    "this server runs without call control (ARI is off)", Map.of()));
        }
        return c;
    }

    // ---- IVR flows -------------------------------------------------------------------------------

    private static final String IVR_FLOWS = "/api/v1/ivr/flows";
    private static final String IVR_RELOAD = "/api/v1/ivr/reload";

    /** GET /api/v1/ivr/flows, POST /api/v1/ivr/reload. */
    private void ivrRoute(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        boolean reload = path.equals(IVR_RELOAD);
        if (!only(ctx, req, reload ? HttpMethod.POST : HttpMethod.GET)) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        IvrApi ivr = api.hub().ivr();
        if (ivr == null) {
            error(ctx, req, new ErrorBody(Protocol.Errors.IVR_DISABLED, 404, "this server runs no IVR", Map.of()));
        } else {
            reply(ctx, req, reload ? ivr.reload(p) : ivr.list(p));
        }
    }

    // ---- recordings ------------------------------------------------------------------------------

    private static final String RECORDINGS = "/api/v1/recordings";

    /**
     * {@code rest}: what follows /api/v1/recordings — empty (the list, {@code ?call=<id>}), {@code /{id}} or
     * {@code /{id}/audio}. GET only.
     */
    private void recordingRoute(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String rest) {
        String tail = rest.startsWith("/") ? rest.substring(1) : rest;
        int slash = tail.indexOf('/');
        String id = slash < 0 ? tail : tail.substring(0, slash);
        String sub = slash < 0 ? "" : tail.substring(slash + 1);
        if (!tail.isEmpty() && (id.isEmpty() || !(sub.isEmpty() || sub.equals("audio")))) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + RECORDINGS + rest);
            return;
        }
        if (!only(ctx, req, HttpMethod.GET)) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        RecordingApi recordings = api.hub().recordings();
        if (recordings == null) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "this server keeps no recordings");
        } else if (tail.isEmpty()) {
            reply(ctx, req, recordings.list(p, first(q, "call")));
        } else if (sub.isEmpty()) {
            reply(ctx, req, recordings.get(p, id));
        } else {
            audio(ctx, req, recordings, p, id);
        }
    }

    /** Streams the recording's WAV from Asterisk (never the whole file in memory), or answers its error. */
    private void audio(ChannelHandlerContext ctx, FullHttpRequest req, RecordingApi recordings, Principal p, String id) {
        streamAudio(ctx, req, recordings.audio(p, id), id + ".wav", recordings.downloads(),
                "recording " + id + " audio for " + p.user());
    }

    /**
     * Answers {@code result}: an open {@link org.asteriskcti.server.recording.RecordingFiles.Audio} is streamed as
     * {@code audio/wav} (one chunk in flight, read on {@code reader}), an ErrorBody is answered as such.
     */
    private void streamAudio(ChannelHandlerContext ctx, FullHttpRequest req, CompletableFuture<Object> result,
            String fileName, Executor reader, String what) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        req.retain();
        result.whenComplete((value, err) -> {
            try {
                if (err != null) {
                    log.error("{} {} failed", req.method(), req.uri(), err);
                    error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, Protocol.Errors.INTERNAL, "internal error");
                } else if (value instanceof ErrorBody e) {
                    error(ctx, req, e);
                } else if (value instanceof org.asteriskcti.server.recording.RecordingFiles.Audio a) {
                    StreamedDownload.send(ctx, keepAlive, "audio/wav", a.length(), fileName, a.body(), reader, what);
                }
            } finally {
                req.release();
            }
        });
    }

    // ---- reports ---------------------------------------------------------------------------------

    private static final String REPORTS_PREFIX = "/api/v1/reports/";
    /** A report reads the database; it may take longer than a domain query. */
    private static final long REPORT_TIMEOUT_SECONDS = 120;

    /** GET /api/v1/reports/{queues|agents|dids|usage}: JSON or CSV ({@link ReportsApi}). */
    private void reportRoute(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String kind) {
        if (org.asteriskcti.server.report.ReportRequest.Kind.ofPath(kind).isEmpty()) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + REPORTS_PREFIX + kind
                    + " (reports: queues, agents, dids, usage)");
            return;
        }
        if (!only(ctx, req, HttpMethod.GET)) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        ReportsApi reports = api.hub().reports();
        if (reports == null) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "this server has no reports");
            return;
        }
        req.retain();
        answerLater(ctx, req, reports.report(p, kind, firstValues(q), req.headers().get(HttpHeaderNames.ACCEPT)));
    }

    /** Each query parameter's first value ("" for a parameter without one). */
    private static Map<String, String> firstValues(QueryStringDecoder q) {
        Map<String, String> params = new LinkedHashMap<>();
        q.parameters().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        return params;
    }

    /**
     * Sends what a report or call-record query (run off the loop) answers: a {@link ReportsApi.Answer} (JSON or a CSV
     * download), an {@link ErrorBody}, or 500 on a failure or after {@link #REPORT_TIMEOUT_SECONDS}. {@code req} was
     * retained by the caller and is released here.
     */
    private void answerLater(ChannelHandlerContext ctx, FullHttpRequest req, CompletableFuture<Object> answer) {
        answer.orTimeout(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((value, err) -> {
            try {
                if (err != null) {
                    log.error("{} {} failed", req.method(), req.uri(), err);
                    error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, Protocol.Errors.INTERNAL, "internal error");
                } else if (value instanceof ErrorBody e) {
                    error(ctx, req, e);
                } else if (value instanceof ReportsApi.Answer a) {
                    FullHttpResponse r = response(req, HttpResponseStatus.OK, a.contentType(), a.body());
                    if (a.fileName() != null) {
                        r.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + a.fileName() + "\"");
                    }
                    send(ctx, req, r);
                }
            } finally {
                req.release();
            }
        });
    }

    // ---- call detail records ----------------------------------------------------------------------

    private static final String CALL_RECORDS = "/api/v1/call-records";

    /** {@code rest}: empty (GET the list, JSON or CSV) or {@code /{id}} (GET one): {@link CallRecordsApi}. */
    private void callRecordRoute(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String rest) {
        String id = rest.isEmpty() ? null : rest.substring(1);
        if (id != null && (id.isEmpty() || id.indexOf('/') >= 0)) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + CALL_RECORDS + rest
                    + " (routes: " + CALL_RECORDS + ", " + CALL_RECORDS + "/{id})");
            return;
        }
        if (!only(ctx, req, HttpMethod.GET)) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        CallRecordsApi records = api.hub().callRecords();
        if (records == null) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "this server keeps no call records");
            return;
        }
        req.retain();
        answerLater(ctx, req, id == null ? records.list(p, firstValues(q), req.headers().get(HttpHeaderNames.ACCEPT))
                : records.one(p, id));
    }

    // ---- voicemail -------------------------------------------------------------------------------

    private static final String VOICEMAIL = "/api/v1/voicemail";

    /**
     * {@code rest}: what follows /api/v1/voicemail — empty (GET the list: {@code ?mailbox=&state=&limit=}),
     * {@code /{id}} (GET, DELETE), {@code /{id}/audio} (GET), {@code /{id}/heard} (POST).
     */
    private void voicemailRoute(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String rest) {
        String tail = rest.startsWith("/") ? rest.substring(1) : rest;
        int slash = tail.indexOf('/');
        String id = slash < 0 ? tail : tail.substring(0, slash);
        String sub = slash < 0 ? "" : tail.substring(slash + 1);
        if (!rest.isEmpty() && !rest.startsWith("/") || !tail.isEmpty() && (id.isEmpty()
                || !(sub.isEmpty() || sub.equals("audio") || sub.equals("heard")))) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "no route " + VOICEMAIL + rest
                    + " (routes: " + VOICEMAIL + ", " + VOICEMAIL + "/{id}, " + VOICEMAIL + "/{id}/audio, " + VOICEMAIL
                    + "/{id}/heard)");
            return;
        }
        boolean ok;
        if (tail.isEmpty() || sub.equals("audio")) {
            ok = only(ctx, req, HttpMethod.GET);
        } else if (sub.equals("heard")) {
            ok = only(ctx, req, HttpMethod.POST);
        } else if (req.method().equals(HttpMethod.DELETE)) {
            ok = true;
        } else {
            ok = only(ctx, req, HttpMethod.GET);
        }
        if (!ok) {
            return;
        }
        Principal p = authenticate(ctx, req);
        if (p == null) {
            return;
        }
        VoicemailApi voicemail = api.hub().voicemail();
        if (voicemail == null) {
            error(ctx, req, HttpResponseStatus.NOT_FOUND, Protocol.Errors.NOT_FOUND, "this server keeps no voicemail");
        } else if (tail.isEmpty()) {
            reply(ctx, req, voicemail.list(p, first(q, "mailbox"), first(q, "state"), first(q, "limit")));
        } else if (sub.equals("audio")) {
            streamAudio(ctx, req, voicemail.audio(p, id), id + ".wav", voicemail.downloads(),
                    "voicemail " + id + " audio for " + p.user());
        } else if (sub.equals("heard")) {
            reply(ctx, req, voicemail.heard(p, id));
        } else if (req.method().equals(HttpMethod.DELETE)) {
            reply(ctx, req, voicemail.delete(p, id));
        } else {
            reply(ctx, req, voicemail.get(p, id));
        }
    }

    /** A command's JSON body; {@code json} is null for an empty body. */
    private record CommandBody(JsonNode json) {}

    /** The request's body as a command's fields, or null after answering 400 (not JSON). */
    private CommandBody commandBody(ChannelHandlerContext ctx, FullHttpRequest req) {
        String text = req.content().toString(StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new CommandBody(null);
        }
        try {
            return new CommandBody(JSON.readTree(text));
        } catch (Exception e) {
            error(ctx, req, HttpResponseStatus.BAD_REQUEST, Protocol.Errors.BAD_REQUEST, "body must be JSON");
            return null;
        }
    }

    /** The ACD's API, or null after answering 404 {@code acd.disabled}. */
    private AcdApi acd(ChannelHandlerContext ctx, FullHttpRequest req) {
        AcdApi acd = api.hub().acd();
        if (acd == null) {
            error(ctx, req, ClientHub.acdDisabled());
        }
        return acd;
    }

    /**
     * Runs {@code task} on the domain loop and answers 200 with its result, or the typed error it was
     * refused with ({@link ApiException}: a normal answer, not a failed task).
     */
    private void domain(ChannelHandlerContext ctx, FullHttpRequest req, java.util.function.Supplier<Object> task) {
        reply(ctx, req, api.loop().call(() -> {
            try {
                return task.get();
            } catch (ApiException e) {
                return e.body();
            }
        }));
    }

    private boolean only(ChannelHandlerContext ctx, FullHttpRequest req, HttpMethod method) {
        if (req.method().equals(method)) {
            return true;
        }
        FullHttpResponse r = response(req, HttpResponseStatus.METHOD_NOT_ALLOWED, "application/json",
                errorJson(new ErrorBody(Protocol.Errors.METHOD_NOT_ALLOWED, 405,
                        req.method() + " is not allowed here; use " + method, Map.of())));
        r.headers().set(HttpHeaderNames.ALLOW, method.name());
        send(ctx, req, r);
        return false;
    }

    // ---- health ----------------------------------------------------------------------------------

    private void health(ChannelHandlerContext ctx, FullHttpRequest req) {
        api.health().orTimeout(2, TimeUnit.SECONDS).whenComplete((h, err) -> {
            if (err != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", "DOWN");
                body.put("detail", "domain loop did not answer within 2 s");
                json(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, body);
                return;
            }
            json(ctx, req, "UP".equals(h.get("status")) ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
        });
    }

    // ---- auth ------------------------------------------------------------------------------------

    private void login(ChannelHandlerContext ctx, FullHttpRequest req) {
        JsonNode body;
        try {
            body = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            error(ctx, req, HttpResponseStatus.BAD_REQUEST, Protocol.Errors.BAD_REQUEST, "body must be JSON {\"username\":..., \"password\":...}");
            return;
        }
        if (body == null || !body.isObject() || !textField(body, "username") || !textField(body, "password")) {
            error(ctx, req, HttpResponseStatus.BAD_REQUEST, Protocol.Errors.BAD_REQUEST,
                    "fields 'username' and 'password' (text) are required");
            return;
        }
        String user = body.get("username").asText();
        String pass = body.get("password").asText();
        req.retain();
        CompletableFuture.supplyAsync(() -> api.auth().login(user, pass), api.workers()).whenComplete((issued, err) -> {
            try {
                if (err != null) {
                    log.error("login failed", err);
                    error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, Protocol.Errors.INTERNAL, "internal error");
                } else if (issued.isEmpty()) {
                    log.info("login refused for '{}' from {}", user, ctx.channel().remoteAddress());
                    error(ctx, req, HttpResponseStatus.UNAUTHORIZED, Protocol.Errors.INVALID_CREDENTIALS, "unknown user or wrong password");
                } else {
                    AuthService.Issued i = issued.get();
                    json(ctx, req, HttpResponseStatus.OK, new LoginResponse(i.token(), "Bearer", i.expiresAt(), i.principal().info()));
                }
            } finally {
                req.release();
            }
        });
    }

    private static boolean textField(JsonNode n, String field) {
        return n.hasNonNull(field) && n.get(field).isTextual() && !n.get(field).asText().isEmpty();
    }

    private static String bearer(FullHttpRequest req) {
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).trim();
        }
        return null;
    }

    private Principal authenticate(ChannelHandlerContext ctx, FullHttpRequest req) {
        try {
            return api.auth().verify(bearer(req));
        } catch (AuthService.TokenRejected e) {
            String id = switch (e.problem()) {
                case MISSING -> Protocol.Errors.TOKEN_MISSING;
                case EXPIRED -> Protocol.Errors.TOKEN_EXPIRED;
                case INVALID -> Protocol.Errors.TOKEN_INVALID;
            };
            FullHttpResponse r = response(req, HttpResponseStatus.UNAUTHORIZED, "application/json",
                    errorJson(new ErrorBody(id, 401, e.getMessage(), Map.of())));
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            send(ctx, req, r);
            return null;
        }
    }

    // ---- websocket -------------------------------------------------------------------------------

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q) {
        if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            error(ctx, req, HttpResponseStatus.BAD_REQUEST, Protocol.Errors.BAD_REQUEST,
                    "this is the WebSocket endpoint: send an Upgrade: websocket request");
            return;
        }
        CtiConfig.ClientApi cfg = api.clientApi();
        String location = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + Protocol.WS_PATH;
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, true,
                cfg.maxFrameSize()).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        String token = first(q, "access_token");
        if (token == null) {
            token = bearer(req);
        }
        Principal principal = null;
        int closeCode = 0;
        String closeReason = null;
        try {
            principal = api.auth().verify(token);
        } catch (AuthService.TokenRejected e) {
            closeCode = switch (e.problem()) {
                case MISSING -> CloseCodes.TOKEN_MISSING;
                case EXPIRED -> CloseCodes.TOKEN_EXPIRED;
                case INVALID -> CloseCodes.TOKEN_INVALID;
            };
            closeReason = e.getMessage();
        }
        String resume = first(q, "resume");
        Long lastSeq = null;
        String ls = first(q, "last_seq");
        if (ls != null) {
            try {
                lastSeq = Long.parseLong(ls);
            } catch (NumberFormatException e) {
                lastSeq = -1L; // not a number: the resume falls back to a snapshot
            }
        }
        ctx.pipeline().remove(this);
        if (principal == null) {
            int code = closeCode;
            String reason = closeReason;
            handshaker.handshake(ctx.channel(), req).addListener(f -> {
                if (f.isSuccess()) {
                    ctx.channel().writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
                }
            });
            log.info("WebSocket from {} refused: {} ({})", ctx.channel().remoteAddress(), reason, code);
            return;
        }
        WsClientHandler handler = new WsClientHandler(api.hub(), api.loop(), api.metrics(), cfg.maxMalformedFrames(),
                principal, resume, lastSeq);
        ctx.pipeline().addLast("idle", new IdleStateHandler(cfg.heartbeatTimeout().toMillis(),
                cfg.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
        ctx.pipeline().addLast("ws-client", handler);
        ChannelHandlerContext wsCtx = ctx.pipeline().context(handler);
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (f.isSuccess()) {
                handler.start(wsCtx);
            } else {
                ctx.close();
            }
        });
    }

    private static String first(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }

    // ---- responses -------------------------------------------------------------------------------

    private void reply(ChannelHandlerContext ctx, FullHttpRequest req, CompletableFuture<?> result) {
        req.retain();
        result.orTimeout(5, TimeUnit.SECONDS).whenComplete((value, err) -> {
            try {
                if (err != null) {
                    log.error("{} {} failed", req.method(), req.uri(), err);
                    error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, Protocol.Errors.INTERNAL, "internal error");
                } else if (value instanceof ErrorBody e) {
                    error(ctx, req, e);
                } else {
                    json(ctx, req, HttpResponseStatus.OK, value);
                }
            } finally {
                req.release();
            }
        });
    }

    private void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        respond(ctx, req, status, "application/json", text);
    }

    private void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String errorId, String message) {
        respond(ctx, req, status, "application/json", errorJson(new ErrorBody(errorId, status.code(), message, Map.of())));
    }

    private void error(ChannelHandlerContext ctx, FullHttpRequest req, ErrorBody e) {
        respond(ctx, req, HttpResponseStatus.valueOf(e.status()), "application/json", errorJson(e));
    }

    private static String errorJson(ErrorBody e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, String body) {
        send(ctx, req, response(req, status, type, body));
    }

    private static FullHttpResponse response(FullHttpRequest req, HttpResponseStatus status, String type, String body) {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** What the handlers need, wired once. */
    interface ApiContext {
        AuthService auth();

        ClientHub hub();

        org.asteriskcti.server.domain.DomainLoop loop();

        org.asteriskcti.server.metrics.CtiMetrics metrics();

        CtiConfig.ClientApi clientApi();

        Executor workers();

        RestQueries rest();

        CompletableFuture<Map<String, Object>> health();

        WallboardFiles wallboard();
    }
}
