package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentStateException;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.junit.jupiter.api.Test;

/** Pickup: an agent takes a caller ringing at another agent or waiting in a queue. */
class AcdPickupTest {

    private static final AgentId A1 = AgentId.of("a1");
    private static final AgentId A2 = AgentId.of("a2");
    private static final AgentId A3 = AgentId.of("a3");

    private final AcdHarness h = AcdServiceTest.harness(b -> b);

    private void notReady(String agent, String reason) {
        h.run(() -> {
            h.acd.phoneOnline(AgentId.of(agent));
            h.acd.agentLogin(AgentId.of(agent), false);
            h.acd.agentNotReady(AgentId.of(agent), NotReadyReason.of(reason));
        });
    }

    @Test
    void givenACallerRingingAtA1_whenA2PicksItUp_thenA1StopsRingingAndStaysReady_andA2IsRung() {
        h.ready("a1");
        notReady("a2", "break");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();

        h.run(() -> h.acd.pickup(c1, A2));

        assertThat(h.port.take()).containsExactly("cancel c1/1 a1", "ring c1/1 a2 15s");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(h.agent("a2").state()).isEqualTo(AgentState.RESERVED);
        assertThat(h.agent("a2").cause().kind()).isEqualTo(TransitionCause.PICKUP);
        assertThat(h.entry(c1).agent()).isEqualTo(A2);
    }

    @Test
    void givenANotReadyAgentPickedUp_whenTheCallAndWrapUpEnd_thenTheyAreNotReadyWithTheirReasonAgain() {
        notReady("a2", "break");
        EntryId c1 = h.enqueue("c1", "sales");

        h.run(() -> h.acd.pickup(c1, A2));
        h.answer(c1, "a2");
        h.agentHangsUp(c1, "a2");
        h.advance(10);

        assertThat(h.agent("a2").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(h.agent("a2").reason()).isEqualTo(NotReadyReason.of("break"));
    }

    @Test
    void givenAPickedUpCallIsNotAnswered_thenItIsOfferedToTheNextAgent() {
        notReady("a2", "break");
        EntryId c1 = h.enqueue("c1", "sales");
        h.run(() -> h.acd.pickup(c1, A2));
        h.ready("a3");
        h.port.take();

        h.advance(15);

        assertThat(h.port.take()).contains("cancel c1/1 a2", "ring c1/1 a3 15s");
    }

    @Test
    void givenAWaitingCaller_whenTheOldestOfTheQueueIsAskedFor_thenItIsTheFirstArrival() {
        EntryId c1 = h.enqueue("c1", "sales");
        h.advance(1);
        h.enqueue("c2", "sales");

        assertThat(h.call(() -> h.acd.oldestWaiting(AcdServiceTest.SALES))).contains(c1);
    }

    @Test
    void givenAnotherTenantsCaller_thenRefusedLikeAnUnknownOne() {
        h.ready("x1");
        EntryId c1 = h.enqueue("c1", "acme-sales");
        notReady("a2", "break");

        assertThatThrownBy(() -> h.run(() -> h.acd.pickup(c1, A2)))
                .isInstanceOf(AcdException.class)
                .extracting(e -> ((AcdException) e).errorId()).isEqualTo("acd.unknown_entry");
    }

    @Test
    void givenALoggedOutAgent_thenRefusedAndNothingChanges() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();

        assertThatThrownBy(() -> h.run(() -> h.acd.pickup(c1, A3))).isInstanceOf(AgentStateException.class);

        assertThat(h.port.take()).isEmpty();
        assertThat(h.entry(c1).agent()).isEqualTo(A1);
    }

    @Test
    void givenTheCallerAlreadyRingsAtThePickingAgent_thenRefused() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");

        assertThatThrownBy(() -> h.run(() -> h.acd.pickup(c1, A1))).hasMessageContaining("already rings at agent a1");
    }

    @Test
    void givenReadyAgents_whenAConsultationAsksTheQueue_thenTheLongestIdleFreeOneOtherThanTheAskerIsNamed() {
        h.ready("a1", "a2", "a3");

        assertThat(h.call(() -> h.acd.agentForConsultation(AcdServiceTest.SALES, org.asteriskcti.server.domain.TenantId.of("demo"), A1)))
                .contains(A2);
        assertThat(h.call(() -> h.acd.agentForConsultation(AcdServiceTest.SALES, org.asteriskcti.server.domain.TenantId.of("acme"), A1)))
                .as("another tenant's queue").isEmpty();
        h.enqueue("c1", "sales"); // a2 is now rung for it: not free
        assertThat(h.call(() -> h.acd.agentForConsultation(AcdServiceTest.SALES, org.asteriskcti.server.domain.TenantId.of("demo"), A2)))
                .isIn(java.util.Optional.of(A1), java.util.Optional.of(A3));
    }
}
