package org.asteriskcti.server.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * N WebSocket clients on one shared Netty event loop group (threads named {@code bench-client-*}).
 * Each client checks its stream's seq continuity and records, for every {@code event} frame, the
 * receive time minus the frame's {@code at}, both from {@link WallClock}. Frames are not parsed as
 * JSON: the client reads {@code seq}, {@code type} and {@code at} by scanning the bytes, which the
 * server writes in a fixed order ({@code {"seq":N,"v":1,"type":"...",...,"at":"...",...}}), so the
 * clients spend as little of the shared CPU as possible (for the same reason they skip Netty's UTF-8
 * validation of text frames).
 */
final class WsClients implements AutoCloseable {

    private static final byte[] SEQ_PREFIX = ascii("{\"seq\":");
    private static final byte[] TYPE_KEY = ascii("\"type\":\"");
    private static final byte[] AT_KEY = ascii("\"at\":\"");
    private static final byte[] CALLS_TOPIC = ascii("\"topic\":\"calls\"");
    private static final int CLOSED_WITHOUT_CLOSE_FRAME = -1;

    private final EventLoopGroup group;

    WsClients(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-client", true),
                NioIoHandler.newFactory());
    }

    /**
     * Opens {@code n} connections to {@code uri} ({@code batch} handshakes at a time). With
     * {@code subscribeCalls} each sends {@code subscribe calls} after the handshake and is ready when
     * its {@code calls} snapshot arrives; otherwise it is ready when the handshake completes.
     * {@code captureFirst}: client 0 keeps the text of every event frame.
     */
    List<Client> connect(URI uri, int n, boolean subscribeCalls, boolean captureFirst, int batch, long timeoutMillis)
            throws Exception {
        List<Client> clients = new ArrayList<>(n);
        for (int from = 0; from < n; from += batch) {
            List<CompletableFuture<Void>> handshakes = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + batch); i++) {
                Client c = new Client(i, subscribeCalls, captureFirst && i == 0);
                clients.add(c);
                handshakes.add(c.handshake);
                open(uri, c);
            }
            CompletableFuture.allOf(handshakes.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        CompletableFuture.allOf(clients.stream().map(c -> c.ready).toArray(CompletableFuture[]::new))
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
        return clients;
    }

    private void open(URI uri, Client c) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .withUTF8Validator(false) // load generators: the bytes are only scanned, never decoded
                .maxFramePayloadLength(16 * 1024 * 1024)
                .handshakeTimeoutMillis(30_000)
                .build();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new WebSocketClientProtocolHandler(config), c);
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        c.handshake.completeExceptionally(f.cause());
                        c.ready.completeExceptionally(f.cause());
                    }
                });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** One connection and what it saw. Mutated on its event loop only; read after {@link #events} settles. */
    static final class Client extends SimpleChannelInboundHandler<WebSocketFrame> {
        final int index;
        private final boolean subscribeCalls;
        private final boolean capture;
        final CompletableFuture<Void> handshake = new CompletableFuture<>();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final List<String> captured = new ArrayList<>();
        private Channel channel;
        private long expectedSeq = 1;
        private long[] latencies = new long[1024];
        long gaps;
        long snapshots;
        long firstEventMicros = -1;
        long lastEventMicros = -1;
        long eventBytes;
        /** The close code the server sent, -1 for a close without one, 0 while open. */
        volatile int closeCode;
        /** Event frames so far; written last in each read, so reading it publishes the fields above. */
        volatile int events;

        Client(int index, boolean subscribeCalls, boolean capture) {
            this.index = index;
            this.subscribeCalls = subscribeCalls;
            this.capture = capture;
        }

        long[] latencies() {
            return Arrays.copyOf(latencies, events);
        }

        /** Roughly what this client holds in memory for the report (latency array, captured frames). */
        long recordedBytes() {
            long bytes = 16L + 8L * latencies.length;
            for (String t : captured) {
                bytes += 40 + t.length();
            }
            return bytes;
        }

        void disconnect() {
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                channel = ctx.channel();
                // Keeps the server's heartbeat (reader idle, 45 s by default) from closing a long run.
                ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(new PingWebSocketFrame()), 10, 10,
                        TimeUnit.SECONDS);
                handshake.complete(null);
                if (subscribeCalls) {
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"subscribe\",\"id\":\"1\",\"topics\":[\"calls\"]}"));
                } else {
                    ready.complete(null);
                }
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                handshake.completeExceptionally(new IllegalStateException("handshake timeout"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                ctx.close();
                return;
            }
            if (!(frame instanceof TextWebSocketFrame)) {
                return;
            }
            long now = WallClock.micros();
            ByteBuf b = frame.content();
            int start = b.readerIndex();
            int end = b.writerIndex();
            if (!startsWith(b, start, end, SEQ_PREFIX)) {
                return; // welcome, reply, pong: not on the stream
            }
            int i = start + SEQ_PREFIX.length;
            long seq = 0;
            for (byte c; i < end && (c = b.getByte(i)) >= '0' && c <= '9'; i++) {
                seq = seq * 10 + (c - '0');
            }
            if (seq != expectedSeq) {
                gaps++;
            }
            expectedSeq = seq + 1;
            int t = indexOf(b, TYPE_KEY, i, end);
            if (t < 0) {
                return;
            }
            if (b.getByte(t + TYPE_KEY.length) == 's') { // snapshot
                snapshots++;
                if (indexOf(b, CALLS_TOPIC, t, end) >= 0) {
                    ready.complete(null);
                }
                return;
            }
            int a = indexOf(b, AT_KEY, t, end);
            if (a < 0) {
                return;
            }
            long at = parseIsoMicros(b, a + AT_KEY.length, end);
            int n = events;
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n] = now - at;
            if (firstEventMicros < 0) {
                firstEventMicros = now;
            }
            lastEventMicros = now;
            eventBytes += end - start;
            if (capture) {
                captured.add(b.toString(StandardCharsets.UTF_8));
            }
            events = n + 1;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (closeCode == 0) {
                closeCode = CLOSED_WITHOUT_CLOSE_FRAME;
            }
            ready.completeExceptionally(new IllegalStateException("client " + index + " closed before ready"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ready.completeExceptionally(cause);
            ctx.close();
        }
    }

    // ---- byte scanning ----------------------------------------------------------------------------

    private static boolean startsWith(ByteBuf b, int from, int end, byte[] p) {
        if (end - from < p.length) {
            return false;
        }
        for (int k = 0; k < p.length; k++) {
            if (b.getByte(from + k) != p[k]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuf b, byte[] p, int from, int end) {
        outer:
        for (int i = from; i <= end - p.length; i++) {
            for (int k = 0; k < p.length; k++) {
                if (b.getByte(i + k) != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code 2026-11-23T08:26:32.123456Z} (any fraction length, or none) to epoch micros. */
    static long parseIsoMicros(ByteBuf b, int i, int end) {
        int year = num(b, i, 4);
        int month = num(b, i + 5, 2);
        int day = num(b, i + 8, 2);
        int hour = num(b, i + 11, 2);
        int minute = num(b, i + 14, 2);
        int second = num(b, i + 17, 2);
        long micros = 0;
        int p = i + 19;
        if (p < end && b.getByte(p) == '.') {
            int digits = 0;
            for (p++; p < end; p++) {
                byte c = b.getByte(p);
                if (c < '0' || c > '9') {
                    break;
                }
                if (digits < 6) {
                    micros = micros * 10 + (c - '0');
                }
                digits++;
            }
            for (; digits < 6; digits++) {
                micros *= 10;
            }
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second;
        return seconds * 1_000_000L + micros;
    }

    private static int num(ByteBuf b, int from, int len) {
        int v = 0;
        for (int k = 0; k < len; k++) {
            v = v * 10 + (b.getByte(from + k) - '0');
        }
        return v;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
