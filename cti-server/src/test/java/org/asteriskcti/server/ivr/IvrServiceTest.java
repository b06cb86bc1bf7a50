package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.asteriskcti.server.testsupport.Events.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

/** The IVR on calls: sessions by channel fed by Asterisk events, commands through the fake Asterisk. */
class IvrServiceTest {

    private static final TenantId DEMO = TenantId.of("demo");
    private static final ChannelId C1 = ChannelId.of("c1");

    static final String MENU = """
            entry: menu
            nodes:
              menu:
                type: menu
                prompt: [sound:welcome, "digits:${caller}"]
                options: {"1": support, "2": ext, "3": vm, "4": out}
                timeout: 4s
                retries: 0
                invalid-prompt: sound:invalid
                on-invalid: bye
                on-timeout: bye
              support: {type: queue, queue: support, skills: {billing: 3}, priority: 5}
              ext: {type: extension, extension: "1002"}
              vm: {type: voicemail, mailbox: "100"}
              out: {type: external, number: "0611223344"}
              bye: {type: hangup}
            """;

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final List<String> admitted = new ArrayList<>();
    private final List<CallData> screenPops = new ArrayList<>();
    private IvrCatalog catalog = new IvrCatalog(java.util.Map.of(DEMO, java.util.Map.of(FlowId.of("main"), IvrSessionTest.flow(MENU))));
    private final IvrService ivr = new IvrService(loop, asterisk, HttpLookupClient.withDefaults(),
            (ch, queue, priority, language, skills, data, only) -> {
                admitted.add(ch.id() + " -> " + queue + " priority " + priority + " " + language.orElse("-") + " " + skills);
                screenPops.add(data);
                return "entry-1";
            },
            tenant -> new IvrService.Dial("cti-dial", "0"),
            agent -> agent.equals(AgentId.of("agent-1001")) ? Optional.of("1001") : Optional.empty(),
            "cti-fallback", () -> catalog, "p", "/srv/ivr/");

    private ChannelSnapshot caller() {
        return channel("c1", "PJSIP/2001-00000001", ChannelState.RING, "2001", null, "700");
    }

    private EventMeta meta(Source source) {
        return new EventMeta(source, clock.instant(), clock.instant(), 0);
    }

    private void inLoop(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private void event(AsteriskEvent e) {
        inLoop(() -> ivr.onEvent(e));
    }

    private void finished(String playbackId) {
        event(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), playbackId, "channel:c1", PlaybackState.FINISHED,
                "sound:welcome"));
    }

    private void dtmf(char key) {
        event(new AsteriskEvent.DtmfReceived(meta(Source.ARI), C1, key, 100));
    }

    private void startMenu() {
        inLoop(() -> ivr.start(caller(), DEMO, IvrSessionTest.flow(MENU), Optional.empty()));
    }

    @Test
    void givenARoutedCaller_whenTheFlowStarts_thenTheChannelIsAnsweredFirstThenThePromptPlays() {
        startMenu();

        assertThat(asterisk.log).containsExactly(
                "answer c1",
                "setvar c1 CTI_IVR_POSITION=" + ivr.session(C1).orElseThrow().position().encode(),
                "play c1 ivr-p-c1-1 [sound:welcome, digits:2001] lang=en");
        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.PLAYING);
        assertThat(ivr.active()).isEqualTo(1);
    }

    @Test
    void givenAnAnswerThatFails_thenNoFlowRunsAndTheCallerIsForgotten() {
        asterisk.failWhen(line -> line.startsWith("answer") ? new IllegalStateException("404") : null);
        startMenu();

        assertThat(asterisk.lines("play")).isEmpty();
        assertThat(ivr.inFlow(C1)).isFalse();
    }

    @Test
    void givenTheMenuPlaying_whenOurPlaybackFinishes_thenTheSessionWaitsForKeys() {
        startMenu();

        finished("ivr-p-c1-1");

        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.WAITING_DIGITS);
    }

    @Test
    void givenTheMenuPlaying_whenAnotherPlaybackFinishes_thenTheSessionStillPlays() {
        startMenu();

        finished("ivr-p-c2-1");
        finished("announce-xyz");

        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.PLAYING);
    }

    @Test
    void givenTheMenuWaiting_whenTheCallerPresses1_thenTheyAreAdmittedToTheQueueWithTheFlowsSkillsAndForgotten() {
        startMenu();
        finished("ivr-p-c1-1");
        asterisk.clear();

        dtmf('1');

        assertThat(admitted).containsExactly("c1 -> support priority 5 - {billing=3}");
        assertThat(asterisk.log).containsExactly("setvar c1 CTI_IVR_POSITION=");
        assertThat(ivr.inFlow(C1)).isFalse();
        assertThat(ivr.handedOver()).isEqualTo(1);
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenARouteLanguage_whenTheCallerGoesToTheQueue_thenAgentsMustSpeakIt() {
        inLoop(() -> ivr.start(caller(), DEMO, IvrSessionTest.flow(MENU), Optional.of("fr")));
        finished("ivr-p-c1-1");

        dtmf('1');

        assertThat(admitted).containsExactly("c1 -> support priority 5 fr {billing=3}");
    }

    @Test
    void givenTheMenuWaiting_whenTheSameKeyComesOverAmi_thenItIsNotCountedTwice() {
        startMenu();
        finished("ivr-p-c1-1");

        event(new AsteriskEvent.DtmfReceived(meta(Source.AMI), C1, '1', 100));

        assertThat(admitted).isEmpty();
        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.WAITING_DIGITS);
    }

    @Test
    void givenTheQueueRefusesTheCaller_thenTheyContinueInTheFallbackContext() {
        IvrService refusing = new IvrService(loop, asterisk, HttpLookupClient.withDefaults(),
                (ch, queue, priority, language, skills, data, only) -> {
                    throw new IllegalStateException("queue full");
                }, tenant -> new IvrService.Dial("cti-dial", ""), agent -> Optional.empty(), "cti-fallback", () -> catalog, "p", "/srv/ivr/");
        inLoop(() -> refusing.start(caller(), DEMO, IvrSessionTest.flow(MENU), Optional.empty()));
        inLoop(() -> refusing.onEvent(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), "ivr-p-c1-1", "channel:c1",
                PlaybackState.FINISHED, "sound:welcome")));
        asterisk.clear();

        inLoop(() -> refusing.onEvent(new AsteriskEvent.DtmfReceived(meta(Source.ARI), C1, '1', 100)));

        assertThat(asterisk.lines("continue")).containsExactly("continue c1 cti-fallback,700,1");
        assertThat(refusing.inFlow(C1)).isFalse();
    }

    @Test
    void givenTheMenuWaiting_whenTheCallerPicksAnExtension_thenTheChannelContinuesInTheTenantsDialContext() {
        startMenu();
        finished("ivr-p-c1-1");

        dtmf('2');

        assertThat(asterisk.lines("continue")).containsExactly("continue c1 cti-dial,1002,1");
        assertThat(ivr.inFlow(C1)).isFalse();
    }

    @Test
    void givenTheMenuWaiting_whenTheCallerPicksAnExternalNumber_thenTheTenantsPrefixIsDialled() {
        startMenu();
        finished("ivr-p-c1-1");

        dtmf('4');

        assertThat(asterisk.lines("continue")).containsExactly("continue c1 cti-dial,00611223344,1");
    }

    @Test
    void givenTheMenuWaiting_whenTheCallerPicksVoicemail_thenTheMailboxIsSetAndTheChannelGoesToVoicemail() {
        startMenu();
        finished("ivr-p-c1-1");
        asterisk.clear();

        dtmf('3');

        assertThat(asterisk.log).containsExactly("setvar c1 CTI_IVR_POSITION=", "setvar c1 CTI_VOICEMAIL=100",
                "continue c1 cti-voicemail,s,1");
    }

    @Test
    void givenTheCtisVoicemail_whenTheCallerPicksVoicemail_thenTheyStayInTheApplicationAndLeaveAMessageThere() {
        List<org.asteriskcti.server.voicemail.VoicemailRequest> left = new ArrayList<>();
        IvrService withVoicemail = new IvrService(loop, asterisk, HttpLookupClient.withDefaults(),
                (ch, queue, priority, language, skills, data, only) -> "entry-1", tenant -> new IvrService.Dial("cti-dial", "0"),
                agent -> Optional.empty(), "cti-fallback", () -> catalog, "p", "/srv/ivr", left::add);
        org.asteriskcti.server.ivr.Flow flow = IvrSessionTest.flow(MENU);
        inLoop(() -> withVoicemail.start(caller(), DEMO, flow, Optional.empty()));
        inLoop(() -> withVoicemail.onEvent(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), "ivr-p-c1-1", "channel:c1",
                org.asteriskcti.server.asterisk.PlaybackState.FINISHED, "sound:x")));
        asterisk.clear();

        inLoop(() -> withVoicemail.onEvent(new AsteriskEvent.DtmfReceived(meta(Source.ARI), ChannelId.of("c1"), '3', 100)));

        assertThat(asterisk.lines("continue")).isEmpty();
        assertThat(asterisk.log).containsExactly("setvar c1 CTI_IVR_POSITION=");
        assertThat(left).singleElement().satisfies(r -> {
            assertThat(r.channel()).isEqualTo(ChannelId.of("c1"));
            assertThat(r.tenant()).isEqualTo(DEMO);
            assertThat(r.mailbox().value()).isEqualTo("100");
            assertThat(r.origin().encode()).isEqualTo("FLOW:" + flow.id().value());
            assertThat(r.caller().number()).isEqualTo("2001");
        });
        assertThat(withVoicemail.inFlow(ChannelId.of("c1"))).isFalse();
    }

    @Test
    void givenTheMenuWaiting_whenNobodyPresses_thenTheFlowHangsUp() {
        startMenu();
        finished("ivr-p-c1-1");
        asterisk.clear();

        scheduler.advance(java.time.Duration.ofSeconds(5));
        scheduler.runAll();

        assertThat(asterisk.lines("hangup")).containsExactly("hangup c1 NORMAL");
        assertThat(ivr.inFlow(C1)).isFalse();
    }

    @Test
    void givenACallerMidMenu_whenTheyHangUp_thenTheSessionIsForgottenAndLateEventsAreIgnored() {
        startMenu();
        IvrSession session = ivr.session(C1).orElseThrow();

        event(new AsteriskEvent.ChannelHungUp(meta(Source.ARI), C1, 16, "Normal Clearing"));

        assertThat(ivr.inFlow(C1)).isFalse();
        assertThat(session.state()).isEqualTo(IvrState.FINISHED);
        assertThat(ivr.hungUp()).isEqualTo(1);
        asterisk.clear();
        finished("ivr-p-c1-1");
        dtmf('1');
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), C1, "cti"));
        assertThat(asterisk.log).isEmpty();
        assertThat(admitted).isEmpty();
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenACallerWhoHangsUpBeforeTheAnswerCompletes_thenNoFlowStarts() {
        asterisk.hold();
        startMenu();
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), C1, "cti"));

        asterisk.completeHeld();
        scheduler.runAll();

        assertThat(asterisk.lines("play")).isEmpty();
        assertThat(ivr.inFlow(C1)).isFalse();
    }

    @Test
    void givenAPlayThatAsteriskRefuses_thenTheFlowMovesOnAsIfItHadPlayed() {
        asterisk.failWhen(line -> line.startsWith("play") ? new IllegalStateException("400 bad media") : null);

        startMenu();

        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.WAITING_DIGITS);
    }

    @Test
    void givenPrompts_thenTheyBecomeAriMediaWithTenantFilesFromTheirPromptsFolder() {
        assertThat(AriIvrPort.media(List.of(Prompt.parse("sound:welcome"), Prompt.parse("file:acme-hello"),
                Prompt.parse("digits:123"), Prompt.parse("number:42")), (name, lang) -> "F:" + lang + ":" + name, "fr"))
                .containsExactly("sound:welcome", "F:fr:acme-hello", "digits:123", "number:42");
    }

    @Test
    void givenATenantFileInTheCallersLanguage_thenThatOneIsPlayedElseTheOneWithoutLanguage() {
        Flow f = new Flow(FlowId.of("main"), DEMO, "0a", NodeId.of("bye"), NodeId.of("bye"), "en",
                java.util.Map.of(NodeId.of("bye"), new Node.Hangup(NodeId.of("bye"))), "demo/main.yaml",
                java.util.Set.of("hello", "fr/hello", "menu"));

        assertThat(ivr.promptMedia(f, "hello", "fr")).isEqualTo("sound:/srv/ivr/demo/prompts/fr/hello");
        assertThat(ivr.promptMedia(f, "hello", "en")).isEqualTo("sound:/srv/ivr/demo/prompts/hello");
        assertThat(ivr.promptMedia(f, "menu", "fr")).isEqualTo("sound:/srv/ivr/demo/prompts/menu");
    }

    @Test
    void givenTheFlowMoves_thenThePositionIsKeptOnTheChannel() {
        startMenu();
        finished("ivr-p-c1-1");
        dtmf('9'); // invalid, no retries: to 'bye' → hangup

        assertThat(asterisk.lines("setvar c1 CTI_IVR_POSITION=")).first().asString()
                .startsWith("setvar c1 CTI_IVR_POSITION=t=demo&f=main&v=").endsWith("&n=menu&lang=en");
        assertThat(asterisk.lines("hangup")).containsExactly("hangup c1 NORMAL");
    }

    // ---- a CTI restart ---------------------------------------------------------------------------------------

    private ChannelSnapshot keptCaller(String id, String position) {
        ChannelSnapshot c = channel(id, "PJSIP/2001-0000000" + id.length(), ChannelState.UP, "2001", null, "700");
        return new ChannelSnapshot(c.id(), c.name(), c.state(), c.caller(), c.connected(), c.linkedId(), c.context(),
                c.exten(), c.accountCode(), c.language(), c.createdAt(),
                position == null ? java.util.Map.of() : java.util.Map.of(AriIvrPort.POSITION_VAR, position));
    }

    private void resync(ChannelSnapshot... channels) {
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(channels), List.of()));
    }

    @Test
    void givenACallerKeptOnTheChannel_whenArisFirstResync_thenTheyResumeAtTheirNodeWithWhatTheFlowLearnt() {
        Flow f = catalog.flow(DEMO, FlowId.of("main")).orElseThrow();
        IvrPosition kept = new IvrPosition(DEMO, f.id(), f.version(), NodeId.of("menu"), "fr", Optional.of("north"),
                List.of(new CallData.MenuChoice(NodeId.of("lang"), "2")), java.util.Map.of("account", "42"));

        resync(keptCaller("c1", kept.encode()), keptCaller("c9", null));

        assertThat(ivr.inFlow(C1)).isTrue();
        assertThat(ivr.inFlow(ChannelId.of("c9"))).isFalse();
        assertThat(ivr.resumed()).isEqualTo(1);
        assertThat(asterisk.lines("play")).containsExactly("play c1 ivr-p-c1-1 [sound:welcome, digits:2001] lang=fr");
        finished("ivr-p-c1-1");
        dtmf('1');
        assertThat(admitted).containsExactly("c1 -> support priority 5 fr {billing=3}");
        assertThat(asterisk.lines("answer")).as("the caller was answered by the CTI before").isEmpty();
        CallData pop = screenPops.get(0);
        assertThat(pop.region()).contains("north");
        assertThat(pop.choices()).containsExactly(new CallData.MenuChoice(NodeId.of("lang"), "2"),
                new CallData.MenuChoice(NodeId.of("menu"), "1"));
        assertThat(pop.vars()).containsEntry("account", "42").containsEntry("menu.menu", "1");
    }

    @Test
    void givenACallerHandedToTheAcdJustBeforeTheRestart_whenResync_thenTheIvrLeavesThemToTheAcd() {
        Flow f = catalog.flow(DEMO, FlowId.of("main")).orElseThrow();
        ChannelSnapshot c = keptCaller("c1", IvrPosition.at(DEMO, f.id(), f.version(), NodeId.of("menu"), "en").encode());
        java.util.Map<String, String> vars = new java.util.HashMap<>(c.vars());
        vars.put("CTI_QUEUE_ENTRY", "e=1&t=demo&q=support&at=1");
        resync(new ChannelSnapshot(c.id(), c.name(), c.state(), c.caller(), c.connected(), c.linkedId(), c.context(),
                c.exten(), c.accountCode(), c.language(), c.createdAt(), vars));

        assertThat(ivr.inFlow(C1)).isFalse();
        assertThat(asterisk.log).isEmpty();
    }

    @Test
    void givenACallerInAFlowThatIsNoMore_whenResync_thenTheDialplanFallback() {
        IvrPosition kept = IvrPosition.at(DEMO, FlowId.of("gone"), "0a", NodeId.of("menu"), "en");

        resync(keptCaller("c1", kept.encode()));

        assertThat(ivr.inFlow(C1)).isFalse();
        assertThat(asterisk.lines("continue")).containsExactly("continue c1 cti-fallback,700,1");
    }

    @Test
    void givenAnUnreadablePosition_whenResync_thenTheDialplanFallback() {
        resync(keptCaller("c1", "main@0a:menu;lang=en"));

        assertThat(ivr.inFlow(C1)).isFalse();
        assertThat(asterisk.lines("continue")).containsExactly("continue c1 cti-fallback,700,1");
    }

    @Test
    void givenACallerInAFlow_whenTheyWentWhileAriWasDown_thenTheyLeaveTheFlow() {
        startMenu();

        resync();

        assertThat(ivr.inFlow(C1)).isFalse();
        assertThat(ivr.hungUp()).isEqualTo(1);
    }

    @Test
    void givenAPromptPlayingWhenTheAriLinkWent_whenResync_thenThePromptIsStoppedAndTheNodeStartsAgain() {
        startMenu();
        asterisk.clear();
        ChannelSnapshot same = keptCaller("c1", ivr.session(C1).orElseThrow().position().encode());

        resync(same);

        assertThat(asterisk.lines("playback.stop")).containsExactly("playback.stop ivr-p-c1-1");
        assertThat(asterisk.lines("play c1")).containsExactly("play c1 ivr-p-c1-g1-1 [sound:welcome, digits:2001] lang=en");
        finished("ivr-p-c1-1"); // the stopped one's end, late: not the current prompt's
        finished("ivr-p-c1-g1-1");
        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.WAITING_DIGITS);
        dtmf('1');
        assertThat(admitted).containsExactly("c1 -> support priority 5 - {billing=3}");
    }

    @Test
    void givenACallerWeRun_whenResync_thenTheyAreNotTakenBackTwice() {
        startMenu();
        finished("ivr-p-c1-1");
        ChannelSnapshot same = keptCaller("c1", ivr.session(C1).orElseThrow().position().encode());

        resync(same);

        assertThat(ivr.resumed()).isZero();
        assertThat(asterisk.lines("play c1")).as("waiting for keys: nothing to replay").hasSize(1);
        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.WAITING_DIGITS);
    }

    @Test
    void givenCallersLeavingFlows_thenEachOutcomeIsToldWithTheTenant() {
        List<String> outcomes = new ArrayList<>();
        ivr.onOutcome((tenant, outcome) -> outcomes.add(tenant + " " + outcome));
        startMenu();
        finished("ivr-p-c1-1");
        dtmf('1');
        inLoop(() -> ivr.start(channel("c2", "PJSIP/2001-2", ChannelState.RING, "2002", null, "700"), DEMO,
                IvrSessionTest.flow(MENU), Optional.empty()));
        event(new AsteriskEvent.ChannelHungUp(meta(Source.ARI), ChannelId.of("c2"), 16, "Normal Clearing"));

        assertThat(outcomes).containsExactly("demo queue", "demo caller_hung_up");
        assertThat(ivr.handedOver()).isEqualTo(1);
        assertThat(ivr.hungUp()).isEqualTo(1);
    }

    @Test
    void givenAPromptAsteriskCannotPlay_thenItIsCountedAndTheFlowMovesOn() {
        startMenu();
        event(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), "ivr-p-c1-1", "channel:c1", PlaybackState.FAILED,
                "sound:welcome"));
        event(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), "announce-1", "channel:c9", PlaybackState.FAILED,
                "sound:other"));

        assertThat(ivr.playbacksFailed()).as("only our own playbacks").isEqualTo(1);
        assertThat(ivr.session(C1).orElseThrow().state()).isEqualTo(IvrState.WAITING_DIGITS);
    }
}
