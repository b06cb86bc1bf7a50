package org.asteriskcti.server.testsupport;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium driven by Playwright for Java, as the browser tests use it: Playwright's own browser
 * download skipped, the system executable, headless, no background traffic (the machines are offline and
 * only loopback is used). Skips the calling test class with one line when chromium is not installed.
 */
public final class Chromium implements AutoCloseable {

    public static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");
    /** Where browser tests save their screenshots (build artifacts). */
    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium() {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    /** Launches it, or skips (JUnit assumption) with one line saying what is missing. */
    public static Chromium launchOrSkip() {
        Assumptions.assumeTrue(Files.isExecutable(EXECUTABLE),
                "no " + EXECUTABLE + ": the wallboard's browser tests are skipped (apt-get install chromium)");
        return new Chromium();
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
