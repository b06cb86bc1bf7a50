package org.asteriskcti.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.asteriskcti.softphone.phone.NoPhone;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Phase;
import org.junit.jupiter.api.Test;

/** The desk and its phone: Answer only while the phone rings, auto-answer of ACD offers, the phone's own leg. */
class DeskPhoneViewModelTest {

    @Test
    void givenAnOfferBeforeThePhoneRings_thenAnswerWaitsForTheInviteAndAnsweringStopsTheRinging() {
        DeskFixture f = new DeskFixture().readyIdle().offer();
        assertThat(f.vm.call().phaseProperty().get()).isEqualTo(Phase.OFFERED);
        assertThat(f.vm.canAnswerProperty().get()).as("nothing rings on the phone yet").isFalse();
        assertThat(f.vm.phoneRingingProperty().get()).isFalse();

        f.ringing();
        assertThat(f.vm.canAnswerProperty().get()).isTrue();
        assertThat(f.vm.phoneRingingProperty().get()).isTrue();
        assertThat(f.vm.phoneTextProperty().get()).isEqualTo("fake phone (tests) ringing");

        f.vm.answer();
        assertThat(f.phone.answered).isEqualTo(1);
        assertThat(f.vm.canAnswerProperty().get()).isFalse();
        assertThat(f.vm.phoneRingingProperty().get()).isFalse();
        assertThat(f.vm.messageProperty().get()).isEmpty();
    }

    @Test
    void givenAutoAnswer_whenThePhoneRingsForAnOffer_thenItIsAnsweredOnce() {
        DeskFixture f = new DeskFixture().readyIdle();
        f.vm.autoAnswerProperty().set(true);
        f.offer();
        assertThat(f.phone.answered).as("the offer alone does not answer").isZero();

        f.ringing();
        assertThat(f.phone.answered).isEqualTo(1);
        f.model.event("agent.updated", java.util.List.of("agent:1001"),
                DeskFixture.tree(DeskFixture.agent("1001", "Alice", "RESERVED", null, null)));
        assertThat(f.phone.answered).as("later model changes do not answer again").isEqualTo(1);
    }

    @Test
    void givenAutoAnswer_whenThePhoneRingsWithoutAnOffer_thenTheAgentDecides() {
        DeskFixture f = new DeskFixture().readyIdle();
        f.vm.autoAnswerProperty().set(true);
        f.ringing();
        assertThat(f.phone.answered).as("not an ACD offer to this agent").isZero();
        assertThat(f.vm.canAnswerProperty().get()).isTrue();
    }

    @Test
    void givenAnOfferRinging_whenAutoAnswerIsSwitchedOn_thenItIsAnswered() {
        DeskFixture f = new DeskFixture().readyIdle().offered();
        assertThat(f.phone.answered).isZero();
        f.vm.autoAnswerProperty().set(true);
        assertThat(f.phone.answered).isEqualTo(1);
    }

    @Test
    void givenACallOnlyThePhoneKnows_whenHangingUp_thenThePhoneEndsItsLegAndTheCtiIsNotAsked() {
        DeskFixture f = new DeskFixture().readyIdle().ringing();
        f.vm.answer();
        assertThat(f.vm.call().phaseProperty().get()).isEqualTo(Phase.IDLE);
        assertThat(f.vm.canHangUpProperty().get()).isTrue();

        f.vm.hangup();
        assertThat(f.phone.hungUp).isEqualTo(1);
        assertThat(f.commands.sent).isEmpty();
        assertThat(f.vm.canHangUpProperty().get()).isFalse();
    }

    @Test
    void givenACallTheCtiKnows_whenHangingUp_thenTheCtiHangsUp() {
        DeskFixture f = new DeskFixture().readyIdle().offered();
        f.vm.answer();
        f.onCall();
        assertThat(f.vm.canHangUpProperty().get()).isTrue();
        f.vm.hangup();
        assertThat(f.commands.sent).containsExactly("call.hangup");
        assertThat(f.phone.hungUp).isZero();
    }

    @Test
    void givenNoBuiltInPhone_whenOffered_thenAnswerIsEnabledAndSaysToUseTheDeskPhone() {
        DeskFixture f = new DeskFixture().readyIdle();
        DeskViewModel vm = new DeskViewModel(f.model, f.commands, new NoPhone(), f.clock, Runnable::run);
        assertThat(vm.canAnswerProperty().get()).isFalse();
        f.offer();
        assertThat(vm.canAnswerProperty().get()).isTrue();
        vm.answer();
        assertThat(vm.messageProperty().get()).startsWith("Answer failed:").contains("answer on your desk phone");
        assertThat(vm.phoneTextProperty().get()).isEqualTo("no built-in phone: answer on your desk phone");
    }

    @Test
    void givenThePhoneRings_whenTheAgentDeclines_thenThePhoneSends603AndDeclineIsDisabledAgain() {
        DeskFixture f = new DeskFixture().readyIdle().offer();
        assertThat(f.vm.canDeclineProperty().get()).as("offered, but nothing rings on the phone yet").isFalse();
        f.ringing();
        assertThat(f.vm.canDeclineProperty().get()).isTrue();

        f.vm.decline();
        assertThat(f.phone.rejected).containsExactly("603");
        assertThat(f.commands.sent).as("declining is the phone's, not a CTI command").isEmpty();
        assertThat(f.vm.canDeclineProperty().get()).isFalse();
        assertThat(f.vm.canAnswerProperty().get()).isFalse();
        assertThat(f.vm.messageProperty().get()).isEmpty();
    }

    @Test
    void givenNoBuiltInPhone_thenDeclineIsNeverPossible() {
        DeskFixture f = new DeskFixture().readyIdle();
        DeskViewModel vm = new DeskViewModel(f.model, f.commands, new NoPhone(), f.clock, Runnable::run);
        f.offer();
        assertThat(vm.canDeclineProperty().get()).isFalse();
        vm.decline();
        assertThat(vm.messageProperty().get()).isEqualTo("Decline failed: no call rings on this phone");
    }

    @Test
    void givenACallOnlyThePhoneKnows_whenHoldingAndMuting_thenThePhoneDoesItAndTheCtiIsNotAsked() {
        DeskFixture f = new DeskFixture().readyIdle();
        assertThat(f.vm.canHoldProperty().get()).as("no call at all").isFalse();
        f.ringing();
        assertThat(f.vm.canHoldProperty().get()).as("still ringing").isFalse();
        f.vm.answer();
        assertThat(f.vm.phoneLegProperty().get()).isTrue();
        assertThat(f.vm.canHoldProperty().get()).isTrue();

        f.vm.toggleMute();
        assertThat(f.vm.mutedProperty().get()).isTrue();
        f.vm.toggleHold();
        assertThat(f.vm.heldProperty().get()).isTrue();
        f.vm.toggleHold();
        f.vm.toggleMute();
        assertThat(f.phone.actions).containsExactly("mute", "hold", "unhold", "unmute");
        assertThat(f.vm.heldProperty().get()).isFalse();
        assertThat(f.vm.mutedProperty().get()).isFalse();
        assertThat(f.commands.sent).isEmpty();

        f.vm.toggleMute();
        f.vm.hangup();
        assertThat(f.vm.mutedProperty().get()).as("the next call starts unmuted").isFalse();
        assertThat(f.vm.canHoldProperty().get()).isFalse();
    }

    @Test
    void givenACallTheCtiKnows_whenHoldingAndMuting_thenTheCtiDoesItAndThePhoneIsLeftAlone() {
        DeskFixture f = new DeskFixture().readyIdle().offered();
        f.vm.answer();
        f.onCall();
        assertThat(f.vm.phoneLegProperty().get()).isFalse();
        assertThat(f.vm.canHoldProperty().get()).isTrue();
        f.vm.toggleHold();
        f.vm.toggleMute();
        assertThat(f.commands.sent).containsExactly("call.hold", "call.mute");
        assertThat(f.phone.actions).isEmpty();
    }
}
