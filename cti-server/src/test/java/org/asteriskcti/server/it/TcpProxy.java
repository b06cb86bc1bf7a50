package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy between the CTI and Asterisk (the AMI link), so a test can break the link:
 * <ul>
 *   <li>{@link #cut()}: closes both sides of every connection; new connections are accepted and
 *       closed at once (as if Asterisk's port answered with a reset) until {@link #restore()}.</li>
 *   <li>{@link #blackhole()}: a half-open link. Connections stay open but nothing is forwarded
 *       either way (bytes are read and dropped, nobody sees a FIN or RST); new connections are
 *       accepted and held the same way. Only a heartbeat can notice.</li>
 *   <li>{@link #restore()}: forwards again; connections held by a blackhole are closed (their
 *       streams lost bytes, so they cannot continue) and new ones go through.</li>
 * </ul>
 */
final class TcpProxy implements AutoCloseable {

    enum Mode { FORWARD, CUT, BLACKHOLE }

    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.FORWARD;
    private volatile boolean closed;

    TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the proxy", e);
        }
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + port());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Mode mode() {
        return mode;
    }

    /** Connections accepted so far (a reconnecting client shows up here). */
    int accepted() {
        return accepted.get();
    }

    synchronized void cut() {
        mode = Mode.CUT;
        log.info("proxy :{} -> {}:{}: CUT ({} connection(s) closed)", port(), targetHost, targetPort, links.size());
        for (Link l : links) {
            l.close();
        }
    }

    synchronized void blackhole() {
        mode = Mode.BLACKHOLE;
        log.info("proxy :{} -> {}:{}: BLACKHOLE ({} connection(s) go silent)", port(), targetHost, targetPort, links.size());
        for (Link l : links) {
            l.blackholed = true;
        }
    }

    synchronized void restore() {
        mode = Mode.FORWARD;
        int n = 0;
        for (Link l : links) {
            if (l.blackholed) {
                l.close();
                n++;
            }
        }
        log.info("proxy :{} -> {}:{}: FORWARD ({} held connection(s) closed)", port(), targetHost, targetPort, n);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy accept failed: {}", e.toString());
                }
                return;
            }
            accepted.incrementAndGet();
            synchronized (this) {
                switch (mode) {
                    case CUT -> closeQuietly(client);
                    case BLACKHOLE -> {
                        Link l = new Link(client, null);
                        l.blackholed = true;
                        links.add(l);
                        l.pump(client, null);
                    }
                    case FORWARD -> {
                        try {
                            Socket upstream = new Socket();
                            upstream.connect(new InetSocketAddress(targetHost, targetPort), 3000);
                            Link l = new Link(client, upstream);
                            links.add(l);
                            l.pump(client, upstream);
                            l.pump(upstream, client);
                        } catch (IOException e) {
                            log.info("proxy: upstream {}:{} refused: {}", targetHost, targetPort, e.toString());
                            closeQuietly(client);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Link l : links) {
            l.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** One proxied connection: the client's socket and (unless held) the upstream one. */
    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean blackholed;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /** Copies from -> to until EOF; drops the bytes while blackholed (or when there is no to). */
        void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to == null ? null : to.getOutputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!blackholed && out != null) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // closed by cut()/restore()/close(), or by a peer
                }
                if (!blackholed) {
                    close();
                }
            }, "tcp-proxy-pump-" + from.getPort());
            t.setDaemon(true);
            t.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }
}
