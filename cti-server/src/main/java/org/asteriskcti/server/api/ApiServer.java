package org.asteriskcti.server.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.metrics.CtiMetrics;

/** The HTTP + WebSocket server for clients (Netty, NIO). */
public final class ApiServer implements AutoCloseable {

    private final CtiConfig config;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    private final ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "cti-auth");
        t.setDaemon(true);
        return t;
    });
    private final HttpHandler.ApiContext context;
    private final WallboardFiles wallboard = new WallboardFiles();
    private Channel server;
    /** Present when http.tls is configured. */
    private final TlsContextHolder tls;

    public ApiServer(CtiConfig config, AuthService auth, ClientHub hub, DomainLoop loop, CtiMetrics metrics,
            RestQueries rest, Supplier<CompletableFuture<Map<String, Object>>> health) {
        this.config = config;
        if (config.http().tls().isPresent()) {
            CtiConfig.Tls files = config.http().tls().get();
            try {
                this.tls = new TlsContextHolder(files.certFile(), files.keyFile(), loop.clock());
            } catch (TlsFiles.TlsException e) {
                throw new IllegalStateException("http.tls." + e.key() + ": " + e.getMessage(), e);
            }
        } else {
            this.tls = null;
        }
        this.context = new HttpHandler.ApiContext() {
            @Override
            public AuthService auth() {
                return auth;
            }

            @Override
            public ClientHub hub() {
                return hub;
            }

            @Override
            public DomainLoop loop() {
                return loop;
            }

            @Override
            public CtiMetrics metrics() {
                return metrics;
            }

            @Override
            public CtiConfig.ClientApi clientApi() {
                return config.clientApi();
            }

            @Override
            public java.util.concurrent.Executor workers() {
                return blocking;
            }

            @Override
            public RestQueries rest() {
                return rest;
            }

            @Override
            public CompletableFuture<Map<String, Object>> health() {
                return health.get();
            }

            @Override
            public WallboardFiles wallboard() {
                return wallboard;
            }
        };
    }

    /** Binds and returns the bound address (port 0 in the config picks a free port). */
    public InetSocketAddress start() throws InterruptedException {
        CtiConfig.ClientApi api = config.clientApi();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(api.writeBufferLow(), api.writeBufferHigh()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.current().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(config.http().maxRequestSize()));
                        ch.pipeline().addLast("routes", new HttpHandler(context));
                    }
                });
        server = b.bind(config.http().host(), config.http().port()).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        blocking.shutdownNow();
    }
}
