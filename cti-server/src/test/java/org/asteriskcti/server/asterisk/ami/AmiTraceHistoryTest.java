package org.asteriskcti.server.asterisk.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.history.AgentDisposition;
import org.asteriskcti.server.history.CallHistory;
import org.asteriskcti.server.history.HistoryEntry;
import org.asteriskcti.server.history.MemoryHistoryStore;
import org.asteriskcti.server.history.RecordingLinks;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.EventRecorder;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The call history from the real Asterisk 22.10.1 traces: recorded bytes -> FakeAmiServer ->
 * AmiConnector -> CallModel -> CallHistory. Asserts each agent's entries (the replay runs faster than
 * the calls did, so times are only checked for their order).
 */
class AmiTraceHistoryTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final FakeClock clock = FakeClock.at("2026-11-23T08:30:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final MemoryHistoryStore store = new MemoryHistoryStore();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Replays the trace into a model followed by a history; returns every entry made, in order. */
    private List<HistoryEntry> replay(String trace) {
        FakeAmiServer server = FakeAmiServer.replaying(trace).start();
        open.add(server);
        AmiSettings s = AmiSettings.of("127.0.0.1", server.port(), "cti", "cti-secret")
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200));
        EventRecorder events = new EventRecorder();
        AmiConnector connector = new AmiConnector(s, events, Clock.systemUTC());
        open.add(connector);
        connector.start();
        await().atMost(20, TimeUnit.SECONDS).until(server::scriptFinished);
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(AsteriskEvent.ResyncSnapshot.class));
        int[] last = {-1};
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
            int n = events.all().size();
            boolean stable = n == last[0];
            last[0] = n;
            return stable;
        });
        TenantDirectory directory = new TenantDirectory(ConfigLoader.load(null, Map.of()));
        CallHistory history = new CallHistory(loop, directory, 50, store, RecordingLinks.NONE, List.of());
        CallModel model = new CallModel(loop, directory, history, EnumSet.of(Source.AMI));
        for (AsteriskEvent e : events.all()) {
            loop.execute(() -> model.apply(e));
        }
        scheduler.runAll();
        for (HistoryEntry e : store.appended) {
            assertThat(e.startedAt()).as("%s started", e.agent()).isBeforeOrEqualTo(e.endedAt());
            if (e.answeredAt() != null) {
                assertThat(e.answeredAt()).as("%s answered", e.agent()).isBetween(e.startedAt(), e.endedAt());
            }
        }
        return List.copyOf(store.appended);
    }

    private static HistoryEntry of(List<HistoryEntry> entries, String agent) {
        return entries.stream().filter(e -> e.agent().equals(AgentId.of(agent))).findFirst().orElseThrow();
    }

    @Test
    void ami01_queueCallAnsweredBy1001_isAnAnsweredInboundCallFromCustomerOneViaSupport() {
        List<HistoryEntry> entries = replay("ami-01-queue-answered");

        assertThat(entries).extracting(e -> e.agent().value()).containsExactly("agent-1001");
        HistoryEntry e = entries.get(0);
        assertThat(e.direction()).isEqualTo(Direction.INBOUND);
        assertThat(e.number()).isEqualTo("2001");
        assertThat(e.name()).isEqualTo("Customer One");
        assertThat(e.disposition()).isEqualTo(AgentDisposition.ANSWERED);
        assertThat(e.queue()).isEqualTo("support");
        assertThat(e.answeredAt()).isNotNull();
    }

    @Test
    void ami02_callerAbandonsWhile1001Rings_isMissedFor1001AndAbandonedForTheCall() {
        HistoryEntry e = of(replay("ami-02-queue-abandoned"), "agent-1001");

        assertThat(e.disposition()).isEqualTo(AgentDisposition.MISSED);
        assertThat(e.callDisposition()).isEqualTo(Disposition.ABANDONED);
        assertThat(e.answeredAt()).isNull();
        assertThat(e.talkSeconds()).isZero();
        assertThat(e.number()).isEqualTo("2001");
    }

    @Test
    void ami03a_blindTransferFrom1001To1003_isInBothHistoriesWithTheCustomerAsTheOtherParty() {
        List<HistoryEntry> entries = replay("ami-03a-blind-transfer");

        assertThat(entries).extracting(e -> e.agent().value()).containsExactly("agent-1001", "agent-1003");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.direction()).isEqualTo(Direction.INBOUND);
            assertThat(e.number()).isEqualTo("2001");
            assertThat(e.disposition()).isEqualTo(AgentDisposition.ANSWERED);
        });
        assertThat(entries.get(0).call()).isEqualTo(entries.get(1).call());
        // 1001's part ended when they handed the call on, before 1003's began.
        assertThat(of(entries, "agent-1001").endedAt()).isBeforeOrEqualTo(of(entries, "agent-1003").startedAt());
    }

    @Test
    void ami03c_attendedTransferFrom1001To1003_isAnsweredInBothHistories() {
        List<HistoryEntry> entries = replay("ami-03c-attended-transfer");

        assertThat(of(entries, "agent-1001").disposition()).isEqualTo(AgentDisposition.ANSWERED);
        assertThat(of(entries, "agent-1003").disposition()).isEqualTo(AgentDisposition.ANSWERED);
        assertThat(of(entries, "agent-1003").number()).isEqualTo("2001");
        assertThat(entries).extracting(HistoryEntry::agent).doesNotHaveDuplicates();
    }

    @Test
    void ami07_clickToCallFrom1001_isAnOutboundCallToTheNumberDialledWithTheCustomersName() {
        List<HistoryEntry> entries = replay("ami-07-click-to-call-originate");

        assertThat(entries).extracting(e -> e.agent().value()).containsExactly("agent-1001");
        HistoryEntry e = entries.get(0);
        assertThat(e.call().value()).isEqualTo("c2c-agent-leg-1");
        assertThat(e.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(e.number()).isEqualTo("2002");
        assertThat(e.name()).isEqualTo("Customer Two");
        assertThat(e.disposition()).isEqualTo(AgentDisposition.ANSWERED);
    }
}
