package org.asteriskcti.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.asteriskcti.protocol.ConversationInfo;
import org.asteriskcti.softphone.cti.ConnectionStatus;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Phase;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Row;
import org.junit.jupiter.api.Test;

class DeskViewModelTest {

    @Test
    void givenAReadyIdleAgent_thenTheBarSaysReadyAndOffersNotReadyButNotReady() {
        DeskFixture f = new DeskFixture().readyIdle();
        AgentBarViewModel bar = f.vm.bar();
        assertThat(bar.stateTextProperty().get()).isEqualTo("Ready");
        assertThat(bar.canReadyProperty().get()).isFalse();
        assertThat(bar.canNotReadyProperty().get()).isTrue();
        assertThat(bar.canEndWrapUpProperty().get()).isFalse();
        assertThat(f.vm.call().phaseProperty().get()).isEqualTo(Phase.IDLE);
        assertThat(f.vm.connectionTextProperty().get()).isEqualTo("Connected");
    }

    @Test
    void givenNotReadyWithAReason_whenReady_thenAgentReadyIsSentAndTheEventTurnsTheBarReady() {
        DeskFixture f = new DeskFixture().readyIdle();
        f.model.event("agent.updated", List.of("agent:1001"), DeskFixture.tree(DeskFixture.agent("1001", "Alice", "NOT_READY", "lunch", null)));
        assertThat(f.vm.bar().stateTextProperty().get()).isEqualTo("Not ready — lunch");
        assertThat(f.vm.bar().canReadyProperty().get()).isTrue();

        f.vm.ready();
        assertThat(f.commands.sent).containsExactly("agent.ready");
        f.model.event("agent.updated", List.of("agent:1001"), DeskFixture.tree(DeskFixture.agent("1001", "Alice", "READY", null, null)));
        assertThat(f.vm.bar().stateTextProperty().get()).isEqualTo("Ready");
    }

    @Test
    void givenTheServerRefusesAReason_whenNotReady_thenTheMessageNamesItAndThePickerTakesTheServersReasons() {
        DeskFixture f = new DeskFixture().readyIdle();
        f.vm.bar().selectedReasonProperty().set("training");
        f.commands.refuseWith("agent.unknown_reason", "'training' is not one of your tenant's not-ready reasons",
                Map.of("allowed", List.of("break", "coaching")));
        f.vm.notReady();
        assertThat(f.commands.sent).containsExactly("agent.not_ready training");
        assertThat(f.vm.messageProperty().get()).contains("'training' is not one of your tenant's").contains("agent.unknown_reason");
        assertThat(f.vm.bar().reasons()).containsExactly("break", "coaching");
        assertThat(f.vm.bar().selectedReasonProperty().get()).isEqualTo("break");
    }

    @Test
    void givenWrapUp_whenTheClockMoves_thenTheCountdownRunsDownAndStopsAtZero() {
        DeskFixture f = new DeskFixture().readyIdle().offered().onCall().wrapUp(DeskFixture.T0.plusSeconds(90));
        AgentBarViewModel bar = f.vm.bar();
        assertThat(bar.stateTextProperty().get()).isEqualTo("Wrap-up");
        assertThat(bar.wrapUpRemainingProperty().get()).isEqualTo("1:30");
        assertThat(bar.canEndWrapUpProperty().get()).isTrue();
        f.clock.advance(Duration.ofSeconds(31));
        f.vm.tick();
        assertThat(bar.wrapUpRemainingProperty().get()).isEqualTo("0:59");
        f.clock.advance(Duration.ofSeconds(120));
        f.vm.tick();
        assertThat(bar.wrapUpRemainingProperty().get()).isEqualTo("0:00");
        assertThat(f.vm.call().phaseProperty().get()).isEqualTo(Phase.WRAP_UP);
        assertThat(f.vm.call().callerNumberProperty().get()).as("screen pop stays through wrap-up").isEqualTo("+4930123456");
        f.vm.endWrapUp();
        assertThat(f.commands.sent).containsExactly("agent.wrap_up.end");
    }

    @Test
    void givenAnOffer_thenThePanelShowsCallerQueueWaitAndTheScreenPopRows() {
        DeskFixture f = new DeskFixture().readyIdle().offered();
        CallPanelViewModel c = f.vm.call();
        assertThat(c.phaseProperty().get()).isEqualTo(Phase.OFFERED);
        assertThat(c.callerNumberProperty().get()).isEqualTo("+4930123456");
        assertThat(c.callerNameProperty().get()).isEqualTo("Erika Muster");
        assertThat(c.queueProperty().get()).isEqualTo("Sales");
        assertThat(c.waitTextProperty().get()).isEqualTo("waited 0:42");
        f.clock.advance(Duration.ofSeconds(10));
        f.vm.tick();
        assertThat(c.waitTextProperty().get()).isEqualTo("waited 0:52");
        assertThat(c.screenPop()).containsExactly(new Row("Region", "Berlin"), new Row("Language", "de"),
                new Row("IVR choices", "lang: 1, main: 2"), new Row("account", "12345"), new Row("lookup.customer", "C-77"));
        assertThat(f.vm.bar().stateTextProperty().get()).isEqualTo("Ringing");
        assertThat(f.vm.bar().canReadyProperty().get()).as("READY is refused while an offer rings").isFalse();

        f.vm.answer();
        assertThat(f.phone.answered).isEqualTo(1);
    }

    @Test
    void givenAnAnsweredCall_thenTheTimerRunsFromTheAgentJoiningAndHangupGoesToTheServer() {
        DeskFixture f = new DeskFixture().readyIdle().offered().onCall();
        CallPanelViewModel c = f.vm.call();
        assertThat(c.phaseProperty().get()).isEqualTo(Phase.ON_CALL);
        f.clock.advance(Duration.ofSeconds(65));
        f.vm.tick();
        assertThat(c.timerProperty().get()).isEqualTo("1:03"); // the agent joined 2 s after T0
        assertThat(c.waitTextProperty().get()).isEqualTo("waited 0:42");
        f.vm.toggleHold();
        f.vm.toggleMute();
        f.vm.dtmf("5");
        f.vm.hangup();
        assertThat(f.commands.sent).containsExactly("call.hold", "call.mute", "call.dtmf", "call.hangup");
        assertThat(f.commands.calls.get(2).digits()).isEqualTo("5");
    }

    @Test
    void givenTheTransferPicker_thenFreeAgentsComeFirstWithLiveStateAndQueuesAndANumberWins() {
        DeskFixture f = new DeskFixture().readyIdle().offered().onCall();
        TransferViewModel t = f.vm.transfer();
        assertThat(t.agents()).extracting(TransferViewModel.Target::toString).containsExactly(
                "Carol (1003) — ready", "Bob (1002) — not ready (lunch)", "Dave (1004) — on a call");
        assertThat(t.queues()).extracting(TransferViewModel.Target::target).containsExactly("queue:sales", "queue:support");
        assertThat(t.queues().get(0).detail()).isEqualTo("3 waiting, 2 staffed");

        f.vm.blindTransfer();
        assertThat(f.vm.messageProperty().get()).isEqualTo("Blind transfer: pick an agent or queue, or type a number, to transfer to");
        assertThat(f.commands.calls).isEmpty();

        t.selectedProperty().set(t.agents().get(0));
        f.vm.attendedTransfer();
        assertThat(f.commands.calls.get(0).type()).isEqualTo("call.transfer.attended");
        assertThat(f.commands.calls.get(0).target()).isEqualTo("agent:1003");

        t.numberProperty().set("+49 30");
        f.vm.blindTransfer();
        assertThat(f.vm.messageProperty().get()).contains("digits, * and #");
        t.numberProperty().set("+4930555");
        f.vm.blindTransfer();
        assertThat(f.commands.calls.get(1).target()).isEqualTo("+4930555");

        // an agent's state changes live in the picker
        f.model.event("agent.updated", List.of("agents"), DeskFixture.tree(DeskFixture.agent("1002", "Bob", "READY", null, null)));
        assertThat(t.agents()).extracting(TransferViewModel.Target::label).containsExactly("Bob (1002)", "Carol (1003)", "Dave (1004)");
        assertThat(t.selectedProperty().get().target()).as("the choice survives the refresh").isEqualTo("agent:1003");
    }

    @Test
    void givenAnAttendedTransferRunning_thenThePanelSaysSoAndConferenceJoinsEveryone() {
        DeskFixture f = new DeskFixture().readyIdle().offered().onCall();
        f.model.event("conversation.updated", List.of("agent:1001"), DeskFixture.tree(
                DeskFixture.conversation("ACTIVE", new ConversationInfo.Transfer("TALKING_TO_TARGET", "agent:1003"))));
        assertThat(f.vm.call().transferringProperty().get()).isTrue();
        assertThat(f.vm.call().transferStateProperty().get()).isEqualTo("Transfer to agent:1003: talking to target");
        f.vm.conference();
        assertThat(f.commands.sent).containsExactly("call.transfer.conference");
    }

    @Test
    void givenTheLinkDrops_thenTheDeskSaysReconnectingAndRefusesCommandsWithAReason() {
        DeskFixture f = new DeskFixture().readyIdle();
        f.model.status(ConnectionStatus.RECONNECTING, "link failed: connection reset");
        assertThat(f.vm.connectionTextProperty().get()).isEqualTo("Reconnecting… link failed: connection reset");
        f.vm.ready();
        assertThat(f.commands.sent).isEmpty();
        assertThat(f.vm.messageProperty().get()).isEqualTo("Ready: not connected to the CTI server (reconnecting)");
    }

    @Test
    void givenHistory_thenRowsShowNewestFirstWithTalkTime() {
        DeskFixture f = new DeskFixture().readyIdle();
        assertThat(f.vm.history()).containsExactly(new DeskViewModel.HistoryRow("03.03. 08:12", "inbound",
                "Max Mustermann +4940999", "3:05", "answered"));
        var newer = new org.asteriskcti.protocol.CallHistoryEntry("call-1", "t1", "1001", "OUTBOUND", "+4930111", "",
                DeskFixture.T0, null, DeskFixture.T0.plusSeconds(20), 0, "UNANSWERED", "UNANSWERED", null, List.of());
        f.model.event("history.added", List.of("agent:1001"), DeskFixture.tree(newer));
        assertThat(f.vm.history()).extracting(DeskViewModel.HistoryRow::who).containsExactly("+4930111", "Max Mustermann +4940999");
    }
}
