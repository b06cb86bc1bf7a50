package org.asteriskcti.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The supervisors' web wallboard: static files from the classpath folder {@code wallboard/}, served at
 * {@code /wallboard/}. A name is one path segment of letters, digits, '-' and '_' with a known
 * extension; anything else (slashes, dots beyond the extension, '%', "..") is simply not a file, so no
 * request can reach outside the folder. Files are read once and kept (they are a few kilobytes).
 */
final class WallboardFiles {

    static final String PREFIX = "/wallboard/";
    static final String INDEX = "index.html";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    /**
     * The page may load only its own files and talk only to its own server (REST and WebSocket); it
     * may not be framed by another site.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** One file: its bytes, Content-Type and a strong ETag (hash of the bytes). */
    record File(byte[] bytes, String contentType, String etag) {}

    private final String root;
    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    WallboardFiles() {
        this("wallboard/");
    }

    /** @param root the classpath folder, ending in '/' */
    WallboardFiles(String root) {
        this.root = root;
    }

    /**
     * The file for {@code name} (what follows {@code /wallboard/}; empty = the index), or empty when it
     * is no file of the wallboard.
     */
    Optional<File> file(String name) {
        String n = name.isEmpty() ? INDEX : name;
        if (!NAME.matcher(n).matches()) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(n, this::load);
    }

    private Optional<File> load(String name) {
        ClassLoader cl = WallboardFiles.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(root + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(new File(bytes, TYPES.get(ext), etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + name, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
