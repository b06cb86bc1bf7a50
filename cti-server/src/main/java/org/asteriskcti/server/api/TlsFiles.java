package org.asteriskcti.server.api;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The HTTP server's TLS files: a PEM certificate chain (leaf first) and its PEM PKCS#8 private key, read into a
 * Netty server context (TLS 1.2 and 1.3). Every problem is a {@link TlsException} whose message names the file
 * and what is wrong, so the configuration check can report it with the key.
 */
public final class TlsFiles {

    /** What is wrong with the certificate or key file; {@link #key()} is "cert-file" or "key-file". */
    public static final class TlsException extends Exception {
        private final String key;

        TlsException(String key, String message) {
            super(message);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private TlsFiles() {}

    /** Reads, checks (the key belongs to the leaf certificate) and builds the server context. */
    public static SslContext serverContext(Path certFile, Path keyFile) throws TlsException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
        checkPair(chain.get(0), key, keyFile);
        try {
            return SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new TlsException("cert-file", certFile + ": cannot build a TLS context: " + e.getMessage());
        }
    }

    static List<X509Certificate> certificates(Path file) throws TlsException {
        byte[] pem = read("cert-file", file);
        if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new TlsException("cert-file", file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        try {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) {
                throw new TlsException("cert-file", file + ": no certificate in it");
            }
            return certs.stream().map(c -> (X509Certificate) c).toList();
        } catch (CertificateException e) {
            throw new TlsException("cert-file", file + ": not a readable PEM certificate: " + e.getMessage());
        }
    }

    static PrivateKey privateKey(Path file, String algorithm) throws TlsException {
        String pem = new String(read("key-file", file), StandardCharsets.US_ASCII);
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new TlsException("key-file", file + ": a PKCS#1/SEC1 key; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pk8.pem'");
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new TlsException("key-file", file + ": the key is encrypted; give it unencrypted (readable by the server's "
                    + "user only): 'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pk8.pem'");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new TlsException("key-file", file + ": no PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in it");
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (Exception e) {
            throw new TlsException("key-file", file + ": not a " + algorithm + " private key matching the certificate's: " + e.getMessage());
        }
    }

    private static void checkPair(X509Certificate leaf, PrivateKey key, Path keyFile) throws TlsException {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return; // an unusual key type: the handshake will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature sign = Signature.getInstance(alg);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(alg);
            verify.initVerify(leaf.getPublicKey());
            verify.update(probe);
            if (!verify.verify(sig)) {
                throw new TlsException("key-file", keyFile + ": this key does not belong to the certificate (" + leaf.getSubjectX500Principal() + ")");
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new TlsException("key-file", keyFile + ": cannot check the key against the certificate: " + e.getMessage());
        }
    }

    private static byte[] read(String key, Path file) throws TlsException {
        if (!Files.isRegularFile(file)) {
            throw new TlsException(key, file + ": no such file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsException(key, file + ": cannot read it: " + e.getMessage());
        }
    }
}
