package org.asteriskcti.server.api;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's current TLS context. A renewed certificate written over the same files is picked up without a
 * restart: at most every {@link #CHECK_EVERY} the files' modification times and sizes are looked at, and when they
 * changed the context is built again for the connections that follow. A renewal that cannot be read keeps the old
 * certificate in service and is logged once per change.
 */
public final class TlsContextHolder {

    public static final Duration CHECK_EVERY = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(TlsContextHolder.class);

    private final Path certFile;
    private final Path keyFile;
    private final Clock clock;
    private SslContext context;
    private List<Object> stamp;
    private Instant checkedAt;

    /** Loads the files now: a problem here stops the start (the configuration check reports it first). */
    public TlsContextHolder(Path certFile, Path keyFile, Clock clock) throws TlsFiles.TlsException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.clock = clock;
        this.stamp = stamp();
        this.context = TlsFiles.serverContext(certFile, keyFile);
        this.checkedAt = clock.instant();
    }

    /** The context for a new connection. */
    public synchronized SslContext current() {
        Instant now = clock.instant();
        if (Duration.between(checkedAt, now).compareTo(CHECK_EVERY) >= 0) {
            checkedAt = now;
            List<Object> s = stamp();
            if (!s.equals(stamp)) {
                stamp = s;
                try {
                    context = TlsFiles.serverContext(certFile, keyFile);
                    log.info("TLS: loaded the renewed certificate {} (key {})", certFile, keyFile);
                } catch (TlsFiles.TlsException e) {
                    log.warn("TLS: the changed certificate files cannot be used, still serving the previous certificate: {}",
                            e.getMessage());
                }
            }
        }
        return context;
    }

    private List<Object> stamp() {
        return List.of(attributes(certFile), attributes(keyFile));
    }

    private static Object attributes(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime().toMillis(), a.size());
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
