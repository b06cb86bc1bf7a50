package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.asteriskcti.server.AsteriskEdges;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;

/**
 * The real CTI server (production wiring, {@link AsteriskEdges}) on a free port, configured from
 * the built-in defaults plus a small YAML file: a temporary data-dir, AMI on the given port (the
 * Asterisk port, or a {@link TcpProxy} in front of it), and short reconnect backoffs so a restored
 * link is found within a couple of seconds. The heartbeat keys (ping-interval/ping-timeout) keep
 * their production defaults: the AMI-cut test checks those. No CTI_* environment variable is read.
 */
final class CtiUnderTest implements AutoCloseable {

    private final CtiServer server;
    private final URI base;

    private CtiUnderTest(CtiServer server) {
        this.server = server;
        InetSocketAddress a = server.httpAddress();
        this.base = URI.create("http://127.0.0.1:" + a.getPort());
    }

    /** Starts a CTI talking to the test Asterisk, AMI through {@code amiPort}. */
    static CtiUnderTest start(Path dir, int amiPort) {
        return start(dir, amiPort, "");
    }

    /** As {@link #start(Path, int)}, with more YAML appended (top-level keys: queues, agents...). */
    static CtiUnderTest start(Path dir, int amiPort, String extraYaml) {
        try {
            Path yaml = writeConfig(dir, amiPort, 0, extraYaml);
            CtiConfig config = ConfigLoader.load(yaml, Map.of());
            CtiServer server = new CtiServer(config, Clock.systemUTC(), new AsteriskEdges()).start();
            return new CtiUnderTest(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting the CTI", e);
        }
    }

    /** The test configuration file in {@code dir} (HTTP on {@code httpPort}, 0: any free port). */
    static Path writeConfig(Path dir, int amiPort, int httpPort, String extraYaml) {
        try {
            Files.createDirectories(dir);
            Path yaml = dir.resolve("cti-it.yaml");
            Files.writeString(yaml, String.join("\n",
                    "# written by the integration tests (CtiUnderTest)",
                    "http:",
                    "  host: 127.0.0.1",
                    "  port: " + httpPort,
                    "asterisk:",
                    "  ami:",
                    "    host: " + AsteriskUnderTest.HOST,
                    "    port: " + amiPort,
                    "    username: " + AsteriskUnderTest.AMI_USER,
                    "    secret: " + AsteriskUnderTest.AMI_SECRET,
                    "    reconnect-min: 200ms",
                    "    reconnect-max: 2s",
                    "  ari:",
                    "    url: http://" + AsteriskUnderTest.HOST + ":" + AsteriskUnderTest.HTTP_PORT + "/ari",
                    "    username: " + AsteriskUnderTest.ARI_USER,
                    "    password: " + AsteriskUnderTest.ARI_PASSWORD,
                    "    app: " + AsteriskUnderTest.ARI_APP,
                    "    reconnect-min: 200ms",
                    "    reconnect-max: 2s",
                    "data-dir: " + dir.resolve("data"),
                    extraYaml,
                    ""), StandardCharsets.UTF_8);
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CTI test configuration in " + dir, e);
        }
    }

    /** Runs {@code query} on the domain loop against the ACD and returns its result. */
    <T> T acd(java.util.function.Function<org.asteriskcti.server.acd.AcdService, T> query) {
        try {
            return server.loop().call(() -> query.apply(server.acd())).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("ACD query failed: " + e, e);
        }
    }

    /** http://127.0.0.1:<port> */
    URI base() {
        return base;
    }

    CtiClient.Health health() {
        return CtiClient.health(base);
    }

    CtiClient login(String user, String password) {
        return CtiClient.login(base, user, password);
    }

    CtiServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
