package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading flows: every invalid case gives its exact error, with file, line and node. */
class FlowLoaderTest {

    private static final TenantId DEMO = TenantId.of("demo");

    private static List<String> errors(String yaml) {
        List<IvrError> errors = new ArrayList<>();
        Optional<Flow> f = FlowLoader.readFlow("demo/main.yaml", DEMO, FlowId.of("main"), yaml, IvrSessionTest.defs(), errors);
        assertThat(f).as("nothing loads from a flow with errors").isEqualTo(errors.isEmpty() ? f : Optional.empty());
        return errors.stream().map(IvrError::toString).toList();
    }

    private static List<String> tenantErrors(String yaml) {
        List<IvrError> errors = new ArrayList<>();
        FlowLoader.readTenant("demo/tenant.yaml", DEMO, ZoneId.of("UTC"), yaml, errors);
        return errors.stream().map(IvrError::toString).toList();
    }

    private static final String OK_TAIL = "  bye: {type: hangup}\n";

    @Test
    void givenAValidFlow_whenLoaded_thenItsNodesEntrySafeLanguageAndVersion() {
        List<IvrError> errors = new ArrayList<>();
        Flow f = FlowLoader.readFlow("demo/main.yaml", DEMO, FlowId.of("main"), IvrSessionTest.MENU, IvrSessionTest.defs(), errors)
                .orElseThrow();
        assertThat(errors).isEmpty();
        assertThat(f.entry()).isEqualTo(NodeId.of("menu"));
        assertThat(f.safe()).as("no safe key: the entry").isEqualTo(NodeId.of("menu"));
        assertThat(f.language()).isEqualTo("en");
        assertThat(f.nodes().keySet()).extracting(NodeId::value).containsExactly("menu", "sales", "support", "wrong", "silent");
        Node.Menu m = (Node.Menu) f.nodes().get(NodeId.of("menu"));
        assertThat(m.input().timeout()).hasSeconds(4);
        assertThat(m.input().retries()).isEqualTo(1);
        assertThat(m.input().onInvalid()).contains(NodeId.of("wrong"));
        assertThat(m.options()).containsEntry("1", NodeId.of("sales"));
        assertThat(f.version()).hasSize(12).isEqualTo(FlowLoader.version(IvrSessionTest.MENU));
        assertThat(f.source()).isEqualTo("demo/main.yaml");
    }

    @Test
    void givenInvalidYaml_thenTheLineOfTheSyntaxError() {
        assertThat(errors("entry: a\nnodes: [\n")).singleElement().asString()
                .startsWith("demo/main.yaml:2: not valid YAML: while parsing a flow node");
    }

    @Test
    void givenAFileThatIsNotAMap_thenSaid() {
        assertThat(errors("- a\n- b\n")).containsExactly("demo/main.yaml:1: the file must be a map of keys, not a list");
    }

    @Test
    void givenAnUnknownNodeType_thenNamedWithTheTypesThereAre() {
        assertThat(errors("entry: a\nnodes:\n  a: {type: menuu}\n")).containsExactly(
                "demo/main.yaml:3: node 'a': unknown node type 'menuu' (expected one of: agent, area, branch, collect, extension,"
                        + " external, hangup, hours, language, lookup, menu, play, queue, set, voicemail)");
    }

    @Test
    void givenANodeWithoutType_thenMissingType() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    next: a\n")).containsExactly("demo/main.yaml:3: node 'a': missing key 'type'");
    }

    @Test
    void givenAnUnknownKeyInANode_thenTheKeyAndTheKeysThereAre() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: play\n    prompt: sound:x\n    nxt: bye\n    next: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:6: node 'a': unknown key 'nxt' for a play node (expected: next, prompt, type)");
    }

    @Test
    void givenAnUnknownTopLevelKey_thenSaid() {
        assertThat(errors("entry: bye\nentyr: x\nnodes:\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:2: unknown key 'entyr' for a flow (expected: entry, language, nodes, safe)");
    }

    @Test
    void givenATargetThatIsNoNode_thenDangling() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: play\n    prompt: sound:x\n    next: c\n"))
                .containsExactly("demo/main.yaml:6: node 'a': key 'next' names 'c', which is not a node of this flow");
    }

    @Test
    void givenAMenuOptionThatIsNoNode_thenDanglingWithTheOption() {
        assertThat(errors("entry: m\nnodes:\n  m:\n    type: menu\n    prompt: sound:x\n    options:\n      \"1\": bye\n      \"2\": gone\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:8: node 'm': key 'options.2' names 'gone', which is not a node of this flow");
    }

    @Test
    void givenANodeNothingLeadsTo_thenUnreachable() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: hangup\n  b:\n    type: hangup\n"))
                .containsExactly("demo/main.yaml:5: node 'b': unreachable from the entry node 'a'");
    }

    @Test
    void givenPlaysThatLeadToEachOther_thenALoopWithNoExit() {
        assertThat(errors("""
                entry: a
                nodes:
                  a: {type: play, prompt: sound:x, next: b}
                  b: {type: play, prompt: sound:y, next: a}
                """)).containsExactly("demo/main.yaml:3: node 'a': loop with no exit: a, b only lead to each other"
                + " (no option, failure or hand-over leaves them)");
    }

    @Test
    void givenAMenuWhoseOptionsAndFailuresAllComeBack_thenALoopWithNoExit() {
        assertThat(errors("""
                entry: start
                nodes:
                  start: {type: play, prompt: sound:hi, next: m}
                  m: {type: menu, prompt: sound:m, options: {"1": again}, on-invalid: m, on-timeout: again}
                  again: {type: play, prompt: sound:again, next: m}
                """)).containsExactly("demo/main.yaml:4: node 'm': loop with no exit: m, again only lead to each other"
                + " (no option, failure or hand-over leaves them)");
    }

    @Test
    void givenALoopLeftOnlyByTheMenusFailureTarget_thenNoError() {
        assertThat(errors("""
                entry: m
                nodes:
                  m: {type: menu, prompt: sound:m, options: {"1": again}, on-invalid: m, on-timeout: bye}
                  again: {type: play, prompt: sound:again, next: m}
                  bye: {type: hangup}
                """)).isEmpty();
    }

    @Test
    void givenALoopLeftOnlyBecauseTheMenuHangsUpAfterItsRetries_thenNoError() {
        assertThat(errors("""
                entry: m
                nodes:
                  m: {type: menu, prompt: sound:m, options: {"1": again}}
                  again: {type: play, prompt: sound:again, next: m}
                """)).isEmpty();
    }

    @Test
    void givenAPlayWithoutPrompt_thenMissingPrompt() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: play\n    next: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'a': missing prompt (key 'prompt')");
    }

    @Test
    void givenAMenuWithAnEmptyPromptList_thenMissingPrompt() {
        assertThat(errors("entry: m\nnodes:\n  m:\n    type: menu\n    prompt: []\n    options: {\"1\": bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:5: node 'm': missing prompt (key 'prompt')");
    }

    @Test
    void givenAPromptOfUnknownKind_thenSaid() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: play\n    prompt: [sound:ok, sond:x]\n    next: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:5: node 'a': key 'prompt': prompt 'sond:x' has unknown kind 'sond'"
                        + " (expected sound:, file:, digits: or number:)");
    }

    @Test
    void givenADigitsPromptWithLetters_thenSaid() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: play\n    prompt:\n      - digits:12a\n    next: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:6: node 'a': key 'prompt': prompt 'digits:12a' is not a valid digits");
    }

    @Test
    void givenAFilePromptLeavingTheTenantsDirectory_thenSaid() {
        assertThat(errors("entry: a\nnodes:\n  a: {type: play, prompt: file:../other/x, next: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'a': key 'prompt': prompt 'file:../other/x' is not a valid file");
    }

    @Test
    void givenABadPattern_thenTheRegexProblem() {
        assertThat(errors("entry: c\nnodes:\n  c:\n    type: collect\n    prompt: sound:x\n    var: acct\n    pattern: '[0-9'\n    next: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:7: node 'c': key 'pattern': '[0-9' is not a regular expression (Unclosed character class)");
    }

    @Test
    void givenCollectWithMinAboveMax_thenSaid() {
        assertThat(errors("entry: c\nnodes:\n  c:\n    type: collect\n    prompt: sound:x\n    var: acct\n    min: 6\n    max: 4\n    next: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:7: node 'c': key 'min' (6) is greater than key 'max' (4)");
    }

    @Test
    void givenCollectIntoAVariableTheIvrSets_thenSaid() {
        assertThat(errors("entry: c\nnodes:\n  c: {type: collect, prompt: sound:x, var: language, next: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'c': key 'var': 'language' is set by the IVR itself");
    }

    @Test
    void givenCollectWithABadTerminator_thenSaid() {
        assertThat(errors("entry: c\nnodes:\n  c: {type: collect, prompt: sound:x, var: a, terminator: '5', next: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'c': key 'terminator' must be '#', '*' or none, not '5'");
    }

    @Test
    void givenDuplicateNodeIds_thenTheSecondNamesTheFirst() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: hangup\n  a:\n    type: hangup\n"))
                .containsExactly("demo/main.yaml:5: node 'a': duplicate node id (first at line 3)");
    }

    @Test
    void givenADuplicateKeyInANode_thenSaid() {
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: play\n    prompt: sound:x\n    next: bye\n    next: a\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:7: node 'a': duplicate key 'next' (first at line 6)");
    }

    @Test
    void givenNoEntry_thenMissingEntry() {
        assertThat(errors("nodes:\n" + OK_TAIL)).containsExactly("demo/main.yaml:1: missing key 'entry'");
    }

    @Test
    void givenAnEntryThatIsNoNode_thenSaid() {
        assertThat(errors("entry: welcome\nnodes:\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:1: key 'entry' names 'welcome', which is not a node of this flow");
    }

    @Test
    void givenASafeNodeThatIsNoNode_thenSaid() {
        assertThat(errors("entry: bye\nsafe: start\nnodes:\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:2: key 'safe' names 'start', which is not a node of this flow");
    }

    @Test
    void givenNoNodes_thenMissingNodes() {
        assertThat(errors("entry: a\n")).containsExactly("demo/main.yaml:1: missing key 'nodes'", "demo/main.yaml:1: key 'entry' names 'a', which is not a node of this flow");
    }

    @Test
    void givenAnUnknownCalendar_thenSaidWithTheTenantFile() {
        assertThat(errors("entry: h\nnodes:\n  h: {type: hours, calendar: offce, open: bye, closed: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'h': key 'calendar' names 'offce', which is not a calendar of tenant demo (tenant.yaml)");
    }

    @Test
    void givenAnUnknownAreaTableOrRegion_thenSaid() {
        assertThat(errors("entry: a\nnodes:\n  a: {type: area, table: de, routes: {x: bye}, otherwise: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'a': key 'table' names 'de', which is not an area table of tenant demo (tenant.yaml)");
        assertThat(errors("entry: a\nnodes:\n  a:\n    type: area\n    table: fr\n    routes:\n      pariss: bye\n    otherwise: bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:7: node 'a': key 'routes': 'pariss' is not a region of area table 'fr' (regions: france, paris, uk)");
    }

    @Test
    void givenABadDuration_thenSaid() {
        assertThat(errors("entry: m\nnodes:\n  m: {type: menu, prompt: sound:x, options: {\"1\": bye}, timeout: 5 sec}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'm': key 'timeout' must be a duration from 1ms to 10m such as 5s or 500ms, not '5 sec'");
    }

    @Test
    void givenAnOptionThatIsNoPhoneKey_thenSaid() {
        assertThat(errors("entry: m\nnodes:\n  m:\n    type: menu\n    prompt: sound:x\n    options:\n      \"1\": bye\n      \"12\": bye\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:8: node 'm': key 'options': '12' is not a key of the phone (0-9, * or #)");
    }

    @Test
    void givenRetriesOutOfRange_thenSaid() {
        assertThat(errors("entry: m\nnodes:\n  m: {type: menu, prompt: sound:x, options: {\"1\": bye}, retries: 11}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'm': key 'retries' must be a whole number 0..10, not '11'");
    }

    @Test
    void givenABadLanguageCode_thenSaid() {
        assertThat(errors("entry: l\nnodes:\n  l: {type: language, prompt: sound:x, options: {\"1\": English}, next: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'l': 'English' is not a language code (such as en, fr or pt_BR)");
    }

    @Test
    void givenALookupWithoutHttpUrl_thenSaid() {
        assertThat(errors("entry: l\nnodes:\n  l: {type: lookup, url: 'ftp://crm/x', next: bye, on-failure: bye}\n" + OK_TAIL))
                .containsExactly("demo/main.yaml:3: node 'l': key 'url' must be an http:// or https:// URL, not 'ftp://crm/x'");
    }

    @Test
    void givenAQueueNodeWithoutQueue_thenMissingKey() {
        assertThat(errors("entry: q\nnodes:\n  q: {type: queue}\n")).containsExactly("demo/main.yaml:3: node 'q': missing key 'queue'");
    }

    @Test
    void givenSeveralProblems_thenAllOfThemInFileOrder() {
        assertThat(errors("""
                entry: a
                nodes:
                  a: {type: play, prompt: sound:x, next: nowhere}
                  b: {type: menuu}
                  c: {type: queue, queue: q, priority: 200}
                """)).containsExactly(
                "demo/main.yaml:4: node 'b': unknown node type 'menuu' (expected one of: agent, area, branch, collect, extension,"
                        + " external, hangup, hours, language, lookup, menu, play, queue, set, voicemail)",
                "demo/main.yaml:5: node 'c': key 'priority' must be a whole number 0..100, not '200'",
                "demo/main.yaml:3: node 'a': key 'next' names 'nowhere', which is not a node of this flow");
    }

    // ---- tenant.yaml ----------------------------------------------------------------------------------

    @Test
    void givenABadTimeZone_thenSaid() {
        assertThat(tenantErrors("time-zone: Europe/Pariss\n")).containsExactly("demo/tenant.yaml:1: key 'time-zone': unknown time zone 'Europe/Pariss'");
        assertThat(tenantErrors("calendars:\n  office:\n    time-zone: Mars/Olympus\n"))
                .containsExactly("demo/tenant.yaml:3: calendar 'office': key 'time-zone': unknown time zone 'Mars/Olympus'");
    }

    @Test
    void givenBadTimeRanges_thenEachIsSaid() {
        assertThat(tenantErrors("""
                calendars:
                  office:
                    hours:
                      mon: 18:00-09:00
                      tue: 9-17
                      wed: [09:00-12:00, 13:00-25:00]
                """)).containsExactly(
                "demo/tenant.yaml:4: calendar 'office': key 'mon': '18:00-09:00' is not a time range HH:MM-HH:MM ending after it starts (24:00 for midnight)",
                "demo/tenant.yaml:5: calendar 'office': key 'tue': '9-17' is not a time range HH:MM-HH:MM ending after it starts (24:00 for midnight)",
                "demo/tenant.yaml:6: calendar 'office': key 'wed': '13:00-25:00' is not a time range HH:MM-HH:MM ending after it starts (24:00 for midnight)");
    }

    @Test
    void givenAnUnknownDayOrBadHoliday_thenSaid() {
        assertThat(tenantErrors("calendars:\n  office:\n    hours:\n      mo: 09:00-17:00\n    holidays:\n      25-12-2025: Christmas\n"))
                .containsExactly(
                        "demo/tenant.yaml:4: calendar 'office': unknown key 'mo' for the hours of a calendar (expected: fri, mon, sat, sun, thu, tue, wed)",
                        "demo/tenant.yaml:6: calendar 'office': holiday '25-12-2025' is not a date YYYY-MM-DD");
    }

    @Test
    void givenAnAreaTableWithABadPrefix_thenSaid() {
        assertThat(tenantErrors("areas:\n  fr:\n    \"+33\": france\n    \"33a\": x\n    \"+3 3\": again\n")).containsExactly(
                "demo/tenant.yaml:4: area table 'fr': '33a' is not a number prefix",
                "demo/tenant.yaml:5: area table 'fr': prefix '+3 3' is listed twice");
    }

    // ---- the directory ----------------------------------------------------------------------------------

    @Test
    void givenADirectoryPerTenant_whenLoaded_thenEveryTenantsFlows(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("demo"));
        Files.writeString(dir.resolve("demo/tenant.yaml"), IvrSessionTest.TENANT);
        Files.writeString(dir.resolve("demo/main.yaml"), IvrSessionTest.HOURS);
        Files.writeString(dir.resolve("demo/menu.yaml"), IvrSessionTest.MENU);
        Files.createDirectories(dir.resolve("acme"));
        Files.writeString(dir.resolve("acme/main.yaml"), "entry: bye\nnodes:\n" + OK_TAIL);

        IvrCatalog catalog = FlowLoader.load(dir, t -> ZoneId.of("UTC"));

        assertThat(catalog.size()).isEqualTo(3);
        assertThat(catalog.flow(DEMO, FlowId.of("menu"))).get().extracting(Flow::source).isEqualTo("demo/menu.yaml");
        assertThat(catalog.flow(TenantId.of("acme"), FlowId.of("main"))).isPresent();
        assertThat(catalog.flow(TenantId.of("acme"), FlowId.of("menu"))).isEmpty();
    }

    @Test
    void givenErrorsInSeveralFiles_whenLoaded_thenNothingLoadsAndEveryErrorIsListed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("demo"));
        Files.writeString(dir.resolve("demo/tenant.yaml"), "time-zone: Nowhere/City\n");
        Files.writeString(dir.resolve("demo/a.yaml"), "entry: x\nnodes:\n" + OK_TAIL);
        Files.writeString(dir.resolve("demo/b c.yaml"), "entry: bye\nnodes:\n" + OK_TAIL);

        assertThatThrownBy(() -> FlowLoader.load(dir, t -> ZoneId.of("UTC")))
                .isInstanceOf(IvrLoadException.class)
                .satisfies(e -> assertThat(((IvrLoadException) e).errors()).extracting(IvrError::toString).containsExactly(
                        "demo/tenant.yaml:1: key 'time-zone': unknown time zone 'Nowhere/City'",
                        "demo/a.yaml:1: key 'entry' names 'x', which is not a node of this flow",
                        "demo/b c.yaml:0: a flow's file name must be its id (letters, digits, _ and -) and .yaml"));
    }

    @Test
    void givenFilePrompts_whenTheTenantHasThoseFiles_thenTheFlowLoadsAndKnowsTheirLanguages(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("demo/prompts/fr"));
        Files.createDirectories(dir.resolve("demo/prompts/greetings"));
        Files.write(dir.resolve("demo/prompts/welcome.wav"), new byte[44]);
        Files.write(dir.resolve("demo/prompts/fr/welcome.wav"), new byte[44]);
        Files.write(dir.resolve("demo/prompts/fr/only-french.gsm"), new byte[33]);
        Files.write(dir.resolve("demo/prompts/greetings/morning.sln16"), new byte[2]);
        Files.write(dir.resolve("demo/prompts/notes.txt"), new byte[2]);
        Files.writeString(dir.resolve("demo/main.yaml"), "entry: a\nnodes:\n"
                + "  a: {type: play, prompt: [file:welcome, file:only-french, file:greetings/morning, \"file:${name}\"], next: bye}\n"
                + OK_TAIL);

        Flow f = FlowLoader.load(dir, t -> ZoneId.of("UTC")).flow(DEMO, FlowId.of("main")).orElseThrow();

        assertThat(f.promptFiles()).containsExactlyInAnyOrder("welcome", "fr/welcome", "fr/only-french", "greetings/morning");
        assertThat(f.promptFile("welcome", "fr")).isEqualTo("fr/welcome");
        assertThat(f.promptFile("welcome", "de")).isEqualTo("welcome");
    }

    @Test
    void givenAFilePromptTheTenantDoesNotHave_thenTheErrorNamesFileLineAndWhereItWasLookedFor(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("demo/prompts"));
        Files.write(dir.resolve("demo/prompts/welcome.txt"), new byte[2]);
        Files.writeString(dir.resolve("demo/main.yaml"), "entry: a\nnodes:\n  a:\n    type: play\n    prompt: file:welcome\n"
                + "    next: bye\n" + OK_TAIL);

        assertThatThrownBy(() -> FlowLoader.load(dir, t -> ZoneId.of("UTC")))
                .satisfies(e -> assertThat(((IvrLoadException) e).errors()).extracting(IvrError::toString).containsExactly(
                        "demo/main.yaml:5: node 'a': key 'prompt': file:welcome: no such file in demo/prompts/ (welcome.wav or "
                                + ".wav16, .gsm, .ulaw, .alaw, .sln, .sln16, .g722, or in a language folder, e.g. en/welcome.wav)"));
    }

    @Test
    void givenTheTenantsConfiguredZone_whenTenantYamlNamesNone_thenCalendarsUseIt() {
        List<IvrError> errors = new ArrayList<>();
        FlowLoader.TenantDefs d = FlowLoader.readTenant("demo/tenant.yaml", DEMO, ZoneId.of("America/New_York"),
                "calendars:\n  office:\n    hours: {mon: 09:00-17:00}\n", errors);
        assertThat(errors).isEmpty();
        assertThat(d.calendars().get("office").zone()).isEqualTo(ZoneId.of("America/New_York"));
    }

    @Test
    void givenTheExampleFlowsOfTheRepository_whenLoaded_thenTheyAreValid() throws IvrLoadException {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("ivr");
        IvrCatalog catalog = FlowLoader.load(dir, t -> ZoneId.of("UTC"));
        assertThat(catalog.flow(DEMO, FlowId.of("main"))).isPresent();
    }
}
