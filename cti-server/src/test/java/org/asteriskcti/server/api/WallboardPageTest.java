package org.asteriskcti.server.api;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.agent.RequestedState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.testsupport.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisors' wallboard in a real browser (Debian's chromium driven by Playwright) against an
 * in-process CTI: the real domain loop on the real clock, the ACD driven by the test (callers enqueued
 * by code, agents' phones set online), the ApiServer on a fixed loopback port so it can be restarted
 * in place. Screenshots go to target/screenshots/wallboard-*.png.
 */
class WallboardPageTest {

    private static final Path SCREENSHOTS = Chromium.SCREENSHOTS;
    private static final double WAIT_MS = 10_000;

    private static Chromium chromium;
    private static Browser browser;
    private static String users;

    @TempDir
    Path dir;

    private WallboardServer server;
    private BrowserContext context;
    private Page page;
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void launch() {
        chromium = Chromium.launchOrSkip();
        browser = chromium.browser();
        users = WallboardServer.users();
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = WallboardServer.start(dir, users, WallboardServer.freePort());
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900).setAcceptDownloads(true));
        // Only loopback: anything else the page might ask for fails the test (and the request).
        context.route(Pattern.compile("^(?!http://127\\.0\\.0\\.1:|ws://127\\.0\\.0\\.1:).*"), route -> {
            consoleErrors.add("non-loopback request: " + route.request().url());
            route.abort();
        });
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) && !m.text().contains("WebSocket connection") && !m.text().contains("Failed to load resource")) {
                consoleErrors.add(m.text());
            }
        });
        page.onPageError(e -> consoleErrors.add("page error: " + e));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        server.close();
        assertThat(consoleErrors).as("errors in the page's console").isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static LocatorAssertions.ContainsTextOptions containsWithin(double ms) {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(ms);
    }

    private static LocatorAssertions.HasAttributeOptions liveWithin(double ms) {
        return new LocatorAssertions.HasAttributeOptions().setTimeout(ms);
    }

    private static LocatorAssertions.HasTextOptions hasWithin(double ms) {
        return new LocatorAssertions.HasTextOptions().setTimeout(ms);
    }

    private void signIn(String user, String password) {
        page.navigate(server.base() + "/wallboard/");
        page.locator("#login-user").fill(user);
        page.locator("#login-password").fill(password);
        page.locator("#login-submit").click();
    }

    /** Signs in and waits until the live view is connected and shows its queues and agents. */
    private void liveAs(String user) {
        signIn(user, "pw");
        assertThat(page.locator("#connection")).hasAttribute("data-status", "live", liveWithin(WAIT_MS));
        assertThat(page.locator("#agents tbody tr").first()).isVisible();
    }

    private Locator queueCard(String queue) {
        return page.locator("[data-queue='" + queue + "']");
    }

    private Locator agentRow(String agent) {
        return page.locator("#agents tr[data-agent='" + agent + "']");
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("wallboard-" + name + ".png")).setFullPage(true));
    }

    // ---- sign-in --------------------------------------------------------------------------------------

    @Test
    void givenTheSignInPage_whenTheWrongPasswordOrAnAgentsLogin_thenTheReasonIsShownAndNothingOfTheTenant() {
        page.navigate(server.base() + "/wallboard/");
        assertThat(page.locator("#page-login")).isVisible();
        assertThat(page.locator("#page-login")).containsText("For supervisors");
        screenshot("login");

        signIn("sup", "wrong");
        assertThat(page.locator("#login-error")).hasText("auth.invalid_credentials: unknown user or wrong password", hasWithin(WAIT_MS));

        signIn("a1001", "pw");
        assertThat(page.locator("#login-error")).containsText("The wallboard is for supervisors", containsWithin(WAIT_MS));
        assertThat(page.locator("#page-live")).isHidden();
        assertThat(page.evaluate("sessionStorage.getItem('cti.wallboard.token')")).isNull();
        assertThat(page.locator("#queues")).not().containsText("Support");
    }

    // ---- the live view --------------------------------------------------------------------------------

    @Test
    void givenASupervisor_thenQueuesAndAgentsLive_aQueuedCallerAppears_andForcingNotReadyChangesTheAgent() throws Exception {
        liveAs("sup");
        assertThat(queueCard("support")).containsText("Support");
        assertThat(queueCard("support").locator(".fig-waiting .value")).hasText("0");
        assertThat(page.locator("#agents tbody tr")).hasCount(2);
        assertThat(agentRow("agent-1001")).containsText("LOGGED OUT");
        assertThat(agentRow("agent-1002")).containsText("Agent Two");
        assertThat(page.locator("body")).not().containsText("agent-3001");
        assertThat(page.evaluate("sessionStorage.getItem('cti.wallboard.token')")).isNotNull();
        // no Asterisk behind this server: it reports itself stale, and the indicator says so
        assertThat(page.locator("#connection")).hasText("live (Asterisk link stale)");

        // a live call appears
        long enqueued = System.nanoTime();
        server.enqueue("caller-1", "support");
        assertThat(queueCard("support").locator(".fig-waiting .value")).hasText("1", hasWithin(5000));
        long appearedMs = (System.nanoTime() - enqueued) / 1_000_000;
        assertThat(queueCard("support").locator(".waiting-list li")).hasCount(1);
        assertThat(queueCard("support").locator(".waiting-list")).containsText("caller-1");
        System.out.printf("wallboard: queued caller on the page %d ms after enqueue%n", appearedMs);
        // the wait ticks on the page, by itself
        Locator wait = queueCard("support").locator(".waiting-list .tick");
        String first = wait.textContent();
        assertThat(wait).not().hasText(first, hasWithin(2500)); // the ticker updates once a second
        screenshot("live");

        // force Not ready (lunch) on agent-1001
        agentRow("agent-1001").locator("select.reason").selectOption("lunch");
        agentRow("agent-1001").locator("button.force-NOT_READY").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.agent("agent-1001").state() == AgentState.NOT_READY);
        AgentView forced = server.agent("agent-1001");
        assertThat(forced.reason().code()).isEqualTo("lunch");
        assertThat(agentRow("agent-1001").locator("td.state")).hasText("NOT READY", hasWithin(WAIT_MS));
        assertThat(agentRow("agent-1001").locator("td.reason-cell")).containsText("lunch");
        assertThat(agentRow("agent-1001").locator("td.reason-cell")).containsText("forced by sup");
        assertThat(page.locator("#live-message")).containsText("agent-1001: NOT_READY (lunch)");
        assertThat(queueCard("support").locator(".states")).containsText("NOT READY 1");

        // agent-1002 ready with its phone online: the caller is offered to them, then answered
        server.onLoop(() -> server.f.acd.phoneOnline(AgentId.of("agent-1002")));
        agentRow("agent-1002").locator("button.force-READY").click();
        assertThat(agentRow("agent-1002").locator("td.call")).containsText("support: caller-1 (ringing)", containsWithin(WAIT_MS));
        assertThat(agentRow("agent-1002").locator("button.monitor-listen")).isDisabled();
        EntryId entry = server.onLoop(() -> server.f.acd.ringingAt(AgentId.of("agent-1002")).orElseThrow());
        server.onLoop(() -> server.f.acd.agentLegAnswered(entry, AgentId.of("agent-1002")));
        assertThat(agentRow("agent-1002").locator("td.call")).containsText("support: caller-1 (talking)", containsWithin(WAIT_MS));
        assertThat(agentRow("agent-1002").locator("td.state")).hasText("ON CALL");
        assertThat(queueCard("support").locator(".fig-waiting .value")).hasText("0", hasWithin(WAIT_MS));
        assertThat(queueCard("support").locator(".fig-answered .value")).hasText("1", hasWithin(WAIT_MS));

        // Listen on their call: this server runs without call control; the page shows the server's refusal
        agentRow("agent-1002").locator("button.monitor-listen").click();
        assertThat(page.locator("#live-message")).hasText(
                "listen agent-1002: call.control_disabled: this server runs without call control (ARI is off)", hasWithin(WAIT_MS));
        assertThat(page.locator("#live-message")).hasClass(Pattern.compile("error"));
        screenshot("live-action");
    }

    @Test
    void givenTheLiveView_whenTheServerIsRestartedAsANewProcessOnTheSamePort_thenThePageReconnectsAndShowsChangesWithoutReload()
            throws Exception {
        liveAs("sup");
        page.evaluate("window.__notReloaded = true");
        String firstSession = (String) page.evaluate("document.getElementById('connection').dataset.status");
        assertThat(firstSession).isEqualTo("live");

        server.stopApi();
        assertThat(page.locator("#connection")).containsText("reconnecting", containsWithin(WAIT_MS));
        WallboardServer old = server;
        old.close();
        server = WallboardServer.start(dir, users, old.port);
        long restarted = System.nanoTime();
        // a change made after the restart, in the new process
        server.enqueue("after-restart", "support");
        server.onLoop(() -> server.f.acd.supervisorForce(UserId.of("sup"), server.f.directory.agent(AgentId.of("agent-1002"))
                .orElseThrow().tenant(), AgentId.of("agent-1002"), RequestedState.notReady("break")));

        assertThat(page.locator("#connection")).hasAttribute("data-status", "live", liveWithin(15_000));
        assertThat(queueCard("support").locator(".waiting-list")).containsText("after-restart", containsWithin(WAIT_MS));
        long shownMs = (System.nanoTime() - restarted) / 1_000_000;
        System.out.printf("wallboard: reconnected to the new process and showed its change %d ms after it started%n", shownMs);
        assertThat(page.locator("#connection")).hasAttribute("data-resume", "unknown_session");
        assertThat(agentRow("agent-1002").locator("td.state")).hasText("NOT READY", hasWithin(WAIT_MS));
        assertThat(agentRow("agent-1002").locator("td.reason-cell")).containsText("break");
        assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);

        // and a change after that arrives as a live event on the new session
        server.enqueue("second-after", "support");
        assertThat(queueCard("support").locator(".fig-waiting .value")).hasText("2", hasWithin(5000));
    }

    @Test
    void givenTheLiveView_whenOnlyTheHttpServerRestarts_thenThePageResumesItsSessionAndGetsWhatHappenedMeanwhile() throws Exception {
        liveAs("sup");
        page.evaluate("window.__notReloaded = true");

        server.stopApi();
        assertThat(page.locator("#connection")).containsText("reconnecting", containsWithin(WAIT_MS));
        server.enqueue("while-down", "support"); // buffered in the session, replayed on resume
        server = server.restartApiOnly();

        assertThat(queueCard("support").locator(".waiting-list")).containsText("while-down", containsWithin(15_000));
        assertThat(page.locator("#connection")).hasAttribute("data-status", "live");
        assertThat(page.locator("#connection")).hasAttribute("data-resume", "replay");
        assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
    }

    // ---- supervision ----------------------------------------------------------------------------------

    @Test
    void givenAnAgentsCallUnderCallControl_whenASupervisorWithoutAPhoneListens_thenCallNoPhone_andWithAPhoneItRunsUntilStopped()
            throws Exception {
        server.close();
        server = WallboardServer.start(dir, users, WallboardServer.freePort(), true);
        Conversation call = server.onLoop(() -> server.callControl.adoptAcd(BridgeId.of("acd-mix-c1"), TenantId.of("demo"),
                QueueId.of("support"), EntryId.of("c1/1"), Instant.now(), ChannelId.of("c1"), new Party("2001", "Customer"),
                ChannelId.of("l1"), AgentId.of("agent-1001"), CompletableFuture.completedFuture(null)));
        liveAs("sup");
        assertThat(agentRow("agent-1001").locator("td.call")).containsText("support: 2001", containsWithin(WAIT_MS));
        assertThat(agentRow("agent-1002").locator("button.monitor-listen")).isDisabled();

        agentRow("agent-1001").locator("button.monitor-listen").click();
        assertThat(page.locator("#live-message")).containsText("listen agent-1001: call.no_phone: ", containsWithin(WAIT_MS));
        assertThat(page.locator("#live-message")).hasClass(Pattern.compile("error"));
        assertThat(server.onLoop(() -> List.copyOf(server.asterisk.originates))).isEmpty();

        page.locator("#logout").click();
        page.locator("#login-user").fill("supphone");
        page.locator("#login-password").fill("pw");
        page.locator("#login-submit").click();
        assertThat(page.locator("#connection")).hasAttribute("data-status", "live", liveWithin(WAIT_MS));
        agentRow("agent-1001").locator("button.monitor-whisper").click();
        assertThat(page.locator("#live-message")).hasText("whisper on agent-1001's call: your phone PJSIP/1002 rings",
                hasWithin(WAIT_MS));
        assertThat(agentRow("agent-1001").locator("button.monitor-stop")).hasText("Stop whisper");
        assertThat(server.onLoop(() -> server.asterisk.originates.toString())).contains("PJSIP/1002");
        screenshot("live-monitor");

        agentRow("agent-1001").locator("button.monitor-stop").click();
        assertThat(page.locator("#live-message")).hasText("stopped monitoring agent-1001", hasWithin(WAIT_MS));
        assertThat(agentRow("agent-1001").locator("button.monitor-stop")).hasCount(0);
        assertThat(call.id()).isEqualTo("acd-mix-c1");
    }

    // ---- tenants --------------------------------------------------------------------------------------

    @Test
    void givenASupervisorOfAnotherTenant_evenInTheTabDemosSupervisorSignedOutOf_thenNoneOfDemosQueuesAgentsOrCallers()
            throws Exception {
        server.enqueue("demo-caller", "support");
        liveAs("sup");
        assertThat(queueCard("support").locator(".waiting-list")).containsText("demo-caller");
        page.locator("#nav-report").click();
        assertThat(page.locator("#report-queue option[value='support']")).hasCount(1,
                new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
        page.locator("#logout").click();
        assertThat(page.locator("#page-login")).isVisible();
        page.evaluate("window.__sameTab = true");

        page.locator("#login-user").fill("osup");
        page.locator("#login-password").fill("pw");
        page.locator("#login-submit").click();
        assertThat(page.locator("#connection")).hasAttribute("data-status", "live", liveWithin(WAIT_MS));
        assertThat(page.evaluate("window.__sameTab")).isEqualTo(true);

        assertThat(queueCard("other-q")).isVisible();
        assertThat(page.locator("#queues article")).hasCount(1);
        assertThat(page.locator("#agents tbody tr")).hasCount(1);
        assertThat(agentRow("agent-3001")).isVisible();
        server.enqueue("demo-caller-2", "support");
        server.enqueue("other-caller", "other-q");
        assertThat(queueCard("other-q").locator(".waiting-list")).containsText("other-caller", containsWithin(WAIT_MS));
        page.locator("#nav-report").click();
        assertThat(page.locator("#report-queue option[value='other-q']")).hasCount(1,
                new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
        assertThat(page.locator("#report-queue option[value='support']")).hasCount(0);
        page.locator("#nav-live").click();
        String text = (String) page.evaluate("document.body.textContent"); // hidden pages too
        assertThat(text).doesNotContain("Support").doesNotContain("support").doesNotContain("agent-1001")
                .doesNotContain("agent-1002").doesNotContain("demo-caller").contains("osup · other · supervisor");
    }

    // ---- the report -----------------------------------------------------------------------------------

    /**
     * A morning of queue support (service level 20 s, short abandon 5 s) in the statistics log, as the ACD logs it:
     * 08:00 A answered after 10 s, B abandoned after 30 s; 09:00 C answered after 40 s; 11:00 D answered after 5 s,
     * E hung up after 3 s (a short abandon: in neither the service level nor the abandon rate).
     */
    private void seedMorning() throws Exception {
        QueueId q = QueueId.of("support");
        TenantId demo = TenantId.of("demo");
        AgentId agent = AgentId.of("agent-1001");
        List<QueueEvent> events = new java.util.ArrayList<>();
        java.util.function.BiConsumer<String, String[]> answered = (id, t) -> {
            Instant arrived = Instant.parse(t[0]);
            Instant answer = Instant.parse(t[1]);
            EntryId e = EntryId.of(id);
            events.add(new QueueEvent.Entered(arrived, q, demo, e, ChannelId.of("c-" + id), arrived, EntryOrigin.NEW, 0, "600"));
            events.add(new QueueEvent.Offered(answer.minusSeconds(2), q, e, agent, 1));
            events.add(new QueueEvent.Answered(answer, q, e, agent, Duration.between(arrived, answer)));
            events.add(new QueueEvent.Completed(answer.plusSeconds(120), q, e, agent, Duration.ofSeconds(100), Duration.ZERO,
                    Duration.ofSeconds(20)));
        };
        java.util.function.BiConsumer<String, String[]> abandoned = (id, t) -> {
            Instant arrived = Instant.parse(t[0]);
            Instant gone = Instant.parse(t[1]);
            Duration waited = Duration.between(arrived, gone);
            EntryId e = EntryId.of(id);
            events.add(new QueueEvent.Entered(arrived, q, demo, e, ChannelId.of("c-" + id), arrived, EntryOrigin.NEW, 0, "600"));
            events.add(new QueueEvent.Abandoned(gone, q, e, waited, false, waited.compareTo(Duration.ofSeconds(5)) < 0));
        };
        answered.accept("A", new String[] {"2026-11-23T08:10:00Z", "2026-11-23T08:10:10Z"});
        abandoned.accept("B", new String[] {"2026-11-23T08:20:00Z", "2026-11-23T08:20:30Z"});
        answered.accept("C", new String[] {"2026-11-23T09:00:00Z", "2026-11-23T09:00:40Z"});
        answered.accept("D", new String[] {"2026-11-23T11:00:00Z", "2026-11-23T11:00:05Z"});
        abandoned.accept("E", new String[] {"2026-11-23T11:30:00Z", "2026-11-23T11:30:03Z"});
        events.sort(java.util.Comparator.comparing(QueueEvent::at));
        server.loop.call(() -> {
            events.forEach(server.f.events::append);
            return null;
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void givenADayOfCalls_whenTheReportPageShowsIt_thenOneBarPerHourTheServersFiguresAndTheCsvDownloadsWithTheToken()
            throws Exception {
        seedMorning();
        List<String> asked = new CopyOnWriteArrayList<>();
        page.onRequest(r -> {
            if (r.url().contains("/api/v1/reports/")) {
                asked.add(r.url() + " " + r.headerValue("authorization"));
            }
        });
        liveAs("sup");
        page.locator("#nav-report").click();
        assertThat(page.locator("#page-report")).isVisible();
        assertThat(page.locator("#report-queue option[value='support']")).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
        page.locator("#report-from").fill("2026-11-23");
        page.locator("#report-to").fill("2026-11-23");
        page.locator("#report-interval").selectOption("hour");
        page.locator("#report-queue").selectOption("support");
        page.locator("#report-show").click();

        // The real endpoint (ReportsApi over this process's statistics log): rows for 08, 09 and 11 h and the total;
        // the chart has a bar for each of the day's 24 hours, the quiet ones empty.
        assertThat(page.locator("#report-table tbody tr")).hasCount(4, new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
        assertThat(page.locator("#report-chart svg g.bar")).hasCount(24);
        assertThat(page.locator("#report-chart svg g.bar.empty")).hasCount(21);
        List<String> rows = page.locator("#report-table tbody tr").allInnerTexts();
        assertThat(rows.get(0)).contains("50.0 %"); // 08 h: 1 of (1 answered + 1 abandoned) within 20 s
        assertThat(rows.get(1)).contains("0.0 %"); // 09 h: answered after 40 s
        assertThat(rows.get(2)).contains("100.0 %"); // 11 h: the 3 s hang-up is a short abandon
        assertThat(page.locator("#report-table tbody tr.total")).containsText("50.0 %"); // 2 of (3 + 1)
        Map<String, Double> heights = new java.util.HashMap<>();
        for (Locator bar : page.locator("#report-chart svg g.bar:not(.empty)").all()) {
            heights.put(bar.getAttribute("data-start"), Double.parseDouble(bar.locator("rect").getAttribute("height")));
        }
        assertThat(heights).containsOnlyKeys("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z", "2026-11-23T11:00:00Z");
        assertThat(heights.get("2026-11-23T11:00:00Z")).isGreaterThan(heights.get("2026-11-23T08:00:00Z"));
        assertThat(heights.get("2026-11-23T08:00:00Z")).isGreaterThan(heights.get("2026-11-23T09:00:00Z"));
        assertThat(heights.get("2026-11-23T09:00:00Z")).isZero();
        assertThat(asked).singleElement().asString()
                .contains("from=2026-11-23&to=2026-11-24&interval=hour&queue=support").contains("Bearer ");
        screenshot("report");

        Download download = page.waitForDownload(() -> page.locator("#report-csv").click());
        assertThat(download.suggestedFilename()).endsWith(".csv").contains("demo");
        List<String> csv = Files.readAllLines(download.path());
        assertThat(csv.get(0)).startsWith("interval_start,").contains("service_level");
        assertThat(csv).hasSize(5); // header, 3 intervals, the total
        assertThat(csv.get(1)).startsWith("2026-11-23T08:00:00Z,support,2,1,");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).contains("format=csv").contains("Bearer ");
    }
}
