package org.asteriskcti.server.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs docker/asterisk/render-config.sh, the script the Asterisk image runs at every start, so that the tests
 * check (and the live suite runs) exactly the files the image would give Asterisk.
 */
public final class ImageAsteriskConfig {

    private ImageAsteriskConfig() {}

    /** What the script did: its exit code and everything it printed. */
    public record Result(int exitCode, String output) {}

    /** The repository root (the first parent of the working directory holding docker/asterisk/render-config.sh). */
    public static Path repoRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/asterisk/render-config.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docker/asterisk/render-config.sh above " + Paths.get("").toAbsolutePath());
    }

    /** Runs the script on asterisk-config/ into {@code target} with exactly {@code env} (and PATH). */
    public static Result run(Map<String, String> env, Path target) {
        Path root = repoRoot();
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", root.resolve("docker/asterisk/render-config.sh").toString(),
                root.resolve("asterisk-config").toString(), target.toString()))
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("render-config.sh did not finish in 30 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #run} but fails unless the script succeeded; returns {@code target}. */
    public static Path render(Map<String, String> env, Path target) {
        Result r = run(env, target);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("render-config.sh exited " + r.exitCode() + ": " + r.output());
        }
        return target;
    }
}
