package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the integration tests find the repository and put their working files. */
public final class ItPaths {

    /** Set by failsafe (cti-server/pom.xml) to the Maven multi-module root. */
    static final String REPO_ROOT_PROPERTY = "cti.repo.root";

    private ItPaths() {}

    /** The repository root: {@code -Dcti.repo.root}, else the first parent of the working dir holding asterisk-config/. */
    static Path repoRoot() {
        String prop = System.getProperty(REPO_ROOT_PROPERTY);
        if (prop != null && !prop.isBlank() && isRepoRoot(Paths.get(prop))) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRepoRoot(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with asterisk-config/extensions.conf) "
                + "from " + Paths.get("").toAbsolutePath() + "; set -D" + REPO_ROOT_PROPERTY);
    }

    private static boolean isRepoRoot(Path p) {
        return Files.isRegularFile(p.resolve("asterisk-config").resolve("extensions.conf"));
    }

    public static Path asteriskConfig() {
        return repoRoot().resolve("asterisk-config");
    }

    /**
     * A fresh directory for one test class. Under cti-server/target/it-work when the path is short
     * enough for Asterisk's control socket (a Unix socket path has at most 107 bytes), else under
     * the system temp dir.
     */
    public static Path newWorkDir(String name) {
        try {
            Path base = Paths.get("").toAbsolutePath().resolve("target").resolve("it-work");
            if (!Files.isDirectory(base.getParent()) || base.toString().length() > 60) {
                base = Paths.get(System.getProperty("java.io.tmpdir")).resolve("cti-it-work");
            }
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for " + name, e);
        }
    }
}
