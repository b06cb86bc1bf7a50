package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.asteriskcti.server.testsupport.ImageAsteriskConfig;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension for the integration tests: one real Asterisk (asterisk-config/) and SIPp per
 * test class. Register it as {@code @RegisterExtension static final AsteriskIt env = new AsteriskIt();}.
 *
 * <p>Which Asterisk: the local install named by {@code CTI_IT_ASTERISK_PREFIX} (e.g.
 * /opt/asterisk-22); else, where Docker is available, a container built from docker/asterisk/;
 * else the class is skipped with one line saying so. Without {@code sipp} on the PATH it is
 * skipped likewise.
 *
 * <p>After each test the SIPp phones still running are ended and every channel is hung up, so the
 * next test starts from an idle switch. A failing test gets the tail of Asterisk's console and the
 * SIPp logs attached (as suppressed exceptions, printed with its stack trace).
 */
final class AsteriskIt implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        TestExecutionExceptionHandler {

    static final String SKIP_NO_ASTERISK =
            "skipped: no Asterisk (set CTI_IT_ASTERISK_PREFIX to an Asterisk 22 install prefix) and no Docker";
    static final String SKIP_NO_SIPP = "skipped: no sipp on the PATH (install Debian's sip-tester)";

    private static final Logger log = LoggerFactory.getLogger(AsteriskIt.class);

    /**
     * The Asterisk image's environment (docker/asterisk/render-config.sh's variables) and extra files for its
     * configuration directory (e.g. pjsip.d/x.conf), or null for asterisk-config/ as it is.
     */
    private final Map<String, String> imageEnv;
    private final Map<String, String> extraFiles;

    private AsteriskUnderTest asterisk;
    private Sipp sipp;
    private Path workDir;
    /** Why this class cannot run here, if it cannot. */
    private String skipReason;

    /** asterisk-config/ as it is (what the image renders with no variable set). */
    AsteriskIt() {
        this(null, Map.of());
    }

    /**
     * The configuration the Asterisk image would run with {@code imageEnv}: asterisk-config/ rendered by
     * docker/asterisk/render-config.sh (for a local install; a container gets the variables), plus
     * {@code extraFiles} (path in the configuration directory to content, e.g. what an admin mounts in pjsip.d/).
     */
    AsteriskIt(Map<String, String> imageEnv, Map<String, String> extraFiles) {
        this.imageEnv = imageEnv;
        this.extraFiles = extraFiles;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName();
        Optional<Path> prefix = AsteriskProcess.configuredPrefix();
        boolean docker = prefix.isEmpty() && AsteriskContainer.dockerAvailable();
        Optional<Path> sippBinary = Sipp.binary();
        if (prefix.isEmpty() && !docker) {
            skipReason = SKIP_NO_ASTERISK;
        } else if (sippBinary.isEmpty()) {
            skipReason = SKIP_NO_SIPP;
        }
        if (skipReason != null) {
            // Aborted per test (beforeEach), not here: Maven reports a class aborted in beforeAll as
            // "Tests run: 0" and the reason is lost; per test it shows as skipped, with this message.
            log.warn("{}: {}", name, skipReason);
            return;
        }

        workDir = ItPaths.newWorkDir(name);
        asterisk = prefix.isPresent()
                ? new AsteriskProcess(prefix.get(), configSource(), workDir.resolve("asterisk"))
                : new AsteriskContainer(ItPaths.repoRoot(), imageEnv == null ? Map.of() : imageEnv, extraFiles);
        sipp = new Sipp(sippBinary.get(), workDir.resolve("sipp"));
        log.info("{}: Asterisk {} ; work dir {}", name, asterisk.describe(), workDir);
        asterisk.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (sipp != null) {
            sipp.killAll();
        }
        if (asterisk != null && asterisk.isRunning()) {
            try {
                asterisk.rx("channel request hangup all");
            } catch (RuntimeException e) {
                log.warn("could not hang up leftover channels: {}", e.getMessage());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (sipp != null) {
            sipp.close();
        }
        if (asterisk != null) {
            asterisk.close();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (asterisk != null) {
            throwable.addSuppressed(new Diagnostics("Asterisk " + asterisk.describe() + ", console (tail):\n"
                    + asterisk.logTail(80)));
        }
        if (sipp != null) {
            String phones = sipp.describeAll();
            if (!phones.isBlank()) {
                throwable.addSuppressed(new Diagnostics("SIPp phones of this test:\n" + phones));
            }
        }
        throw throwable;
    }

    private Path configSource() {
        if (imageEnv == null && extraFiles.isEmpty()) {
            return ItPaths.asteriskConfig();
        }
        Path dir = ImageAsteriskConfig.render(imageEnv == null ? Map.of() : imageEnv, workDir.resolve("image-config"));
        try {
            for (Map.Entry<String, String> f : extraFiles.entrySet()) {
                Path file = dir.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The Asterisk of this class. */
    AsteriskUnderTest asterisk() {
        return asterisk;
    }

    Sipp sipp() {
        return sipp;
    }

    /** This class's work directory (Asterisk's files, SIPp logs, CTI data dirs). */
    Path workDir() {
        return workDir;
    }

    /** Carries diagnostics into a failure report; has no stack trace of its own. */
    static final class Diagnostics extends RuntimeException {
        Diagnostics(String message) {
            super(message, null, false, false);
        }
    }
}
