package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskcti.server.asterisk.ari.TraceFiles.Exchange;

/**
 * A stand-in for Asterisk's HTTP server on 127.0.0.1:0 that speaks ARI exactly as a trace recorded it.
 *
 * <ul>
 *   <li>{@code GET /ari/events?app=...} (WebSocket): checks basic auth (or {@code api_key}) and the app name,
 *       then streams connection N's recorded frames, byte for byte, at once, or one by one when the test
 *       {@link #stepConnection steps} that connection. Answers pings with pongs unless told not to.</li>
 *   <li>REST: matches method + path + query (+ JSON body where one was recorded) against the recorded
 *       exchanges in order and answers with the recorded status, content type and body. A GET that was already
 *       used is answered again with its last recording. Test stubs take precedence. Anything else: 404 with a
 *       message saying what was not found.</li>
 *   <li>Failure modes: drop the event sockets, send ApplicationReplaced (and, like Asterisk, keep the socket
 *       open), stop and restart on the same port, stop answering pings, delay REST answers.</li>
 * </ul>
 */
final class FakeAriServer implements AutoCloseable {

    static final String USER = "cti";
    static final String PASSWORD = "cti-secret";

    /** What the server saw of one REST request. */
    record Request(String method, String path, Map<String, String> query, String body, String authorization) {}

    /** One events WebSocket connection, as the server saw it. */
    static final class WsConnection {
        final int index;
        final String uri;
        final String authorization;
        final Channel channel;
        final Deque<String> pending;
        final boolean stepped;
        volatile boolean closeFrameFromClient;
        volatile boolean closed;
        volatile int framesSent;
        volatile int pingsReceived;

        WsConnection(int index, String uri, String authorization, Channel channel, List<String> frames,
                boolean stepped) {
            this.index = index;
            this.uri = uri;
            this.authorization = authorization;
            this.channel = channel;
            this.pending = new ArrayDeque<>(frames);
            this.stepped = stepped;
        }

        boolean closeFrameFromClient() {
            return closeFrameFromClient;
        }

        boolean closed() {
            return closed;
        }

        int framesSent() {
            return framesSent;
        }

        String uri() {
            return uri;
        }

        int pingsReceived() {
            return pingsReceived;
        }
    }

    private record Stub(int status, String contentType, String body) {}

    private final TraceFiles trace;
    private final String app;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<WsConnection> wsConnections = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<Integer> steppedConnections = new HashSet<>();
    private final Map<String, Stub> stubs = new LinkedHashMap<>();
    private final boolean[] consumed;
    private final Map<String, Exchange> lastUsed = new LinkedHashMap<>();
    private final AtomicInteger wsCount = new AtomicInteger();
    private volatile boolean answerPings = true;
    private volatile Duration restDelay = Duration.ZERO;
    private volatile Channel serverChannel;
    private volatile int port;

    private FakeAriServer(TraceFiles trace, String app) {
        this.trace = trace;
        this.app = app;
        this.consumed = new boolean[trace.exchanges().size()];
    }

    /** Starts on a free port of 127.0.0.1, serving {@code trace} for app {@code app}. */
    static FakeAriServer start(String traceName, String app) {
        FakeAriServer s = new FakeAriServer(TraceFiles.load(traceName), app);
        s.bind(0);
        return s;
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/ari}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port + "/ari");
    }

    TraceFiles trace() {
        return trace;
    }

    // ---------------------------------------------------------------- WebSocket control

    /** Connection {@code index} (0-based, in accept order) will wait for {@link #sendNext(int)}. */
    synchronized void stepConnection(int index) {
        steppedConnections.add(index);
    }

    /** Sends the next {@code n} recorded frames on the newest connection. */
    void sendNext(int n) {
        WsConnection c = newest();
        c.channel.eventLoop().execute(() -> {
            for (int i = 0; i < n && !c.pending.isEmpty(); i++) {
                write(c, c.pending.poll());
            }
        });
    }

    void sendRemaining() {
        sendNext(Integer.MAX_VALUE);
    }

    /** Sends any text as one frame on the newest connection. */
    void sendRaw(String text) {
        WsConnection c = newest();
        c.channel.eventLoop().execute(() -> write(c, text));
    }

    /** What Asterisk sends when another socket takes the app; like Asterisk, the socket stays open. */
    void sendApplicationReplaced() {
        sendRaw("{\"type\":\"ApplicationReplaced\",\"timestamp\":\"2026-11-23T08:57:03.686+0000\","
                + "\"application\":\"" + app + "\",\"asterisk_id\":\"02:fc:00:00:00:01\"}");
    }

    /** Closes every events socket abruptly (no close frame), as a crash or a network cut would. */
    void dropEventSockets() {
        for (WsConnection c : wsConnections) {
            c.channel.close();
        }
    }

    void setAnswerPings(boolean answer) {
        this.answerPings = answer;
    }

    List<WsConnection> wsConnections() {
        return List.copyOf(wsConnections);
    }

    WsConnection newest() {
        if (wsConnections.isEmpty()) {
            throw new IllegalStateException("no events connection yet");
        }
        return wsConnections.get(wsConnections.size() - 1);
    }

    // ---------------------------------------------------------------- REST control

    /** Answers {@code method path} (any query) with this, before looking at the trace. */
    synchronized void stub(String method, String path, int status, String jsonBody) {
        stubs.put(method + " " + path, new Stub(status, jsonBody == null ? null : "application/json", jsonBody));
    }

    /** An app with no channels and bridges: for traces that recorded no resync requests. */
    void stubEmptyResync() {
        stub("GET", "/ari/applications/" + app, 200, "{\"name\":\"" + app + "\",\"channel_ids\":[],\"bridge_ids\":[],"
                + "\"endpoint_ids\":[],\"device_names\":[],\"events_allowed\":[],\"events_disallowed\":[]}");
        stub("GET", "/ari/channels", 200, "[]");
        stub("GET", "/ari/bridges", 200, "[]");
    }

    synchronized void clearStubs() {
        stubs.clear();
    }

    void setRestDelay(Duration delay) {
        this.restDelay = delay;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.method().equals(method) && r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Like Asterisk stopping: the listener and every connection go away. */
    void stop() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
            serverChannel = null;
        }
        children.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Listens again on the same port. */
    void restart() {
        bind(port);
    }

    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void bind(int wanted) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new HttpHandler());
                    }
                });
        Channel ch = b.bind("127.0.0.1", wanted).syncUninterruptibly().channel();
        serverChannel = ch;
        port = ((java.net.InetSocketAddress) ch.localAddress()).getPort();
    }

    // ---------------------------------------------------------------- HTTP

    private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder dec = new QueryStringDecoder(req.uri());
            Map<String, String> query = new LinkedHashMap<>();
            dec.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
            String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            String body = req.content().toString(StandardCharsets.UTF_8);
            String path = dec.path();
            boolean authorized = expectedAuthorization().equals(auth)
                    || (USER + ":" + PASSWORD).equals(query.get("api_key"));
            if (path.equals("/ari/events")) {
                events(ctx, req, query, auth, authorized);
                return;
            }
            requests.add(new Request(req.method().name(), path, query, body, auth));
            if (!authorized) {
                respond(ctx, req, 401, "application/json", "{\"message\":\"Authentication required\"}");
                return;
            }
            Stub answer = answer(req.method().name(), path, query, body);
            Duration delay = restDelay;
            if (delay.isZero()) {
                respond(ctx, req, answer.status(), answer.contentType(), answer.body());
            } else {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                ctx.executor().schedule(() -> respond(ctx, keepAlive, answer.status(), answer.contentType(),
                        answer.body()), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void events(ChannelHandlerContext ctx, FullHttpRequest req, Map<String, String> query, String auth,
                boolean authorized) {
            if (!authorized) {
                respond(ctx, req, 401, "application/json", "{\"message\":\"Authentication required\"}");
                return;
            }
            if (!app.equals(query.get("app"))) {
                respond(ctx, req, 400, "application/json",
                        "{\"message\":\"FakeAriServer serves app '" + app + "', got app=" + query.get("app") + "\"}");
                return;
            }
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                    "ws://127.0.0.1:" + port + "/ari/events", null, true).newHandshaker(req);
            if (hs == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            int index = wsCount.getAndIncrement();
            boolean stepped;
            synchronized (FakeAriServer.this) {
                stepped = steppedConnections.contains(index);
            }
            WsConnection conn = new WsConnection(index, req.uri(), auth, ctx.channel(), trace.frames(index), stepped);
            wsConnections.add(conn);
            ctx.pipeline().replace(this, "ari-ws", new WsHandler(hs, conn));
            hs.handshake(ctx.channel(), req).addListener(f -> {
                if (f.isSuccess() && !conn.stepped) {
                    while (!conn.pending.isEmpty()) {
                        write(conn, conn.pending.poll());
                    }
                }
            });
        }
    }

    private final class WsHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WebSocketServerHandshaker hs;
        private final WsConnection conn;

        WsHandler(WebSocketServerHandshaker hs, WsConnection conn) {
            this.hs = hs;
            this.conn = conn;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                conn.closeFrameFromClient = true;
                hs.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
            } else if (frame instanceof PingWebSocketFrame) {
                conn.pingsReceived++;
                if (answerPings) {
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            conn.closed = true;
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void write(WsConnection c, String text) {
        c.channel.writeAndFlush(new TextWebSocketFrame(text));
        c.framesSent++;
    }

    // ---------------------------------------------------------------- REST matching

    private synchronized Stub answer(String method, String path, Map<String, String> query, String body) {
        Stub stub = stubs.get(method + " " + path);
        if (stub != null) {
            return stub;
        }
        List<Exchange> all = trace.exchanges();
        for (Exchange e : all) {
            if (!consumed[e.index()] && matches(e, method, path, query, body)) {
                consumed[e.index()] = true;
                lastUsed.put(key(method, path, query), e);
                return stubOf(e);
            }
        }
        Exchange again = lastUsed.get(key(method, path, query));
        if (again != null && method.equals("GET")) {
            return stubOf(again);
        }
        String msg = "FakeAriServer: no recorded exchange in " + trace.name() + " for " + method + " " + path
                + (query.isEmpty() ? "" : " " + query) + (body.isEmpty() ? "" : " body " + body);
        return new Stub(404, "application/json",
                TraceFiles.JSON.createObjectNode().put("message", msg).toString());
    }

    private static boolean matches(Exchange e, String method, String path, Map<String, String> query, String body) {
        if (!e.method().equals(method) || !e.path().equals(path) || !e.query().equals(query)) {
            return false;
        }
        if (e.requestBody() == null) {
            return body.isEmpty();
        }
        try {
            JsonNode sent = body.isEmpty() ? null : TraceFiles.JSON.readTree(body);
            return e.requestBody().equals(sent);
        } catch (IOException ex) {
            return false;
        }
    }

    private static Stub stubOf(Exchange e) {
        if (e.responseBody() == null) {
            return new Stub(e.status(), e.contentType(), null);
        }
        String body = e.responseBody().isTextual() ? e.responseBody().asText() : e.responseBody().toString();
        return new Stub(e.status(), e.contentType(), body);
    }

    private static String key(String method, String path, Map<String, String> query) {
        return method + " " + path + " " + query;
    }

    private static String expectedAuthorization() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, int status, String contentType,
            String body) {
        respond(ctx, HttpUtil.isKeepAlive(req), status, contentType, body);
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, int status, String contentType,
            String body) {
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                content);
        if (contentType != null && body != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        HttpUtil.setContentLength(resp, content.readableBytes());
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public String toString() {
        return "FakeAriServer[" + trace.name() + " on " + Objects.toString(baseUrl()) + "]";
    }
}
