package org.asteriskcti.server.acd;

import static org.asteriskcti.server.acd.AcdServiceTest.A1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.OfferEnded;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentStateChanged;
import org.asteriskcti.server.agent.AgentStateException;
import org.asteriskcti.server.agent.Cause;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.RequestedState;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.junit.jupiter.api.Test;

/** Agent rules with the ACD around them: wrap-up timers, phones, other calls, supervisors. */
class AcdAgentRulesTest {

    private static final UserId BOSS = UserId.of("boss");
    private static final TenantId DEMO = TenantId.of("demo");

    // sales: ring 15 s, wrap-up 10 s, at most 30 s with extensions
    private final AcdHarness h = AcdServiceTest.harness(b -> b);

    private EntryId callEndedFor(String agent, String caller) {
        h.ready(agent);
        EntryId e = h.enqueue(caller, "sales");
        h.answer(e, agent);
        h.advance(60);
        h.agentHangsUp(e, agent);
        h.port.take();
        return e;
    }

    // ---- wrap-up ------------------------------------------------------------------------------------------

    @Test
    void givenWrapUp_whenTheAgentEndsItEarly_thenReadyAtOnceCompletedWithTheWrapUpTakenAndTheTimerCancelled() {
        callEndedFor("a1", "c1");
        h.advance(4);
        h.run(() -> h.acd.endWrapUp(A1));
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(h.events(QueueEvent.Completed.class)).singleElement()
                .satisfies(c -> assertThat(c.wrapUp()).isEqualTo(Duration.ofSeconds(4)));
        assertThat(h.scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenWrapUp_whenExtendedWithinTheLimit_thenTheTimerMovesToTheNewEnd() {
        callEndedFor("a1", "c1");
        Instant start = h.clock.instant();
        h.advance(5);
        Instant end = h.call(() -> h.acd.extendWrapUp(A1, Duration.ofSeconds(15)));
        assertThat(end).isEqualTo(start.plusSeconds(25));
        h.advance(19);                       // 24 s: the original 10 s timer did not end it
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(h.scheduler.pendingTimers()).isEqualTo(1);
        h.advance(1);
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(h.events(QueueEvent.Completed.class)).singleElement()
                .satisfies(c -> assertThat(c.wrapUp()).isEqualTo(Duration.ofSeconds(25)));
    }

    @Test
    void givenWrapUp_whenAnExtensionWouldPassTheLimit_thenWrapUpLimitAndTheEndStaysTheSame() {
        callEndedFor("a1", "c1");
        Instant start = h.clock.instant();
        h.run(() -> h.acd.extendWrapUp(A1, Duration.ofSeconds(20)));   // to 30 s: exactly the limit
        assertThatThrownBy(() -> h.run(() -> h.acd.extendWrapUp(A1, Duration.ofSeconds(1))))
                .isInstanceOfSatisfying(AgentStateException.class, e -> assertThat(e.errorId()).isEqualTo("agent.wrap_up_limit"));
        assertThat(h.agent("a1").wrapUpEndsAt()).isEqualTo(start.plusSeconds(30));
        h.advance(30);
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);
    }

    @Test
    void givenWrapUpWithNotReadyAskedFor_whenItEnds_thenNotReadyWithThatReasonAndTheWaitingCallerIsNotOffered() {
        callEndedFor("a1", "c1");
        h.run(() -> h.acd.agentNotReady(A1, NotReadyReason.of("lunch")));
        h.enqueue("c2", "sales");
        h.advance(10);
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(h.agent("a1").reason()).isEqualTo(NotReadyReason.of("lunch"));
        assertThat(h.port.take()).isEmpty();
    }

    @Test
    void givenACallerWaitsDuringWrapUp_whenTheWrapUpTimerEnds_thenTheAgentIsOfferedThemAtOnce() {
        callEndedFor("a1", "c1");
        h.enqueue("c2", "sales");
        assertThat(h.port.take()).isEmpty();
        h.advance(10);
        assertThat(h.port.take()).containsExactly("ring c2/2 a1 15s");
    }

    @Test
    void givenNoWrapUpConfigured_whenTheCallEnds_thenReadyAtOnceAndCompletedWithZeroWrapUp() {
        AcdHarness o = AcdServiceTest.harness(b -> b.wrapUp(Duration.ZERO));
        o.ready("a1");
        EntryId c1 = o.enqueue("c1", "sales");
        o.answer(c1, "a1");
        o.advance(42);
        o.agentHangsUp(c1, "a1");
        assertThat(o.agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(o.events(QueueEvent.Completed.class)).singleElement().satisfies(c -> {
            assertThat(c.talk()).isEqualTo(Duration.ofSeconds(42));
            assertThat(c.wrapUp()).isZero();
        });
    }

    // ---- phones ---------------------------------------------------------------------------------------------

    @Test
    void givenAReadyAgent_whenThePhoneGoesOffline_thenNotReadyPhoneOfflineReadyRefusedAndNoOffer() {
        h.ready("a1");
        h.run(() -> h.acd.phoneOffline(A1));
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(h.agent("a1").reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
        assertThatThrownBy(() -> h.run(() -> h.acd.agentReady(A1))).hasMessageStartingWith("agent.phone_unregistered");
        h.enqueue("c1", "sales");
        assertThat(h.port.take()).isEmpty();

        h.run(() -> h.acd.phoneOnline(A1));
        assertThat(h.port.take()).isEmpty();
        h.run(() -> h.acd.agentReady(A1));
        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s");
    }

    @Test
    void givenARingingAgent_whenTheirPhoneGoesOffline_thenTheRingIsCancelledAndTheNextAgentRung() {
        h.ready("a1", "a2");
        h.enqueue("c1", "sales");
        h.port.take();
        h.run(() -> h.acd.phoneOffline(A1));
        assertThat(h.port.take()).containsExactly("cancel c1/1 a1", "ring c1/1 a2 15s");
        assertThat(h.agent("a1").reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
        assertThat(h.events(OfferEnded.class)).singleElement()
                .satisfies(o -> assertThat(o.outcome()).isEqualTo(QueueEvent.OfferOutcome.WITHDRAWN));
    }

    // ---- other calls ------------------------------------------------------------------------------------------

    @Test
    void givenAReadyAgent_whenAPersonalCallIsUp_thenOnOtherAndNotOfferedUntilItEnds() {
        h.ready("a1");
        h.run(() -> h.acd.otherCallStarted(A1));
        h.enqueue("c1", "sales");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.ON_OTHER);
        assertThat(h.port.take()).isEmpty();
        h.run(() -> h.acd.otherCallEnded(A1));
        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s");
    }

    // ---- supervisors ------------------------------------------------------------------------------------------

    @Test
    void givenAnAgentInWrapUp_whenASupervisorForcesNotReady_thenItEndsAtOnceWithTheSupervisorAsCause() {
        callEndedFor("a1", "c1");
        h.advance(2);
        h.run(() -> h.acd.supervisorForce(BOSS, DEMO, A1, RequestedState.notReady("break")));
        AgentStateChanged c = h.port.agentChanges.get(h.port.agentChanges.size() - 1);
        assertThat(c.from()).isEqualTo(AgentState.WRAP_UP);
        assertThat(c.to()).isEqualTo(AgentState.NOT_READY);
        assertThat(c.cause()).isEqualTo(Cause.forcedBy(BOSS));
        assertThat(h.events(QueueEvent.AgentStateInterval.class).get(h.events(QueueEvent.AgentStateInterval.class).size() - 1).cause())
                .isEqualTo(TransitionCause.FORCED_BY_SUPERVISOR);
        assertThat(h.events(QueueEvent.Completed.class)).singleElement()
                .satisfies(d -> assertThat(d.wrapUp()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(h.scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenAnAgentOnACall_whenASupervisorLogsThemOut_thenTheCallGoesOnAndIsCompletedWithoutWrapUpWhenItEnds() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.answer(c1, "a1");
        h.run(() -> h.acd.supervisorForce(BOSS, DEMO, A1, RequestedState.LOGGED_OUT));
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.LOGGED_OUT);
        assertThat(h.entry(c1).state()).isEqualTo(EntryState.CONNECTED);

        // Back in and READY while that call is still up: not offered another caller.
        h.run(() -> h.acd.agentLogin(A1, true));
        h.enqueue("c2", "sales");
        h.port.take();
        h.advance(20);
        assertThat(h.port.take()).isEmpty();

        h.agentHangsUp(c1, "a1");
        assertThat(h.events(QueueEvent.Completed.class)).singleElement().satisfies(d -> {
            assertThat(d.talk()).isEqualTo(Duration.ofSeconds(20));
            assertThat(d.wrapUp()).isZero();
        });
        assertThat(h.port.take()).containsExactly("ring c2/2 a1 15s");
    }

    @Test
    void givenARingingAgent_whenASupervisorForcesThemNotReady_thenTheCallerGoesToTheNextAgent() {
        h.ready("a1", "a2");
        h.enqueue("c1", "sales");
        h.port.take();
        h.run(() -> h.acd.supervisorForce(BOSS, DEMO, A1, RequestedState.notReady("break")));
        assertThat(h.port.take()).containsExactly("cancel c1/1 a1", "ring c1/1 a2 15s");
        assertThat(h.agent("a1").cause()).isEqualTo(Cause.forcedBy(BOSS));
    }

    @Test
    void givenAnUnknownAgent_whenTheyLogIn_thenAgentUnknown() {
        assertThatThrownBy(() -> h.run(() -> h.acd.agentLogin(AgentId.of("ghost"), true)))
                .isInstanceOfSatisfying(AgentStateException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.unknown");
                    assertThat(e.status()).isEqualTo(404);
                });
    }

    @Test
    void givenAnAgentOnACall_whenTheyTryToLogOut_thenRefusedAndTheCallIsUntouched() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.answer(c1, "a1");
        assertThatThrownBy(() -> h.run(() -> h.acd.agentLogout(A1))).hasMessageStartingWith("agent.illegal_transition");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.ON_CALL);
        assertThat(h.entry(c1).state()).isEqualTo(EntryState.CONNECTED);
    }

    @Test
    void givenAnAgentWithACallerRinging_whenTheCallerHangsUpAndAnotherWaits_thenTheAgentIsOfferedTheOtherCaller() {
        h.ready("a1");
        h.enqueue("c1", "sales");
        h.enqueue("c2", "sales");
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c1")));
        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s", "cancel c1/1 a1", "ring c2/2 a1 15s");
    }
}
