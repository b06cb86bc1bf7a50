package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CTI server as a separate JVM ({@code org.asteriskcti.server.Main --config FILE}, this test JVM's
 * class path), so a test can kill it the hard way ({@code kill -9}) and start another on the same data
 * directory. Its output goes to {@code dir/cti-<n>.out}.
 */
final class CtiProcess implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final Path out;

    private CtiProcess(Process process, URI base, Path out) {
        this.process = process;
        this.base = base;
        this.out = out;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a CTI on {@code httpPort} with the test configuration written to {@code dir}. */
    static CtiProcess start(Path dir, int httpPort, String extraYaml, String name) {
        return start(dir, httpPort, extraYaml, name, java.util.Map.of());
    }

    /** Like {@link #start(Path, int, String, String)} with {@code env} added to the environment (CTI_* overrides). */
    static CtiProcess start(Path dir, int httpPort, String extraYaml, String name, java.util.Map<String, String> env) {
        Path yaml = CtiUnderTest.writeConfig(dir, AsteriskUnderTest.AMI_PORT, httpPort, extraYaml);
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.asteriskcti.server.Main", "--config", yaml.toString()));
        Path out = dir.resolve(name + ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            return new CtiProcess(p, URI.create("http://127.0.0.1:" + httpPort), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Asks the process's JVM for a garbage collection (jcmd GC.run), e.g. so that its GC meters have a series. */
    void requestGc() {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    URI base() {
        return base;
    }

    /** Waits until /health says UP (both links up, model synced). */
    void awaitUp() {
        CtiIt.within(CtiIt.LINK_BOUND, "CTI process /health UP", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the CTI process exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                return "UP".equals(CtiClient.health(base).status());
            } catch (RuntimeException e) {
                return false;
            }
        }, this::tail);
    }

    /** SIGKILL: no shutdown hook, no goodbye to Asterisk, nothing flushed. */
    void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(out);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
