package org.asteriskcti.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The call history on a manual loop with a fake clock, fed by the real call model: which agents get
 * an entry when a call ends, and what each entry says from that agent's point of view.
 */
class CallHistoryTest {

    static final String TENANTS = """
            [{id: demo, endpoints: ["1001", "1002", "1003"], dids: ["600"]},
             {id: other, endpoints: ["3001"], dids: ["900"]}]""";
    static final String AGENTS = """
            [{id: agent-1001, tenant: demo, name: Agent One, endpoint: PJSIP/1001},
             {id: agent-1002, tenant: demo, name: Agent Two, endpoint: PJSIP/1002},
             {id: agent-1003, tenant: demo, name: Agent Three, endpoint: PJSIP/1003},
             {id: agent-3001, tenant: other, name: Other One, endpoint: PJSIP/3001}]""";

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Party CUSTOMER = new Party("2001", "Customer One");
    private static final AgentId A1001 = AgentId.of("agent-1001");
    private static final AgentId A1002 = AgentId.of("agent-1002");
    private static final AgentId A1003 = AgentId.of("agent-1003");
    private static final AgentId A3001 = AgentId.of("agent-3001");
    private static final TenantId DEMO = TenantId.of("demo");

    private final FakeClock clock = new FakeClock(T0);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final Events ami = new Events(clock, Source.AMI);
    private final TenantDirectory directory = new TenantDirectory(
            ConfigLoader.load(null, Map.of("CTI_TENANTS", TENANTS, "CTI_AGENTS", AGENTS, "CTI_USERS", "[]")));
    private final MemoryHistoryStore store = new MemoryHistoryStore();
    private final List<HistoryEntry> announced = new ArrayList<>();
    private CallHistory history;
    private CallModel model;

    private void start(int perAgent, List<HistoryEntry> restored) {
        history = new CallHistory(loop, directory, perAgent, store, RecordingLinks.NONE, restored);
        history.listener(announced::add);
        model = new CallModel(loop, directory, history, EnumSet.of(Source.AMI));
    }

    @BeforeEach
    void startWithTheDefaultLimit() {
        start(50, List.of());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static ChannelSnapshot ch(String id, String device, ChannelState state, Party caller, Party connected,
            String linkedId, String exten) {
        return new ChannelSnapshot(ChannelId.of(id), device + "-0000" + id.replace("-", ""), state, caller, connected, linkedId,
                "from-internal", exten, "", "en", null);
    }

    private void apply(AsteriskEvent... events) {
        for (AsteriskEvent e : events) {
            loop.execute(() -> model.apply(e));
        }
        scheduler.runAll();
    }

    private void after(int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private List<HistoryEntry> recent(AgentId agent, int limit) {
        List<List<HistoryEntry>> out = new ArrayList<>();
        loop.execute(() -> out.add(history.recent(agent, limit)));
        scheduler.runAll();
        return out.get(0);
    }

    private HistoryEntry only(AgentId agent) {
        List<HistoryEntry> r = recent(agent, 50);
        assertThat(r).as("history of %s", agent).hasSize(1);
        return r.get(0);
    }

    /** Customer 2001 calls 600; agent 1001 rings 2 s, answers, they talk {@code talk} s; the customer hangs up. */
    private void inboundAnsweredBy1001(String call, int talk) {
        apply(ami.upsert(ch(call, "PJSIP/2001", ChannelState.RING, CUSTOMER, Party.EMPTY, call, "600")),
                ami.upsert(ch(call, "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, call, "600")),
                ami.upsert(ch(call + "-a1", "PJSIP/1001", ChannelState.DOWN, new Party("1001", "Agent One"), CUSTOMER, call, "s")),
                ami.dial(call, call + "-a1"));
        after(2);
        apply(ami.upsert(ch(call + "-a1", "PJSIP/1001", ChannelState.UP, new Party("1001", "Agent One"), CUSTOMER, call, "s")),
                ami.dialEnd(call, call + "-a1", "ANSWER"), ami.enter("b-" + call, call), ami.enter("b-" + call, call + "-a1"));
        after(talk);
        apply(ami.hangupRequest(call, false), ami.leave("b-" + call, call), ami.hangup(call, 16),
                ami.hangupRequest(call + "-a1", true), ami.leave("b-" + call, call + "-a1"), ami.hangup(call + "-a1", 16));
    }

    // ---- inbound --------------------------------------------------------------------------------------

    @Test
    void givenAnInboundCall_whenAgent1001AnswersAndTalks4s_thenOneAnsweredInboundEntryWithTheCaller() {
        inboundAnsweredBy1001("c1", 4);

        HistoryEntry expected = new HistoryEntry(CallId.of("c1"), DEMO, A1001, Direction.INBOUND, "2001", "Customer One",
                at(0), at(2), at(6), 4, AgentDisposition.ANSWERED, Disposition.ANSWERED, null, List.of());
        assertThat(only(A1001)).isEqualTo(expected);
        assertThat(announced).containsExactly(expected);
        assertThat(store.appended).containsExactly(expected);
        assertThat(recent(A1002, 50)).isEmpty();
    }

    @Test
    void givenARingAllInboundCall_when1002AnswersAnd1001OnlyRang_then1001MissedIt() {
        apply(ami.upsert(ch("c1", "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, "c1", "600")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.DOWN, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.upsert(ch("a2", "PJSIP/1002", ChannelState.DOWN, new Party("1002", ""), CUSTOMER, "c1", "s")),
                ami.dial("c1", "a1"), ami.dial("c1", "a2"));
        after(3);
        apply(ami.upsert(ch("a2", "PJSIP/1002", ChannelState.UP, new Party("1002", ""), CUSTOMER, "c1", "s")),
                ami.dialEnd("c1", "a2", "ANSWER"), ami.dialEnd("c1", "a1", "CANCEL"), ami.hangup("a1", 26),
                ami.enter("b1", "c1"), ami.enter("b1", "a2"));
        after(10);
        apply(ami.hangupRequest("a2", false), ami.leave("b1", "a2"), ami.hangup("a2", 16),
                ami.hangupRequest("c1", true), ami.leave("b1", "c1"), ami.hangup("c1", 16));

        assertThat(only(A1001)).isEqualTo(new HistoryEntry(CallId.of("c1"), DEMO, A1001, Direction.INBOUND, "2001",
                "Customer One", at(0), null, at(3), 0, AgentDisposition.MISSED, Disposition.ANSWERED, null, List.of()));
        HistoryEntry answered = only(A1002);
        assertThat(answered.disposition()).isEqualTo(AgentDisposition.ANSWERED);
        assertThat(answered.answeredAt()).isEqualTo(at(3));
        assertThat(answered.talkSeconds()).isEqualTo(10);
        assertThat(answered.number()).isEqualTo("2001");
    }

    @Test
    void givenAnInboundCall_whenTheCallerHangsUpWhile1001Rings_thenMissedForTheAgentAndAbandonedForTheCall() {
        apply(ami.upsert(ch("c1", "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, "c1", "600")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.DOWN, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.dial("c1", "a1"),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.RINGING, new Party("1001", ""), CUSTOMER, "c1", "s")));
        after(7);
        apply(ami.hangupRequest("c1", false), ami.dialEnd("c1", "a1", "CANCEL"), ami.hangup("a1", 16), ami.hangup("c1", 16));

        HistoryEntry e = only(A1001);
        assertThat(e.disposition()).isEqualTo(AgentDisposition.MISSED);
        assertThat(e.callDisposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(e.answeredAt()).isNull();
        assertThat(e.talkSeconds()).isZero();
        assertThat(e.endedAt()).isEqualTo(at(7));
    }

    // ---- outbound -------------------------------------------------------------------------------------

    @Test
    void givenAgent1001DiallingOut_whenTheCustomerAnswersAfter5s_thenOutboundToTheNumberDialledTalkFromTheAnswer() {
        // The trunk leg carries the company's caller id, not the customer's: the number is what was dialled.
        Party company = new Party("0215550100", "ACME");
        apply(ami.upsert(ch("a1", "PJSIP/1001", ChannelState.RING, new Party("1001", "Agent One"), Party.EMPTY, "a1", "0123456789")),
                ami.upsert(ch("o1", "PJSIP/trunk", ChannelState.DOWN, company, new Party("1001", "Agent One"), "a1", "s")),
                ami.dial("a1", "o1"));
        after(5);
        Party customer = new Party("0123456789", "Big Customer");
        apply(ami.upsert(ch("o1", "PJSIP/trunk", ChannelState.UP, company, new Party("1001", "Agent One"), "a1", "s")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.UP, new Party("1001", "Agent One"), customer, "a1", "0123456789")),
                ami.dialEnd("a1", "o1", "ANSWER"), ami.enter("b1", "a1"), ami.enter("b1", "o1"));
        after(60);
        apply(ami.hangupRequest("a1", false), ami.leave("b1", "a1"), ami.hangup("a1", 16),
                ami.hangupRequest("o1", true), ami.leave("b1", "o1"), ami.hangup("o1", 16));

        assertThat(only(A1001)).isEqualTo(new HistoryEntry(CallId.of("a1"), DEMO, A1001, Direction.OUTBOUND,
                "0123456789", "Big Customer", at(0), at(5), at(65), 60, AgentDisposition.ANSWERED, Disposition.ANSWERED,
                null, List.of()));
    }

    @Test
    void givenAClickToDial_whenTheAgentPicksUpAfter3sAndTheCustomerAfter7sMore_thenTalkRunsFromTheCustomersAnswer() {
        // As ami-07: the agent's phone is originated first (the customer's number as its caller id), then
        // it enters the dialplan at the customer's number and dials them.
        Party shown = new Party("2002", "Click2Call");
        apply(ami.upsert(ch("c2c", "PJSIP/1001", ChannelState.DOWN, shown, Party.EMPTY, "c2c", "")), ami.dial(null, "c2c"));
        after(3);
        apply(ami.upsert(ch("c2c", "PJSIP/1001", ChannelState.UP, shown, Party.EMPTY, "c2c", "2002")),
                ami.dialEnd(null, "c2c", "ANSWER"),
                ami.upsert(ch("o1", "PJSIP/2002", ChannelState.DOWN, new Party("2002", "Customer Two"), shown, "c2c", "s")),
                ami.dial("c2c", "o1"));
        after(7);
        apply(ami.upsert(ch("o1", "PJSIP/2002", ChannelState.UP, new Party("2002", "Customer Two"), shown, "c2c", "s")),
                ami.upsert(ch("c2c", "PJSIP/1001", ChannelState.UP, shown, new Party("2002", "Customer Two"), "c2c", "2002")),
                ami.dialEnd("c2c", "o1", "ANSWER"), ami.enter("b1", "c2c"), ami.enter("b1", "o1"));
        after(30);
        apply(ami.hangupRequest("o1", false), ami.leave("b1", "o1"), ami.hangup("o1", 16),
                ami.hangupRequest("c2c", true), ami.leave("b1", "c2c"), ami.hangup("c2c", 16));

        HistoryEntry e = only(A1001);
        assertThat(e.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(e.number()).isEqualTo("2002");
        assertThat(e.name()).isEqualTo("Customer Two");
        assertThat(e.startedAt()).isEqualTo(at(0));
        assertThat(e.answeredAt()).isEqualTo(at(10));
        assertThat(e.talkSeconds()).isEqualTo(30);
    }

    @Test
    void givenAgent1001DiallingOut_whenTheyHangUpBeforeAnyAnswer_thenUnansweredForThemAndAbandonedForTheCall() {
        apply(ami.upsert(ch("a1", "PJSIP/1001", ChannelState.RING, new Party("1001", ""), Party.EMPTY, "a1", "0123456789")),
                ami.upsert(ch("o1", "PJSIP/trunk", ChannelState.DOWN, new Party("1001", ""), Party.EMPTY, "a1", "s")),
                ami.dial("a1", "o1"));
        after(12);
        apply(ami.hangupRequest("a1", false), ami.dialEnd("a1", "o1", "CANCEL"), ami.hangup("o1", 16), ami.hangup("a1", 16));

        HistoryEntry e = only(A1001);
        assertThat(e.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(e.disposition()).isEqualTo(AgentDisposition.UNANSWERED);
        assertThat(e.callDisposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(e.number()).isEqualTo("0123456789");
        assertThat(e.answeredAt()).isNull();
        assertThat(e.talkSeconds()).isZero();
    }

    // ---- internal -------------------------------------------------------------------------------------

    @Test
    void givenAgent1001CallingAgent1002_thenInternalForBothEachShowingTheOthersExtensionAndConfiguredName() {
        // The phones' own caller names differ from the configured ones: the directory's are shown.
        apply(ami.upsert(ch("a1", "PJSIP/1001", ChannelState.RING, new Party("1001", "desk 1"), Party.EMPTY, "a1", "1002")),
                ami.upsert(ch("a2", "PJSIP/1002", ChannelState.DOWN, new Party("1002", "desk 2"), new Party("1001", "desk 1"), "a1", "s")),
                ami.dial("a1", "a2"));
        after(4);
        apply(ami.upsert(ch("a2", "PJSIP/1002", ChannelState.UP, new Party("1002", "desk 2"), new Party("1001", "desk 1"), "a1", "s")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.UP, new Party("1001", "desk 1"), new Party("1002", "desk 2"), "a1", "1002")),
                ami.dialEnd("a1", "a2", "ANSWER"), ami.enter("b1", "a1"), ami.enter("b1", "a2"));
        after(20);
        apply(ami.hangupRequest("a2", false), ami.leave("b1", "a2"), ami.hangup("a2", 16),
                ami.hangupRequest("a1", true), ami.leave("b1", "a1"), ami.hangup("a1", 16));

        assertThat(only(A1001)).isEqualTo(new HistoryEntry(CallId.of("a1"), DEMO, A1001, Direction.INTERNAL, "1002",
                "Agent Two", at(0), at(4), at(24), 20, AgentDisposition.ANSWERED, Disposition.ANSWERED, null, List.of()));
        assertThat(only(A1002)).isEqualTo(new HistoryEntry(CallId.of("a1"), DEMO, A1002, Direction.INTERNAL, "1001",
                "Agent One", at(0), at(4), at(24), 20, AgentDisposition.ANSWERED, Disposition.ANSWERED, null, List.of()));
    }

    // ---- transfer -------------------------------------------------------------------------------------

    @Test
    void givenACallAnsweredBy1001_whenRedirectedTo1003_thenBothHaveTheCallEachWithTheirOwnTalkTime() {
        apply(ami.upsert(ch("c1", "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, "c1", "600")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.DOWN, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.dial("c1", "a1"));
        after(2);
        apply(ami.upsert(ch("a1", "PJSIP/1001", ChannelState.UP, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.dialEnd("c1", "a1", "ANSWER"), ami.enter("b1", "c1"), ami.enter("b1", "a1"));
        after(10);
        // 1001 hands the customer on (a redirect: trace ami-03b) and hangs up; 1003 rings 3 s and answers.
        apply(ami.leave("b1", "c1"), ami.hangupRequest("a1", true), ami.leave("b1", "a1"), ami.hangup("a1", 16),
                ami.upsert(ch("t1", "PJSIP/1003", ChannelState.DOWN, new Party("1003", ""), CUSTOMER, "c1", "s")),
                ami.dial("c1", "t1"));
        after(3);
        apply(ami.upsert(ch("t1", "PJSIP/1003", ChannelState.UP, new Party("1003", ""), CUSTOMER, "c1", "s")),
                ami.dialEnd("c1", "t1", "ANSWER"), ami.enter("b2", "c1"), ami.enter("b2", "t1"));
        after(20);
        apply(ami.hangupRequest("c1", false), ami.leave("b2", "c1"), ami.hangup("c1", 16),
                ami.hangupRequest("t1", true), ami.leave("b2", "t1"), ami.hangup("t1", 16));

        assertThat(only(A1001)).isEqualTo(new HistoryEntry(CallId.of("c1"), DEMO, A1001, Direction.INBOUND, "2001",
                "Customer One", at(0), at(2), at(12), 10, AgentDisposition.ANSWERED, Disposition.ANSWERED, null, List.of()));
        assertThat(only(A1003)).isEqualTo(new HistoryEntry(CallId.of("c1"), DEMO, A1003, Direction.INBOUND, "2001",
                "Customer One", at(12), at(15), at(35), 20, AgentDisposition.ANSWERED, Disposition.ANSWERED, null, List.of()));
        assertThat(announced).extracting(HistoryEntry::agent).containsExactly(A1001, A1003);
    }

    // ---- tenants --------------------------------------------------------------------------------------

    @Test
    void givenACallOfTenantOther_thenOnlyItsAgentGetsAnEntryInItsTenant() {
        apply(ami.upsert(ch("o1", "PJSIP/7777", ChannelState.UP, new Party("777", "Other Caller"), Party.EMPTY, "o1", "900")),
                ami.upsert(ch("x1", "PJSIP/3001", ChannelState.DOWN, new Party("3001", ""), Party.EMPTY, "o1", "s")),
                ami.dial("o1", "x1"), ami.upsert(ch("x1", "PJSIP/3001", ChannelState.UP, new Party("3001", ""), Party.EMPTY, "o1", "s")),
                ami.dialEnd("o1", "x1", "ANSWER"), ami.enter("b1", "o1"), ami.enter("b1", "x1"));
        after(5);
        apply(ami.hangup("o1", 16), ami.hangup("x1", 16));

        HistoryEntry e = only(A3001);
        assertThat(e.tenant()).isEqualTo(TenantId.of("other"));
        assertThat(e.number()).isEqualTo("777");
        assertThat(recent(A1001, 50)).isEmpty();
        assertThat(announced).extracting(HistoryEntry::tenant).containsOnly(TenantId.of("other"));
    }

    @Test
    void givenADemoCallThatAlsoRangAnotherTenantsPhone_thenThatAgentIsNotShownTheDemoCaller() {
        apply(ami.upsert(ch("c1", "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, "c1", "600")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.DOWN, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.upsert(ch("x1", "PJSIP/3001", ChannelState.DOWN, new Party("3001", ""), CUSTOMER, "c1", "s")),
                ami.dial("c1", "a1"), ami.dial("c1", "x1"),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.UP, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.dialEnd("c1", "a1", "ANSWER"), ami.dialEnd("c1", "x1", "CANCEL"), ami.hangup("x1", 26),
                ami.enter("b1", "c1"), ami.enter("b1", "a1"));
        after(5);
        apply(ami.hangup("c1", 16), ami.hangup("a1", 16));

        assertThat(recent(A3001, 50)).isEmpty();
        assertThat(only(A1001).tenant()).isEqualTo(DEMO);
        assertThat(store.appended).extracting(HistoryEntry::agent).containsExactly(A1001);
    }

    @Test
    void givenStoredEntriesOfAnAgentNowInAnotherTenantOrGone_whenRestored_thenOnlyTheirOwnTenantsAreKept() {
        HistoryEntry kept = entry("k1", DEMO, A1001);
        HistoryEntry wrongTenant = entry("w1", TenantId.of("other"), A1001);
        HistoryEntry gone = entry("g1", DEMO, AgentId.of("agent-gone"));
        start(50, List.of(kept, wrongTenant, gone));

        assertThat(recent(A1001, 50)).containsExactly(kept);
        assertThat(recent(AgentId.of("agent-gone"), 50)).isEmpty();
    }

    // ---- the limit and the rest ---------------------------------------------------------------------

    @Test
    void givenALimitOf3_whenFiveCallsEnd_thenTheThreeNewestAreKeptNewestFirstAndAllFiveStored() {
        start(3, List.of());
        for (int i = 1; i <= 5; i++) {
            inboundAnsweredBy1001("c" + i, i);
        }

        assertThat(recent(A1001, 50)).extracting(e -> e.call().value()).containsExactly("c5", "c4", "c3");
        assertThat(recent(A1001, 2)).extracting(e -> e.call().value()).containsExactly("c5", "c4");
        assertThat(recent(A1001, 50)).extracting(HistoryEntry::talkSeconds).containsExactly(5L, 4L, 3L);
        assertThat(store.appended).hasSize(5);
    }

    @Test
    void givenRestoredEntries_whenNewCallsEnd_thenTheyGoInFrontAndTheOldestFallOffAtTheLimit() {
        start(3, List.of(entry("old1", DEMO, A1001), entry("old2", DEMO, A1001), entry("old3", DEMO, A1001)));
        inboundAnsweredBy1001("c1", 1);

        assertThat(recent(A1001, 50)).extracting(e -> e.call().value()).containsExactly("c1", "old3", "old2");
    }

    @Test
    void givenTheSameEndedCallTwice_thenOneEntry() {
        inboundAnsweredBy1001("c1", 4);
        HistoryEntry first = only(A1001);
        CallView again = new CallView("c1", "demo", "ENDED", "INBOUND", "2001", "Customer One", "600", at(0), at(2),
                at(6), "ANSWERED", null, null, null, null, 4L, List.of("agent-1001"), List.of(), null, null, null,
                List.of(), List.of(new CallView.LegView("c1-a1", "PJSIP/1001-1", "PJSIP/1001", "Down", "1001", "",
                        "2001", "", "agent-1001", false, null, at(0), at(2), at(6), 16)), 9);
        loop.execute(() -> history.callChanged(again, null));
        scheduler.runAll();

        assertThat(recent(A1001, 50)).containsExactly(first);
        assertThat(store.appended).hasSize(1);
        assertThat(announced).hasSize(1);
    }

    @Test
    void givenAConsultationCallMergedIntoTheCustomersCall_thenOnlyTheSurvivingCallMakesEntries() {
        // 1001 talks to the customer (c1), then consults 1002 on a second call (m1: connected, so both
        // agents are on it); Asterisk then propagates c1's Linkedid to the consultation legs: m1 ends MERGED.
        apply(ami.upsert(ch("c1", "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, "c1", "600")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.UP, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.enter("b1", "c1"), ami.enter("b1", "a1"));
        after(5);
        apply(ami.upsert(ch("m1", "PJSIP/1001", ChannelState.UP, new Party("1001", ""), Party.EMPTY, "m1", "1002")),
                ami.upsert(ch("m2", "PJSIP/1002", ChannelState.UP, new Party("1002", ""), Party.EMPTY, "m1", "s")),
                ami.enter("b2", "m1"), ami.enter("b2", "m2"));
        after(5);
        apply(ami.upsert(ch("m1", "PJSIP/1001", ChannelState.UP, new Party("1001", ""), Party.EMPTY, "c1", "1002")),
                ami.upsert(ch("m2", "PJSIP/1002", ChannelState.UP, new Party("1002", ""), Party.EMPTY, "c1", "s")));
        assertThat(store.appended).as("entries of the merged call").isEmpty();

        after(10);
        apply(ami.hangup("m1", 16), ami.hangup("m2", 16), ami.hangup("c1", 16), ami.hangup("a1", 16));

        assertThat(store.appended).extracting(e -> e.call().value() + "/" + e.agent().value())
                .containsExactlyInAnyOrder("c1/agent-1001", "c1/agent-1002");
    }

    @Test
    void givenACallStillUp_thenNoEntryYet() {
        apply(ami.upsert(ch("c1", "PJSIP/2001", ChannelState.UP, CUSTOMER, Party.EMPTY, "c1", "600")),
                ami.upsert(ch("a1", "PJSIP/1001", ChannelState.UP, new Party("1001", ""), CUSTOMER, "c1", "s")),
                ami.enter("b1", "c1"), ami.enter("b1", "a1"));

        assertThat(recent(A1001, 50)).isEmpty();
        assertThat(store.appended).isEmpty();
    }

    @Test
    void givenAListenerThatFails_whenACallEnds_thenTheEntryIsStillKeptAndStored() {
        history.listener(e -> {
            throw new IllegalStateException("test: the client API broke");
        });
        inboundAnsweredBy1001("c1", 4);

        assertThat(recent(A1001, 50)).hasSize(1);
        assertThat(store.appended).hasSize(1);
        assertThat(loop.failedTasks()).isZero();
    }

    @Test
    void givenRecordingLinks_whenACallEnds_thenItsEntriesNameTheCallsRecordings() {
        history = new CallHistory(loop, directory, 50, store,
                (tenant, call) -> tenant.equals(DEMO) && call.equals(CallId.of("c1")) ? List.of("rec-1", "rec-2") : List.of(),
                List.of());
        model = new CallModel(loop, directory, history, EnumSet.of(Source.AMI));
        inboundAnsweredBy1001("c1", 4);
        inboundAnsweredBy1001("c2", 4);

        assertThat(recent(A1001, 50)).extracting(HistoryEntry::recordings).containsExactly(List.of(), List.of("rec-1", "rec-2"));
    }

    static HistoryEntry entry(String call, TenantId tenant, AgentId agent) {
        return new HistoryEntry(CallId.of(call), tenant, agent, Direction.INBOUND, "2001", "Customer One", T0,
                T0.plusSeconds(2), T0.plusSeconds(30), 28, AgentDisposition.ANSWERED, Disposition.ANSWERED, "support",
                List.of());
    }
}
