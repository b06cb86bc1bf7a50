package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

/** The interpreter against a fake port, on a manual loop with a fake clock. */
class IvrSessionTest {

    private static final TenantId DEMO = TenantId.of("demo");

    static final String TENANT = """
            time-zone: Europe/Paris
            calendars:
              office:
                hours:
                  mon: 09:00-12:00, 14:00-17:00
                  tue: 09:00-17:00
              always:
                hours: {mon: 00:00-24:00, tue: 00:00-24:00, wed: 00:00-24:00, thu: 00:00-24:00,
                        fri: 00:00-24:00, sat: 00:00-24:00, sun: 00:00-24:00}
                holidays:
                  2025-12-25: Christmas
            areas:
              fr:
                "+33": france
                "+33 1": paris
                "+44": uk
            """;

    private final FakeClock clock = FakeClock.at("2025-03-03T08:30:00Z"); // Monday, 09:30 in Paris
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeIvrPort port = new FakeIvrPort();

    static FlowLoader.TenantDefs defs() {
        List<IvrError> errors = new ArrayList<>();
        FlowLoader.TenantDefs d = FlowLoader.readTenant("demo/tenant.yaml", DEMO, ZoneId.of("UTC"), TENANT, errors);
        assertThat(errors).isEmpty();
        return d;
    }

    static Flow flow(String yaml) {
        return flow("main", yaml);
    }

    static Flow flow(String id, String yaml) {
        List<IvrError> errors = new ArrayList<>();
        Optional<Flow> f = FlowLoader.readFlow("demo/" + id + ".yaml", DEMO, FlowId.of(id), yaml, defs(), errors);
        assertThat(errors).isEmpty();
        return f.orElseThrow();
    }

    private IvrSession start(Flow f, String caller) {
        return IvrSession.start(f, port, loop, "ch-1", caller, Optional.empty());
    }

    // ---- menus ----------------------------------------------------------------------------------------

    static final String MENU = """
            entry: menu
            nodes:
              menu:
                type: menu
                prompt: [sound:welcome, sound:press-1-or-2]
                options: {"1": sales, "2": support}
                timeout: 4s
                retries: 1
                invalid-prompt: sound:invalid
                timeout-prompt: sound:no-input
                on-invalid: wrong
                on-timeout: silent
              sales: {type: queue, queue: sales, skills: {sales: 3}, priority: 5}
              support: {type: agent, agent: agent-1001}
              wrong: {type: voicemail, mailbox: "100"}
              silent: {type: hangup}
            """;

    @Test
    void givenAMenu_whenTheCallerPressesAnOption_thenTheyGoThereWithTheirChoiceInTheCallData() {
        IvrSession s = start(flow(MENU), "+33145000000");
        assertThat(port.take()).containsExactly("play#1 en [sound:welcome, sound:press-1-or-2]");
        assertThat(s.state()).isEqualTo(IvrState.PLAYING);

        s.promptFinished(1);
        assertThat(s.state()).isEqualTo(IvrState.WAITING_DIGITS);
        s.digit('1');

        assertThat(port.take()).containsExactly("queue sales {sales=3} priority 5 en");
        assertThat(s.state()).isEqualTo(IvrState.FINISHED);
        assertThat(port.handedOver.choices()).containsExactly(new CallData.MenuChoice(NodeId.of("menu"), "1"));
        assertThat(port.handedOver.vars()).containsEntry("menu.menu", "1");
        assertThat(port.handedOver.caller()).isEqualTo("+33145000000");
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenAMenu_whenTheCallerPressesWrongKeysPastTheRetries_thenTheInvalidPromptThenTheInvalidTarget() {
        IvrSession s = start(flow(MENU), "100");
        s.promptFinished(1);
        port.take();

        s.digit('9');
        assertThat(port.take()).containsExactly("play#2 en [sound:invalid, sound:welcome, sound:press-1-or-2]");
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.state()).isEqualTo(IvrState.PLAYING);

        s.promptFinished(2);
        s.digit('7');
        assertThat(port.take()).containsExactly("voicemail 100");
        assertThat(s.node()).isEqualTo(NodeId.of("wrong"));
        assertThat(port.handedOver.choices()).isEmpty();
    }

    @Test
    void givenAMenu_whenTheCallerPressesNothing_thenTheTimeoutPromptThenTheTimeoutTarget() {
        IvrSession s = start(flow(MENU), "100");
        s.promptFinished(1);
        port.take();

        scheduler.advance(Duration.ofMillis(3999));
        assertThat(port.take()).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(port.take()).containsExactly("play#2 en [sound:no-input, sound:welcome, sound:press-1-or-2]");
        assertThat(scheduler.pendingTimers()).as("no timer while the prompts play").isZero();

        s.promptFinished(2);
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(port.take()).containsExactly("hangup");
        assertThat(s.node()).isEqualTo(NodeId.of("silent"));
    }

    @Test
    void givenAMenuWithoutFailureTargets_whenTheRetriesRunOut_thenTheCallerIsHungUp() {
        IvrSession s = start(flow("""
                entry: menu
                nodes:
                  menu: {type: menu, prompt: sound:menu, options: {"1": bye}, retries: 0}
                  bye: {type: extension, extension: "1001"}
                """), "100");
        s.promptFinished(1);
        port.take();
        s.digit('5');
        assertThat(port.take()).containsExactly("hangup");
        assertThat(s.state()).isEqualTo(IvrState.FINISHED);
    }

    @Test
    void givenBargeIn_whenAKeyIsPressedDuringThePrompt_thenThePromptStopsAndTheKeyCounts() {
        IvrSession s = start(flow(MENU), "100");
        port.take();

        s.digit('2');

        assertThat(port.take()).containsExactly("stop#1", "agent agent-1001");
        s.promptFinished(1); // the stopped playback's end arrives late: ignored
        assertThat(port.take()).isEmpty();
        assertThat(s.state()).isEqualTo(IvrState.FINISHED);
    }

    @Test
    void givenNoBargeIn_whenAKeyIsPressedDuringThePrompt_thenItIsIgnored() {
        IvrSession s = start(flow(MENU.replace("retries: 1", "retries: 1\n    barge-in: false")), "100");
        port.take();

        s.digit('2');
        assertThat(port.take()).isEmpty();
        assertThat(s.state()).isEqualTo(IvrState.PLAYING);

        s.promptFinished(1);
        s.digit('2');
        assertThat(port.take()).containsExactly("agent agent-1001");
    }

    @Test
    void givenAStalePlaybackEnd_whenItArrivesDuringTheRetryPrompt_thenTheRetryPromptKeepsPlaying() {
        IvrSession s = start(flow(MENU), "100");
        port.take();
        s.digit('9'); // barge-in with a wrong key: playback 1 stopped, retry playback 2 starts
        assertThat(port.take()).containsExactly("stop#1", "play#2 en [sound:invalid, sound:welcome, sound:press-1-or-2]");

        s.promptFinished(1);
        assertThat(s.state()).isEqualTo(IvrState.PLAYING);
        assertThat(scheduler.pendingTimers()).isZero();
        s.promptFinished(2);
        assertThat(s.state()).isEqualTo(IvrState.WAITING_DIGITS);
    }

    // ---- collect --------------------------------------------------------------------------------------

    static final String COLLECT = """
            entry: account
            nodes:
              account:
                type: collect
                prompt: sound:enter-account
                var: account
                min: 3
                max: 5
                pattern: '[1-8]+'
                timeout: 3s
                retries: 1
                invalid-prompt: sound:invalid
                on-invalid: wrong
                next: readback
              readback: {type: play, prompt: ["sound:you-entered", "digits:${account}"], next: done}
              done: {type: queue, queue: support}
              wrong: {type: hangup}
            """;

    @Test
    void givenCollect_whenTheCallerEndsWithTheTerminator_thenTheDigitsAreKeptAndReadBack() {
        IvrSession s = start(flow(COLLECT), "100");
        s.promptFinished(1);
        port.take();
        for (char c : "1234#".toCharArray()) {
            s.digit(c);
        }
        assertThat(port.take()).containsExactly("play#2 en [sound:you-entered, digits:1234]");
        s.promptFinished(2);
        assertThat(port.take()).containsExactly("queue support {} priority 0 en");
        assertThat(port.handedOver.vars()).containsEntry("account", "1234");
    }

    @Test
    void givenCollect_whenTheMaximumIsReached_thenItEndsWithoutTerminator() {
        IvrSession s = start(flow(COLLECT), "100");
        s.promptFinished(1);
        port.take();
        for (char c : "12345".toCharArray()) {
            s.digit(c);
        }
        assertThat(port.take()).containsExactly("play#2 en [sound:you-entered, digits:12345]");
    }

    @Test
    void givenCollect_whenFewerThanTheMinimumAreEntered_thenItIsInvalidAndAskedAgain() {
        IvrSession s = start(flow(COLLECT), "100");
        s.promptFinished(1);
        port.take();
        s.digit('1');
        s.digit('2');
        s.digit('#');
        assertThat(port.take()).containsExactly("play#2 en [sound:invalid, sound:enter-account]");
        assertThat(s.failures()).isEqualTo(1);

        s.digit('4'); // barge-in on the retry prompt: the buffer started afresh
        s.digit('5');
        s.digit('6');
        s.digit('#');
        assertThat(port.take()).containsExactly("stop#2", "play#3 en [sound:you-entered, digits:456]");
    }

    @Test
    void givenCollectWithAPattern_whenTheEntryDoesNotMatch_thenItIsInvalid() {
        IvrSession s = start(flow(COLLECT), "100");
        s.promptFinished(1);
        port.take();
        for (char c : "1290#".toCharArray()) {
            s.digit(c);
        }
        assertThat(port.take()).containsExactly("play#2 en [sound:invalid, sound:enter-account]");
        s.promptFinished(2);
        for (char c : "999#".toCharArray()) {
            s.digit(c);
        }
        assertThat(port.take()).containsExactly("hangup");
        assertThat(port.handedOver.vars()).doesNotContainKey("account");
    }

    @Test
    void givenCollect_whenTheCallerStopsAfterEnoughDigits_thenTheInterDigitTimeoutEndsIt() {
        IvrSession s = start(flow(COLLECT), "100");
        s.promptFinished(1);
        port.take();
        s.digit('1');
        scheduler.advance(Duration.ofSeconds(2));
        s.digit('2');
        scheduler.advance(Duration.ofSeconds(2));
        s.digit('3');
        scheduler.advance(Duration.ofMillis(2999));
        assertThat(port.take()).as("each key restarts the timer").isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(port.take()).containsExactly("play#2 en [sound:you-entered, digits:123]");
    }

    // ---- hours, area, language ------------------------------------------------------------------------

    static final String HOURS = """
            entry: hours
            nodes:
              hours: {type: hours, calendar: office, open: open, closed: closed}
              open: {type: queue, queue: support}
              closed: {type: voicemail, mailbox: "200"}
            """;

    static final String HOLIDAY = """
            entry: hours
            nodes:
              hours: {type: hours, calendar: always, open: open, closed: closed, holiday: holiday}
              open: {type: queue, queue: support}
              closed: {type: voicemail, mailbox: "200"}
              holiday: {type: play, prompt: sound:holiday, next: bye}
              bye: {type: hangup}
            """;

    private List<String> callAt(String instant, String yaml) {
        clock.set(Instant.parse(instant));
        start(flow(yaml), "100");
        return port.take();
    }

    @Test
    void givenBusinessHoursInParis_whenCalledAroundTheOpeningTimeInUtc_thenTheTenantsZoneDecides() {
        assertThat(callAt("2025-03-03T07:59:59Z", HOURS)).containsExactly("voicemail 200"); // 08:59:59 Paris
        assertThat(callAt("2025-03-03T08:00:00Z", HOURS)).containsExactly("queue support {} priority 0 en"); // 09:00
        assertThat(callAt("2025-03-03T11:30:00Z", HOURS)).containsExactly("voicemail 200"); // 12:30 lunch
        assertThat(callAt("2025-03-03T15:59:00Z", HOURS)).containsExactly("queue support {} priority 0 en"); // 16:59
        assertThat(callAt("2025-03-03T16:00:00Z", HOURS)).containsExactly("voicemail 200"); // 17:00
        assertThat(callAt("2025-03-05T10:00:00Z", HOURS)).as("Wednesday: not listed, closed").containsExactly("voicemail 200");
    }

    @Test
    void givenAHoliday_whenItHasBegunInParisButNotInUtc_thenTheHolidayBranch() {
        assertThat(callAt("2025-12-24T22:59:00Z", HOLIDAY)).containsExactly("queue support {} priority 0 en"); // 23:59 on the 24th
        assertThat(callAt("2025-12-24T23:00:00Z", HOLIDAY)).containsExactly("play#1 en [sound:holiday]"); // 00:00 on the 25th
        assertThat(callAt("2025-12-25T23:00:00Z", HOLIDAY)).containsExactly("queue support {} priority 0 en"); // the 26th
    }

    static final String AREA = """
            entry: area
            nodes:
              area: {type: area, table: fr, routes: {paris: paris, france: france}, otherwise: elsewhere}
              paris: {type: queue, queue: paris}
              france: {type: queue, queue: france}
              elsewhere: {type: queue, queue: international}
            """;

    @Test
    void givenAnAreaTable_whenCallersFromDifferentPrefixesCall_thenTheLongestPrefixChoosesTheRoute() {
        start(flow(AREA), "+33 1 45 67 89 00");
        assertThat(port.take()).containsExactly("queue paris {} priority 0 en");
        assertThat(port.handedOver.region()).contains("paris");

        start(flow(AREA), "+33 4 91 00 00 00");
        assertThat(port.take()).containsExactly("queue france {} priority 0 en");
        assertThat(port.handedOver.region()).contains("france");

        start(flow(AREA), "+44 20 7946 0000");
        assertThat(port.take()).as("a region without a route").containsExactly("queue international {} priority 0 en");
        assertThat(port.handedOver.region()).contains("uk");

        start(flow(AREA), "+1 212 555 0100");
        assertThat(port.take()).containsExactly("queue international {} priority 0 en");
        assertThat(port.handedOver.region()).isEmpty();
    }

    static final String LANGUAGE = """
            entry: lang
            nodes:
              lang:
                type: language
                prompt: sound:choose-language
                options: {"1": en, "2": fr}
                next: hello
              hello: {type: play, prompt: sound:hello, next: queue}
              queue: {type: queue, queue: support}
            """;

    @Test
    void givenLanguageChoice_whenTheCallerChoosesFrench_thenLaterPromptsTheQueueAndTheCallDataAreFrench() {
        IvrSession s = start(flow(LANGUAGE), "100");
        assertThat(port.take()).containsExactly("play#1 en [sound:choose-language]");
        s.promptFinished(1);
        s.digit('2');
        assertThat(port.take()).containsExactly("play#2 fr [sound:hello]");
        assertThat(s.position().encode()).endsWith("&n=hello&lang=fr&ch=lang%3A2");
        s.promptFinished(2);
        assertThat(port.take()).containsExactly("queue support {} priority 0 fr");
        assertThat(port.handedOver.language()).isEqualTo("fr");
        assertThat(port.handedOver.choices()).containsExactly(new CallData.MenuChoice(NodeId.of("lang"), "2"));
    }

    @Test
    void givenARouteLanguage_whenTheFlowStarts_thenItsPromptsUseIt() {
        IvrSession.start(flow(LANGUAGE), port, loop, "ch-1", "100", Optional.of("de"));
        assertThat(port.take()).containsExactly("play#1 de [sound:choose-language]");
    }

    // ---- lookup, set, branch ---------------------------------------------------------------------------

    static final String LOOKUP = """
            entry: find
            nodes:
              find:
                type: lookup
                url: http://crm.example/customers
                params: [caller, region]
                timeout: 2s
                next: tier
                on-failure: sorry
              tier: {type: branch, var: lookup.tier, cases: {gold: vip}, otherwise: normal}
              vip: {type: queue, queue: vip, priority: 50}
              normal: {type: play, prompt: ["sound:hello", "file:${lookup.name}"], next: queue}
              queue: {type: queue, queue: support}
              sorry: {type: play, prompt: sound:sorry, next: queue}
            """;

    @Test
    void givenALookup_whenItAnswers_thenItsFieldsAreCallDataAndDriveTheBranch() {
        IvrSession s = start(flow(LOOKUP), "+33145000000");
        assertThat(port.take()).containsExactly("lookup http://crm.example/customers {caller=+33145000000} 2000ms");
        assertThat(s.state()).isEqualTo(IvrState.LOOKING_UP);

        port.lookups.get(0).complete(Map.of("tier", "gold", "name", "Dupont"));
        assertThat(port.take()).as("the result re-enters through the loop").isEmpty();
        scheduler.runAll();

        assertThat(port.take()).containsExactly("queue vip {} priority 50 en");
        assertThat(port.handedOver.vars()).containsEntry("lookup.tier", "gold").containsEntry("lookup.name", "Dupont");
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenALookup_whenTheFieldDoesNotMatchACase_thenOtherwiseAndFieldsInPrompts() {
        start(flow(LOOKUP), "100");
        port.take();
        port.lookups.get(0).complete(Map.of("tier", "silver", "name", "dupont"));
        scheduler.runAll();
        assertThat(port.take()).containsExactly("play#1 en [sound:hello, file:dupont]");
    }

    @Test
    void givenALookup_whenItTimesOut_thenTheFailureBranchAndALateAnswerIsIgnored() {
        IvrSession s = start(flow(LOOKUP), "100");
        port.take();
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(s.state()).isEqualTo(IvrState.LOOKING_UP);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(port.take()).containsExactly("play#1 en [sound:sorry]");

        port.lookups.get(0).complete(Map.of("tier", "gold"));
        scheduler.runAll();
        assertThat(port.take()).isEmpty();
        assertThat(s.node()).isEqualTo(NodeId.of("sorry"));
        assertThat(s.callData().vars()).doesNotContainKey("lookup.tier");
    }

    @Test
    void givenALookup_whenItFails_thenTheFailureBranch() {
        start(flow(LOOKUP), "100");
        port.take();
        port.lookups.get(0).completeExceptionally(new LookupFailedException("HTTP 500"));
        scheduler.runAll();
        assertThat(port.take()).containsExactly("play#1 en [sound:sorry]");
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenSetVariables_whenPromptsNameThem_thenTheValuesAreSaidAndAnUnsetOneIsSkipped() {
        IvrSession s = start(flow("""
                entry: set
                nodes:
                  set: {type: set, values: {ticket: "42${caller}", greeting: welcome-back}, next: say}
                  say: {type: play, prompt: ["sound:${greeting}", "number:${ticket}", "digits:${nowhere}"], next: bye}
                  bye: {type: external, number: "0${ticket}"}
                """), "7");
        assertThat(port.take()).containsExactly("play#1 en [sound:welcome-back, number:427]");
        s.promptFinished(1);
        assertThat(port.take()).containsExactly("external 0427");
        assertThat(port.handedOver.vars()).containsEntry("ticket", "427").containsEntry("greeting", "welcome-back");
    }

    // ---- terminals ---------------------------------------------------------------------------------------

    @Test
    void givenEachHandOverNode_whenReached_thenThePortIsAskedExactlyThat() {
        String yaml = """
                entry: m
                nodes:
                  m:
                    type: menu
                    prompt: sound:m
                    options: {"1": q, "2": a, "3": x, "4": e, "5": v, "6": h}
                  q: {type: queue, queue: support, skills: {billing: 4}}
                  a: {type: agent, agent: agent-1002}
                  x: {type: extension, extension: "1003"}
                  e: {type: external, number: "+3312345"}
                  v: {type: voicemail, mailbox: "${caller}"}
                  h: {type: hangup}
                """;
        List<String> got = new ArrayList<>();
        for (char k = '1'; k <= '6'; k++) {
            IvrSession s = start(flow(yaml), "555");
            s.promptFinished(1);
            port.take();
            s.digit(k);
            got.addAll(port.take());
            assertThat(s.state()).isEqualTo(IvrState.FINISHED);
        }
        assertThat(got).containsExactly("queue support {billing=4} priority 0 en", "agent agent-1002", "extension 1003",
                "external +3312345", "voicemail 555", "hangup");
    }

    @Test
    void givenACallerInAMenu_whenTheyHangUp_thenNothingMoreHappens() {
        IvrSession s = start(flow(MENU), "100");
        s.promptFinished(1);
        port.take();
        s.hungUp();
        scheduler.advance(Duration.ofMinutes(1));
        s.digit('1');
        assertThat(port.take()).isEmpty();
        assertThat(s.state()).isEqualTo(IvrState.FINISHED);
    }

    @Test
    void givenAnAgentNodeWithAQueue_thenTheCallerIsHandedToThatAgentThroughTheQueueInTheirLanguage() {
        IvrSession s = start(flow("entry: a\nnodes:\n  a: {type: agent, agent: agent-1002, queue: support}\n"), "100");
        assertThat(port.take()).containsExactly("agent agent-1002 in queue support en");
        assertThat(s.state()).isEqualTo(IvrState.FINISHED);
    }

    // ---- crash and reload safety -------------------------------------------------------------------------

    @Test
    void givenACallerInAFlow_whenTheyMove_thenThePositionOnTheChannelFollowsThem() {
        Flow f = flow(LANGUAGE);
        IvrSession s = start(f, "100");
        String at = "t=demo&f=main&v=" + f.version() + "&n=";
        assertThat(port.positions).extracting(IvrPosition::encode).containsExactly(at + "lang&lang=en");
        s.promptFinished(1);
        s.digit('2');
        assertThat(port.positions).extracting(IvrPosition::encode).containsExactly(
                at + "lang&lang=en", at + "lang&lang=en", at + "hello&lang=fr&ch=lang%3A2");
        assertThat(IvrPosition.parse(s.position().encode())).contains(s.position());
    }

    @Test
    void givenAPositionKeptOnTheChannel_whenTheCtiRestarts_thenTheCallerResumesAtThatNodeInTheirLanguage() {
        Flow f = flow(LANGUAGE);
        IvrPosition kept = IvrPosition.at(DEMO, FlowId.of("main"), "0123456789ab", NodeId.of("hello"), "fr");
        IvrSession s = IvrSession.resume(f, kept, port, loop, "ch-1", "100");
        assertThat(port.take()).containsExactly("play#1 fr [sound:hello]");
        assertThat(s.node()).isEqualTo(NodeId.of("hello"));
    }

    @Test
    void givenAPositionWhoseNodeIsGone_whenResumed_thenTheCallerGoesToTheSafeNode() {
        Flow f = flow(MENU.replace("entry: menu", "entry: menu\nsafe: support"));
        IvrPosition kept = IvrPosition.at(DEMO, FlowId.of("main"), "0123456789ab", NodeId.of("removed"), "en");
        IvrSession s = IvrSession.resume(f, kept, port, loop, "ch-1", "100");
        assertThat(port.take()).containsExactly("agent agent-1001");
        assertThat(s.node()).isEqualTo(NodeId.of("support"));
    }

    @Test
    void givenAFlowWithoutSafeNode_whenResumedAtAGoneNode_thenTheEntry() {
        IvrSession s = IvrSession.resume(flow(MENU), IvrPosition.at(DEMO, FlowId.of("main"), "0a", NodeId.of("gone"), "en"), port, loop, "ch", "1");
        assertThat(s.node()).isEqualTo(NodeId.of("menu"));
    }

    @Test
    void givenACallInTheOldVersion_whenTheFlowIsReloaded_thenTheCallFinishesOnTheVersionItStartedWith() {
        Flow v1 = flow(MENU);
        IvrSession s = start(v1, "100");
        Flow v2 = flow(MENU.replace("{\"1\": sales, \"2\": support}", "{\"1\": support, \"2\": sales}"));
        assertThat(v2.version()).isNotEqualTo(v1.version());
        IvrSession later = start(v2, "200");
        s.promptFinished(1);
        later.promptFinished(1);
        port.take();

        s.digit('1');
        later.digit('1');
        assertThat(port.take()).containsExactly("queue sales {sales=3} priority 5 en", "agent agent-1001");
        assertThat(s.flow()).isSameAs(v1);
    }

    @Test
    void givenSetAndBranchThatNeverWait_whenTheyLoop_thenTheCallerIsHungUpInsteadOfSpinning() {
        start(flow("""
                entry: s
                nodes:
                  s: {type: set, values: {x: "1"}, next: b}
                  b: {type: branch, var: x, cases: {"1": s}, otherwise: out}
                  out: {type: hangup}
                """), "100");
        assertThat(port.take()).containsExactly("hangup");
    }
}
