package org.asteriskcti.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.CloseCodes;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated client WebSocket (not sharable: it holds this connection's state). Parses and
 * validates frames here, on the connection's event loop; well-formed messages go to the hub on the
 * domain loop. Malformed ones get an {@code error} message; too many close the connection (4400).
 */
final class WsClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WsClientHandler.class);
    private static final ObjectMapper JSON = Json.mapper();

    private final ClientHub hub;
    private final DomainLoop loop;
    private final CtiMetrics metrics;
    private final int maxMalformed;
    private final Principal principal;
    private final String resumeId;
    private final Long lastSeq;
    private NettyClientConnection connection;
    private int malformed;

    WsClientHandler(ClientHub hub, DomainLoop loop, CtiMetrics metrics, int maxMalformed, Principal principal,
            String resumeId, Long lastSeq) {
        this.hub = hub;
        this.loop = loop;
        this.metrics = metrics;
        this.maxMalformed = maxMalformed;
        this.principal = principal;
        this.resumeId = resumeId;
        this.lastSeq = lastSeq;
    }

    /** Called once the handshake is complete. */
    void start(ChannelHandlerContext ctx) {
        connection = new NettyClientConnection(ctx.channel());
        metrics.connectionOpened();
        NettyClientConnection conn = connection;
        loop.execute(() -> hub.connected(conn, principal, resumeId, lastSeq));
        ctx.channel().closeFuture().addListener(f -> {
            metrics.connectionClosed();
            loop.execute(() -> hub.disconnected(conn));
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            onText(ctx, text.text());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof PongWebSocketFrame) {
            // a heartbeat answer: reading it already reset the idle timer
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(f -> ctx.close());
        } else if (frame instanceof BinaryWebSocketFrame) {
            malformed(ctx, null, Protocol.Errors.BINARY_NOT_SUPPORTED, "binary frames are not supported; send JSON text");
        }
    }

    private void onText(ChannelHandlerContext ctx, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            malformed(ctx, null, Protocol.Errors.MALFORMED_JSON, "frame is not valid JSON: " + e.getOriginalMessage());
            return;
        }
        if (node == null || !node.isObject()) {
            malformed(ctx, null, Protocol.Errors.MALFORMED_JSON, "frame must be a JSON object");
            return;
        }
        String id = node.hasNonNull("id") ? node.get("id").asText() : null;
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            malformed(ctx, id, Protocol.Errors.MISSING_FIELD, "field 'type' (text) is required");
            return;
        }
        String t = type.asText();
        if (Protocol.Type.AGENT_COMMANDS.contains(t)) {
            ClientMessage command;
            try {
                command = AcdApi.readCommand(t, id, node);
            } catch (ApiException e) {
                // Well-formed JSON with a field of the wrong kind: refused like over REST, not a protocol fault.
                connection.send(hub.errorFrame(id, e.body()));
                return;
            }
            NettyClientConnection conn = connection;
            loop.execute(() -> hub.message(conn, command));
            return;
        }
        if (Protocol.Type.CALL_COMMANDS.contains(t)) {
            org.asteriskcti.protocol.CallCommand command;
            try {
                command = ControlApi.readCommand(t, id, node);
            } catch (ApiException e) {
                connection.send(hub.errorFrame(id, e.body()));
                return;
            }
            NettyClientConnection conn = connection;
            loop.execute(() -> hub.callCommand(conn, command));
            return;
        }
        List<String> topics = List.of();
        if (Protocol.Type.SUBSCRIBE.equals(t) || Protocol.Type.UNSUBSCRIBE.equals(t)) {
            JsonNode tn = node.get("topics");
            if (tn == null || !tn.isArray() || tn.isEmpty()) {
                malformed(ctx, id, Protocol.Errors.MISSING_FIELD, "field 'topics' (a non-empty list of text) is required for " + t);
                return;
            }
            topics = new ArrayList<>();
            for (JsonNode x : tn) {
                if (!x.isTextual()) {
                    malformed(ctx, id, Protocol.Errors.MISSING_FIELD, "every entry of 'topics' must be text");
                    return;
                }
                topics.add(x.asText());
            }
        } else if (!Protocol.Type.PING.equals(t)) {
            java.util.TreeSet<String> known = new java.util.TreeSet<>(Protocol.Type.AGENT_COMMANDS);
            known.addAll(Protocol.Type.CALL_COMMANDS);
            malformed(ctx, id, Protocol.Errors.UNKNOWN_TYPE, "unknown message type '" + t + "' (known: subscribe, unsubscribe, ping, "
                    + String.join(", ", known) + ")");
            return;
        }
        ClientMessage msg = new ClientMessage(t, id, List.copyOf(topics));
        NettyClientConnection conn = connection;
        loop.execute(() -> hub.message(conn, msg));
    }

    private void malformed(ChannelHandlerContext ctx, String id, String errorId, String message) {
        malformed++;
        metrics.malformedFrame();
        String frame = hub.errorFrame(id, new ErrorBody(errorId, 400, message, Map.of("malformed_frames", malformed)));
        connection.send(frame);
        if (malformed >= maxMalformed) {
            log.info("{}: {} malformed frames, closing", connection, malformed);
            connection.close(CloseCodes.PROTOCOL_VIOLATION, "too many malformed frames");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            NettyClientConnection conn = connection;
            loop.execute(() -> hub.writable(conn));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                connection.close(CloseCodes.HEARTBEAT_TIMEOUT, "no frame from the client within the heartbeat timeout");
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: {}", connection, cause.toString());
        ctx.close();
    }
}
