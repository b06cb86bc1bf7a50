package org.asteriskcti.server.it;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Asterisk in a container built from docker/asterisk/Dockerfile (which copies asterisk-config/),
 * used only where Docker is available and no local install is configured. The container shares
 * the host's network so the configuration's 127.0.0.1 addresses, the fixed ports and the SIPp
 * phones' static contacts work unchanged (Linux Docker; Docker Desktop's host networking differs).
 *
 * <p>Not run on the machines this was written on (no Docker engine): it compiles; the configuration the
 * image renders is checked on a local Asterisk install by ImageConfigIT instead.
 */
final class AsteriskContainer implements AsteriskUnderTest {

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

    private final GenericContainer<?> container;
    private boolean created;

    /** Whether a Docker engine answers (Testcontainers' own check; false if it cannot even look). */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    // withDockerfilePath is deprecated in Testcontainers 2 in favour of withDockerfile(Path), which
    // takes the Dockerfile's own directory as the build context; ours needs the repository root
    // (asterisk-config/ and docker/asterisk/), so the explicit context plus path stays.
    @SuppressWarnings({"resource", "deprecation"}) // container closed in close()
    AsteriskContainer(Path repoRoot, java.util.Map<String, String> env, java.util.Map<String, String> extraFiles) {
        ImageFromDockerfile image = new ImageFromDockerfile("asterisk-cti-it", false)
                .withFileFromPath("asterisk-config", repoRoot.resolve("asterisk-config"))
                .withFileFromPath("docker/asterisk", repoRoot.resolve("docker").resolve("asterisk"))
                .withDockerfilePath("docker/asterisk/Dockerfile");
        GenericContainer<?> c = new GenericContainer<>(image).withEnv(env);
        // Extra configuration files (e.g. pjsip.d/x.conf) go where the image's Asterisk includes them from.
        for (java.util.Map.Entry<String, String> f : extraFiles.entrySet()) {
            c = c.withCopyToContainer(org.testcontainers.images.builder.Transferable.of(f.getValue()), "/etc/asterisk/" + f.getKey());
        }
        this.container = c
                .withNetworkMode("host")
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(BOOT_TIMEOUT));
    }

    @Override
    public synchronized void start() {
        if (!created) {
            container.start();
            created = true;
        } else if (!isRunning()) {
            docker().startContainerCmd(container.getContainerId()).exec();
        }
        awaitBooted();
    }

    @Override
    public synchronized void stop() {
        if (created && isRunning()) {
            // docker stop sends SIGTERM (tini forwards it): Asterisk shuts down as with "core stop now".
            docker().stopContainerCmd(container.getContainerId()).withTimeout(20).exec();
        }
    }

    @Override
    public synchronized void crash() {
        if (created && isRunning()) {
            docker().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        if (!created) {
            return false;
        }
        Boolean running = docker().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning();
        return Boolean.TRUE.equals(running);
    }

    @Override
    public String rx(String command) {
        try {
            Container.ExecResult r = container.execInContainer("asterisk", "-rx", command);
            if (r.getExitCode() != 0) {
                throw new IllegalStateException("asterisk -rx '" + command + "' exited " + r.getExitCode() + ": "
                        + r.getStdout() + r.getStderr());
            }
            return r.getStdout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String logTail(int lines) {
        if (!created) {
            return "(container not started)";
        }
        String[] all = container.getLogs().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    @Override
    public String describe() {
        return "container " + (created ? container.getContainerId() : "(not started)") + " from docker/asterisk/Dockerfile";
    }

    @Override
    public void close() {
        container.stop();
    }

    private DockerClient docker() {
        return container.getDockerClient();
    }

    private void awaitBooted() {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (rx("core waitfullybooted").contains("fully booted") && AsteriskProcess.amiBanner().isPresent()
                        && AsteriskProcess.accepts(HTTP_PORT)) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("Asterisk container did not boot within " + BOOT_TIMEOUT + "\n" + logTail(60));
    }
}
