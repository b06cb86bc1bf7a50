package org.asteriskcti.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.acd.EntryChanged;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.EntryState;
import org.asteriskcti.server.acd.EntryView;
import org.asteriskcti.server.acd.ScreenPop;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.control.PartyState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.MessageState;
import org.asteriskcti.server.voicemail.Origin;
import org.asteriskcti.server.voicemail.VoicemailId;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collector on a manual loop and a fake clock: calls are described by the views, statistics-log events,
 * conversations and messages the features publish; the records handed to the store are checked field by field.
 */
class CallRecordCollectorTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final TenantId DEMO = TenantId.of("demo");
    static final QueueId SALES = QueueId.of("sales");
    static final QueueId SUPPORT = QueueId.of("support");
    static final AgentId A1 = AgentId.of("agent-1001");
    static final AgentId A2 = AgentId.of("agent-1002");
    static final AgentId A3 = AgentId.of("agent-1003");
    static final ChannelId CUSTOMER = ChannelId.of("1700000000.1");
    static final ChannelId AGENT1 = ChannelId.of("1700000000.2");
    static final ChannelId AGENT2 = ChannelId.of("1700000000.3");
    static final ChannelId AGENT3 = ChannelId.of("1700000000.4");
    static final EntryId E1 = EntryId.of("e1");
    static final EntryId E2 = EntryId.of("e2");

    FakeClock clock;
    ManualScheduler scheduler;
    DomainLoop loop;
    MemoryCallRecordStore store;
    CallRecordCollector collector;
    /** The legs of the call being described, as the next view shows them. */
    final List<CallView.LegView> legs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new FakeClock(T0.minus(Duration.ofHours(1)));
        scheduler = new ManualScheduler(clock);
        loop = new DomainLoop(scheduler, clock);
        store = new MemoryCallRecordStore();
        collector = new CallRecordCollector(loop, store, (t, c) -> List.of("rec-" + c.value()),
                (t, n) -> t.equals(DEMO) && n.equals("700"), new CallRecordCollector.Settings(Duration.ofSeconds(5),
                        Duration.ofMinutes(15)));
        synced(true);
        clock.set(T0);
    }

    void synced(boolean synced) {
        org.asteriskcti.server.asterisk.LinkState up = org.asteriskcti.server.asterisk.LinkState.UP;
        on(() -> collector.syncChanged(new org.asteriskcti.server.call.SyncStatus(synced, up, synced, up, synced)));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    void on(Runnable r) {
        loop.execute(r);
        scheduler.runAll();
    }

    void at(int second) {
        clock.set(T0.plusSeconds(second));
        scheduler.runAll();
    }

    void advanceTo(int second) {
        scheduler.advance(Duration.between(clock.instant(), T0.plusSeconds(second)));
    }

    Instant t(int second) {
        return T0.plusSeconds(second);
    }

    CallView.LegView leg(ChannelId id, String device, AgentId agent, boolean onHold, int created, Integer answered,
            Integer ended, Integer cause) {
        return new CallView.LegView(id.value(), device + "-0001", device, ended == null ? "UP" : "DOWN", "5551234",
                "Ann Caller", "", "", agent == null ? null : agent.value(), onHold, null, t(created),
                answered == null ? null : t(answered), ended == null ? null : t(ended), cause);
    }

    void view(String state, Integer connected, Integer ended, String disposition, List<String> agents,
            List<CallView.TransferView> transfers) {
        CallView v = new CallView("call-1", "demo", state, "INBOUND", "5551234", "Ann Caller", "700", T0,
                connected == null ? null : t(connected), ended == null ? null : t(ended), disposition, null, null, null,
                null, null, agents, List.of(), null, null, null, transfers, List.copyOf(legs), 0);
        on(() -> collector.callChanged(v, null));
    }

    void view(String state, Integer connected, Integer ended, String disposition, List<String> agents) {
        view(state, connected, ended, disposition, agents, List.of());
    }

    void queue(QueueEvent e) {
        on(() -> collector.queueEvent(e));
    }

    void parties(boolean ended, boolean transferring, CallRecordCollector.Party... parties) {
        on(() -> collector.partiesChanged("conv-1", ended, transferring, List.of(parties)));
    }

    static CallRecordCollector.Party party(ChannelId ch, String role, AgentId agent, PartyState state, Instant joined) {
        return new CallRecordCollector.Party(ch, role, agent, agent == null ? "5551234" : "", state, joined);
    }

    QueueEvent.Entered entered(QueueId q, EntryId e, int at, String did) {
        return new QueueEvent.Entered(t(at), q, DEMO, e, CUSTOMER, T0, EntryOrigin.NEW, 0, did);
    }

    /** The caller waits in sales from 0, agent-1001 rings from 20 and answers at 26. */
    void answeredInSales() {
        at(0);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        view("STARTED", null, null, null, List.of());
        queue(entered(SALES, E1, 0, "700"));
        at(20);
        legs.add(leg(AGENT1, "PJSIP/1001", A1, false, 20, null, null, null));
        view("RINGING", null, null, null, List.of());
        queue(new QueueEvent.Offered(t(20), SALES, E1, A1, 1));
        at(26);
        legs.set(1, leg(AGENT1, "PJSIP/1001", A1, false, 20, 26, null, null));
        view("CONNECTED", 26, null, null, List.of(A1.value()));
        queue(new QueueEvent.Answered(t(26), SALES, E1, A1, Duration.ofSeconds(26)));
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.CONNECTED, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)));
    }

    void endAt(int second, String disposition, Integer connected, List<String> agents) {
        at(second);
        List<CallView.LegView> ended = new ArrayList<>();
        for (CallView.LegView l : legs) {
            ended.add(new CallView.LegView(l.channelId(), l.name(), l.device(), "DOWN", l.callerNumber(), l.callerName(),
                    "", "", l.agent(), false, null, l.createdAt(), l.answeredAt(),
                    l.endedAt() != null ? l.endedAt() : t(second), l.hangupCause() != null ? l.hangupCause() : 16));
        }
        legs.clear();
        legs.addAll(ended);
        view("ENDED", connected, second, disposition, agents);
    }

    CallRecord only() {
        assertThat(store.appended).hasSize(1);
        return store.appended.get(0);
    }

    // ---- tests ----------------------------------------------------------------------------------------

    @Test
    void givenAnAcdCallAnsweredWithHoldAndWrapUp_whenWrapUpEnds_thenTheRecordHasExactDurations() {
        answeredInSales();
        at(86);
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.HELD, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)));
        view("STARTED", 26, null, null, List.of(A1.value())); // the customer is out of the bridge
        at(116);
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.CONNECTED, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)));
        view("CONNECTED", 26, null, null, List.of(A1.value()));
        endAt(206, "ANSWERED", 26, List.of(A1.value()));
        parties(true, false, party(CUSTOMER, "CUSTOMER", null, PartyState.GONE, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.GONE, t(26)));

        advanceTo(220);
        assertThat(store.appended).as("the agent is still in wrap-up").isEmpty();
        at(226);
        queue(new QueueEvent.Completed(t(226), SALES, E1, A1, Duration.ofSeconds(150), Duration.ofSeconds(30),
                Duration.ofSeconds(20)));

        CallRecord r = only();
        assertThat(r.call().value()).isEqualTo("call-1");
        assertThat(r.tenant()).isEqualTo(DEMO);
        assertThat(r.direction()).isEqualTo(Direction.INBOUND);
        assertThat(r.startedAt()).isEqualTo(T0);
        assertThat(r.answeredAt()).isEqualTo(t(26));
        assertThat(r.endedAt()).isEqualTo(t(206));
        assertThat(r.waitSeconds()).isEqualTo(26);
        assertThat(r.ringSeconds()).isEqualTo(6);
        assertThat(r.talkSeconds()).isEqualTo(60 + 90);
        assertThat(r.holdSeconds()).isEqualTo(30);
        assertThat(r.wrapUpSeconds()).isEqualTo(20);
        assertThat(r.did()).isEqualTo("700");
        assertThat(r.calledNumber()).isEqualTo("700");
        assertThat(r.callerNumber()).isEqualTo("5551234");
        assertThat(r.agents()).containsExactly(A1.value());
        assertThat(r.queues()).containsExactly(new CallRecord.QueueVisit("sales", "e1", T0, "ANSWERED", 26,
                A1.value()));
        assertThat(r.recordings()).containsExactly("rec-call-1");
        assertThat(r.disposition()).isEqualTo(CdrDisposition.ANSWERED);
        assertThat(r.complete()).isTrue();
        assertThat(r.chain()).isEmpty();
        assertThat(r.ivr()).isNull();
        assertThat(r.surveyOutcome()).isNull();
        assertThat(r.legs()).extracting(CallRecord.LegRecord::channel, CallRecord.LegRecord::role,
                CallRecord.LegRecord::agent).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CUSTOMER.value(), "ORIGIN", null),
                        org.assertj.core.groups.Tuple.tuple(AGENT1.value(), "AGENT", A1.value()));
        assertThat(r.legs().get(1).answeredAt()).isEqualTo(t(26));
        assertThat(r.legs().get(1).cause()).isEqualTo(16);
        assertThat(collector.following()).isZero();
    }

    @Test
    void givenACallerWhoHangsUpInTheQueue_thenAbandonedWithTheWaitToTheEnd() {
        at(0);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        view("STARTED", null, null, null, List.of());
        queue(entered(SALES, E1, 0, "700"));
        at(40);
        queue(new QueueEvent.Abandoned(t(40), SALES, E1, Duration.ofSeconds(40), false, false));
        endAt(40, "ABANDONED", null, List.of());
        assertThat(store.appended).as("waits for facts published right after the end").isEmpty();
        advanceTo(45);

        CallRecord r = only();
        assertThat(r.disposition()).isEqualTo(CdrDisposition.ABANDONED);
        assertThat(r.answeredAt()).isNull();
        assertThat(r.waitSeconds()).isEqualTo(40);
        assertThat(r.talkSeconds()).isZero();
        assertThat(r.ringSeconds()).isZero();
        assertThat(r.queues()).extracting(CallRecord.QueueVisit::outcome, CallRecord.QueueVisit::waitedSeconds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ABANDONED", 40L));
    }

    @Test
    void givenACallerWhoHangsUpWithinTheShortAbandonThreshold_thenShortAbandon() {
        at(0);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        view("STARTED", null, null, null, List.of());
        queue(entered(SALES, E1, 0, "700"));
        at(2);
        queue(new QueueEvent.Abandoned(t(2), SALES, E1, Duration.ofSeconds(2), false, true));
        endAt(2, "ABANDONED", null, List.of());
        advanceTo(7);

        assertThat(only().disposition()).isEqualTo(CdrDisposition.SHORT_ABANDON);
        assertThat(only().waitSeconds()).isEqualTo(2);
    }

    @Test
    void givenABlindTransferToAnotherQueue_thenTheChainAndBothVisitsAndAgentsInOrder() {
        answeredInSales();
        at(100);
        queue(new QueueEvent.Transferred(t(100), SALES, E1, A1, QueueEvent.TransferKind.BLIND, "queue:support"));
        queue(new QueueEvent.Entered(t(100), SUPPORT, DEMO, E2, CUSTOMER, T0, EntryOrigin.TRANSFERRED, 0, null));
        legs.set(1, leg(AGENT1, "PJSIP/1001", A1, false, 20, 26, 100, 16));
        view("STARTED", 26, null, null, List.of(A1.value()));
        at(101);
        queue(new QueueEvent.Completed(t(101), SALES, E1, A1, Duration.ofSeconds(74), Duration.ZERO, Duration.ZERO));
        at(110);
        legs.add(leg(AGENT2, "PJSIP/1002", A2, false, 110, null, null, null));
        view("RINGING", 26, null, null, List.of(A1.value()));
        at(114);
        legs.set(2, leg(AGENT2, "PJSIP/1002", A2, false, 110, 114, null, null));
        view("CONNECTED", 26, null, null, List.of(A1.value(), A2.value()));
        queue(new QueueEvent.Answered(t(114), SUPPORT, E2, A2, Duration.ofSeconds(114)));
        endAt(174, "ANSWERED", 26, List.of(A1.value(), A2.value()));
        advanceTo(190);
        assertThat(store.appended).as("agent-1002 is in wrap-up").isEmpty();
        queue(new QueueEvent.Completed(t(190), SUPPORT, E2, A2, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofSeconds(16)));

        CallRecord r = only();
        assertThat(r.chain()).containsExactly(new CallRecord.ChainLink("BLIND", A1.value(), "queue:support", t(100)));
        assertThat(r.queues()).extracting(CallRecord.QueueVisit::queue, CallRecord.QueueVisit::outcome,
                CallRecord.QueueVisit::agent).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sales", "ANSWERED", A1.value()),
                        org.assertj.core.groups.Tuple.tuple("support", "ANSWERED", A2.value()));
        assertThat(r.agents()).containsExactly(A1.value(), A2.value());
        assertThat(r.ringSeconds()).isEqualTo(6 + 4);
        assertThat(r.talkSeconds()).isEqualTo(74 + 60);
        assertThat(r.wrapUpSeconds()).isEqualTo(16);
        assertThat(r.did()).as("the DID of the first visit").isEqualTo("700");
    }

    @Test
    void givenATransferMadeOnAPhone_thenItIsInTheChainOnceWithAsterisksKind() {
        answeredInSales();
        at(50);
        CallView.TransferView t = new CallView.TransferView("ATTENDED", "1002", t(50));
        view("CONNECTED", 26, null, null, List.of(A1.value()), List.of(t));
        at(60);
        view("CONNECTED", 26, null, null, List.of(A1.value(), A2.value()), List.of(t));
        endAt(70, "ANSWERED", 26, List.of(A1.value(), A2.value()));
        queue(new QueueEvent.Completed(t(70), SALES, E1, A1, Duration.ofSeconds(44), Duration.ZERO, Duration.ZERO));
        advanceTo(75);

        assertThat(only().chain()).containsExactly(new CallRecord.ChainLink("ATTENDED", null, "1002", t(50)));
    }

    @Test
    void givenAThirdPartyJoiningTwoWhoTalk_thenAConferenceLink_butNotDuringAConsultation() {
        answeredInSales();
        at(60);
        // A consultation: three present, but a transfer is in progress.
        parties(false, true, party(CUSTOMER, "CUSTOMER", null, PartyState.HELD, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)),
                party(AGENT2, "TARGET", A2, PartyState.CONNECTED, t(60)));
        at(70);
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.CONNECTED, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)),
                party(AGENT2, "TARGET", A2, PartyState.GONE, t(60)));
        at(80);
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.CONNECTED, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)),
                party(AGENT3, "THIRD_PARTY", A3, PartyState.DIALLING, null));
        at(85);
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.CONNECTED, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)),
                party(AGENT3, "THIRD_PARTY", A3, PartyState.CONNECTED, t(85)));
        at(90);
        parties(false, false, party(CUSTOMER, "CUSTOMER", null, PartyState.CONNECTED, t(26)),
                party(AGENT1, "AGENT", A1, PartyState.CONNECTED, t(26)),
                party(AGENT3, "THIRD_PARTY", A3, PartyState.CONNECTED, t(85)));
        endAt(120, "ANSWERED", 26, List.of(A1.value(), A3.value()));
        queue(new QueueEvent.Completed(t(120), SALES, E1, A1, Duration.ofSeconds(94), Duration.ZERO, Duration.ZERO));
        advanceTo(125);

        CallRecord r = only();
        assertThat(r.chain()).containsExactly(new CallRecord.ChainLink("CONFERENCE", null, "agent:agent-1003", t(85)));
        assertThat(r.holdSeconds()).as("the customer was held during the consultation, 60..70").isEqualTo(10);
    }

    @Test
    void givenAnIvrFlowBeforeTheQueue_thenTheFlowAndTheChoicesInOrder() {
        at(0);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        view("STARTED", null, null, null, List.of());
        on(() -> collector.ivrStarted(CUSTOMER, "main-menu"));
        at(15);
        queue(entered(SALES, E1, 15, "700"));
        ScreenPop pop = new ScreenPop("5551234", "Ann Caller", Optional.of("north"), Optional.of("de"),
                List.of(new ScreenPop.Choice("welcome", "2"), new ScreenPop.Choice("billing", "1")), Map.of());
        EntryView entry = new EntryView(E1, SALES, DEMO, CUSTOMER, EntryState.WAITING, null, 0, 0, T0, t(15), t(15),
                EntryOrigin.NEW, false, pop);
        on(() -> collector.entryChanged(new EntryChanged(entry, null, t(15))));
        at(30);
        queue(new QueueEvent.Abandoned(t(30), SALES, E1, Duration.ofSeconds(30), false, false));
        endAt(30, "ABANDONED", null, List.of());
        advanceTo(35);

        CallRecord r = only();
        assertThat(r.ivr()).isEqualTo(new CallRecord.IvrPath("main-menu", "de", "north",
                List.of(new CallRecord.Choice("welcome", "2"), new CallRecord.Choice("billing", "1"))));
    }

    @Test
    void givenASurveyThatEndsJustAfterTheHangUp_thenItsScoreIsInTheRecord() {
        answeredInSales();
        at(100);
        queue(new QueueEvent.Completed(t(100), SALES, E1, A1, Duration.ofSeconds(74), Duration.ZERO, Duration.ZERO));
        endAt(130, "ANSWERED", 26, List.of(A1.value()));
        at(132);
        queue(new QueueEvent.SurveyEnded(t(132), SALES, E1, A1, QueueEvent.SurveyOutcome.ANSWERED, 4));
        assertThat(store.appended).as("still settling").isEmpty();
        advanceTo(135);

        CallRecord r = only();
        assertThat(r.surveyOutcome()).isEqualTo("ANSWERED");
        assertThat(r.surveyScore()).isEqualTo(4);
    }

    @Test
    void givenAWrapUpThatNeverEnds_thenTheRecordIsWrittenAtTheGrace() {
        answeredInSales();
        endAt(100, "ANSWERED", 26, List.of(A1.value()));
        advanceTo(100 + 15 * 60 - 1);
        assertThat(store.appended).isEmpty();
        advanceTo(100 + 15 * 60);

        CallRecord r = only();
        assertThat(r.wrapUpSeconds()).isZero();
        assertThat(r.talkSeconds()).isEqualTo(74);
    }

    @Test
    void givenACallerSentToVoicemailByAnOverflow_thenVoicemailWithTheMessageId() {
        at(0);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        view("STARTED", null, null, null, List.of());
        queue(entered(SALES, E1, 0, "700"));
        at(60);
        queue(new QueueEvent.Overflowed(t(60), SALES, E1, Duration.ofSeconds(60), null,
                QueueEvent.OverflowReason.MAX_WAIT));
        endAt(95, "ABANDONED", null, List.of());
        at(96);
        VoicemailMessage m = new VoicemailMessage(VoicemailId.of("vm-7"), DEMO, Mailbox.of("sales"), "5551234",
                "Ann Caller", Origin.queue("sales"), CUSTOMER, "vm-7", MessageState.NEW, t(62), t(95), 33, null, null);
        on(() -> collector.voicemailAdded(m));
        advanceTo(100);

        CallRecord r = only();
        assertThat(r.disposition()).isEqualTo(CdrDisposition.VOICEMAIL);
        assertThat(r.voicemail()).isEqualTo("vm-7");
        assertThat(r.queues().get(0).outcome()).isEqualTo("OVERFLOWED");
    }

    @Test
    void givenAnOverflowNobodyAnswersAfter_thenOverflowed() {
        at(0);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        view("STARTED", null, null, null, List.of());
        queue(entered(SALES, E1, 0, "700"));
        at(60);
        queue(new QueueEvent.Overflowed(t(60), SALES, E1, Duration.ofSeconds(60), null,
                QueueEvent.OverflowReason.QUEUE_FULL));
        endAt(70, "UNANSWERED", null, List.of());
        advanceTo(75);
        assertThat(only().disposition()).isEqualTo(CdrDisposition.OVERFLOWED);
    }

    @Test
    void givenADialledLegFailingWithNoCircuit_thenFailed() {
        at(0);
        legs.add(leg(AGENT1, "PJSIP/1001", A1, false, 0, 0, null, null));
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 1, null, 3, 34));
        endAt(3, "UNANSWERED", null, List.of());
        advanceTo(8);
        assertThat(only().disposition()).isEqualTo(CdrDisposition.FAILED);
        assertThat(only().legs().get(0).role()).isEqualTo("ORIGIN");
        assertThat(only().legs().get(1).role()).isEqualTo("PARTY");
    }

    @Test
    void givenACallFirstSeenAtAResync_evenWithAStartAfterThisProcess_thenIncomplete_andTheNextCallComplete() {
        synced(false);
        at(10);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 10, 10, null, null));
        CallView resynced = new CallView("call-r", "demo", "STARTED", "INBOUND", "5551234", "", "700", t(10), null,
                null, null, null, null, null, null, null, List.of(), List.of(), null, null, null, List.of(),
                List.copyOf(legs), 0);
        CallView fresh = new CallView("call-n", "demo", "STARTED", "INBOUND", "5551234", "", "700", t(10), null,
                null, null, null, null, null, null, null, List.of(), List.of(), null, null, null, List.of(),
                List.of(leg(AGENT2, "PJSIP/trunk", null, false, 10, 10, null, null)), 0);
        org.asteriskcti.server.asterisk.LinkState up = org.asteriskcti.server.asterisk.LinkState.UP;
        on(() -> {
            collector.syncChanged(new org.asteriskcti.server.call.SyncStatus(true, up, true, up, true));
            collector.callChanged(resynced, null);
        });
        on(() -> collector.callChanged(fresh, null));
        at(20);
        on(() -> collector.callChanged(new CallView("call-r", "demo", "ENDED", "INBOUND", "5551234", "", "700", t(10),
                null, t(20), "ABANDONED", null, null, null, null, null, List.of(), List.of(), null, null, null,
                List.of(), List.of(), 0), null));
        on(() -> collector.callChanged(new CallView("call-n", "demo", "ENDED", "INBOUND", "5551234", "", "700", t(10),
                null, t(20), "ABANDONED", null, null, null, null, null, List.of(), List.of(), null, null, null,
                List.of(), List.of(), 0), null));
        advanceTo(25);

        assertThat(store.appended).extracting(r -> r.call().value(), CallRecord::complete)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("call-r", false),
                        org.assertj.core.groups.Tuple.tuple("call-n", true));
    }

    @Test
    void givenACallThatBeganBeforeThisProcess_thenItsRecordIsMarkedIncomplete() {
        MemoryCallRecordStore restarted = new MemoryCallRecordStore();
        clock.set(t(100));
        collector = new CallRecordCollector(loop, restarted, (t, c) -> List.of(), (t, n) -> false,
                CallRecordCollector.Settings.DEFAULT);
        at(120);
        legs.add(leg(CUSTOMER, "PJSIP/trunk", null, false, 0, 0, null, null));
        legs.add(leg(AGENT1, "PJSIP/1001", A1, false, 20, 26, null, null));
        // the resync publishes the call in the same loop task as the status turning synced
        CallView v = new CallView("call-1", "demo", "CONNECTED", "INBOUND", "5551234", "Ann Caller", "700", T0, t(26),
                null, null, null, null, null, null, null, List.of(A1.value()), List.of(), null, null, null, List.of(),
                List.copyOf(legs), 0);
        org.asteriskcti.server.asterisk.LinkState up = org.asteriskcti.server.asterisk.LinkState.UP;
        on(() -> {
            collector.syncChanged(new org.asteriskcti.server.call.SyncStatus(true, up, true, up, true));
            collector.callChanged(v, null);
        });
        endAt(180, "ANSWERED", 26, List.of(A1.value()));
        advanceTo(186);

        assertThat(restarted.appended).hasSize(1);
        CallRecord r = restarted.appended.get(0);
        assertThat(r.complete()).isFalse();
        assertThat(r.talkSeconds()).as("only what this process saw").isEqualTo(60);
        assertThat(r.waitSeconds()).isEqualTo(26);
    }
}
