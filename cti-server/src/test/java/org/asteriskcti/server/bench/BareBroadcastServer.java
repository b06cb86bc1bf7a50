package org.asteriskcti.server.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The upper bound: a bare Netty WebSocket server that broadcasts a list of frame texts to every
 * connected client as fast as the clients take them. Same transport settings as the CTI's
 * {@code ApiServer} (NIO, one boss thread, 2 x cores workers, TCP_NODELAY, the configured write
 * watermarks), none of its work: no model, no sessions, no per-client seq or copy. Each frame is
 * encoded once into one pooled direct buffer shared by all clients, gets the broadcast index as
 * {@code seq} and its write time as {@code at}, and is written only when every client is writable
 * (above the high watermark the producer waits, so nothing is dropped and nobody is closed).
 * Threads are named {@code bare-*}.
 */
final class BareBroadcastServer implements AutoCloseable {

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bare-boss", true),
            NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0,
            new DefaultThreadFactory("bare-worker", true), NioIoHandler.newFactory());
    private final List<Channel> clients = new CopyOnWriteArrayList<>();
    private final Object writability = new Object();
    private final Channel server;

    BareBroadcastServer(int writeBufferLow, int writeBufferHigh) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(writeBufferLow, writeBufferHigh))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"), new Tracker());
                    }
                });
        server = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int connected() {
        return clients.size();
    }

    /**
     * Broadcasts on a new thread ({@code bare-producer}). Each text is a CTI frame
     * {@code {"seq":N,...,"at":"...",...}}; its seq is replaced by the broadcast index (1, 2, ...) and
     * its at by the time the frame is written. {@code intervalNanos} 0 sends as fast as the clients
     * take them; otherwise frame j is sent no earlier than j x interval after the first. Completes
     * with the number of frames sent.
     */
    CompletableFuture<Long> broadcast(List<String> texts, long intervalNanos) {
        List<String[]> parts = texts.stream().map(BareBroadcastServer::split).toList();
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                long seq = 0;
                long startNanos = System.nanoTime();
                for (String[] p : parts) {
                    if (intervalNanos > 0) {
                        long due = startNanos + seq * intervalNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    awaitAllWritable();
                    seq++;
                    String text = "{\"seq\":" + seq + "," + p[0] + WallClock.iso(WallClock.micros()) + p[1];
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
                    buf.writeBytes(bytes);
                    for (Channel ch : clients) {
                        ch.writeAndFlush(new TextWebSocketFrame(buf.retainedDuplicate()), ch.voidPromise());
                    }
                    buf.release();
                }
                done.complete(seq);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "bare-producer");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** {@code {"seq":N,<head>"at":"<instant>"<tail>} -> [<head>"at":", "<tail>]. */
    private static String[] split(String frame) {
        int comma = frame.indexOf(',');
        int at = frame.indexOf("\"at\":\"", comma);
        if (!frame.startsWith("{\"seq\":") || comma < 0 || at < 0) {
            throw new IllegalArgumentException("not a CTI stream frame: " + frame);
        }
        int valueStart = at + 6;
        int valueEnd = frame.indexOf('"', valueStart);
        return new String[] {frame.substring(comma + 1, valueStart), frame.substring(valueEnd)};
    }

    private void awaitAllWritable() throws InterruptedException {
        for (Channel ch : clients) {
            while (!ch.isWritable() && ch.isActive()) {
                synchronized (writability) {
                    if (!ch.isWritable() && ch.isActive()) {
                        writability.wait(1);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        for (Channel ch : clients) {
            ch.close();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Registers a client once its handshake is done; wakes the producer when one drains. */
    private final class Tracker extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                clients.add(ctx.channel());
                ctx.channel().closeFuture().addListener(f -> clients.remove(ctx.channel()));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().isWritable()) {
                synchronized (writability) {
                    writability.notifyAll();
                }
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg); // clients send only pings (answered by the protocol handler)
        }
    }
}
