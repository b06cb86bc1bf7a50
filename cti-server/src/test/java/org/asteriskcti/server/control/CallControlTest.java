package org.asteriskcti.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Call control's state machines (conversation, party, attended and blind transfer, conference) against
 * a recording fake of the Asterisk commands, on a manual loop: every path of each feature, with each
 * party hanging up at each step. The demo configuration: tenant demo, agents agent-1001..1004 at
 * PJSIP/1001..1004, external numbers through Local/<n>@from-internal/n.
 */
class CallControlTest {

    private static final TenantId DEMO = TenantId.of("demo");
    private static final AgentId A1 = AgentId.of("agent-1001");
    private static final AgentId A2 = AgentId.of("agent-1002");

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final List<String> transfersIn = new ArrayList<>();
    private final List<Conversation> changes = new ArrayList<>();
    private final List<String> consultationAsks = new ArrayList<>();
    /** The transfers call control reported done (QueueEvent.Transferred for the statistics log). */
    private final List<String> transfersDone = new ArrayList<>();
    /** Who the ACD says is free for a consultation with a queue (null: nobody). */
    private AgentId freeAgent;
    private CallControl control;

    @BeforeEach
    void setUp() {
        DialPlan plan = new DialPlan(ConfigLoader.load(null, Map.of()));
        control = new CallControl(loop, asterisk, plan, changes::add, new CallControl.Acd() {
            @Override
            public void transferIn(ChannelId customer, Party party, TenantId tenant, QueueId queue, Instant arrival) {
                transfersIn.add(customer + " " + queue + " " + arrival);
            }

            @Override
            public java.util.Optional<AgentId> agentForConsultation(QueueId queue, TenantId tenant, AgentId except) {
                consultationAsks.add(queue + " " + tenant + " " + except);
                return java.util.Optional.ofNullable(freeAgent);
            }

            @Override
            public void transferred(Instant at, QueueId queue, org.asteriskcti.server.acd.EntryId entry, AgentId agent,
                    org.asteriskcti.server.acd.stats.QueueEvent.TransferKind kind, String target) {
                transfersDone.add(at + " " + queue + " " + entry + " " + agent + " " + kind + " " + target);
            }
        }, "t", Duration.ofSeconds(30), "default");
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

    /** Runs a command and returns its outcome (the future's value), failing the test on a refused one. */
    private Conversation cmd(Supplier<CompletableFuture<Conversation>> command) {
        CompletableFuture<Conversation> f = call(command);
        scheduler.runAll();
        return f.join();
    }

    private void event(AsteriskEvent e) {
        call(() -> {
            control.onEvent(e);
            return null;
        });
    }

    private EventMeta meta() {
        return new EventMeta(Source.ARI, clock.instant(), clock.instant(), 0);
    }

    private void answered(String channel) {
        ChannelSnapshot ch = new ChannelSnapshot(ChannelId.of(channel), "PJSIP/x-1", ChannelState.UP, Party.EMPTY,
                Party.EMPTY, null, "", "", "", "en", null);
        event(new AsteriskEvent.StasisStarted(meta(), ch, "cti", List.of(CallControl.APP_ARG, "conv")));
    }

    private void hungUp(String channel, int cause) {
        event(new AsteriskEvent.ChannelHungUp(meta(), ChannelId.of(channel), cause, ""));
    }

    private String lastOriginate() {
        return asterisk.originates.get(asterisk.originates.size() - 1).channelId().value();
    }

    private Participant party(Conversation c, String channel) {
        return c.party(ChannelId.of(channel)).orElseThrow();
    }

    /** An ACD call: customer c1 and agent-1001's leg l1, bridged in acd-mix-l1. */
    private Conversation acdCall() {
        Conversation c = call(() -> control.adoptAcd(BridgeId.of("acd-mix-l1"), DEMO, QueueId.of("support"),
                org.asteriskcti.server.acd.EntryId.of("c1/1"), Instant.parse("2026-11-23T08:59:00Z"), ChannelId.of("c1"), new Party("2001", "Customer One"),
                ChannelId.of("l1"), A1, CompletableFuture.completedFuture(null)));
        marks = List.copyOf(asterisk.log);
        asterisk.clear();
        return c;
    }

    /** What adopting the ACD call asked of Asterisk (marking its channels). */
    private List<String> marks = List.of();

    // ---- click-to-dial ----------------------------------------------------------------------------------

    @Nested
    class ClickToDial {

        @Test
        void givenAnAgent_whenTheyDial_thenTheirPhoneRingsFirstAndTheNumberIsDialledOnlyWhenTheyAnswer() {
            Conversation c = cmd(() -> control.dial(DEMO, A1, "2002"));

            assertThat(asterisk.log).containsExactly("bridge.create " + c.id() + " MIXING",
                    "originate ctl-t-1 PJSIP/1001 args=[ctl, " + c.id() + "] originator=null callerId=\"2002\" <2002>");
            assertThat(party(c, "ctl-t-1").state()).isEqualTo(PartyState.DIALLING);

            answered("ctl-t-1");
            assertThat(asterisk.log).contains("bridge.add " + c.id() + " ctl-t-1",
                    "originate ctl-t-2 Local/2002@from-internal/n args=[ctl, " + c.id() + "] originator=ctl-t-1 callerId=\"Demo Call Centre\" <700>");
            answered("ctl-t-2");

            assertThat(asterisk.log).contains("bridge.add " + c.id() + " ctl-t-2");
            assertThat(c.active()).extracting(Participant::state).containsOnly(PartyState.CONNECTED);
            assertThat(party(c, "ctl-t-2").role()).isEqualTo(Role.CUSTOMER);
            assertThat(party(c, "ctl-t-2").number()).isEqualTo("2002");
        }

        @Test
        void givenAnInternalExtension_whenDialled_thenItsPhoneIsRungDirectly() {
            Conversation c = cmd(() -> control.dial(DEMO, A1, "1002"));
            answered("ctl-t-1");

            assertThat(asterisk.lines("originate ctl-t-2")).singleElement().asString().contains("PJSIP/1002");
            assertThat(party(c, "ctl-t-2").agent()).isEqualTo(A2);
        }

        @Test
        void givenTheCustomerHangsUp_thenTheAgentIsHungUpAndTheBridgeDestroyed() {
            Conversation c = cmd(() -> control.dial(DEMO, A1, "2002"));
            answered("ctl-t-1");
            answered("ctl-t-2");
            asterisk.clear();

            hungUp("ctl-t-2", 16);

            assertThat(asterisk.log).containsExactly("hangup ctl-t-1 NORMAL", "bridge.destroy " + c.id());
            assertThat(c.end()).contains(Conversation.End.COMPLETED);
            assertThat(c.failure()).isNull();
            assertThat(call(() -> control.of(A1))).isEmpty();
            assertThat(changes.get(changes.size() - 1).ended()).isTrue();
        }

        @Test
        void givenTheNumberIsBusy_thenTheAgentIsHungUpAndTheCallFailedAsBusy() {
            Conversation c = cmd(() -> control.dial(DEMO, A1, "2002"));
            answered("ctl-t-1");
            asterisk.clear();

            hungUp("ctl-t-2", 17);

            assertThat(asterisk.log).contains("hangup ctl-t-1 NORMAL", "bridge.destroy " + c.id());
            assertThat(c.end()).contains(Conversation.End.FAILED);
            assertThat(c.failure()).isEqualTo("busy");
            assertThat(party(c, "ctl-t-2").cause()).isEqualTo(17);
        }

        @Test
        void givenTheAgentDoesNotAnswer_thenNothingIsDialledAndTheCallFailed() {
            Conversation c = cmd(() -> control.dial(DEMO, A1, "2002"));

            hungUp("ctl-t-1", 19);

            assertThat(asterisk.originates).hasSize(1);
            assertThat(c.end()).contains(Conversation.End.FAILED);
            assertThat(c.failure()).contains("no answer");
            assertThat(asterisk.log).contains("bridge.destroy " + c.id());
        }

        @Test
        void givenTheAgentHangsUpWhileTheNumberRings_thenTheNumberIsCancelled() {
            Conversation c = cmd(() -> control.dial(DEMO, A1, "2002"));
            answered("ctl-t-1");
            asterisk.clear();

            hungUp("ctl-t-1", 16);

            assertThat(asterisk.log).containsExactly("hangup ctl-t-2 NORMAL", "bridge.destroy " + c.id());
        }

        @Test
        void givenAMalformedNumber_thenTheCommandIsRefusedNamingIt() {
            assertThatThrownBy(() -> call(() -> control.dial(DEMO, A1, "12ab")))
                    .isInstanceOf(ControlException.class)
                    .hasMessageContaining("'12ab' is not a number this tenant can dial")
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.INVALID_NUMBER);
            assertThat(asterisk.log).isEmpty();
        }

        @Test
        void givenAnAgentAlreadyOnACall_whenTheyDial_thenRefusedAsBusy() {
            cmd(() -> control.dial(DEMO, A1, "2002"));

            assertThatThrownBy(() -> call(() -> control.dial(DEMO, A1, "2001")))
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.AGENT_BUSY);
        }

        @Test
        void givenAnotherTenantsAgentAsTarget_thenRefusedLikeAnUnknownOne() {
            assertThatThrownBy(() -> call(() -> control.dial(DEMO, A1, "agent:agent-9999")))
                    .hasMessageContaining("no agent 'agent-9999' in this tenant");
        }

        @Test
        void givenAStrayLegAnswers_thenItIsHungUp() {
            answered("ctl-old-7");

            assertThat(asterisk.log).containsExactly("hangup ctl-old-7 NORMAL");
        }
    }

    // ---- hold, mute, dtmf, hangup -------------------------------------------------------------------------

    @Nested
    class InCall {

        @Test
        void givenAConnectedCall_whenHeld_thenTheCustomerLeavesTheBridgeAndHearsMusic_andUnholdBringsThemBack() {
            Conversation c = acdCall();
            int before = changes.size();

            cmd(() -> control.hold(A1));
            assertThat(asterisk.log).containsExactly("bridge.remove acd-mix-l1 c1", "moh.start c1 default");
            assertThat(party(c, "c1").state()).isEqualTo(PartyState.HELD);
            assertThat(changes).as("the hold is published (desktops, wallboards)").hasSize(before + 1).last().isSameAs(c);

            asterisk.clear();
            cmd(() -> control.unhold(A1));
            assertThat(asterisk.log).containsExactly("moh.stop c1", "bridge.add acd-mix-l1 c1");
            assertThat(party(c, "c1").state()).isEqualTo(PartyState.CONNECTED);
            assertThat(changes).as("and so is taking the customer back").hasSize(before + 2);
        }

        @Test
        void givenAHeldCustomer_whenHeldAgain_thenNothingIsAskedTwice() {
            acdCall();
            cmd(() -> control.hold(A1));
            asterisk.clear();

            cmd(() -> control.hold(A1));

            assertThat(asterisk.log).isEmpty();
        }

        @Test
        void givenTheAgentHangsUpWhileTheCustomerIsHeld_thenTheCustomerIsHungUpToo() {
            acdCall();
            cmd(() -> control.hold(A1));
            asterisk.clear();

            hungUp("l1", 16);

            assertThat(asterisk.log).containsExactly("hangup c1 NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenACall_whenTheAgentMutes_thenTheirInputIsMuted_andTheViewSaysSo() {
            Conversation c = acdCall();

            cmd(() -> control.mute(A1, true));

            assertThat(asterisk.log).containsExactly("mute l1");
            assertThat(party(c, "l1").muted()).isTrue();
            cmd(() -> control.mute(A1, false));
            assertThat(asterisk.log).containsExactly("mute l1", "unmute l1");
            assertThat(party(c, "l1").muted()).isFalse();
        }

        @Test
        void givenACall_whenTheAgentSendsDtmf_thenTheOtherPartyGetsIt() {
            acdCall();

            cmd(() -> control.dtmf(A1, "12#*"));

            assertThat(asterisk.log).containsExactly("dtmf c1 12#*");
        }

        @Test
        void givenBadDigits_thenRefusedNamingThem() {
            acdCall();

            assertThatThrownBy(() -> call(() -> control.dtmf(A1, "12x"))).hasMessageContaining("'12x'");
        }

        @Test
        void givenNoCall_whenHolding_thenRefusedWithNoActiveCall() {
            assertThatThrownBy(() -> call(() -> control.hold(A1)))
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.NO_CALL);
        }

        @Test
        void givenAnAcdCall_whenTheCustomerHangsUp_thenTheAgentLegIsHungUpAndTheBridgeDestroyed() {
            acdCall();
            asterisk.clear();

            hungUp("c1", 16);
            hungUp("c1", 16); // AMI and ARI both report it

            assertThat(asterisk.log).containsExactly("hangup l1 NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenACall_whenTheAgentHangsUp_thenTheirLegIsHungUp_andTheCustomerFollows() {
            acdCall();
            asterisk.clear();

            cmd(() -> control.hangup(A1));
            hungUp("l1", 16);

            assertThat(asterisk.log).containsExactly("hangup l1 NORMAL", "hangup c1 NORMAL", "bridge.destroy acd-mix-l1");
        }
    }

    // ---- blind transfer -----------------------------------------------------------------------------------

    @Nested
    class BlindTransfer {

        @Test
        void givenAnAcdCall_whenBlindTransferredToAnAgent_thenTheAgentLeavesAndTheCustomerJoinsTheTargetOnAnswer() {
            Conversation c = acdCall();

            cmd(() -> control.blindTransfer(A1, "agent:agent-1002"));

            assertThat(asterisk.log).containsExactly("bridge.remove acd-mix-l1 c1", "moh.start c1 default",
                    "originate ctl-t-1 PJSIP/1002 args=[ctl, acd-mix-l1] originator=c1 callerId=\"Customer One\" <2001>",
                    "hangup l1 NORMAL");
            hungUp("l1", 16);
            assertThat(c.ended()).isFalse();
            assertThat(call(() -> control.of(A1))).isEmpty();

            asterisk.clear();
            answered("ctl-t-1");
            assertThat(asterisk.log).containsExactly("bridge.add acd-mix-l1 ctl-t-1", "moh.stop c1", "bridge.add acd-mix-l1 c1");
            assertThat(c.transferState()).isEmpty();
            assertThat(call(() -> control.of(A2))).contains(c);
        }

        @Test
        void givenTheTargetIsBusy_thenTheTransferringAgentIsRungBack_andGetsTheCustomerOnAnswer() {
            Conversation c = acdCall();
            cmd(() -> control.blindTransfer(A1, "1002"));
            hungUp("l1", 16);

            hungUp("ctl-t-1", 17);

            assertThat(asterisk.lines("originate ctl-t-2")).singleElement().asString().contains("PJSIP/1001");
            assertThat(c.transferTarget()).contains("agent:agent-1001 (recall)");
            answered("ctl-t-2");
            assertThat(party(c, "c1").state()).isEqualTo(PartyState.CONNECTED);
            assertThat(call(() -> control.of(A1))).contains(c);
        }

        @Test
        void givenTheTargetAndTheRecallFail_thenTheCustomerIsHungUp() {
            Conversation c = acdCall();
            cmd(() -> control.blindTransfer(A1, "2002"));
            hungUp("l1", 16);
            hungUp("ctl-t-1", 19);
            asterisk.clear();

            hungUp("ctl-t-2", 19);

            assertThat(asterisk.log).containsExactly("hangup c1 NORMAL", "bridge.destroy acd-mix-l1");
            assertThat(c.ended()).isTrue();
        }

        @Test
        void givenTheCustomerHangsUpWhileTheTargetRings_thenTheTargetIsCancelled() {
            acdCall();
            cmd(() -> control.blindTransfer(A1, "2002"));
            hungUp("l1", 16);
            asterisk.clear();

            hungUp("c1", 16);

            assertThat(asterisk.log).containsExactly("hangup ctl-t-1 NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenAQueueTarget_thenTheCustomerGoesToTheAcdWithTheirFirstArrival_andTheAgentLeaves() {
            Conversation c = acdCall();

            cmd(() -> control.blindTransfer(A1, "queue:support"));

            assertThat(transfersIn).containsExactly("c1 support 2026-11-23T08:59:00Z");
            assertThat(asterisk.log).contains("hangup l1 NORMAL").doesNotContain("hangup c1 NORMAL");
            assertThat(party(c, "c1").state()).isEqualTo(PartyState.GONE);
        }

        @Test
        void givenATransferToOneself_thenRefused() {
            acdCall();

            assertThatThrownBy(() -> call(() -> control.blindTransfer(A1, "agent:agent-1001")))
                    .hasMessageContaining("themselves");
        }
    }

    // ---- attended transfer --------------------------------------------------------------------------------

    @Nested
    class AttendedTransfer {

        private Conversation consulting() {
            Conversation c = acdCall();
            cmd(() -> control.consult(A1, "agent:agent-1002"));
            return c;
        }

        @Test
        void givenAConsultation_thenTheCustomerIsHeldAndTheTargetRung() {
            Conversation c = consulting();

            assertThat(asterisk.log).containsExactly("bridge.remove acd-mix-l1 c1", "moh.start c1 default",
                    "originate ctl-t-1 PJSIP/1002 args=[ctl, acd-mix-l1] originator=l1 callerId=\"Customer One\" <2001>");
            assertThat(c.transferState()).contains("RINGING_TARGET");
        }

        @Test
        void givenTheTargetAnswers_whenSwapped_thenTheyChangePlaces_andCompleteHandsTheCustomerOver() {
            Conversation c = consulting();
            answered("ctl-t-1");
            assertThat(c.transferState()).contains("TALKING_TO_TARGET");

            asterisk.clear();
            cmd(() -> control.swap(A1));
            assertThat(asterisk.log).containsExactly("bridge.remove acd-mix-l1 ctl-t-1", "moh.start ctl-t-1 default",
                    "moh.stop c1", "bridge.add acd-mix-l1 c1");
            assertThat(c.transferState()).contains("TALKING_TO_CUSTOMER");

            cmd(() -> control.swap(A1));
            assertThat(c.transferState()).contains("TALKING_TO_TARGET");

            asterisk.clear();
            cmd(() -> control.completeTransfer(A1));
            assertThat(asterisk.log).containsExactly("moh.stop c1", "bridge.add acd-mix-l1 c1", "hangup l1 NORMAL");
            hungUp("l1", 16);
            assertThat(c.ended()).isFalse();
            assertThat(c.active()).extracting(p -> p.channel().value()).containsExactly("c1", "ctl-t-1");
        }

        @Test
        void givenTheTargetIsBusy_thenTheAgentGetsTheCustomerBack() {
            Conversation c = consulting();
            asterisk.clear();

            hungUp("ctl-t-1", 17);

            assertThat(asterisk.log).containsExactly("moh.stop c1", "bridge.add acd-mix-l1 c1");
            assertThat(c.transferState()).isEmpty();
            assertThat(c.ended()).isFalse();
        }

        @Test
        void givenTheTargetDoesNotAnswer_thenTheAgentGetsTheCustomerBack() {
            Conversation c = consulting();

            hungUp("ctl-t-1", 19);

            assertThat(party(c, "c1").state()).isEqualTo(PartyState.CONNECTED);
        }

        @Test
        void givenTheTargetHangsUpAfterAnswering_thenTheAgentGetsTheCustomerBack() {
            Conversation c = consulting();
            answered("ctl-t-1");

            hungUp("ctl-t-1", 16);

            assertThat(party(c, "c1").state()).isEqualTo(PartyState.CONNECTED);
            assertThat(c.ended()).isFalse();
        }

        @Test
        void givenTheAgentCancels_thenTheTargetIsHungUpAndTheCustomerIsBack() {
            Conversation c = consulting();
            answered("ctl-t-1");
            asterisk.clear();

            cmd(() -> control.cancelTransfer(A1));

            assertThat(asterisk.log).containsExactly("hangup ctl-t-1 NORMAL", "moh.stop c1", "bridge.add acd-mix-l1 c1");
            assertThat(c.transferState()).isEmpty();
        }

        @Test
        void givenTheAgentConferencesIn_thenAllThreeTalk_andTheConferenceGoesOnAfterTheAgentLeaves() {
            Conversation c = consulting();
            answered("ctl-t-1");

            cmd(() -> control.conferenceIn(A1));
            assertThat(c.active()).extracting(Participant::state).containsOnly(PartyState.CONNECTED).hasSize(3);

            asterisk.clear();
            hungUp("l1", 16);
            assertThat(c.ended()).isFalse();
            assertThat(asterisk.log).isEmpty();

            hungUp("c1", 16);
            assertThat(asterisk.log).containsExactly("hangup ctl-t-1 NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenTheAgentHangsUpAfterTheTargetAnswered_thenTheTransferCompletes() {
            Conversation c = consulting();
            answered("ctl-t-1");

            hungUp("l1", 16);

            assertThat(c.active()).extracting(p -> p.channel().value() + " " + p.state())
                    .containsExactly("c1 CONNECTED", "ctl-t-1 CONNECTED");
        }

        @Test
        void givenTheAgentHangsUpWhileTheTargetRings_thenTheCustomerIsHandedOverWhenItAnswers() {
            Conversation c = consulting();
            hungUp("l1", 16);
            assertThat(c.ended()).isFalse();

            answered("ctl-t-1");

            assertThat(c.active()).extracting(p -> p.channel().value() + " " + p.state())
                    .containsExactly("c1 CONNECTED", "ctl-t-1 CONNECTED");
        }

        @Test
        void givenTheAgentLeftAndTheTargetFails_thenTheCustomerIsHungUp() {
            Conversation c = consulting();
            hungUp("l1", 16);
            asterisk.clear();

            hungUp("ctl-t-1", 17);

            assertThat(asterisk.log).containsExactly("hangup c1 NORMAL", "bridge.destroy acd-mix-l1");
            assertThat(c.ended()).isTrue();
        }

        @Test
        void givenTheCustomerHangsUpDuringTheConsultation_thenTheAgentAndTargetStayConnected() {
            Conversation c = consulting();
            answered("ctl-t-1");

            hungUp("c1", 16);

            assertThat(c.ended()).isFalse();
            assertThat(c.active()).extracting(p -> p.channel().value()).containsExactly("l1", "ctl-t-1");
        }

        @Test
        void givenARingingTarget_whenSwappingOrConferencing_thenRefused_andASecondTransferIsRefused() {
            consulting();

            assertThatThrownBy(() -> call(() -> control.swap(A1))).hasMessageContaining("has not answered yet");
            assertThatThrownBy(() -> call(() -> control.conferenceIn(A1))).hasMessageContaining("has not answered yet");
            assertThatThrownBy(() -> call(() -> control.consult(A1, "2002")))
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.TRANSFER_IN_PROGRESS);
            assertThatThrownBy(() -> call(() -> control.unhold(A1)))
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.TRANSFER_IN_PROGRESS);
        }

        @Test
        void givenAQueueTarget_thenTheAgentItsDistributorWouldPickIsRung_andTalkedToFirst() {
            Conversation c = acdCall();
            freeAgent = AgentId.of("agent-1003");

            cmd(() -> control.consult(A1, "queue:support"));

            assertThat(consultationAsks).containsExactly("support demo agent-1001");
            assertThat(asterisk.lines("originate ctl-t-1")).singleElement().asString().contains("PJSIP/1003");
            assertThat(c.transferTarget()).contains("agent:agent-1003");
            answered("ctl-t-1");
            assertThat(c.transferState()).contains("TALKING_TO_TARGET");
        }

        @Test
        void givenAQueueWithNobodyFree_thenRefusedAndTheCustomerStaysConnected() {
            Conversation c = acdCall();

            assertThatThrownBy(() -> call(() -> control.consult(A1, "queue:support")))
                    .hasMessageContaining("nobody in queue support is free")
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.NO_AGENT);
            assertThat(party(c, "c1").state()).isEqualTo(PartyState.CONNECTED);
            assertThat(asterisk.log).isEmpty();
        }

        @Test
        void givenNoConsultation_whenCompleting_thenRefused() {
            acdCall();

            assertThatThrownBy(() -> call(() -> control.completeTransfer(A1)))
                    .extracting(e -> ((ControlException) e).errorId()).isEqualTo(ControlException.NO_TRANSFER);
        }
    }

    // ---- conference -----------------------------------------------------------------------------------------

    @Nested
    class Conference {

        @Test
        void givenACall_whenAPartyIsAdded_thenItJoinsOnAnswer_andCanBeMutedAndKicked() {
            Conversation c = acdCall();

            cmd(() -> control.addParty(A1, "2002"));
            assertThat(asterisk.lines("originate ctl-t-1")).singleElement().asString()
                    .contains("Local/2002@from-internal/n", "originator=l1");
            answered("ctl-t-1");
            assertThat(c.active()).hasSize(3);

            asterisk.clear();
            cmd(() -> control.muteParticipant(c, ChannelId.of("ctl-t-1"), true));
            assertThat(asterisk.log).containsExactly("mute ctl-t-1");

            cmd(() -> control.kick(c, ChannelId.of("ctl-t-1")));
            assertThat(asterisk.log).contains("hangup ctl-t-1 NORMAL");
            hungUp("ctl-t-1", 16);
            assertThat(c.ended()).isFalse();
            assertThat(c.active()).hasSize(2);
        }

        @Test
        void givenAThreePartyCall_whenHolding_thenRefusedPointingToConferenceCommands() {
            acdCall();
            cmd(() -> control.addParty(A1, "2002"));
            answered("ctl-t-1");

            assertThatThrownBy(() -> call(() -> control.hold(A1))).hasMessageContaining("use the conference commands");
        }

        @Test
        void givenAnAddedPartyFails_thenTheCallGoesOnAsBefore() {
            Conversation c = acdCall();
            cmd(() -> control.addParty(A1, "2002"));

            hungUp("ctl-t-1", 17);

            assertThat(c.ended()).isFalse();
            assertThat(c.active()).hasSize(2);
        }

        @Test
        void givenAnUnknownParticipant_whenKicked_thenRefusedNamingIt() {
            Conversation c = acdCall();

            assertThatThrownBy(() -> call(() -> control.kick(c, ChannelId.of("nope"))))
                    .hasMessageContaining("no participant 'nope'");
        }

        @Test
        void givenAnAgentAlreadyInTheCall_whenAddedAgain_thenRefused() {
            acdCall();

            assertThatThrownBy(() -> call(() -> control.addParty(A1, "agent:agent-1001"))).hasMessageContaining("already in the call");
        }
    }

    // ---- Asterisk's truth after a (re)connect ---------------------------------------------------------------

    @Nested
    class Resync {

        private ChannelSnapshot ch(String id, ChannelState state, String conversation, String party) {
            Map<String, String> vars = new java.util.LinkedHashMap<>();
            vars.put(CallControl.CONVERSATION_VAR, conversation);
            vars.put(CallControl.PARTY_VAR, party);
            vars.put(CallControl.TENANT_VAR, "demo");
            return new ChannelSnapshot(ChannelId.of(id), "PJSIP/x-" + id, state, new Party("2001", "Customer One"), Party.EMPTY,
                    null, "", "", "", "en", null, vars);
        }

        private void resync(List<ChannelSnapshot> channels, List<org.asteriskcti.server.asterisk.BridgeSnapshot> bridges) {
            event(new AsteriskEvent.ResyncSnapshot(meta(), channels, bridges));
        }

        private org.asteriskcti.server.asterisk.BridgeSnapshot bridge(String id, String... channels) {
            return new org.asteriskcti.server.asterisk.BridgeSnapshot(BridgeId.of(id), "mixing", "simple_bridge", "Stasis", id,
                    java.util.Arrays.stream(channels).map(ChannelId::of).toList());
        }

        @Test
        void givenEveryLegWeDial_thenItCarriesItsConversationPartyAndTenant() {
            cmd(() -> control.dial(DEMO, A1, "2002"));

            assertThat(asterisk.originates.get(0).variables()).containsEntry(CallControl.CONVERSATION_VAR, "call-t-1")
                    .containsEntry(CallControl.PARTY_VAR, "AGENT,agent-1001").containsEntry(CallControl.TENANT_VAR, "demo");
        }

        @Test
        void givenAnAdoptedAcdCall_thenBothChannelsAreMarkedForARebuild() {
            acdCall();

            assertThat(marks).contains("setvar c1 CTI_CONVERSATION=acd-mix-l1", "setvar c1 CTI_PARTY=CUSTOMER",
                    "setvar l1 CTI_CONVERSATION=acd-mix-l1", "setvar l1 CTI_PARTY=AGENT,agent-1001");
        }

        @Test
        void givenARestartedCti_whenTheChannelsSayTheyAreAConversation_thenItIsTakenBack_andCanBeControlled() {
            resync(List.of(ch("c9", ChannelState.UP, "call-old-1", "CUSTOMER"), ch("l9", ChannelState.UP, "call-old-1",
                    "AGENT,agent-1001"), ch("x9", ChannelState.UP, "call-old-1", "THIRD_PARTY")),
                    List.of(bridge("call-old-1", "c9", "l9")));

            Conversation c = call(() -> control.of(A1)).orElseThrow();
            assertThat(c.id()).isEqualTo("call-old-1");
            assertThat(c.active()).extracting(p -> p.channel().value() + " " + p.state())
                    .containsExactly("c9 CONNECTED", "l9 CONNECTED", "x9 HELD");
            asterisk.clear();
            cmd(() -> control.unhold(A1));
            assertThat(asterisk.log).containsExactly("moh.stop x9", "bridge.add call-old-1 x9");
        }

        @Test
        void givenARingingLegOfAnOldConversation_thenItIsHungUp() {
            resync(List.of(ch("r1", ChannelState.RINGING, "call-old-2", "THIRD_PARTY")), List.of());

            assertThat(asterisk.log).containsExactly("hangup r1 NORMAL");
        }

        @Test
        void givenOnlyOnePartyLeft_thenTheConversationEndsAndItIsHungUp() {
            resync(List.of(ch("c8", ChannelState.UP, "call-old-3", "CUSTOMER")), List.of(bridge("call-old-3", "c8")));

            assertThat(asterisk.log).containsExactly("hangup c8 NORMAL", "bridge.destroy call-old-3");
        }

        @Test
        void givenAPartyWentWhileAriWasDown_thenItLeaves_andTheOtherIsHungUp() {
            acdCall();
            asterisk.clear();

            resync(List.of(ch("c1", ChannelState.UP, "acd-mix-l1", "CUSTOMER")), List.of(bridge("acd-mix-l1", "c1")));

            assertThat(asterisk.log).containsExactly("hangup c1 NORMAL", "bridge.destroy acd-mix-l1");
        }
    }

    // ---- post-call survey ---------------------------------------------------------------------------------

    @Nested
    class PostCallSurvey {

        /** The survey's side: which queues have one, and who was handed over (with the future they wait for). */
        private final java.util.Set<QueueId> withSurvey = new java.util.HashSet<>(java.util.Set.of(QueueId.of("support")));
        private final List<String> taken = new ArrayList<>();
        private final List<CompletableFuture<Void>> readies = new ArrayList<>();

        @BeforeEach
        void surveys() {
            control.offerSurveys(new CallControl.Surveys() {
                @Override
                public boolean offers(QueueId queue) {
                    return withSurvey.contains(queue);
                }

                @Override
                public void take(ChannelId customer, TenantId tenant, QueueId queue,
                        org.asteriskcti.server.acd.EntryId entry, AgentId agent, CompletableFuture<Void> ready) {
                    taken.add(customer + " " + tenant + " " + queue + " " + entry + " " + agent);
                    readies.add(ready);
                }
            });
        }

        @Test
        void givenAnAcdCallOfAQueueWithASurvey_whenTheAgentHangsUp_thenTheCustomerIsHandedToTheSurveyNotHungUp() {
            Conversation c = acdCall();

            hungUp("l1", 16);

            assertThat(asterisk.log).containsExactly("bridge.destroy acd-mix-l1");
            assertThat(taken).containsExactly("c1 demo support c1/1 agent-1001");
            assertThat(readies.get(0)).isCompleted(); // after the bridge's destruction
            assertThat(c.end()).contains(Conversation.End.COMPLETED);
            assertThat(party(c, "c1").state()).isEqualTo(PartyState.GONE);
            assertThat(call(() -> control.ofChannel(ChannelId.of("c1")))).isEmpty();
            assertThat(call(() -> control.of(A1))).isEmpty();
            assertThat(changes.get(changes.size() - 1).ended()).isTrue();

            hungUp("c1", 16); // the survey's channel ends later: nothing more for call control
            assertThat(asterisk.log).containsExactly("bridge.destroy acd-mix-l1");
        }

        @Test
        void givenTheBridgeIsStillBeingMade_whenTheAgentHangsUp_thenTheSurveyWaitsForTheCallsRequests() {
            asterisk.hold();
            acdCall();
            hungUp("l1", 16);

            assertThat(taken).hasSize(1);
            assertThat(readies.get(0)).isNotDone();
            call(() -> {
                asterisk.completeHeld(); // marks, then the bridge's destruction
                return null;
            });
            call(() -> {
                asterisk.completeHeld();
                return null;
            });
            assertThat(readies.get(0)).isCompleted();
        }

        @Test
        void givenTheCustomerHangsUpFirst_thenNoSurvey_andTheAgentIsHungUpAsBefore() {
            acdCall();

            hungUp("c1", 16);

            assertThat(taken).isEmpty();
            assertThat(asterisk.log).containsExactly("hangup l1 NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenAQueueWithoutSurvey_whenTheAgentHangsUp_thenTheCustomerIsHungUpAsBefore() {
            withSurvey.clear();
            acdCall();

            hungUp("l1", 16);

            assertThat(taken).isEmpty();
            assertThat(asterisk.log).containsExactly("hangup c1 NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenAClickToDialCall_whenTheAgentHangsUp_thenTheOtherPartyIsHungUpWithoutSurvey() {
            cmd(() -> control.dial(DEMO, A1, "2002"));
            answered("ctl-t-1");
            answered("ctl-t-2");
            asterisk.clear();

            hungUp("ctl-t-1", 16);

            assertThat(taken).isEmpty();
            assertThat(asterisk.log).contains("hangup ctl-t-2 NORMAL");
        }

        @Test
        void givenAHeldCustomer_whenTheAgentHangsUp_thenTheMusicStopsAndTheSurveyTakesThem() {
            acdCall();
            cmd(() -> control.hold(A1));
            asterisk.clear();

            hungUp("l1", 16);

            assertThat(asterisk.log).containsExactly("moh.stop c1", "bridge.destroy acd-mix-l1");
            assertThat(taken).containsExactly("c1 demo support c1/1 agent-1001");
        }

        @Test
        void givenABlindTransferToAnotherAgent_whenThatAgentHangsUp_thenTheSurveyIsTheirsForTheOriginalQueue() {
            Conversation c = acdCall();
            cmd(() -> control.blindTransfer(A1, "agent:agent-1002"));
            hungUp("l1", 16); // the first agent leaves at once: no survey while the target rings
            assertThat(taken).isEmpty();
            answered("ctl-t-1");
            asterisk.clear();

            hungUp("ctl-t-1", 16);

            assertThat(taken).containsExactly("c1 demo support c1/1 agent-1002");
            assertThat(asterisk.log).containsExactly("bridge.destroy acd-mix-l1");
            assertThat(c.ended()).isTrue();
        }

        @Test
        void givenAnAttendedTransferCompletedByHangingUp_whenTheTargetAgentHangsUp_thenTheSurveyIsTheirs() {
            acdCall();
            cmd(() -> control.consult(A1, "agent:agent-1002"));
            answered("ctl-t-1");
            hungUp("l1", 16); // completes the transfer
            assertThat(taken).isEmpty();

            hungUp("ctl-t-1", 16);

            assertThat(taken).containsExactly("c1 demo support c1/1 agent-1002");
        }

        @Test
        void givenABlindTransferToAnExternalNumber_whenItHangsUp_thenNoSurveyForNoAgentWasLast() {
            acdCall();
            cmd(() -> control.blindTransfer(A1, "2002"));
            hungUp("l1", 16);
            answered("ctl-t-1");
            asterisk.clear();

            hungUp("ctl-t-1", 16);

            assertThat(taken).isEmpty();
            assertThat(asterisk.log).contains("hangup c1 NORMAL");
        }

        @Test
        void givenAConferenceWithAnotherCustomer_whenTheAgentHangsUp_thenTheCallGoesOnWithoutSurvey() {
            Conversation c = acdCall();
            cmd(() -> control.addParty(A1, "2002"));
            answered("ctl-t-1");

            hungUp("l1", 16);

            assertThat(taken).isEmpty();
            assertThat(c.ended()).isFalse();
        }

        @Test
        void givenTheSurveyRefusesTheCustomer_thenTheyAreHungUpAsBefore() {
            control.offerSurveys(new CallControl.Surveys() {
                @Override
                public boolean offers(QueueId queue) {
                    return true;
                }

                @Override
                public void take(ChannelId customer, TenantId tenant, QueueId queue,
                        org.asteriskcti.server.acd.EntryId entry, AgentId agent, CompletableFuture<Void> ready) {
                    throw new IllegalStateException("survey of " + customer + " is already going on");
                }
            });
            acdCall();

            hungUp("l1", 16);

            assertThat(asterisk.log).containsExactly("bridge.destroy acd-mix-l1", "hangup c1 NORMAL");
        }

        @Test
        void givenARestartedCti_whenAChannelIsInASurvey_thenCallControlLeavesItToTheSurvey() {
            Map<String, String> vars = new java.util.LinkedHashMap<>();
            vars.put(CallControl.CONVERSATION_VAR, "acd-mix-old");
            vars.put(CallControl.PARTY_VAR, "CUSTOMER");
            vars.put(CallControl.TENANT_VAR, "demo");
            vars.put(CallControl.SURVEY_VAR, "tenant=demo&queue=support&entry=c7%2F1&agent=agent-1001");
            ChannelSnapshot ch = new ChannelSnapshot(ChannelId.of("c7"), "PJSIP/2001-7", ChannelState.UP, Party.EMPTY,
                    Party.EMPTY, null, "", "", "", "en", null, vars);

            event(new AsteriskEvent.ResyncSnapshot(meta(), List.of(ch), List.of()));

            assertThat(asterisk.log).isEmpty();
            assertThat(call(() -> control.ofChannel(ChannelId.of("c7")))).isEmpty();
        }
    }

    @Nested
    class TransfersForTheStatistics {

        @Test
        void givenABlindTransferToAnAgent_thenItIsDoneWhenTheTargetAnswers_notWhenItRings() {
            acdCall();
            cmd(() -> control.blindTransfer(A1, "agent:agent-1002"));
            hungUp("l1", 16);
            assertThat(transfersDone).isEmpty();
            clock.advance(Duration.ofSeconds(7));

            answered("ctl-t-1");

            assertThat(transfersDone).containsExactly("2026-11-23T09:00:07Z support c1/1 agent-1001 BLIND agent:agent-1002");
        }

        @Test
        void givenABlindTransferWhoseTargetFails_thenTheRecallIsNoTransfer() {
            acdCall();
            cmd(() -> control.blindTransfer(A1, "1002"));
            hungUp("l1", 16);
            hungUp("ctl-t-1", 17);
            answered("ctl-t-2"); // the agent rung back takes the customer again
            assertThat(transfersDone).isEmpty();
        }

        @Test
        void givenABlindTransferToAQueue_thenItIsDoneAtOnce() {
            acdCall();
            cmd(() -> control.blindTransfer(A1, "queue:support"));
            assertThat(transfersDone).singleElement().asString().endsWith("support c1/1 agent-1001 BLIND queue:support");
        }

        @Test
        void givenAnAttendedTransfer_thenCompletingOrHangingUpWithTheTargetOnTheLineIsDone_andCancellingIsNot() {
            acdCall();
            cmd(() -> control.consult(A1, "agent:agent-1002"));
            answered("ctl-t-1");
            cmd(() -> control.cancelTransfer(A1));
            assertThat(transfersDone).isEmpty();

            cmd(() -> control.consult(A1, "agent:agent-1002"));
            answered("ctl-t-2");
            hungUp("l1", 16);
            assertThat(transfersDone).singleElement().asString().endsWith("support c1/1 agent-1001 ATTENDED agent:agent-1002");
        }
    }
}
