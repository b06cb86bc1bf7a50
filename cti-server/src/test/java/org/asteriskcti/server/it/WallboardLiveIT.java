package org.asteriskcti.server.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.testsupport.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7's wallboard on a real Asterisk: Debian's chromium (Playwright) signs in as the demo supervisor on the
 * wallboard the CTI serves, a sipp customer calls DID 700 while nobody is ready and appears in queue support on
 * the page, the supervisor forces agent-1001 Ready from the page, Asterisk rings 1001's sipp phone, which
 * answers, and the page shows the agent talking and the call answered; after the customer hangs up the report
 * page shows the call from the stored statistics log (H2) and downloads it as CSV, and the call's detail record
 * (REST /api/v1/call-records) has the caller, DID, queue, agent, talk and wrap-up.
 */
class WallboardLiveIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final double WAIT_MS = 15_000;
    private static final String QUEUES = String.join("\n",
            "queues:",
            "  - id: support",
            "    tenant: demo",
            "    announce-period: 0s",
            "    wrap-up: 2s",
            "");

    private static Chromium chromium;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launchOrSkip();
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static LocatorAssertions.ContainsTextOptions within(double ms) {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(ms);
    }

    private static LocatorAssertions.HasTextOptions hasWithin(double ms) {
        return new LocatorAssertions.HasTextOptions().setTimeout(ms);
    }

    @Test
    void givenASupervisorOnTheWallboard_whenACustomerCallsAndTheyForceAnAgentReady_thenTheCallShowsLiveAndInTheReportAndCsv()
            throws Exception {
        List<String> pageErrors = new CopyOnWriteArrayList<>();
        Browser browser = chromium.browser();
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("wallboard"), AsteriskUnderTest.AMI_PORT, QUEUES);
                BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900)
                        .setAcceptDownloads(true))) {
            CtiIt.awaitHealthUp(cti);
            context.route(Pattern.compile("^(?!http://127\\.0\\.0\\.1:|ws://127\\.0\\.0\\.1:).*"), route -> {
                pageErrors.add("non-loopback request: " + route.request().url());
                route.abort();
            });
            Page page = context.newPage();
            page.onPageError(e -> pageErrors.add("page error: " + e));
            Files.createDirectories(Chromium.SCREENSHOTS);

            // ---- sign in: live, Asterisk synced --------------------------------------------------------------
            page.navigate(cti.base() + "/wallboard/");
            page.locator("#login-user").fill("supervisor");
            page.locator("#login-password").fill("supervisor");
            page.locator("#login-submit").click();
            assertThat(page.locator("#connection")).hasText("live", hasWithin(WAIT_MS));
            Locator queue = page.locator("[data-queue='support']");
            Locator agent = page.locator("#agents tr[data-agent='agent-1001']");
            assertThat(queue.locator(".fig-waiting .value")).hasText("0", hasWithin(WAIT_MS));
            assertThat(agent.locator("td.state")).hasText("LOGGED OUT");

            // ---- a customer calls; nobody is ready: the caller waits, on the page ------------------------------
            Sipp.Phone phone = env.sipp().agentAnswering("1001", Duration.ofSeconds(1));
            long called = System.nanoTime();
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(4));
            assertThat(queue.locator(".fig-waiting .value")).hasText("1", hasWithin(WAIT_MS));
            long onPageMs = (System.nanoTime() - called) / 1_000_000;
            assertThat(queue.locator(".waiting-list li")).hasCount(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("wallboard-live-asterisk.png")));

            // ---- the supervisor forces agent-1001 Ready: Asterisk rings 1001, sipp answers ---------------------
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001's phone online", () -> cti.acd(acd -> acd.agent(AgentId.of("agent-1001"))
                    .phoneOnline()), () -> cti.acd(acd -> acd.agent(AgentId.of("agent-1001"))).toString());
            agent.locator("button.force-READY").click();
            assertThat(agent.locator("td.call")).containsText("(talking)", within(WAIT_MS));
            long talkingMs = (System.nanoTime() - called) / 1_000_000;
            assertThat(agent.locator("td.state")).hasText("ON CALL");
            assertThat(queue.locator(".fig-waiting .value")).hasText("0", hasWithin(WAIT_MS));
            assertThat(queue.locator(".fig-answered .value")).hasText("1", hasWithin(WAIT_MS));
            page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("wallboard-live-asterisk-talking.png")));

            customer.assertSucceeded(CtiIt.CALL_BOUND);
            phone.assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(Duration.ofSeconds(10), "agent-1001 ready again after the wrap-up",
                    () -> cti.acd(acd -> acd.agent(AgentId.of("agent-1001")).state()) == AgentState.READY, () -> "");
            assertThat(agent.locator("td.state")).hasText("READY", hasWithin(WAIT_MS));

            // ---- the report of today (the demo tenant's zone is UTC), from the stored log, and its CSV ------------
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            page.locator("#nav-report").click();
            page.locator("#report-from").fill(today);
            page.locator("#report-to").fill(today);
            page.locator("#report-interval").selectOption("hour");
            assertThat(page.locator("#report-queue option[value='support']")).hasCount(1,
                    new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
            page.locator("#report-queue").selectOption("support");
            // The statistics log is written to the database off the loop, in batches: ask until the call is there.
            Locator total = page.locator("#report-table tbody tr.total");
            CtiIt.within(Duration.ofSeconds(15), "the answered call in the report", () -> {
                page.locator("#report-show").click();
                page.waitForTimeout(500);
                return total.count() == 1 && total.locator("td.c-answered").textContent().equals("1");
            }, () -> page.locator("#report-table").innerText());
            assertThat(total.locator("td.c-offered")).hasText("1");
            assertThat(total.locator("td.c-service_level")).hasText("100.0 %");
            page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("wallboard-report-asterisk.png")));
            Download csv = page.waitForDownload(() -> page.locator("#report-csv").click());
            List<String> lines = Files.readAllLines(csv.path());
            assertThat(lines.get(0)).startsWith("interval_start,queue,offered,answered,");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(",support,1,1,")); // the total row

            // ---- the call's detail record (written once the call ended and the agent's wrap-up ran out) ----------
            CtiClient boss = CtiClient.login(cti.base(), "supervisor", "supervisor");
            String recordsPath = "/api/v1/call-records?from=" + today + "&to=" + LocalDate.parse(today).plusDays(1);
            CtiIt.within(Duration.ofSeconds(20), "the call's record stored", () -> boss.get(recordsPath).path("records").size() == 1,
                    () -> boss.get(recordsPath).toString());
            com.fasterxml.jackson.databind.JsonNode record = boss.get(recordsPath).path("records").get(0);
            assertThat(record.path("disposition").asText()).as("%s", record).isEqualTo("ANSWERED");
            assertThat(record.path("direction").asText()).as("%s", record).isEqualTo("INBOUND");
            assertThat(record.path("caller_number").asText()).isEqualTo("2001");
            assertThat(record.path("did").asText()).isEqualTo("700");
            assertThat(record.path("agents").toString()).as("%s", record).contains("agent-1001");
            assertThat(record.path("queues").toString()).contains("support");
            assertThat(record.path("complete").asBoolean()).isTrue();
            // The customer's 4 s run from Asterisk answering them at the queue; the agent answers ~1-2 s later. Talk
            // and wait agree with the record's own instants (whole seconds), the wrap-up is the queue's 2 s.
            java.time.Instant started = java.time.Instant.parse(record.path("started_at").asText());
            java.time.Instant answered = java.time.Instant.parse(record.path("answered_at").asText());
            java.time.Instant ended = java.time.Instant.parse(record.path("ended_at").asText());
            assertThat(Duration.between(started, ended)).as("%s", record).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(7));
            assertThat(record.path("talk_seconds").asLong()).as("%s", record)
                    .isBetween(Duration.between(answered, ended).toSeconds() - 1, Duration.between(answered, ended).toSeconds() + 1)
                    .isPositive();
            assertThat(record.path("wait_seconds").asLong()).as("%s", record)
                    .isBetween(Duration.between(started, answered).toSeconds() - 1, Duration.between(started, answered).toSeconds() + 1);
            assertThat(record.path("wrap_up_seconds").asLong()).as("%s", record).isEqualTo(2);
            assertThat(record.path("legs").size()).as("%s", record).isGreaterThanOrEqualTo(2);
            System.out.println("WallboardLiveIT call record: " + record);

            System.out.printf("WallboardLiveIT: caller waiting on the page %d ms after sipp started the call; agent talking"
                    + " on the page %d ms after it%n", onPageMs, talkingMs);
            assertThat(pageErrors).isEmpty();
        }
    }
}
