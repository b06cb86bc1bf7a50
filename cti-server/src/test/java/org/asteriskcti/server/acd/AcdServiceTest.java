package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Abandoned;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.OfferEnded;
import org.asteriskcti.server.acd.stats.QueueEvent.Overflowed;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.AgentSkills;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentStateException;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.RequestedState;
import org.asteriskcti.server.agent.RingFailure;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.junit.jupiter.api.Test;

/** Callers through the ACD: offers, ringing, answers, abandons, overflow, priorities, tenants. */
class AcdServiceTest {

    static final QueueId SALES = QueueId.of("sales");
    static final QueueId SUPPORT = QueueId.of("support");
    static final AgentId A1 = AgentId.of("a1");
    static final AgentId A2 = AgentId.of("a2");

    static QueueDefinition.Builder sales() {
        return QueueDefinition.builder("sales", "demo").ringTimeout(Duration.ofSeconds(15)).wrapUp(Duration.ofSeconds(10))
                .maxWrapUp(Duration.ofSeconds(30)).announcePeriod(Duration.ZERO);
    }

    static QueueDefinition.Builder support() {
        return QueueDefinition.builder("support", "demo").announcePeriod(Duration.ZERO);
    }

    static List<AgentProfile> agents() {
        return List.of(AgentProfile.of("a1", "demo"), AgentProfile.of("a2", "demo"), AgentProfile.of("a3", "demo"),
                AgentProfile.of("s1", "demo").withQueues(Set.of(SUPPORT)), AgentProfile.of("x1", "acme"));
    }

    static AcdHarness harness(UnaryOperator<QueueDefinition.Builder> salesConfig) {
        return new AcdHarness(List.of(salesConfig.apply(sales()).build(), support().build(),
                QueueDefinition.builder("acme-sales", "acme").build()), agents());
    }

    private final AcdHarness h = harness(b -> b);

    // ---- offer, answer, wrap-up ---------------------------------------------------------------------------

    @Test
    void givenTwoReadyAgents_whenACallerIsEnqueued_thenTheLongestIdleIsRungAndReservedAndTheEntryIsOffering() {
        h.ready("a1", "a2");

        EntryId c1 = h.enqueue("c1", "sales");

        assertThat(c1).isEqualTo(EntryId.of("c1/1"));
        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.RESERVED);
        assertThat(h.agent("a2").state()).isEqualTo(AgentState.READY);
        EntryView e = h.entry(c1);
        assertThat(e.state()).isEqualTo(EntryState.OFFERING);
        assertThat(e.agent()).isEqualTo(A1);
        assertThat(e.attempt()).isEqualTo(1);
        assertThat(h.log.events()).extracting(ev -> ev.getClass().getSimpleName())
                .endsWith("Entered", "AgentStateInterval", "Offered");
    }

    @Test
    void givenARingingAgent_whenTheyAnswer_thenBridgedOnCallAndNoTimerIsLeft() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();
        h.advance(4);

        h.answer(c1, "a1");

        assertThat(h.port.take()).containsExactly("bridge c1/1 a1");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.ON_CALL);
        assertThat(h.entry(c1).state()).isEqualTo(EntryState.CONNECTED);
        assertThat(h.events(Answered.class)).singleElement().satisfies(a -> assertThat(a.waited()).isEqualTo(Duration.ofSeconds(4)));
        assertThat(h.scheduler.pendingTimers()).isZero();
        h.advance(60);
        assertThat(h.port.take()).isEmpty();
    }

    @Test
    void givenAConnectedCallWithHold_whenTheAgentHangsUp_thenWrapUpEndsByTimerAndCompletedHasExactTimes() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.advance(3);
        h.answer(c1, "a1");
        h.advance(20);
        h.run(() -> h.acd.holdChanged(c1, true));
        h.advance(10);
        h.run(() -> h.acd.holdChanged(c1, false));
        h.advance(30);

        h.agentHangsUp(c1, "a1");

        assertThat(h.agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(h.agent("a1").callsHandledToday()).isEqualTo(1);
        assertThat(h.call(() -> h.acd.entry(c1))).isEmpty();
        assertThat(h.events(QueueEvent.Completed.class)).isEmpty();
        h.advance(9);
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        h.advance(1);
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(h.port.agentChanges.get(h.port.agentChanges.size() - 1).cause().kind()).isEqualTo(TransitionCause.WRAP_UP_TIMER);
        assertThat(h.events(QueueEvent.Completed.class)).singleElement().satisfies(c -> {
            assertThat(c.talk()).isEqualTo(Duration.ofSeconds(50));
            assertThat(c.hold()).isEqualTo(Duration.ofSeconds(10));
            assertThat(c.wrapUp()).isEqualTo(Duration.ofSeconds(10));
            assertThat(c.handleTime()).isEqualTo(Duration.ofSeconds(70));
        });
        assertThat(h.scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenAConnectedCall_whenTheCallerHangsUpFirst_thenTheCallCompletesAndTheAgentsLateHangupIsIgnored() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.answer(c1, "a1");
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c1")));
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        int changes = h.port.agentChanges.size();
        h.agentHangsUp(c1, "a1");
        assertThat(h.port.agentChanges).hasSize(changes);
        assertThat(h.events(Abandoned.class)).isEmpty();
    }

    // ---- ring no answer, failures, rounds ------------------------------------------------------------------

    @Test
    void givenARingingAgent_whenTheRingTimesOut_thenRingCancelledAgentNotReadyNoAnswerAndTheNextAgentRung() {
        h.ready("a1", "a2");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();

        h.advance(14);
        assertThat(h.port.take()).isEmpty();
        h.advance(1);

        assertThat(h.port.take()).containsExactly("cancel c1/1 a1", "ring c1/1 a2 15s");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(h.agent("a1").reason()).isEqualTo(NotReadyReason.NO_ANSWER);
        assertThat(h.entry(c1).agent()).isEqualTo(A2);
        assertThat(h.entry(c1).attempt()).isEqualTo(2);
        assertThat(h.events(OfferEnded.class)).singleElement()
                .satisfies(o -> assertThat(o.outcome()).isEqualTo(QueueEvent.OfferOutcome.NO_ANSWER));
    }

    @Test
    void givenTheRingTimedOut_whenTheEdgeReportsTheFirstAgentsLegLate_thenItIsIgnored() {
        h.ready("a1", "a2");
        EntryId c1 = h.enqueue("c1", "sales");
        h.advance(15);
        h.port.take();
        int changes = h.port.agentChanges.size();

        h.run(() -> h.acd.agentLegFailed(c1, A1, RingFailure.NO_ANSWER));
        h.answer(c1, "a1");

        assertThat(h.port.take()).isEmpty();
        assertThat(h.port.agentChanges).hasSize(changes);
        assertThat(h.entry(c1).agent()).isEqualTo(A2);
    }

    @Test
    void givenTheOnlyAgentDidNotAnswer_whenTheyAreReadyAgain_thenANewRoundOffersThemTheSameCaller() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        h.advance(15);
        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s", "cancel c1/1 a1");
        assertThat(h.entry(c1).state()).isEqualTo(EntryState.WAITING);

        h.run(() -> h.acd.agentReady(A1));

        assertThat(h.port.take()).containsExactly("ring c1/1 a1 15s");
        assertThat(h.entry(c1).attempt()).isEqualTo(2);
    }

    @Test
    void givenARingingAgent_whenTheyReject_thenTheyStayReadyAndTheNextAgentGetsTheCallerButTheyGetTheNextCaller() {
        h.ready("a1", "a2");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();

        h.run(() -> h.acd.agentLegFailed(c1, A1, RingFailure.REJECTED));
        assertThat(h.port.take()).containsExactly("ring c1/1 a2 15s");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);

        h.enqueue("c2", "sales");
        assertThat(h.port.take()).containsExactly("ring c2/2 a1 15s");
    }

    @Test
    void givenARingingAgent_whenThePhoneIsBusy_thenNotReadyPhoneBusyAndTheNextAgentRung() {
        h.ready("a1", "a2");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();
        h.run(() -> h.acd.agentLegFailed(c1, A1, RingFailure.BUSY));
        assertThat(h.port.take()).containsExactly("ring c1/1 a2 15s");
        assertThat(h.agent("a1").reason()).isEqualTo(NotReadyReason.PHONE_BUSY);
    }

    @Test
    void givenARingingAgent_whenTheyGoNotReady_thenTheirRingIsCancelledAndTheCallerGoesToTheNextAgent() {
        h.ready("a1", "a2");
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();

        h.run(() -> h.acd.agentNotReady(A1, NotReadyReason.of("break")));

        assertThat(h.port.take()).containsExactly("cancel c1/1 a1", "ring c1/1 a2 15s");
        assertThat(h.events(OfferEnded.class)).singleElement()
                .satisfies(o -> assertThat(o.outcome()).isEqualTo(QueueEvent.OfferOutcome.WITHDRAWN));
        assertThat(h.scheduler.pendingTimers()).isEqualTo(1); // a2's ring timer only
    }

    // ---- abandons ---------------------------------------------------------------------------------------------

    @Test
    void givenARingingAgent_whenTheCallerHangsUp_thenRingCancelledAgentReadyKeepingTheirIdleTimeAndAbandonedWhileRinging() {
        h.ready("a1");
        Instant idle = h.agent("a1").idleSince();
        EntryId c1 = h.enqueue("c1", "sales");
        h.port.take();
        h.advance(7);

        h.run(() -> h.acd.callerHungUp(ChannelId.of("c1")));

        assertThat(h.port.take()).containsExactly("cancel c1/1 a1");
        assertThat(h.agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(h.agent("a1").idleSince()).isEqualTo(idle);
        assertThat(h.port.agentChanges.get(h.port.agentChanges.size() - 1).cause().kind()).isEqualTo(TransitionCause.OFFER_CANCELLED);
        assertThat(h.port.entryChanges.get(h.port.entryChanges.size() - 1).entry().state()).isEqualTo(EntryState.ABANDONED);
        assertThat(h.events(Abandoned.class)).singleElement().satisfies(a -> {
            assertThat(a.whileRinging()).isTrue();
            assertThat(a.waited()).isEqualTo(Duration.ofSeconds(7));
            assertThat(a.shortAbandon()).isFalse();
        });
        assertThat(h.scheduler.pendingTimers()).isZero();
        h.advance(30);
        assertThat(h.port.take()).isEmpty();
        assertThat(h.call(() -> h.acd.entry(c1))).isEmpty();
    }

    @Test
    void givenWaitingCallers_whenTheyHangUpJustBeforeAndExactlyAtTheShortAbandonThreshold_thenOnlyTheFirstIsShort() {
        h.enqueue("c1", "sales");
        h.enqueue("c2", "sales");
        h.scheduler.advance(Duration.ofMillis(4_999));
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c1")));
        h.scheduler.advance(Duration.ofMillis(1));
        h.run(() -> h.acd.callerHungUp(ChannelId.of("c2")));
        assertThat(h.events(Abandoned.class)).extracting(Abandoned::waited, Abandoned::shortAbandon, Abandoned::whileRinging)
                .containsExactly(
                        tuple(Duration.ofMillis(4_999), true, false),
                        tuple(Duration.ofSeconds(5), false, false));
    }

    @Test
    void givenAnUnknownCaller_whenTheyHangUp_thenNothingHappens() {
        h.run(() -> h.acd.callerHungUp(ChannelId.of("nobody")));
        assertThat(h.log.events()).isEmpty();
    }

    // ---- overflow ---------------------------------------------------------------------------------------------

    @Test
    void givenAQueueWithAMaxWait_whenNoAgentTakesTheCallerInTime_thenTheyOverflowToVoicemailExactlyAtTheMaxWait() {
        AcdHarness o = harness(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.ToVoicemail("1000@sales")));
        EntryId c1 = o.enqueue("c1", "sales");
        o.advance(59);
        assertThat(o.port.take()).isEmpty();
        o.advance(1);
        assertThat(o.port.take()).containsExactly("overflow c1/1 voicemail:1000@sales");
        assertThat(o.call(() -> o.acd.entry(c1))).isEmpty();
        assertThat(o.port.entryChanges.get(o.port.entryChanges.size() - 1).entry().state()).isEqualTo(EntryState.OVERFLOWED);
        assertThat(o.events(Overflowed.class)).singleElement().satisfies(ev -> {
            assertThat(ev.waited()).isEqualTo(Duration.ofSeconds(60));
            assertThat(ev.reason()).isEqualTo(QueueEvent.OverflowReason.MAX_WAIT);
        });
        assertThat(o.scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenAnOverflowToAnotherQueue_whenMaxWaitPasses_thenTheCallerIsQueuedThereWithTheirOriginalArrival() {
        AcdHarness o = harness(b -> b.maxWait(Duration.ofSeconds(30), new OverflowTarget.ToQueue(SUPPORT)));
        Instant arrival = o.clock.instant();
        o.enqueue("c1", "sales");
        o.advance(30);
        assertThat(o.port.take()).containsExactly("overflow c1/1 queue:support");
        EntryView moved = o.call(() -> o.acd.entryOf(ChannelId.of("c1"))).orElseThrow();
        assertThat(moved.id()).isEqualTo(EntryId.of("c1/2"));
        assertThat(moved.queue()).isEqualTo(SUPPORT);
        assertThat(moved.origin()).isEqualTo(EntryOrigin.OVERFLOW);
        assertThat(moved.arrivedAt()).isEqualTo(arrival);
        assertThat(moved.enteredAt()).isEqualTo(arrival.plusSeconds(30));

        o.ready("s1");
        assertThat(o.port.take()).containsExactly("ring c1/2 s1 15s");
    }

    @Test
    void givenMaxWaitPassesWhileAnAgentRings_whenTheyDoNotAnswer_thenTheCallerOverflowsInsteadOfRingingTheNextAgent() {
        AcdHarness o = harness(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.HangupWithMessage("sorry")));
        o.enqueue("c1", "sales");
        o.advance(50);
        o.ready("a1");                   // rings from 50 s to 65 s
        o.run(() -> {
            o.acd.phoneOnline(A2);
            o.acd.agentLogin(A2, true);
        });
        assertThat(o.port.take()).containsExactly("ring c1/1 a1 15s");
        o.advance(12);                   // 63 s: max wait passed at 60 s, the ring goes on
        assertThat(o.port.take()).isEmpty();
        o.advance(3);
        assertThat(o.port.take()).containsExactly("cancel c1/1 a1", "overflow c1/1 message:sorry");
        assertThat(o.agent("a2").state()).isEqualTo(AgentState.READY);
        assertThat(o.scheduler.pendingTimers()).isZero();
    }

    @Test
    void givenMaxWaitPassesWhileAnAgentRings_whenTheyAnswer_thenTheCallIsConnectedAndNeverOverflows() {
        AcdHarness o = harness(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.HangupWithMessage("sorry")));
        EntryId c1 = o.enqueue("c1", "sales");
        o.advance(55);
        o.ready("a1");
        o.advance(8);
        o.answer(c1, "a1");
        o.advance(120);
        assertThat(o.port.take()).containsExactly("ring c1/1 a1 15s", "bridge c1/1 a1");
        assertThat(o.events(Overflowed.class)).isEmpty();
    }

    @Test
    void givenAQueueOfMaxSizeTwo_whenAThirdCallerArrives_thenTheyOverflowAtOnceAsQueueFull() {
        AcdHarness o = harness(b -> b.maxSize(2).overflow(new OverflowTarget.HangupWithMessage("busy")));
        o.enqueue("c1", "sales");
        o.enqueue("c2", "sales");
        EntryId c3 = o.enqueue("c3", "sales");
        assertThat(o.port.take()).containsExactly("overflow c3/3 message:busy");
        assertThat(o.call(() -> o.acd.entry(c3))).isEmpty();
        assertThat(o.events(Overflowed.class)).singleElement()
                .satisfies(ev -> assertThat(ev.reason()).isEqualTo(QueueEvent.OverflowReason.QUEUE_FULL));
        assertThat(o.events(Entered.class)).hasSize(3);
    }

    @Test
    void givenACallerWhoDialledADid_whenTheyOverflowToAnotherQueue_thenOnlyTheirFirstVisitCarriesTheDid() {
        AcdHarness o = harness(b -> b.maxSize(1).overflow(new OverflowTarget.ToQueue(SUPPORT)));
        o.enqueue(EnqueueRequest.newCaller(ChannelId.of("c1"), SALES, o.clock.instant()).withDid("700"));
        o.enqueue(EnqueueRequest.newCaller(ChannelId.of("c2"), SALES, o.clock.instant()).withDid("701"));
        assertThat(o.events(Entered.class)).extracting(Entered::queue, Entered::origin, Entered::did).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SALES, EntryOrigin.NEW, "700"),
                org.assertj.core.groups.Tuple.tuple(SALES, EntryOrigin.NEW, "701"),
                org.assertj.core.groups.Tuple.tuple(SUPPORT, EntryOrigin.OVERFLOW, null));
    }

    @Test
    void givenACallerRestoredAfterALongOutage_whenTheirMaxWaitIsAlreadyOver_thenTheyOverflowAtOnce() {
        AcdHarness o = harness(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.ToVoicemail("1000")));
        o.enqueue(EnqueueRequest.newCaller(ChannelId.of("c1"), SALES, o.clock.instant().minusSeconds(90))
                .withOrigin(EntryOrigin.RESTORED));
        assertThat(o.port.take()).containsExactly("overflow c1/1 voicemail:1000");
    }

    // ---- order: priority and original arrival -----------------------------------------------------------------

    @Test
    void givenTwoWaitingCallers_whenTheLaterOneHasHigherPriority_thenTheFreedAgentIsOfferedItFirst() {
        h.enqueue("c1", "sales");
        h.advance(10);
        h.enqueue(EnqueueRequest.newCaller(ChannelId.of("vip"), SALES, h.clock.instant()).withPriority(5));
        h.ready("a1");
        assertThat(h.port.take()).containsExactly("ring vip/2 a1 15s");
    }

    @Test
    void givenACallerRestoredAfterARestart_whenTheyArrivedBeforeANewCaller_thenTheyKeepTheirPlaceAhead() {
        h.advance(30);
        h.enqueue("new", "sales");
        h.advance(10);
        Instant original = h.clock.instant().minusSeconds(40);
        h.enqueue(EnqueueRequest.newCaller(ChannelId.of("old"), SALES, original).withOrigin(EntryOrigin.RESTORED));

        List<WaitingCaller> waiting = h.call(() -> h.acd.waiting(SALES));
        assertThat(waiting).extracting(w -> w.entry().caller().value() + "@" + w.position()).containsExactly("old@1", "new@2");
        h.ready("a1");
        assertThat(h.port.take()).containsExactly("ring old/2 a1 15s");
    }

    @Test
    void givenACallerTransferredIntoAQueue_whenAnswered_thenTheirWaitCountsFromTheOriginalArrival() {
        Instant original = h.clock.instant();
        h.advance(30);
        EntryId t = h.enqueue(EnqueueRequest.newCaller(ChannelId.of("t1"), SALES, original).withOrigin(EntryOrigin.TRANSFERRED));
        h.advance(10);
        h.ready("a1");
        h.answer(t, "a1");
        assertThat(h.events(Answered.class)).singleElement().satisfies(a -> assertThat(a.waited()).isEqualTo(Duration.ofSeconds(41)));
        assertThat(h.events(Entered.class)).singleElement().satisfies(en -> {
            assertThat(en.arrivedAt()).isEqualTo(original);
            assertThat(en.at()).isEqualTo(original.plusSeconds(30));
        });
    }

    // ---- strategies through the service ---------------------------------------------------------------------

    @Test
    void givenALeastCallsQueue_whenTheLongestIdleAgentHandledMoreCallsToday_thenTheOtherOneIsOffered() {
        AcdHarness o = harness(b -> b.strategy(Strategy.LEAST_CALLS).wrapUp(Duration.ZERO));
        o.ready("a1", "a2");
        EntryId c1 = o.enqueue("c1", "sales");   // a1 (longest idle)
        o.answer(c1, "a1");
        o.agentHangsUp(c1, "a1");                 // a1 READY again, 1 call today, idle since now
        EntryId c2 = o.enqueue("c2", "sales");   // a2
        o.answer(c2, "a2");
        o.agentHangsUp(c2, "a2");                 // both 1 call; a1 idle longer
        o.advance(5);
        EntryId c3 = o.enqueue("c3", "sales");   // a1
        o.answer(c3, "a1");
        o.agentHangsUp(c3, "a1");                 // a1: 2 calls, a2: 1 call, a2 idle longer anyway
        o.port.take();
        o.run(() -> o.acd.agentNotReady(A2, NotReadyReason.of("break")));
        o.advance(5);
        o.run(() -> o.acd.agentReady(A2));        // now a1 is idle longest, but has more calls
        o.enqueue("c4", "sales");
        assertThat(o.port.take()).containsExactly("ring c4/4 a2 15s");
    }

    @Test
    void givenASkillsQueue_whenAgentsOfDifferentLevelsAreReady_thenTheBestMatchIsOfferedNotTheLongestIdle() {
        AcdHarness o = new AcdHarness(List.of(sales().strategy(Strategy.SKILLS).requiredSkills(Map.of("billing", 2)).build()),
                List.of(AgentProfile.of("novice", "demo").withSkills(new AgentSkills(Map.of("billing", 2), Set.of())),
                        AgentProfile.of("expert", "demo").withSkills(new AgentSkills(Map.of("billing", 9), Set.of())),
                        AgentProfile.of("none", "demo")));
        o.ready("none", "novice", "expert");
        o.enqueue("c1", "sales");
        o.enqueue("c2", "sales");
        o.enqueue("c3", "sales");
        assertThat(o.port.take()).containsExactly("ring c1/1 expert 15s", "ring c2/2 novice 15s");
        assertThat(o.call(() -> o.acd.staffed(SALES))).isEqualTo(2);
    }

    // ---- tenants, callbacks, errors -----------------------------------------------------------------------------

    @Test
    void givenOnlyAnotherTenantsAgentIsReady_whenACallerWaits_thenTheyAreNeverRung() {
        h.ready("x1");
        h.enqueue("c1", "sales");
        h.advance(120);
        assertThat(h.port.take()).isEmpty();
        h.enqueue("c2", "acme-sales");
        assertThat(h.port.take()).containsExactly("ring c2/2 x1 15s");
    }

    @Test
    void givenAWaitingCaller_whenTheyAskForACallback_thenCallbackRequestedWithTheirWaitAndNoTimersLeft() {
        AcdHarness o = harness(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.ToVoicemail("1")).announcePeriod(Duration.ofSeconds(20)));
        EntryId c1 = o.enqueue("c1", "sales");
        o.advance(12);
        EntryId c2 = o.enqueue("c2", "sales");
        EntryId cb = o.call(() -> o.acd.requestCallback(ChannelId.of("c1"), ChannelId.of("cb-c1")));
        assertThat(o.port.entryChanges).extracting(c -> c.entry().id() + " " + c.entry().state())
                .contains(c1 + " CALLBACK_REQUESTED", cb + " WAITING");
        assertThat(o.events(QueueEvent.CallbackRequested.class)).singleElement()
                .satisfies(c -> assertThat(c.waited()).isEqualTo(Duration.ofSeconds(12)));
        assertThat(o.call(() -> o.acd.entry(c1))).isEmpty();
        // The callback keeps the caller's place (arrival, ahead of c2), with no max wait or announcement of its own.
        EntryView callback = o.entry(cb);
        assertThat(callback.arrivedAt()).isEqualTo(o.entry(c2).arrivedAt().minusSeconds(12));
        assertThat(callback.origin()).isEqualTo(EntryOrigin.CALLBACK);
        assertThat(o.call(() -> o.acd.waiting(QueueId.of("sales")))).extracting(w -> w.entry().id()).containsExactly(cb, c2);
        o.run(() -> o.acd.callerHungUp(ChannelId.of("c2")));
        assertThat(o.scheduler.pendingTimers()).isZero();
        // Not a second offered call.
        assertThat(o.call(() -> o.acd.today(QueueId.of("sales"))).offered()).isEqualTo(2);
    }

    @Test
    void givenACallbackTakenByAnAgent_whenTheCustomerIsDialled_thenTheOutcomeIsRecordedForThatAgent() {
        EntryId c1 = h.enqueue("c1", "sales");
        EntryId cb = h.call(() -> h.acd.requestCallback(ChannelId.of("c1"), ChannelId.of("cb-c1")));
        h.ready("a1");
        h.answer(cb, "a1");
        h.run(() -> h.acd.callbackDialled(cb, QueueEvent.CallbackOutcome.BUSY));
        h.run(() -> h.acd.callbackDialled(c1, QueueEvent.CallbackOutcome.ANSWERED)); // not a connected callback: ignored
        assertThat(h.events(QueueEvent.CallbackDialled.class)).singleElement().satisfies(d -> {
            assertThat(d.agent()).isEqualTo(AgentId.of("a1"));
            assertThat(d.outcome()).isEqualTo(QueueEvent.CallbackOutcome.BUSY);
        });
    }

    @Test
    void givenARingingCaller_whenTheyAskForACallback_thenRefusedAndTheOfferGoesOn() {
        h.ready("a1");
        EntryId c1 = h.enqueue("c1", "sales");
        assertThatThrownBy(() -> h.run(() -> h.acd.requestCallback(ChannelId.of("c1"), ChannelId.of("cb-c1"))))
                .isInstanceOfSatisfying(AcdException.class, e -> assertThat(e.errorId()).isEqualTo("acd.illegal_entry_transition"));
        assertThat(h.entry(c1).state()).isEqualTo(EntryState.OFFERING);
    }

    @Test
    void givenAnUnknownQueueOrACallerAlreadyQueued_whenEnqueued_thenTypedErrors() {
        assertThatThrownBy(() -> h.enqueue("c1", "nope"))
                .isInstanceOfSatisfying(AcdException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("acd.unknown_queue");
                    assertThat(e.status()).isEqualTo(404);
                });
        h.enqueue("c1", "sales");
        assertThatThrownBy(() -> h.enqueue("c1", "support")).hasMessageStartingWith("acd.already_queued");
        assertThat(h.events(Entered.class)).hasSize(1);
    }

    @Test
    void givenTheService_whenCalledOutsideTheDomainLoop_thenItRefuses() {
        assertThatThrownBy(() -> h.acd.agentLogin(A1, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenQueuesThatOverflowInACircle_whenTheServiceIsBuilt_thenInvalidConfig() {
        QueueDefinition a = sales().maxWait(Duration.ofSeconds(30), new OverflowTarget.ToQueue(SUPPORT)).build();
        QueueDefinition b = support().maxWait(Duration.ofSeconds(30), new OverflowTarget.ToQueue(SALES)).build();
        assertThatThrownBy(() -> new AcdHarness(List.of(a, b), List.of()))
                .isInstanceOfSatisfying(AcdException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("acd.invalid_config");
                    assertThat(e.getMessage()).contains("circle");
                });
    }

    @Test
    void givenAnOverflowOrAMembershipAcrossTenants_whenTheServiceIsBuilt_thenInvalidConfig() {
        QueueDefinition acme = QueueDefinition.builder("acme-sales", "acme").build();
        QueueDefinition toAcme = sales().maxWait(Duration.ofSeconds(30), new OverflowTarget.ToQueue(acme.id())).build();
        assertThatThrownBy(() -> new AcdHarness(List.of(toAcme, acme), List.of()))
                .hasMessageStartingWith("acd.invalid_config").hasMessageContaining("overflows to 'acme-sales'");
        assertThatThrownBy(() -> new AcdHarness(List.of(sales().build(), acme),
                List.of(AgentProfile.of("a1", "demo").withQueues(Set.of(acme.id())))))
                .hasMessageStartingWith("acd.invalid_config").hasMessageContaining("agent 'a1'");
    }

    @Test
    void givenAnAgentOfAnotherTenant_whenASupervisorForcesThem_thenOtherTenantAndNothingChanges() {
        h.ready("x1");
        assertThatThrownBy(() -> h.run(() -> h.acd.supervisorForce(UserId.of("boss"),
                TenantId.of("demo"), AgentId.of("x1"), RequestedState.LOGGED_OUT)))
                .isInstanceOfSatisfying(AgentStateException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.other_tenant");
                    assertThat(e.status()).isEqualTo(403);
                });
        assertThat(h.agent("x1").state()).isEqualTo(AgentState.READY);
    }
}
