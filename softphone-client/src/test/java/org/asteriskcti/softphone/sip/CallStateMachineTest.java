package org.asteriskcti.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallStateMachineTest {

    @Test
    void givenAnIncomingCall_whenAnsweredHeldResumedAndHungUp_thenEveryStepIsAccepted() {
        CallStateMachine m = new CallStateMachine("c1");
        m.moveTo(CallState.RINGING_IN, "INVITE");
        m.moveTo(CallState.CONNECTED, "answered");
        m.moveTo(CallState.HELD, "hold");
        assertThat(m.moveTo(CallState.CONNECTED, "resume")).isEqualTo(CallState.HELD);
        m.moveTo(CallState.ENDED, "BYE");
        assertThat(m.state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void givenAnOutgoingCall_whenItRingsAndIsAnswered_thenConnected() {
        CallStateMachine m = new CallStateMachine("c2");
        m.moveTo(CallState.DIALLING, "INVITE");
        m.moveTo(CallState.ALERTING, "180");
        m.moveTo(CallState.CONNECTED, "200");
        assertThat(m.state()).isEqualTo(CallState.CONNECTED);
    }

    @Test
    void givenARingingCall_whenHeld_thenRefusedAndTheStateIsUnchanged() {
        CallStateMachine m = new CallStateMachine("c3");
        m.moveTo(CallState.RINGING_IN, "INVITE");
        assertThatThrownBy(() -> m.moveTo(CallState.HELD, "hold"))
                .isInstanceOf(IllegalCallTransitionException.class)
                .hasMessage("call c3: RINGING_IN -> HELD is not allowed");
        assertThat(m.state()).isEqualTo(CallState.RINGING_IN);
    }

    @Test
    void givenAnEndedCall_whenAnythingHappens_thenRefused() {
        CallStateMachine m = new CallStateMachine("c4");
        m.moveTo(CallState.DIALLING, "INVITE");
        m.moveTo(CallState.ENDED, "486");
        for (CallState s : CallState.values()) {
            assertThatThrownBy(() -> m.moveTo(s, "late")).isInstanceOf(IllegalCallTransitionException.class);
        }
    }

    @Test
    void givenIdle_whenConnectedDirectly_thenRefused() {
        assertThatThrownBy(() -> new CallStateMachine("c5").moveTo(CallState.CONNECTED, "?"))
                .isInstanceOf(IllegalCallTransitionException.class);
        assertThat(CallState.DIALLING.canMoveTo(CallState.RINGING_IN)).isFalse();
        assertThat(CallState.HELD.canMoveTo(CallState.ALERTING)).isFalse();
    }
}
