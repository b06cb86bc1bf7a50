package org.asteriskcti.softphone.cti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.LoginResponse;
import org.asteriskcti.protocol.UserInfo;
import org.asteriskcti.protocol.Welcome;

/**
 * A small stand-in for cti-server's client API, written from docs/asyncapi.yaml and cti-server's ClientHub: REST
 * login and queues, the WebSocket with welcome, sessions whose stream frames carry seq, replay on resume, subscribe
 * with snapshots, agent.ready with its agent.updated event and reply, call commands (recorded) with replies, and
 * ping. Tests publish events and drop connections. Thread-safe by one lock (it is test code).
 */
final class FakeCtiServer implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "secret";
    static final String AGENT = "1001";

    private static final ObjectMapper JSON = Json.mapper();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final List<JsonNode> received = new ArrayList<>();
    private final List<String> connectQueries = new ArrayList<>();
    private final Map<String, AgentInfo> agents = new LinkedHashMap<>();
    private boolean answerCommands = true;
    private int nextSession;

    private final class Session {
        final String id = "s" + (++nextSession);
        final Set<String> topics = new LinkedHashSet<>(List.of("system"));
        final List<String> frames = new ArrayList<>(); // frames[i] has seq i+1
        Channel channel;

        void append(ObjectNode body) {
            body.put("seq", frames.size() + 1);
            String text = body.toString();
            frames.add(text);
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(new TextWebSocketFrame(text));
            }
        }
    }

    FakeCtiServer() throws InterruptedException {
        agents.put(AGENT, agent(AGENT, "Alice", "NOT_READY", "login"));
        agents.put("1002", agent("1002", "Bob", "READY", null));
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Rest(),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").checkStartsWith(true).build()),
                                new Ws());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    static AgentInfo agent(String id, String name, String state, String reason) {
        return new AgentInfo(id, name, "PJSIP/" + id, "IDLE", new AgentInfo.AcdAgent(state, reason, Instant.now(),
                "LOGIN", null, true, false, null, null, null, 0, null, null));
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Appends an event to every session subscribed to one of {@code topics}, connected or not. */
    synchronized void publish(String event, List<String> topics, Object data) {
        for (Session s : sessions.values()) {
            if (topics.stream().anyMatch(s.topics::contains)) {
                ObjectNode body = JSON.createObjectNode();
                body.put("v", 1).put("type", "event").put("event", event);
                body.set("topics", JSON.valueToTree(topics));
                body.put("at", Instant.now().toString());
                body.set("data", JSON.valueToTree(data));
                s.append(body);
            }
        }
    }

    /** Cuts every WebSocket without a close frame, like a network failure. */
    synchronized void dropConnections() {
        for (Session s : sessions.values()) {
            if (s.channel != null) {
                s.channel.close();
                s.channel = null;
            }
        }
    }

    /** While false, commands are taken (and recorded) but not answered, as when the reply is lost. */
    synchronized void answerCommands(boolean on) {
        answerCommands = on;
    }

    synchronized List<JsonNode> received() {
        return List.copyOf(received);
    }

    synchronized List<String> connectQueries() {
        return List.copyOf(connectQueries);
    }

    synchronized int connectedCount() {
        return (int) sessions.values().stream().filter(s -> s.channel != null && s.channel.isActive()).count();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- REST -------------------------------------------------------------------------------------------

    private final class Rest extends SimpleChannelInboundHandler<FullHttpRequest> {
        Rest() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            String path = new QueryStringDecoder(req.uri()).path();
            if (path.equals("/ws")) {
                ctx.fireChannelRead(req);
                return;
            }
            try {
                if (req.method().equals(HttpMethod.POST) && path.equals("/api/v1/auth/login")) {
                    JsonNode b = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
                    if (USER.equals(b.path("username").asText()) && PASSWORD.equals(b.path("password").asText())) {
                        respond(ctx, 200, new LoginResponse("tok-" + USER, "Bearer", Instant.now().plusSeconds(3600),
                                new UserInfo(USER, "t1", "agent", AGENT)));
                    } else {
                        respond(ctx, 401, new ErrorBody("auth.invalid_credentials", 401, "user name or password is wrong", Map.of()));
                    }
                } else if (path.equals("/api/v1/queues")) {
                    respond(ctx, 200, Map.of("queues", List.of(Map.of("queue_id", "sales", "name", "Sales"))));
                } else {
                    respond(ctx, 404, new ErrorBody("http.not_found", 404, "no such resource " + path, Map.of()));
                }
            } finally {
                req.release();
            }
        }

        private void respond(ChannelHandlerContext ctx, int status, Object body) throws Exception {
            byte[] bytes = JSON.writeValueAsBytes(body);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    Unpooled.wrappedBuffer(bytes));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            ctx.writeAndFlush(r);
        }
    }

    // ---- WebSocket --------------------------------------------------------------------------------------

    private final class Ws extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private Session session;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                connected(ctx.channel(), hc.requestUri());
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        private void connected(Channel ch, String uri) throws Exception {
            synchronized (FakeCtiServer.this) {
                connectQueries.add(uri);
                Map<String, List<String>> q = new QueryStringDecoder(uri).parameters();
                String resume = q.containsKey("resume") ? q.get("resume").get(0) : null;
                long last = q.containsKey("last_seq") ? Long.parseLong(q.get("last_seq").get(0)) : -1;
                Session s = resume == null ? null : sessions.get(resume);
                String result = resume == null ? null : s == null ? "unknown_session" : "replay";
                if (s == null) {
                    s = new Session();
                    sessions.put(s.id, s);
                }
                session = s;
                s.channel = ch;
                long from = "replay".equals(result) ? last : s.frames.size();
                Welcome w = new Welcome("welcome", 1, s.id, "replay".equals(result), result, from, List.copyOf(s.topics),
                        new UserInfo(USER, "t1", "agent", AGENT), Instant.now(), 30_000);
                ch.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(w)));
                if ("replay".equals(result)) {
                    for (long i = last; i < s.frames.size(); i++) {
                        ch.writeAndFlush(new TextWebSocketFrame(s.frames.get((int) i)));
                    }
                } else {
                    snapshot(s, "system");
                }
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
            JsonNode m = JSON.readTree(frame.text());
            synchronized (FakeCtiServer.this) {
                received.add(m);
                String type = m.path("type").asText();
                String id = m.path("id").asText();
                switch (type) {
                    case "ping" -> send(ctx, JSON.createObjectNode().put("type", "pong").put("id", id));
                    case "subscribe" -> {
                        List<String> added = new ArrayList<>();
                        for (JsonNode t : m.path("topics")) {
                            if (session.topics.add(t.asText())) {
                                added.add(t.asText());
                            }
                        }
                        ObjectNode r = JSON.createObjectNode().put("type", "reply").put("id", id).put("ok", true);
                        r.set("topics", JSON.valueToTree(session.topics));
                        send(ctx, r);
                        for (String t : added) {
                            snapshot(session, t);
                        }
                    }
                    case "agent.ready" -> {
                        AgentInfo a = agent(AGENT, "Alice", "READY", null);
                        agents.put(AGENT, a);
                        publish("agent.updated", List.of("agents", "agent:" + AGENT), a);
                        reply(ctx, id, a);
                    }
                    case "agent.not_ready" -> {
                        String reason = m.path("reason").asText();
                        if (!List.of("break", "lunch").contains(reason)) {
                            ObjectNode e = JSON.createObjectNode().put("type", "error").put("id", id);
                            e.set("error", JSON.valueToTree(new ErrorBody("agent.unknown_reason", 400,
                                    "'" + reason + "' is not one of your tenant's not-ready reasons",
                                    Map.of("reason", reason, "allowed", List.of("break", "lunch")))));
                            send(ctx, e);
                        } else {
                            AgentInfo a = agent(AGENT, "Alice", "NOT_READY", reason);
                            agents.put(AGENT, a);
                            publish("agent.updated", List.of("agents", "agent:" + AGENT), a);
                            reply(ctx, id, a);
                        }
                    }
                    default -> {
                        if (type.startsWith("call.") && answerCommands) {
                            reply(ctx, id, Map.of("command_id", m.path("command_id").asText()));
                        }
                    }
                }
            }
        }

        private void reply(ChannelHandlerContext ctx, String id, Object data) {
            ObjectNode r = JSON.createObjectNode().put("type", "reply").put("id", id).put("ok", true);
            r.set("data", JSON.valueToTree(data));
            send(ctx, r);
        }

        private void send(ChannelHandlerContext ctx, ObjectNode n) {
            n.put("v", 1);
            ctx.writeAndFlush(new TextWebSocketFrame(n.toString()));
        }

        private void snapshot(Session s, String topic) {
            ObjectNode body = JSON.createObjectNode().put("v", 1).put("type", "snapshot").put("topic", topic);
            Object data = switch (topic) {
                case "system" -> Map.of("state", "synced", "ami", "UP", "ari", "UP");
                case "agents" -> Map.of("agents", List.copyOf(agents.values()));
                default -> Map.of("agent", agents.get(AGENT), "calls", List.of(), "conversations", List.of(),
                        "recordings", List.of(), "history", List.of());
            };
            body.set("data", JSON.valueToTree(data));
            s.append(body);
        }
    }
}
