package org.asteriskcti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.config.ConfigException;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.TestCertificates;
import org.asteriskcti.server.testsupport.WsProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http.tls: HTTPS and WSS on the client API with PEM files, every bad file refused at configuration time with the
 * key and the file, and a renewed certificate taken for new connections without a restart.
 */
class TlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(Instant.now());

    private CtiConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", dir.resolve("data").toString()));
        env.putAll(extra);
        return ConfigLoader.load(null, env);
    }

    private static Map<String, String> tls(Path cert, Path key) {
        return Map.of("CTI_HTTP_TLS_CERT_FILE", cert.toString(), "CTI_HTTP_TLS_KEY_FILE", key.toString());
    }

    private static List<String> problems(ThrowingLoad load) {
        try {
            load.run();
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the configuration was accepted");
    }

    private interface ThrowingLoad {
        void run();
    }

    @Test
    void withoutTlsKeysTheServerSpeaksPlainHttp() {
        assertThat(config(Map.of()).http().tls()).isEmpty();
    }

    @Test
    void theEnvironmentSetsBothFiles() {
        TestCertificates.Pair a = TestCertificates.make(dir, "a");
        CtiConfig.Tls tls = config(tls(a.certFile(), a.keyFile())).http().tls().orElseThrow();
        assertThat(tls.certFile()).isEqualTo(a.certFile());
        assertThat(tls.keyFile()).isEqualTo(a.keyFile());
    }

    @Test
    void everyBadTlsSettingIsRefusedNamingTheKeyAndTheFile() throws IOException {
        TestCertificates.Pair a = TestCertificates.make(dir, "a");
        TestCertificates.Pair b = TestCertificates.make(dir, "b");
        assertThat(problems(() -> config(Map.of("CTI_HTTP_TLS_CERT_FILE", a.certFile().toString()))))
                .singleElement().asString().contains("key 'http.tls.key-file'").contains("must be set too");
        assertThat(problems(() -> config(tls(dir.resolve("missing.pem"), a.keyFile()))))
                .singleElement().asString().contains("key 'http.tls.cert-file'").contains(dir.resolve("missing.pem") + ": no such file");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertThat(problems(() -> config(tls(garbage, a.keyFile()))))
                .singleElement().asString().contains("key 'http.tls.cert-file'").contains(garbage + ": no PEM certificate");
        assertThat(problems(() -> config(tls(a.certFile(), b.keyFile()))))
                .singleElement().asString().contains("key 'http.tls.key-file'").contains(b.keyFile() + ": this key does not belong to the certificate");
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThat(problems(() -> config(tls(a.certFile(), pkcs1))))
                .singleElement().asString().contains("key 'http.tls.key-file'").contains("openssl pkcs8 -topk8 -nocrypt");
        Path keyAsCert = a.keyFile();
        assertThat(problems(() -> config(tls(keyAsCert, a.certFile())))).hasSize(1);
    }

    @Test
    void restWebSocketAndTheWallboardAreServedOverTlsAndPlainHttpIsNot() throws Exception {
        TestCertificates.Pair a = TestCertificates.make(dir, "a");
        CtiServer server = new CtiServer(config(tls(a.certFile(), a.keyFile())), clock, (c, sink, m) -> CtiServer.Edges.none()).start();
        try {
            int port = server.httpAddress().getPort();
            HttpClient https = HttpClient.newBuilder().sslContext(a.trustingIt()).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503); // no Asterisk here: DOWN, but answered over TLS
            assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("DOWN");
            HttpResponse<String> wallboard = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/wallboard/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wallboard.statusCode()).isEqualTo(200);
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/auth/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"supervisor\",\"password\":\"supervisor\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            String token = JSON.readTree(login.body()).path("token").asText();

            WsProbe ws = WsProbe.open(https, URI.create("wss://127.0.0.1:" + port + "/ws?access_token=" + token));
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.frames.size() >= 2);
            assertThat(ws.frames.get(0).path("type").asText()).isEqualTo("welcome");
            ws.abort();

            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            // A client that does not trust the certificate is refused by its own TLS check.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        } finally {
            server.close();
        }
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithin30sAndABrokenRenewalKeepsTheOldOne() throws Exception {
        TestCertificates.Pair first = TestCertificates.make(dir.resolve("first"), "first");
        TestCertificates.Pair second = TestCertificates.make(dir.resolve("second"), "second");
        Path cert = dir.resolve("live.crt.pem");
        Path key = dir.resolve("live.key.pem");
        Files.copy(first.certFile(), cert);
        Files.copy(first.keyFile(), key);
        CtiServer server = new CtiServer(config(tls(cert, key)), clock, (c, sink, m) -> CtiServer.Edges.none()).start();
        try {
            int port = server.httpAddress().getPort();
            assertThat(servedSerial(port)).isEqualTo(first.certificate().getSerialNumber());

            Files.writeString(key, Files.readString(second.keyFile()));
            Files.writeString(cert, Files.readString(second.certFile()));
            clock.advance(Duration.ofSeconds(10));
            assertThat(servedSerial(port)).as("checked at most every 30 s").isEqualTo(first.certificate().getSerialNumber());
            clock.advance(Duration.ofSeconds(21));
            assertThat(servedSerial(port)).isEqualTo(second.certificate().getSerialNumber());

            Files.writeString(cert, "half-written renewal\n");
            clock.advance(Duration.ofSeconds(31));
            assertThat(servedSerial(port)).as("a broken renewal keeps the certificate in service")
                    .isEqualTo(second.certificate().getSerialNumber());
        } finally {
            server.close();
        }
    }

    /** The serial number of the certificate the server presents to a new connection. */
    private static BigInteger servedSerial(int port) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

}
