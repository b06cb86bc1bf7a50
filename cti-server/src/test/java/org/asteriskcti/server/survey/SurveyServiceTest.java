package org.asteriskcti.server.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyEnded;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyOutcome;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

/**
 * The survey's state machine on a manual loop with a fake clock, against a recording fake of the Asterisk
 * commands: every outcome, barge-in, re-asking, hang-ups at each step, and a restart.
 */
class SurveyServiceTest {

    private static final TenantId DEMO = TenantId.of("demo");
    private static final QueueId SUPPORT = QueueId.of("support");
    private static final EntryId ENTRY = EntryId.of("c1/1");
    private static final AgentId A1 = AgentId.of("agent-1001");
    private static final ChannelId C1 = ChannelId.of("c1");
    private static final SurveyDefinition DEFINITION = new SurveyDefinition(List.of("sound:vm-press", "digits:12345"),
            List.of("sound:pm-invalid-option"), List.of("sound:auth-thankyou"), Duration.ofSeconds(5), 1);

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final QueueEventLog events = new QueueEventLog();
    private final List<String> told = new ArrayList<>();
    private SurveyService surveys = service(DEFINITION);

    private SurveyService service(SurveyDefinition d) {
        return new SurveyService(loop, asterisk, events, Map.of(SUPPORT, d),
                (tenant, e) -> told.add(tenant + " " + e.queue() + " " + e.outcome() + " " + e.score()));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private <T> T call(Supplier<T> task) {
        CompletableFuture<T> f = loop.call(task);
        scheduler.runAll();
        try {
            return f.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private void event(AsteriskEvent e) {
        call(() -> {
            surveys.onEvent(e);
            return null;
        });
    }

    private EventMeta meta(Source source) {
        return new EventMeta(source, clock.instant(), clock.instant(), 0);
    }

    private void take() {
        take(CompletableFuture.completedFuture(null));
    }

    private void take(CompletableFuture<Void> ready) {
        call(() -> {
            surveys.take(C1, DEMO, SUPPORT, ENTRY, A1, ready);
            return null;
        });
    }

    private void key(char digit) {
        event(new AsteriskEvent.DtmfReceived(meta(Source.ARI), C1, digit, 100));
    }

    private void finished(int playback) {
        event(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), playbackId(playback), "channel:c1", PlaybackState.FINISHED,
                "sound:x"));
    }

    private static String playbackId(int n) {
        return "survey-c1-" + n;
    }

    private void hungUp() {
        event(new AsteriskEvent.ChannelHungUp(meta(Source.ARI), C1, 16, "Normal Clearing"));
    }

    private SurveyState state() {
        return call(() -> surveys.state(C1).orElse(SurveyState.DONE));
    }

    private List<SurveyEnded> logged() {
        return events.events().stream().filter(e -> e instanceof SurveyEnded).map(e -> (SurveyEnded) e).toList();
    }

    private static final String QUESTION = "[sound:vm-press, digits:12345]";
    private static final String MARK = "tenant=demo&queue=support&entry=c1%2F1&agent=agent-1001";

    // ---- answered ---------------------------------------------------------------------------------------

    @Test
    void givenTheAgentHungUp_whenTheSurveyStarts_thenTheChannelIsMarkedLeavesTheConversationAndHearsTheQuestion() {
        take();

        assertThat(asterisk.log).containsExactly(
                "setvar c1 CTI_SURVEY=" + MARK,
                "setvar c1 CTI_CONVERSATION=",
                "play c1 " + QUESTION);
        assertThat(state()).isEqualTo(SurveyState.ASKING);
        assertThat(logged()).isEmpty();
    }

    @Test
    void givenTheBridgeIsNotDestroyedYet_whenTheSurveyStarts_thenTheQuestionWaitsForIt() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        take(ready);
        assertThat(asterisk.lines("play")).isEmpty();

        call(() -> ready.complete(null));

        assertThat(asterisk.lines("play")).containsExactly("play c1 " + QUESTION);
    }

    @Test
    void givenEachScore_whenPressedAfterTheQuestion_thenItIsLoggedThanksAreSaidAndWeHangUp() {
        for (int score = 1; score <= 5; score++) {
            asterisk.clear();
            take();
            finished(1);
            assertThat(state()).isEqualTo(SurveyState.WAITING_KEY);

            key((char) ('0' + score));

            assertThat(state()).isEqualTo(SurveyState.THANKING);
            SurveyEnded e = logged().get(logged().size() - 1);
            assertThat(e).isEqualTo(new SurveyEnded(clock.instant(), SUPPORT, ENTRY, A1, SurveyOutcome.ANSWERED, score));
            assertThat(asterisk.log).contains("setvar c1 CTI_SURVEY=" + MARK + "&outcome=ANSWERED",
                    "play c1 [sound:auth-thankyou]");
            assertThat(asterisk.lines("playback.stop")).isEmpty(); // nothing was playing
            assertThat(asterisk.lines("hangup")).isEmpty();

            finished(2);

            assertThat(asterisk.lines("hangup")).containsExactly("hangup c1 NORMAL");
            assertThat(call(() -> surveys.state(C1))).isEmpty();
        }
        assertThat(logged()).extracting(SurveyEnded::score).containsExactly(1, 2, 3, 4, 5);
        assertThat(told).containsExactly("demo support ANSWERED 1", "demo support ANSWERED 2", "demo support ANSWERED 3",
                "demo support ANSWERED 4", "demo support ANSWERED 5");
    }

    @Test
    void givenTheQuestionIsStillPlaying_whenAScoreIsPressed_thenItCountsAndTheQuestionIsStoppedBeforeTheThanks() {
        take();
        asterisk.clear();

        key('4');

        assertThat(asterisk.log).containsExactly("playback.stop " + playbackId(1),
                "setvar c1 CTI_SURVEY=" + MARK + "&outcome=ANSWERED", "play c1 [sound:auth-thankyou]");
        assertThat(logged()).extracting(SurveyEnded::score).containsExactly(4);

        finished(1); // the stopped question's end comes late: it moves nothing
        assertThat(state()).isEqualTo(SurveyState.THANKING);
        assertThat(asterisk.lines("hangup")).isEmpty();
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenAnInvalidKey_whenPressed_thenTheInvalidPromptAndTheQuestionAreSaidAgainAndALaterScoreCounts() {
        take();
        finished(1);
        asterisk.clear();

        key('9');

        assertThat(state()).isEqualTo(SurveyState.ASKING);
        assertThat(asterisk.log).containsExactly(
                "play c1 [sound:pm-invalid-option, sound:vm-press, digits:12345]");
        assertThat(logged()).isEmpty();
        assertThat(scheduler.pendingTimers()).isZero(); // the first timer was cancelled

        finished(2);
        key('2');

        assertThat(logged()).extracting(SurveyEnded::outcome, SurveyEnded::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SurveyOutcome.ANSWERED, 2));
    }

    // ---- no response ------------------------------------------------------------------------------------

    @Test
    void givenNoKey_whenEachAskingTimesOut_thenTheQuestionIsAskedOnceMoreThenNoResponseIsLogged() {
        take();
        finished(1);
        asterisk.clear();

        scheduler.advance(Duration.ofMillis(4_999));
        assertThat(state()).isEqualTo(SurveyState.WAITING_KEY);
        scheduler.advance(Duration.ofMillis(1));

        assertThat(state()).isEqualTo(SurveyState.ASKING);
        assertThat(asterisk.log).containsExactly("play c1 " + QUESTION); // no invalid prompt
        finished(2);
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(logged()).containsExactly(new SurveyEnded(clock.instant(), SUPPORT, ENTRY, A1,
                SurveyOutcome.NO_RESPONSE, 0));
        assertThat(state()).isEqualTo(SurveyState.THANKING);
        assertThat(asterisk.lines("play")).last().isEqualTo("play c1 [sound:auth-thankyou]");
        finished(3);
        assertThat(asterisk.lines("hangup")).containsExactly("hangup c1 NORMAL");
        assertThat(told).containsExactly("demo support NO_RESPONSE 0");
    }

    @Test
    void givenInvalidKeysOnEveryTry_whenTriesRunOut_thenNoResponseIsLogged() {
        take();
        key('#');
        key('0');

        assertThat(logged()).extracting(SurveyEnded::outcome).containsExactly(SurveyOutcome.NO_RESPONSE);
        assertThat(state()).isEqualTo(SurveyState.THANKING);
        key('5'); // too late: the outcome is known
        assertThat(logged()).hasSize(1);
    }

    @Test
    void givenNoRetriesAndNoThanks_whenTheOnlyAskingTimesOut_thenNoResponseAndWeHangUpAtOnce() {
        surveys = service(new SurveyDefinition(List.of("sound:q"), List.of(), List.of(), Duration.ofSeconds(3), 0));
        take();
        finished(1);
        asterisk.clear();

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(logged()).extracting(SurveyEnded::outcome).containsExactly(SurveyOutcome.NO_RESPONSE);
        assertThat(asterisk.log).containsExactly("setvar c1 CTI_SURVEY=" + MARK + "&outcome=NO_RESPONSE", "hangup c1 NORMAL");
        assertThat(call(() -> surveys.state(C1))).isEmpty();
    }

    // ---- hang-ups ---------------------------------------------------------------------------------------

    @Test
    void givenTheCustomerHangsUpDuringTheQuestion_thenHungUpIsLoggedAndNothingMoreIsAsked() {
        take();
        asterisk.clear();

        hungUp();
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), C1, "cti")); // the same end, told twice

        assertThat(logged()).containsExactly(new SurveyEnded(clock.instant(), SUPPORT, ENTRY, A1, SurveyOutcome.HUNG_UP, 0));
        assertThat(asterisk.log).isEmpty(); // no play, no hang-up, no mark on a gone channel
        assertThat(call(() -> surveys.state(C1))).isEmpty();
        finished(1);
        assertThat(asterisk.log).isEmpty();
    }

    @Test
    void givenTheCustomerHangsUpWhileWeWaitForTheKey_thenHungUpIsLoggedAndTheTimerIsGone() {
        take();
        finished(1);

        hungUp();

        assertThat(logged()).extracting(SurveyEnded::outcome).containsExactly(SurveyOutcome.HUNG_UP);
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenTheCustomerHangsUpDuringTheThanks_thenTheirScoreStandsAndNothingElseIsLogged() {
        take();
        key('5');
        asterisk.clear();

        hungUp();

        assertThat(logged()).extracting(SurveyEnded::outcome, SurveyEnded::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SurveyOutcome.ANSWERED, 5));
        assertThat(asterisk.log).isEmpty();
        assertThat(told).containsExactly("demo support ANSWERED 5");
    }

    @Test
    void givenAmiDtmf_whenReceived_thenOnlyArisCountsSoAKeyIsNeverTakenTwice() {
        take();
        event(new AsteriskEvent.DtmfReceived(meta(Source.AMI), C1, '3', 100));

        assertThat(logged()).isEmpty();
        assertThat(state()).isEqualTo(SurveyState.ASKING);
    }

    @Test
    void givenAPlaybackAsteriskRefuses_whenTheQuestionCannotBeSaid_thenTheSurveyWaitsForTheKeyAnyway() {
        asterisk.failWhen(line -> line.startsWith("play") ? new IllegalStateException("ARI down") : null);
        take();

        assertThat(state()).isEqualTo(SurveyState.WAITING_KEY);
        key('4');
        assertThat(logged()).extracting(SurveyEnded::score).containsExactly(4);
    }

    @Test
    void givenAQueueWithoutSurvey_whenTaken_thenRefused() {
        assertThat(surveys.offers(SUPPORT)).isTrue();
        assertThat(surveys.offers(QueueId.of("sales"))).isFalse();
        assertThatThrownBy(() -> call(() -> {
            surveys.take(C1, DEMO, QueueId.of("sales"), ENTRY, A1, CompletableFuture.completedFuture(null));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sales");
    }

    // ---- resync and restart -------------------------------------------------------------------------------

    private static ChannelSnapshot channel(String id, Map<String, String> vars) {
        return new ChannelSnapshot(ChannelId.of(id), "PJSIP/2001-1", ChannelState.UP, Party.EMPTY, Party.EMPTY, null, "", "",
                "", "en", null, vars);
    }

    private void resync(ChannelSnapshot... channels) {
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(channels), List.of()));
    }

    @Test
    void givenASurveyChannelOfAnEarlierRun_whenResynced_thenItIsLoggedInterruptedAndHungUp() {
        resync(channel("old1", Map.of("CTI_SURVEY", MARK)),
                channel("old2", Map.of("CTI_SURVEY", MARK.replace("c1%2F1", "c2%2F1") + "&outcome=ANSWERED")),
                channel("broken", Map.of("CTI_SURVEY", "queue=support")),
                channel("other", Map.of("CTI_CONVERSATION", "x")));

        assertThat(logged()).containsExactly(new SurveyEnded(clock.instant(), SUPPORT, ENTRY, A1, SurveyOutcome.INTERRUPTED, 0));
        assertThat(asterisk.log).containsExactly("hangup old1 NORMAL", "hangup old2 NORMAL", "hangup broken NORMAL");
        assertThat(call(() -> surveys.interrupted())).isEqualTo(1);
        assertThat(told).containsExactly("demo support INTERRUPTED 0");
    }

    @Test
    void givenAReconnect_whenTheSurveysChannelIsGone_thenHungUp_andWhenItIsThere_thenTheMissedPlaybackEndMovesItOn() {
        take();
        resync(channel("c1", Map.of("CTI_SURVEY", MARK)));
        assertThat(state()).isEqualTo(SurveyState.WAITING_KEY);
        assertThat(asterisk.lines("hangup")).isEmpty(); // our own survey: not ended

        resync();

        assertThat(logged()).extracting(SurveyEnded::outcome).containsExactly(SurveyOutcome.HUNG_UP);
        assertThat(call(() -> surveys.state(C1))).isEmpty();
    }

    @Test
    void givenAMark_whenEncodedAndDecoded_thenItComesBackEqual() {
        SurveyMark m = new SurveyMark(DEMO, SUPPORT, EntryId.of("PJSIP/2001-0000&x=1/2"), A1, java.util.Optional.empty());
        assertThat(SurveyMark.decode(m.encode())).isEqualTo(m);
        assertThat(SurveyMark.decode(m.decided(SurveyOutcome.ANSWERED).encode()).outcome()).contains(SurveyOutcome.ANSWERED);
        assertThatThrownBy(() -> SurveyMark.decode("tenant=demo&queue=q&entry=e")).hasMessageContaining("agent");
        assertThatThrownBy(() -> SurveyMark.decode(MARK + "&outcome=MAYBE")).hasMessageContaining("MAYBE");
    }

    @Test
    void givenAnIllegalTransition_thenTheMachineRefusesIt() {
        assertThat(SurveyState.THANKING.canGo(SurveyState.ASKING)).isFalse();
        assertThat(SurveyState.DONE.canGo(SurveyState.ASKING)).isFalse();
        assertThat(SurveyState.WAITING_KEY.canGo(SurveyState.WAITING_KEY)).isFalse();
        assertThat(SurveyState.ASKING.canGo(SurveyState.WAITING_KEY)).isTrue();
        assertThat(QueueEvent.SurveyOutcome.values()).hasSize(4);
    }
}
