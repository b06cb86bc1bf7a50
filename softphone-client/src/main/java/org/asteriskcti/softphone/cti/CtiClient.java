package org.asteriskcti.softphone.cti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.CallCommand;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.LoginRequest;
import org.asteriskcti.protocol.LoginResponse;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.CloseCodes;
import org.asteriskcti.protocol.QueueInfo;
import org.asteriskcti.protocol.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's link to the CTI server (docs/asyncapi.yaml): REST login, the WebSocket stream with its seq,
 * resume after a drop, heartbeats, and commands whose reply or error is matched to them by id.
 *
 * <p>All state lives on one thread, the {@code owner} executor (a single-threaded scheduler): WebSocket callbacks,
 * commands and timers hop onto it. Stream frames go to the {@link StreamListener} on the {@code deliver}
 * executor, in order. After a drop the client reconnects with growing delays and asks to resume
 * ({@code resume=<session>&last_seq=<n>}), so the listener sees every frame once, or fresh snapshots when the
 * server no longer has them. Call-control commands still waiting for their reply are sent again after the
 * resume with the same {@code command_id}, which the server carries out at most once; agent commands have no
 * such id and fail with {@link CtiException#CONNECTION_LOST} instead.
 */
public final class CtiClient implements DeskCommands, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CtiClient.class);
    private static final ObjectMapper JSON = Json.mapper();

    private final URI server;
    private final HttpClient http;
    private final ScheduledExecutorService owner;
    private final Executor deliver;
    private final Backoff backoff;
    private final Clock clock;
    private final Duration commandTimeout;

    // ---- owned by the owner thread ------------------------------------------------------------------
    private String username;
    private String password;
    private LoginResponse login;
    private StreamListener listener;
    private final Set<String> topics = new LinkedHashSet<>();
    private Connection current;
    private String sessionId;
    private long lastSeq;
    private long nextId;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private ConnectionStatus status = ConnectionStatus.OFFLINE;
    private ScheduledFuture<?> reconnect;
    private boolean closed;

    private volatile ConnectionStatus statusView = ConnectionStatus.OFFLINE;

    /**
     * @param server   the server's base URL, e.g. {@code http://cti.example:8080}
     * @param owner    a single-threaded scheduler: the client's own thread (and its timers)
     * @param deliver  where the listener runs (Platform::runLater in the app)
     */
    public CtiClient(URI server, HttpClient http, ScheduledExecutorService owner, Executor deliver, Backoff backoff,
            Clock clock, Duration commandTimeout) {
        this.server = checkServer(server);
        this.http = http;
        this.owner = owner;
        this.deliver = deliver;
        this.backoff = backoff;
        this.clock = clock;
        this.commandTimeout = commandTimeout;
    }

    /** Checks a server URL typed by a person; the message names what is wrong with it. */
    public static URI checkServer(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("server URL must start with http:// or https:// (got '" + uri + "')");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("server URL has no host name (got '" + uri + "')");
        }
        return uri;
    }

    public URI server() {
        return server;
    }

    public ConnectionStatus status() {
        return statusView;
    }

    // ---- login and the stream -----------------------------------------------------------------------

    /** {@code POST /api/v1/auth/login}. Fails with the server's error (auth.invalid_credentials) or client.unreachable. */
    public CompletableFuture<LoginResponse> login(String user, String pass) {
        String body;
        try {
            body = JSON.writeValueAsString(new LoginRequest(user, pass));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest req = HttpRequest.newBuilder(server.resolve("/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                .handle((resp, err) -> {
                    if (err != null) {
                        throw unreachable(err);
                    }
                    if (resp.statusCode() != 200) {
                        throw refused(resp);
                    }
                    try {
                        return JSON.readValue(resp.body(), LoginResponse.class);
                    } catch (IOException e) {
                        throw new CtiException(CtiException.BAD_ANSWER, server + " answered the login with something "
                                + "that is not the CTI client API: " + e.getMessage());
                    }
                })
                .thenApplyAsync(r -> {
                    this.username = user;
                    this.password = pass;
                    this.login = r;
                    return r;
                }, owner);
    }

    /** {@code GET /api/v1/queues}: the tenant's ACD queues (empty when the server runs without the ACD). */
    public CompletableFuture<List<QueueInfo>> queues() {
        LoginResponse l = login;
        if (l == null) {
            return CompletableFuture.failedFuture(new CtiException(CtiException.CLOSED, "not signed in"));
        }
        HttpRequest req = HttpRequest.newBuilder(server.resolve("/api/v1/queues")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + l.token()).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
            if (err != null) {
                throw unreachable(err);
            }
            if (resp.statusCode() == 404) {
                return List.<QueueInfo>of(); // acd.disabled
            }
            if (resp.statusCode() != 200) {
                throw refused(resp);
            }
            try {
                JsonNode q = JSON.readTree(resp.body()).path("queues");
                List<QueueInfo> out = new ArrayList<>();
                for (JsonNode n : q) {
                    out.add(JSON.treeToValue(n, QueueInfo.class));
                }
                return out;
            } catch (IOException e) {
                throw new CtiException(CtiException.BAD_ANSWER, "GET /api/v1/queues: " + e.getMessage());
            }
        });
    }

    /**
     * Opens the stream (after {@link #login}) and subscribes to {@code wanted} (besides {@code system}). The
     * returned future completes at the first welcome; afterwards the client keeps the link up on its own.
     */
    public CompletableFuture<Welcome> connect(List<String> wanted, StreamListener l) {
        CompletableFuture<Welcome> first = new CompletableFuture<>();
        owner.execute(() -> {
            if (login == null) {
                first.completeExceptionally(new CtiException(CtiException.CLOSED, "log in before connecting"));
                return;
            }
            listener = l;
            topics.addAll(wanted);
            open(first);
        });
        return first;
    }

    /** The id of the stream's session (null before the first welcome). */
    public CompletableFuture<String> sessionId() {
        return CompletableFuture.supplyAsync(() -> sessionId, owner);
    }

    /** The seq of the last stream frame delivered. */
    public CompletableFuture<Long> lastSeq() {
        return CompletableFuture.supplyAsync(() -> lastSeq, owner);
    }

    /** Signs out: closes the stream (1000) and stops reconnecting; waiting commands fail with client.closed. */
    @Override
    public void close() {
        owner.execute(() -> {
            closed = true;
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            Connection c = current;
            current = null;
            if (c != null) {
                c.stop();
                if (c.ws != null) {
                    c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "signed out");
                }
            }
            failAll(p -> true, new CtiException(CtiException.CLOSED, "signed out"));
            setStatus(ConnectionStatus.OFFLINE, "signed out");
        });
    }

    /** Test hook and "network changed" button: drops the link as if the network had, and resumes it. */
    public void dropConnection(String why) {
        owner.execute(() -> {
            Connection c = current;
            if (c != null) {
                if (c.ws != null) {
                    c.ws.abort();
                }
                dropped(c, why);
            }
        });
    }

    // ---- commands ------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<AgentInfo> agentLogin(boolean ready) {
        return agent(ClientMessage.agentCommand(Protocol.Type.AGENT_LOGIN, null, null).withReady(ready));
    }

    @Override
    public CompletableFuture<AgentInfo> agentLogout() {
        return agent(ClientMessage.agentCommand(Protocol.Type.AGENT_LOGOUT, null, null));
    }

    @Override
    public CompletableFuture<AgentInfo> agentReady() {
        return agent(ClientMessage.agentCommand(Protocol.Type.AGENT_READY, null, null));
    }

    @Override
    public CompletableFuture<AgentInfo> agentNotReady(String reason) {
        return agent(ClientMessage.agentCommand(Protocol.Type.AGENT_NOT_READY, null, null).withReason(reason));
    }

    @Override
    public CompletableFuture<AgentInfo> agentWrapUpEnd() {
        return agent(ClientMessage.agentCommand(Protocol.Type.AGENT_WRAP_UP_END, null, null));
    }

    @Override
    public CompletableFuture<AgentInfo> agentWrapUpExtend(long seconds) {
        return agent(ClientMessage.agentCommand(Protocol.Type.AGENT_WRAP_UP_EXTEND, null, null).withSeconds(seconds));
    }

    private CompletableFuture<AgentInfo> agent(ClientMessage msg) {
        return request(msg.type(), id -> new ClientMessage(msg.type(), id, msg.topics(), msg.agent(), msg.ready(),
                msg.reason(), msg.seconds(), msg.state()), false)
                .thenApply(data -> convert(data, AgentInfo.class));
    }

    /**
     * A call-control command; {@code command_id} is chosen here and kept for retries. The reply's data (a
     * conversation, a recording, ...) is returned as JSON.
     */
    @Override
    public CompletableFuture<JsonNode> call(CallRequest r) {
        if (!Protocol.Type.CALL_COMMANDS.contains(r.type())) {
            throw new IllegalArgumentException("not a call-control command: " + r.type());
        }
        String commandId = UUID.randomUUID().toString();
        return request(r.type(), id -> new CallCommand(r.type(), id, commandId, null, r.call(), r.number(), r.target(),
                r.digits(), r.participant(), r.muted(), r.reason(), null), true);
    }

    private CompletableFuture<JsonNode> request(String type, java.util.function.Function<String, Object> build,
            boolean retryAfterDrop) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        owner.execute(() -> {
            if (closed || login == null) {
                f.completeExceptionally(new CtiException(CtiException.CLOSED, "not signed in"));
                return;
            }
            String id = "c" + (++nextId);
            String text = write(build.apply(id));
            Pending p = new Pending(id, type, text, f, retryAfterDrop);
            pending.put(id, p);
            p.timeout = owner.schedule(() -> {
                if (pending.remove(id) != null) {
                    f.completeExceptionally(new CtiException(CtiException.TIMEOUT, type + ": no answer from the server within "
                            + commandTimeout.toSeconds() + " s"));
                }
            }, commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (current != null && current.welcomed) {
                current.send(text);
                p.sentOn = current;
            }
        });
        return f;
    }

    // ---- connection lifecycle (owner thread) ----------------------------------------------------------

    private void open(CompletableFuture<Welcome> first) {
        if (closed) {
            return;
        }
        Connection c = new Connection(first);
        current = c;
        StringBuilder uri = new StringBuilder(wsBase()).append(Protocol.WS_PATH).append("?access_token=")
                .append(enc(login.token()));
        if (sessionId != null) {
            uri.append("&resume=").append(enc(sessionId)).append("&last_seq=").append(lastSeq);
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(uri.toString()), c)
                .whenCompleteAsync((ws, err) -> {
                    if (err != null) {
                        if (current == c) {
                            CtiException e = unreachable(err);
                            log.info("connecting to {} failed: {}", server, e.userMessage());
                            dropped(c, e.userMessage());
                        }
                    } else if (current != c) {
                        ws.abort();
                    } else {
                        c.ws = ws;
                    }
                }, owner);
    }

    private String wsBase() {
        String s = server.toString().replaceAll("/+$", "");
        return s.startsWith("https:") ? "wss:" + s.substring(6) : "ws:" + s.substring(5);
    }

    /** The connection {@code c} is gone (closed, failed, silent): try again, resuming the session. */
    private void dropped(Connection c, String why) {
        if (current != c || closed) {
            return;
        }
        c.stop();
        current = null;
        failAll(p -> !p.retryAfterDrop && p.sentOn == c, new CtiException(CtiException.CONNECTION_LOST,
                "the connection dropped before the server answered (" + why + "); it may or may not have been done"));
        for (Pending p : pending.values()) {
            p.sentOn = null;
        }
        setStatus(ConnectionStatus.RECONNECTING, why);
        Duration d = backoff.next();
        log.info("stream to {} dropped ({}); reconnecting in {} ms", server, why, d.toMillis());
        reconnect = owner.schedule(() -> open(c.first), d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server closed with {@code code}. */
    private void closedByServer(Connection c, int code, String reason) {
        if (current != c) {
            return;
        }
        if (code == CloseCodes.TOKEN_EXPIRED || code == CloseCodes.TOKEN_INVALID || code == CloseCodes.TOKEN_MISSING) {
            // Log in again with the same credentials, then resume: a long shift outlives a token.
            c.stop();
            current = null;
            setStatus(ConnectionStatus.RECONNECTING, "token refused (" + code + " " + reason + "): logging in again");
            login(username, password).whenCompleteAsync((r, err) -> {
                if (closed) {
                    return;
                }
                if (err != null) {
                    CtiException e = err.getCause() instanceof CtiException ce ? ce
                            : new CtiException(CtiException.UNREACHABLE, String.valueOf(err.getMessage()));
                    if (Protocol.Errors.INVALID_CREDENTIALS.equals(e.errorId())) {
                        closed = true;
                        failAll(p -> true, e);
                        setStatus(ConnectionStatus.OFFLINE, "signed out: " + e.userMessage());
                        return;
                    }
                    Connection placeholder = new Connection(c.first);
                    current = placeholder;
                    dropped(placeholder, e.userMessage());
                    return;
                }
                open(c.first);
            }, owner);
            return;
        }
        dropped(c, "closed by the server: " + code + (reason == null || reason.isBlank() ? "" : " " + reason));
    }

    private void onText(Connection c, String text) {
        if (current != c) {
            return;
        }
        c.lastReceived = clock.instant();
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            log.warn("server sent a frame that is not JSON ({}); ignored", e.getOriginalMessage());
            return;
        }
        String type = n.path("type").asText("");
        switch (type) {
            case Protocol.Type.WELCOME -> onWelcome(c, n);
            case Protocol.Type.REPLY -> onReply(n.path("id").asText(""), n.get("data"), null);
            case Protocol.Type.ERROR -> onReply(n.path("id").asText(""), null, convert(n.get("error"), ErrorBody.class));
            case Protocol.Type.PONG -> { }
            case Protocol.Type.SNAPSHOT, Protocol.Type.EVENT -> onStream(c, n);
            default -> log.warn("server sent an unknown frame type '{}'; ignored", type);
        }
    }

    private void onWelcome(Connection c, JsonNode n) {
        Welcome w = convert(n, Welcome.class);
        boolean resumeAsked = sessionId != null;
        String result = w.resumeResult();
        if (resumeAsked && !w.resumed()) {
            log.info("resume of session {} refused ({}): new session {}, subscribing again", sessionId, result, w.sessionId());
        } else if (resumeAsked) {
            log.info("session {} resumed from seq {} ({})", w.sessionId(), lastSeq, result);
        }
        sessionId = w.sessionId();
        lastSeq = w.lastSeq();
        c.welcomed = true;
        backoff.reset();
        if (w.heartbeatIntervalMs() > 0) {
            long every = w.heartbeatIntervalMs();
            c.heartbeat = owner.scheduleAtFixedRate(() -> heartbeat(c, every), every, every, TimeUnit.MILLISECONDS);
        }
        StreamListener l = listener;
        deliver.execute(() -> l.welcome(w));
        List<String> missing = new ArrayList<>();
        for (String t : topics) {
            if (!w.topics().contains(t)) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            request(Protocol.Type.SUBSCRIBE, id -> new ClientMessage(Protocol.Type.SUBSCRIBE, id, List.copyOf(missing)), true)
                    .whenComplete((r, err) -> {
                        if (err != null) {
                            log.warn("subscribe {} refused: {}", missing, err.getMessage());
                        }
                    });
        }
        // Commands that waited for the link (or whose reply was lost in the drop) go now, same ids.
        for (Pending p : pending.values()) {
            if (p.sentOn == null) {
                c.send(p.text);
                p.sentOn = c;
            }
        }
        setStatus(ConnectionStatus.CONNECTED, resumeAsked ? "resumed (" + result + ")" : "connected");
        c.first.complete(w);
    }

    private void onStream(Connection c, JsonNode n) {
        long seq = n.path("seq").asLong(-1);
        if (seq <= lastSeq) {
            log.debug("duplicate frame seq {} (have {}); dropped", seq, lastSeq);
            return;
        }
        if (seq != lastSeq + 1) {
            log.warn("gap in the stream: got seq {} after {}; resuming", seq, lastSeq);
            c.ws.abort();
            dropped(c, "gap in the stream at seq " + (lastSeq + 1));
            return;
        }
        lastSeq = seq;
        StreamListener l = listener;
        if (Protocol.Type.SNAPSHOT.equals(n.path("type").asText())) {
            String topic = n.path("topic").asText();
            JsonNode data = n.path("data");
            deliver.execute(() -> l.snapshot(topic, data));
        } else {
            String event = n.path("event").asText();
            List<String> ts = new ArrayList<>();
            n.path("topics").forEach(t -> ts.add(t.asText()));
            JsonNode data = n.path("data");
            deliver.execute(() -> l.event(event, List.copyOf(ts), data));
        }
    }

    private void onReply(String id, JsonNode data, ErrorBody error) {
        Pending p = pending.remove(id);
        if (p == null) {
            if (error != null) {
                log.warn("server error not tied to a request: {} {}", error.errorId(), error.message());
            }
            return;
        }
        p.timeout.cancel(false);
        if (error != null) {
            p.future.completeExceptionally(new CtiException(error));
        } else {
            p.future.complete(data);
        }
    }

    private void heartbeat(Connection c, long everyMs) {
        if (current != c) {
            return;
        }
        Duration silent = Duration.between(c.lastReceived, clock.instant());
        if (silent.toMillis() > 3 * everyMs) {
            log.warn("nothing from the server for {} ms; dropping the link", silent.toMillis());
            c.ws.abort();
            dropped(c, "no answer from the server for " + silent.toSeconds() + " s");
            return;
        }
        c.send(write(new ClientMessage(Protocol.Type.PING, "hb", null)));
    }

    private void failAll(java.util.function.Predicate<Pending> which, CtiException e) {
        for (var it = pending.values().iterator(); it.hasNext();) {
            Pending p = it.next();
            if (which.test(p)) {
                it.remove();
                p.timeout.cancel(false);
                p.future.completeExceptionally(e);
            }
        }
    }

    private void setStatus(ConnectionStatus s, String detail) {
        boolean changed = status != s;
        status = s;
        statusView = s;
        StreamListener l = listener;
        if (l != null && (changed || s == ConnectionStatus.RECONNECTING)) {
            deliver.execute(() -> l.status(s, detail));
        }
        if (changed) {
            log.info("connection {}: {}", s, detail);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private CtiException unreachable(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (t instanceof CtiException ce) {
            return ce;
        }
        String why = t instanceof ConnectException ? "connection refused"
                : t instanceof HttpTimeoutException ? "timed out"
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return new CtiException(CtiException.UNREACHABLE, "cannot reach the CTI server at " + server + " (" + why + ")");
    }

    private CtiException refused(HttpResponse<String> resp) {
        try {
            JsonNode n = JSON.readTree(resp.body());
            if (n != null && n.hasNonNull("error_id")) {
                return new CtiException(JSON.treeToValue(n, ErrorBody.class));
            }
        } catch (IOException ignored) {
            // not JSON: below
        }
        return new CtiException(CtiException.BAD_ANSWER, resp.request().uri() + " answered HTTP " + resp.statusCode()
                + " without a CTI error body: is " + server + " the CTI server?");
    }

    private static <T> T convert(JsonNode n, Class<T> type) {
        try {
            return JSON.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            throw new CtiException(CtiException.BAD_ANSWER, "cannot read " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final class Pending {
        final String id;
        final String type;
        final String text;
        final CompletableFuture<JsonNode> future;
        final boolean retryAfterDrop;
        ScheduledFuture<?> timeout;
        Connection sentOn;

        Pending(String id, String type, String text, CompletableFuture<JsonNode> future, boolean retryAfterDrop) {
            this.id = id;
            this.type = type;
            this.text = text;
            this.future = future;
            this.retryAfterDrop = retryAfterDrop;
        }
    }

    /** One WebSocket connection; its callbacks hop onto the owner thread and are ignored once it is not current. */
    private final class Connection implements WebSocket.Listener {
        final CompletableFuture<Welcome> first;
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;
        boolean welcomed;
        Instant lastReceived = clock.instant();
        ScheduledFuture<?> heartbeat;
        CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        Connection(CompletableFuture<Welcome> first) {
            this.first = first;
        }

        /** Sends in order: the JDK WebSocket allows one outstanding send at a time. */
        void send(String text) {
            sending = sending.handle((x, e) -> null).thenCompose(x -> ws.sendText(text, true));
        }

        void stop() {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            owner.execute(() -> {
                if (ws == null) {
                    ws = webSocket;
                }
            });
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                owner.execute(() -> CtiClient.this.onText(this, text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            owner.execute(() -> lastReceived = clock.instant());
            webSocket.request(1);
            return null; // the JDK answers with a pong
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            owner.execute(() -> lastReceived = clock.instant());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            owner.execute(() -> closedByServer(this, statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            owner.execute(() -> dropped(this, "link failed: " + error));
        }
    }
}
