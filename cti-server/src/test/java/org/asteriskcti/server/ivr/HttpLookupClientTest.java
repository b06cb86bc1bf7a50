package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK HttpClient lookup against a local HTTP server on loopback. */
class HttpLookupClientTest {

    private HttpServer server;
    private final AtomicReference<String> query = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String body = "{}";
    private volatile long delayMs;
    private final HttpLookupClient client = HttpLookupClient.withDefaults();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crm", ex -> {
            query.set(ex.getRequestURI().getRawQuery());
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/crm?tenant=demo");
    }

    private Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("caller", "+33 1 45");
        p.put("language", "fr");
        return p;
    }

    @Test
    void givenA200JsonObject_thenItsFieldsWithTheParametersSentInTheQuery() throws Exception {
        body = "{\"tier\":\"gold\",\"balance\":12.5,\"vip\":true,\"tags\":[\"a\"],\"none\":null}";
        Map<String, String> r = client.lookup(url(), params(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        assertThat(r).containsExactly(Map.entry("tier", "gold"), Map.entry("balance", "12.5"), Map.entry("vip", "true"),
                Map.entry("tags", "[\"a\"]"));
        assertThat(query.get()).isEqualTo("tenant=demo&caller=%2B33+1+45&language=fr");
    }

    @Test
    void givenANon200_thenFailed() {
        status = 500;
        assertThatThrownBy(() -> client.lookup(url(), params(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(LookupFailedException.class)
                .hasMessageEndingWith(": HTTP 500");
    }

    @Test
    void givenABodyThatIsNotAJsonObject_thenFailed() {
        body = "[1,2]";
        assertThatThrownBy(() -> client.lookup(url(), params(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LookupFailedException.class).hasMessageEndingWith(": the answer is not a JSON object");
        body = "<html>";
        assertThatThrownBy(() -> client.lookup(url(), params(), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LookupFailedException.class).hasMessageEndingWith(": the answer is not JSON");
    }

    @Test
    void givenASlowServer_thenTimedOut() {
        delayMs = 1500;
        assertThatThrownBy(() -> client.lookup(url(), params(), Duration.ofMillis(200)).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LookupFailedException.class).hasMessageEndingWith(": timed out after 200 ms");
    }
}
