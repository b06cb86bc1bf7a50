package org.asteriskcti.server.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for TLS tests, made at test time with the JDK's keytool (CN=localhost, SAN 127.0.0.1 and
 * localhost) and written as the server reads them: a PEM certificate and a PEM PKCS#8 key.
 */
public final class TestCertificates {

    /** One certificate and its key, as PEM files and as objects (for a client that trusts it). */
    public record Pair(Path certFile, Path keyFile, X509Certificate certificate, PrivateKey key) {

        /** A client TLS context trusting this certificate only. */
        public SSLContext trustingIt() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setCertificateEntry("server", certificate);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {}

    /** A new EC (P-256) pair in {@code dir} as {@code name}.crt.pem / {@code name}.key.pem. */
    public static Pair make(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path p12 = dir.resolve(name + ".p12");
            Files.deleteIfExists(p12);
            Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost, O=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "30", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit"))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, "changeit".toCharArray());
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate("server");
            PrivateKey key = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
            Path certFile = dir.resolve(name + ".crt.pem");
            Path keyFile = dir.resolve(name + ".key.pem");
            Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            return new Pair(certFile, keyFile, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
