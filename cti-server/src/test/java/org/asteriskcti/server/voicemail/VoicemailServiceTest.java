package org.asteriskcti.server.voicemail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.recording.RecordingError;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.MemoryVoicemailStore;
import org.junit.jupiter.api.Test;

/**
 * The voicemail on a manual loop with a fake clock and a fake Asterisk: the state machine from greeting to
 * thank-you, a caller hanging up at each step, too-short messages, Asterisk refusing, a lost RecordingFinished,
 * and a CTI restart in the middle of a message.
 */
class VoicemailServiceTest {

    private static final TenantId DEMO = TenantId.of("demo");
    private static final ChannelId C1 = ChannelId.of("1795424200.59");
    private static final Party CALLER = new Party("2001", "Customer One");
    private static final Mailbox BOX = Mailbox.of("1000@default");

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final MemoryVoicemailStore store = new MemoryVoicemailStore();
    private final CtiMetrics metrics = new CtiMetrics();
    private final Events ari = new Events(clock, Source.ARI);
    private final List<String> published = new ArrayList<>();
    /** What Asterisk's stored files are, by name: their length in bytes; absent: 404. */
    private final Map<String, Long> files = new java.util.HashMap<>();
    private final RecordingFiles recordingFiles = name -> files.containsKey(name)
            ? CompletableFuture.completedFuture(new RecordingFiles.Audio(new ByteArrayInputStream(new byte[0]),
                    OptionalLong.of(files.get(name)), "audio/wav"))
            : CompletableFuture.failedFuture(new RecordingException(RecordingError.AUDIO_MISSING, "no " + name));
    private final VoicemailListener listener = new VoicemailListener() {
        @Override
        public void added(VoicemailMessage m) {
            published.add("added " + m.id() + " " + m.state() + " " + m.durationSeconds());
        }

        @Override
        public void updated(VoicemailMessage m) {
            published.add("updated " + m.id() + " " + m.state() + " " + m.heardBy());
        }

        @Override
        public void deleted(VoicemailMessage m) {
            published.add("deleted " + m.id());
        }
    };
    private VoicemailService service = newService();

    private VoicemailService newService() {
        return new VoicemailService(loop, asterisk, recordingFiles, store, listener, metrics,
                VoicemailSettings.defaults());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void run(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    private void event(AsteriskEvent e) {
        run(() -> service.onEvent(e));
    }

    private void leave() {
        run(() -> service.leave(new VoicemailRequest(C1, CALLER, DEMO, BOX, Origin.queue("support"))));
    }

    private Optional<VoicemailState> state() {
        CompletableFuture<Optional<VoicemailState>> f = loop.call(() -> service.state(C1));
        scheduler.runAll();
        return f.join();
    }

    /** The mark last set on the caller's channel. */
    private ChannelMark mark() {
        List<String> sets = asterisk.lines("setvar " + C1 + " " + VoicemailService.MARK_VAR + "=");
        assertThat(sets).as("marks set").isNotEmpty();
        String last = sets.get(sets.size() - 1);
        return ChannelMark.decode(last.substring(last.indexOf('=') + 1));
    }

    private void playbackFinished(String what) {
        event(new AsteriskEvent.PlaybackChanged(ari.meta(), mark().id().value() + "-" + what, "channel:" + C1,
                PlaybackState.FINISHED, "sound:x"));
    }

    private void recording(RecordingState state, Integer seconds) {
        String name = mark().recordingName();
        event(new AsteriskEvent.RecordingChanged(ari.meta(), name, C1, null, state, name + ".wav", seconds));
    }

    private VoicemailMessage only() {
        assertThat(store.all()).as("messages stored").hasSize(1);
        return store.all().get(0);
    }

    /** From arrival to Asterisk recording: the greeting played to its end. */
    private void recordingStarted() {
        leave();
        playbackFinished("greeting");
        recording(RecordingState.STARTED, null);
    }

    // ---- the happy path ---------------------------------------------------------------------------------

    @Test
    void givenACaller_whenTheyLeaveAMessageAndPressHash_thenItIsStoredWithTheirNumberAndTheyAreThankedAndHungUp() {
        leave();

        assertThat(state()).contains(VoicemailState.GREETING);
        assertThat(mark().phase()).isEqualTo(ChannelMark.Phase.GREETING);
        assertThat(asterisk.lines("play ")).containsExactly("play " + C1 + " [sound:vm-intro]");
        assertThat(asterisk.lines("record.channel")).isEmpty();

        clock.advance(Duration.ofSeconds(6));
        playbackFinished("greeting");

        assertThat(state()).contains(VoicemailState.RECORDING);
        String name = mark().recordingName();
        assertThat(name).matches("vm-demo-[0-9a-z]{12}");
        assertThat(asterisk.lines("record.channel"))
                .containsExactly("record.channel " + C1 + " " + name + " max=180s silence=10s end=#");
        // Stored before Asterisk records (crash safety), never listed while RECORDING.
        assertThat(only().state()).isEqualTo(MessageState.RECORDING);
        assertThat(mark().phase()).isEqualTo(ChannelMark.Phase.RECORDING);

        recording(RecordingState.STARTED, null);
        clock.advance(Duration.ofSeconds(7));
        recording(RecordingState.STOPPED, 7);

        VoicemailMessage m = only();
        assertThat(m.state()).isEqualTo(MessageState.NEW);
        assertThat(m.durationSeconds()).isEqualTo(7);
        assertThat(m.callerNumber()).isEqualTo("2001");
        assertThat(m.callerName()).isEqualTo("Customer One");
        assertThat(m.mailbox()).isEqualTo(BOX);
        assertThat(m.tenant()).isEqualTo(DEMO);
        assertThat(m.origin()).isEqualTo(Origin.queue("support"));
        assertThat(m.recordingName()).isEqualTo(name);
        assertThat(m.startedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:06Z"));
        assertThat(m.endedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:13Z"));
        assertThat(published).containsExactly("added " + m.id() + " NEW 7");
        assertThat(metrics.scrape()).contains("cti_voicemail_messages_stored_total{tenant=\"demo\"} 1.0");
        assertThat(state()).contains(VoicemailState.THANKING);
        assertThat(mark().phase()).isEqualTo(ChannelMark.Phase.DONE);
        assertThat(asterisk.lines("play ")).last().isEqualTo("play " + C1 + " [sound:vm-msgsaved, sound:vm-goodbye]");
        assertThat(asterisk.lines("hangup")).isEmpty();

        playbackFinished("thanks");

        assertThat(asterisk.lines("hangup")).containsExactly("hangup " + C1 + " NORMAL");
        assertThat(state()).isEmpty();
        run(() -> assertThat(service.stored()).isEqualTo(1));
    }

    @Test
    void givenAsteriskSlowToAnswer_thenTheMarkIsOnTheChannelBeforeTheGreetingOrTheRecordingStarts() {
        asterisk.hold();
        leave();
        // Asterisk runs a channel's commands one by one and a playback holds the channel: the play waits for the mark.
        assertThat(asterisk.log).singleElement().asString().startsWith("setvar " + C1 + " " + VoicemailService.MARK_VAR);

        run(asterisk::completeHeld);
        assertThat(asterisk.lines("play ")).hasSize(1);
        asterisk.hold();
        playbackFinished("greeting");
        assertThat(asterisk.lines("record.channel")).isEmpty();
        assertThat(mark().phase()).isEqualTo(ChannelMark.Phase.RECORDING);

        run(asterisk::completeHeld);
        assertThat(asterisk.lines("record.channel")).hasSize(1);
    }

    @Test
    void givenACallerRecorded_whenTheyHangUpBeforeAsteriskFinishesTheFile_thenTheMessageIsStoredAndNothingIsPlayed() {
        recordingStarted();

        event(ari.stasisEnd(C1.value()));
        assertThat(state()).contains(VoicemailState.RECORDING);
        recording(RecordingState.STOPPED, 12);

        assertThat(only().state()).isEqualTo(MessageState.NEW);
        assertThat(only().durationSeconds()).isEqualTo(12);
        assertThat(state()).isEmpty();
        assertThat(asterisk.lines("play ")).hasSize(1); // the greeting only
        assertThat(asterisk.lines("hangup")).isEmpty();
    }

    @Test
    void givenACallerRecorded_whenTheirHangupRequestComesBeforeAsterisksEndOfTheFile_thenNothingIsPlayedAfter() {
        recordingStarted();

        event(ari.hangupRequest(C1.value(), false));
        recording(RecordingState.STOPPED, 6);
        event(ari.stasisEnd(C1.value()));

        assertThat(only().durationSeconds()).isEqualTo(6);
        assertThat(asterisk.lines("play ")).hasSize(1); // the greeting only
        assertThat(state()).isEmpty();
    }

    // ---- the caller goes early --------------------------------------------------------------------------

    @Test
    void givenTheGreeting_whenTheCallerHangsUp_thenNothingIsRecordedOrStored() {
        leave();

        event(ari.hangup(C1.value(), 16));
        playbackFinished("greeting"); // Asterisk's late end of the playback

        assertThat(state()).isEmpty();
        assertThat(asterisk.lines("record.channel")).isEmpty();
        assertThat(store.saves).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void givenAMessageShorterThanTheMinimum_whenAsteriskFinishesIt_thenItIsDiscardedAndDeletedAndTheCallerHearsGoodbye() {
        recordingStarted();
        String name = mark().recordingName();

        recording(RecordingState.STOPPED, 0);

        assertThat(store.all()).isEmpty();
        assertThat(store.deletes).hasSize(1);
        assertThat(asterisk.lines("record.delete")).containsExactly("record.delete " + name);
        assertThat(published).isEmpty();
        assertThat(metrics.scrape()).contains("cti_voicemail_messages_discarded_total 1.0");
        assertThat(asterisk.lines("play ")).last().isEqualTo("play " + C1 + " [sound:vm-goodbye]");

        playbackFinished("thanks");
        assertThat(asterisk.lines("hangup")).containsExactly("hangup " + C1 + " NORMAL");
    }

    @Test
    void givenACallerWhoHungUpAtTheBeep_whenAsteriskReportsZeroSeconds_thenNothingIsPlayedAndItIsDiscarded() {
        recordingStarted();

        event(ari.hangup(C1.value(), 16));
        recording(RecordingState.STOPPED, 0);

        assertThat(store.all()).isEmpty();
        assertThat(asterisk.lines("record.delete")).hasSize(1);
        assertThat(asterisk.lines("play ")).hasSize(1);
        assertThat(state()).isEmpty();
    }

    // ---- Asterisk fails ------------------------------------------------------------------------------

    @Test
    void givenAsteriskRefusesToRecord_thenTheCallerGoesToTheDialplanVoicemailAndNoMessageRemains() {
        asterisk.failWhen(line -> line.startsWith("record.channel")
                ? new AriException(422, AriException.Kind.ofStatus(422), "Recording name invalid", "POST", "/x", null)
                : null);
        leave();
        playbackFinished("greeting");

        assertThat(state()).isEmpty();
        assertThat(store.all()).isEmpty();
        assertThat(asterisk.log).containsSequence("setvar " + C1 + " " + VoicemailService.MARK_VAR + "=",
                "setvar " + C1 + " CTI_VOICEMAIL=1000@default", "continue " + C1 + " cti-voicemail,s,1");
        assertThat(metrics.scrape()).contains("cti_voicemail_recordings_failed_total 1.0");
    }

    @Test
    void givenARecordingFailedEvent_thenTheCallerGoesToTheDialplanVoicemail() {
        recordingStarted();

        recording(RecordingState.FAILED, null);

        assertThat(store.all()).isEmpty();
        assertThat(asterisk.lines("continue")).containsExactly("continue " + C1 + " cti-voicemail,s,1");
    }

    @Test
    void givenTheCallerHungUp_whenRecordingFinishedNeverComes_thenAsteriskIsAskedAndTheMessageIsTakenFromTheFile() {
        recordingStarted();
        String name = mark().recordingName();
        event(ari.hangup(C1.value(), 16));
        files.put(name, 44 + 9 * 16_000L + 500); // 9.03 s of 8 kHz 16-bit audio

        scheduler.advance(Duration.ofSeconds(9));
        assertThat(asterisk.lines("record.get")).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(asterisk.lines("record.get")).containsExactly("record.get " + name);
        assertThat(only().state()).isEqualTo(MessageState.NEW);
        assertThat(only().durationSeconds()).isEqualTo(9);
        assertThat(state()).isEmpty();
    }

    @Test
    void givenAsteriskStillRecordsPastTheMaximum_whenTheGuardFires_thenTheRecordingIsStopped() {
        recordingStarted();
        String name = mark().recordingName();
        asterisk.liveRecordings.put(name, LiveRecordingState.RECORDING);

        scheduler.advance(Duration.ofMinutes(3).plusSeconds(15));

        assertThat(asterisk.lines("record.stop")).containsExactly("record.stop " + name);
        assertThat(state()).contains(VoicemailState.RECORDING);
        recording(RecordingState.STOPPED, 180);
        assertThat(only().durationSeconds()).isEqualTo(180);
    }

    // ---- a CTI restart -------------------------------------------------------------------------------

    private VoicemailMessage recordingRow(String channel, String name, Instant at) {
        return new VoicemailMessage(VoicemailId.random(), DEMO, BOX, "2002", "", Origin.flow("main"),
                ChannelId.of(channel), name, MessageState.RECORDING, at, null, null, null, null);
    }

    private static ChannelSnapshot channel(String id, Map<String, String> vars) {
        return new ChannelSnapshot(ChannelId.of(id), "PJSIP/2001-00000001", ChannelState.UP, CALLER, Party.EMPTY, null,
                "from-customers", "700", "", "en", null, vars);
    }

    @Test
    void givenARecordingRowFromBeforeARestart_whenTheCallerHungUpMeanwhile_thenTheMessageIsFinishedFromAsterisksFile() {
        VoicemailMessage row = recordingRow("gone.1", "vm-demo-aaaaaaaaaaaa", Instant.parse("2026-11-23T08:59:00Z"));
        store.save(row);
        files.put(row.recordingName(), 44 + 20 * 16_000L);

        run(service::recover);
        assertThat(asterisk.lines("record.get")).isEmpty(); // not before ARI's resync
        event(ari.resync(List.of(), List.of()));

        assertThat(asterisk.lines("record.get")).containsExactly("record.get vm-demo-aaaaaaaaaaaa");
        VoicemailMessage m = store.latest(row.id()).orElseThrow();
        assertThat(m.state()).isEqualTo(MessageState.NEW);
        assertThat(m.durationSeconds()).isEqualTo(20);
        assertThat(m.callerNumber()).isEqualTo("2002");
        assertThat(published).containsExactly("added " + row.id() + " NEW 20");
        assertThat(asterisk.lines("play ")).isEmpty();
    }

    @Test
    void givenARecordingRowWithoutAFileInAsterisk_whenTakenBack_thenItIsDropped() {
        VoicemailMessage row = recordingRow("gone.2", "vm-demo-bbbbbbbbbbbb", Instant.parse("2026-11-23T08:59:00Z"));
        store.save(row);

        run(service::recover);
        event(ari.resync(List.of(), List.of()));

        assertThat(store.all()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void givenACallerStillRecordedAcrossARestart_thenTheRecordingGoesOnAndTheyAreThankedAtItsEnd() {
        VoicemailMessage row = recordingRow(C1.value(), "vm-demo-cccccccccccc", Instant.parse("2026-11-23T08:59:30Z"));
        store.save(row);
        asterisk.liveRecordings.put(row.recordingName(), LiveRecordingState.RECORDING);

        run(service::recover);
        event(ari.resync(List.of(channel(C1.value(), Map.of())), List.of()));

        assertThat(state()).contains(VoicemailState.RECORDING);
        event(new AsteriskEvent.RecordingChanged(ari.meta(), row.recordingName(), C1, null, RecordingState.STOPPED,
                row.file(), 40));

        assertThat(store.latest(row.id()).orElseThrow().durationSeconds()).isEqualTo(40);
        assertThat(asterisk.lines("play ")).containsExactly("play " + C1 + " [sound:vm-msgsaved, sound:vm-goodbye]");
    }

    @Test
    void givenTheStoreCannotBeReadAtStart_thenItIsReadAgainAtTheNextResync() {
        VoicemailMessage row = recordingRow("gone.3", "vm-demo-dddddddddddd", Instant.parse("2026-11-23T08:59:00Z"));
        store.save(row);
        files.put(row.recordingName(), 44 + 3 * 16_000L);
        store.recordingFailure = new IllegalStateException("database down");

        run(service::recover);
        event(ari.resync(List.of(), List.of()));
        assertThat(store.latest(row.id()).orElseThrow().state()).isEqualTo(MessageState.RECORDING);

        store.recordingFailure = null;
        event(ari.resync(List.of(), List.of())); // reads the store again
        event(ari.resync(List.of(), List.of())); // and asks Asterisk

        assertThat(store.latest(row.id()).orElseThrow().state()).isEqualTo(MessageState.NEW);
    }

    @Test
    void givenAChannelMarkedInTheGreetingWhenTheCtiStopped_whenResynced_thenTheGreetingStartsAgain() {
        ChannelMark m = new ChannelMark(ChannelMark.Phase.GREETING, VoicemailId.random(), "vm-demo-eeeeeeeeeeee", DEMO,
                BOX, Origin.queue("support"), null);
        run(service::recover);

        event(ari.resync(List.of(channel(C1.value(), Map.of(VoicemailService.MARK_VAR, m.encode()))), List.of()));

        assertThat(state()).contains(VoicemailState.GREETING);
        assertThat(asterisk.lines("play ")).containsExactly("play " + C1 + " [sound:vm-intro]");
        assertThat(mark().mailbox()).isEqualTo(BOX);
    }

    @Test
    void givenTheGreetingPlaying_whenTheAriLinkComesBack_thenItIsStoppedAndTheRecordingStarts() {
        leave();
        String greeting = mark().id().value() + "-greeting";

        event(ari.resync(List.of(channel(C1.value(), Map.of())), List.of()));

        assertThat(asterisk.lines("playback.stop")).containsExactly("playback.stop " + greeting);
        assertThat(state()).contains(VoicemailState.RECORDING);
        assertThat(asterisk.lines("record.channel")).hasSize(1);
    }

    @Test
    void givenAChannelMarkedRecordingButNotInTheStore_whenResynced_thenItIsTakenBackFromTheMark() {
        ChannelMark m = new ChannelMark(ChannelMark.Phase.RECORDING, VoicemailId.random(), "vm-demo-ffffffffffff", DEMO,
                BOX, Origin.flow("main"), Instant.parse("2026-11-23T08:59:50Z"));
        files.put("vm-demo-ffffffffffff", 44 + 4 * 16_000L);
        run(service::recover);

        event(ari.resync(List.of(channel(C1.value(), Map.of(VoicemailService.MARK_VAR, m.encode()))), List.of()));

        VoicemailMessage stored = store.latest(m.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(MessageState.NEW);
        assertThat(stored.origin()).isEqualTo(Origin.flow("main"));
        assertThat(stored.callerNumber()).isEqualTo("2001");
        assertThat(asterisk.lines("play ")).containsExactly("play " + C1 + " [sound:vm-msgsaved, sound:vm-goodbye]");
    }

    @Test
    void givenAChannelMarkedDone_whenResynced_thenItIsHungUp() {
        ChannelMark m = new ChannelMark(ChannelMark.Phase.DONE, VoicemailId.random(), "vm-demo-gggggggggggg", DEMO,
                BOX, Origin.flow("main"), Instant.parse("2026-11-23T08:59:50Z"));
        run(service::recover);

        event(ari.resync(List.of(channel(C1.value(), Map.of(VoicemailService.MARK_VAR, m.encode()))), List.of()));

        assertThat(asterisk.lines("hangup")).containsExactly("hangup " + C1 + " NORMAL");
        assertThat(state()).isEmpty();
    }

    // ---- supervisors ------------------------------------------------------------------------------------

    @Test
    void givenANewMessage_whenMarkedHeard_thenWhoAndWhenAreKeptAndASecondMarkChangesNothing() {
        recordingStarted();
        recording(RecordingState.STOPPED, 5);
        VoicemailMessage m = only();
        clock.advance(Duration.ofMinutes(5));

        CompletableFuture<VoicemailMessage> f = loop.call(() -> service.markHeard(m, "supervisor"));
        scheduler.runAll();
        VoicemailMessage heard = f.join();
        CompletableFuture<VoicemailMessage> again = loop.call(() -> service.markHeard(heard, "other"));
        scheduler.runAll();

        assertThat(heard.state()).isEqualTo(MessageState.HEARD);
        assertThat(heard.heardBy()).isEqualTo("supervisor");
        assertThat(heard.heardAt()).isEqualTo(clock.instant());
        assertThat(again.join()).isEqualTo(heard);
        assertThat(store.latest(m.id()).orElseThrow().heardBy()).isEqualTo("supervisor");
        assertThat(published).last().isEqualTo("updated " + m.id() + " HEARD supervisor");
    }

    @Test
    void givenAMessage_whenDeleted_thenItsFileGoesFirstThenItsRow_andAsteriskRefusingKeepsBoth() {
        recordingStarted();
        recording(RecordingState.STOPPED, 5);
        VoicemailMessage m = only();

        asterisk.failWhen(line -> line.startsWith("record.delete")
                ? new AriException(500, AriException.Kind.ofStatus(500), "boom", "DELETE", "/x", null) : null);
        CompletableFuture<CompletableFuture<VoicemailMessage>> refused = loop.call(() -> service.delete(m, "supervisor"));
        scheduler.runAll();
        assertThat(refused.join()).isCompletedExceptionally();
        assertThat(store.latest(m.id())).isPresent();

        // Already gone from Asterisk (404): counts as deleted.
        asterisk.failWhen(line -> line.startsWith("record.delete")
                ? new AriException(404, AriException.Kind.ofStatus(404), "not found", "DELETE", "/x", null) : null);
        CompletableFuture<CompletableFuture<VoicemailMessage>> done = loop.call(() -> service.delete(m, "supervisor"));
        scheduler.runAll();
        assertThat(done.join()).isCompleted();
        assertThat(store.latest(m.id())).isEmpty();
        assertThat(published).last().isEqualTo("deleted " + m.id());
    }

    // ---- the pieces ---------------------------------------------------------------------------------------

    @Test
    void givenTheLifecycle_thenOnlyTheWrittenTransitionsAreAllowed() {
        assertThat(VoicemailState.GREETING.canMoveTo(VoicemailState.RECORDING)).isTrue();
        assertThat(VoicemailState.GREETING.canMoveTo(VoicemailState.SAVING)).isFalse();
        assertThat(VoicemailState.RECORDING.canMoveTo(VoicemailState.ABANDONED)).isFalse();
        assertThat(VoicemailState.SAVING.canMoveTo(VoicemailState.THANKING)).isTrue();
        assertThat(VoicemailState.DONE.isFinal()).isTrue();
        VoicemailSession s = new VoicemailSession(VoicemailId.of("vm-x"),
                new VoicemailRequest(C1, CALLER, DEMO, BOX, Origin.queue("q")), "vm-demo-x", VoicemailState.GREETING);
        assertThatThrownBy(() -> s.moveTo(VoicemailState.THANKING, "test"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GREETING -> THANKING is not allowed");
    }

    @Test
    void givenAMark_whenEncoded_thenItDecodesToTheSameAndBrokenOnesNameWhatIsWrong() {
        ChannelMark m = new ChannelMark(ChannelMark.Phase.RECORDING, VoicemailId.of("vm-abc"), "vm-demo-x", DEMO,
                Mailbox.of("1000@default"), Origin.flow("main & more"), Instant.parse("2026-11-23T08:59:50Z"));
        assertThat(ChannelMark.decode(m.encode())).isEqualTo(m);
        assertThatThrownBy(() -> ChannelMark.decode("phase=recording&id=x")).hasMessageContaining("no 'name'");
        assertThatThrownBy(() -> ChannelMark.decode(m.encode().replace("phase=recording", "phase=singing")))
                .hasMessageContaining("unknown phase 'singing'");
    }

    @Test
    void givenWavLengths_thenWholeSecondsOfAudio() {
        assertThat(VoicemailService.wavSeconds(44)).isZero();
        assertThat(VoicemailService.wavSeconds(44 + 16_000 * 3 - 1)).isEqualTo(2);
        assertThat(VoicemailService.wavSeconds(10)).isZero();
    }
}
