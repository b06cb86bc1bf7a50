package org.asteriskcti.server.asterisk.ami;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Connect, lose, find again: backoff, DOWN once per outage, half-open detection, resync ordering. */
class AmiConnectorLinkTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final EventRecorder events = new EventRecorder();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void givenNoAsterisk_whenStarted_thenRetriesWithGrowingJitteredBackoffAndOneLogLinePerAttempt() throws Exception {
        int port = freePort();
        List<Duration> delays = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        AmiMetrics metrics = new AmiMetrics() {
            @Override
            public void connectAttemptFailed(String reason, Duration nextDelay) {
                reasons.add(reason);
                delays.add(nextDelay);
            }
        };
        ListAppender<ILoggingEvent> logs = captureLogs();
        AmiConnector connector = connector(base(port).withReconnect(Duration.ofMillis(40), Duration.ofMillis(160)),
                metrics);

        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> delays.size() >= 6);
        connector.close();

        List<ILoggingEvent> attemptLines = new ArrayList<>();
        await().atMost(2, TimeUnit.SECONDS).untilAsserted(() -> {
            attemptLines.clear();
            attemptLines.addAll(logs.list.stream().filter(e -> e.getFormattedMessage().contains(" failed: "))
                    .collect(Collectors.toList()));
            assertThat(attemptLines).hasSize(delays.size());
        });
        assertThat(attemptLines).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getThrowableProxy()).as("no stack trace per attempt").isNull();
            assertThat(e.getFormattedMessage()).contains("connection refused").contains("next attempt in");
        });
        assertThat(reasons).containsOnly("connection refused");
        assertThat(delays.get(0)).isEqualTo(Duration.ofMillis(40));
        assertThat(delays.get(1)).isBetween(Duration.ofMillis(40), Duration.ofMillis(80));
        assertThat(delays.get(2)).isBetween(Duration.ofMillis(80), Duration.ofMillis(160));
        assertThat(delays.subList(3, delays.size())).allSatisfy(
                d -> assertThat(d).isBetween(Duration.ofMillis(80), Duration.ofMillis(160)));
        assertThat(events.all()).singleElement().isInstanceOfSatisfying(LinkStateChanged.class, down -> {
            assertThat(down.state()).isEqualTo(LinkState.DOWN);
            assertThat(down.detail()).isEqualTo("connection refused");
        });
    }

    @Test
    void givenBackoffSettings_whenAttemptsFail_thenDelaysStayBetweenMinAndMaxAndTheirCeilingDoubles() {
        AmiConnector connector = connector(base(5038).withReconnect(Duration.ofMillis(500), Duration.ofSeconds(30)),
                AmiMetrics.NONE);
        for (int attempt = 1; attempt <= 40; attempt++) {
            long ceiling = Math.min(30_000, 500L << Math.min(attempt - 1, 20));
            for (int i = 0; i < 20; i++) {
                Duration d = connector.backoff(attempt);
                assertThat(d.toMillis()).isBetween(Math.max(500, ceiling / 2), ceiling);
            }
        }
    }

    @Test
    void givenLiveLink_whenAsteriskDropsTheConnection_thenDownOnceThenUpAgainWithAFreshSnapshot() {
        FakeAmiServer server = server("ami-00-login-and-actions");
        AmiConnector connector = connector(base(server.port()), AmiMetrics.NONE);
        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.ofType(ResyncSnapshot.class).size() == 1);

        server.dropConnections();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.ofType(ResyncSnapshot.class).size() == 2);

        assertThat(events.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(events.links().get(1).detail()).isEqualTo("connection closed by Asterisk");
        List<String> kinds = events.kinds();
        int down = events.indexOf(events.links().get(1));
        int secondUp = events.indexOf(events.links().get(2));
        assertThat(kinds.subList(0, 2)).containsExactly("LinkStateChanged", "ResyncSnapshot");
        assertThat(kinds.subList(secondUp, secondUp + 2)).containsExactly("LinkStateChanged", "ResyncSnapshot");
        assertThat(down).isLessThan(secondUp);
        assertThat(server.connectionCount()).isEqualTo(2);
        assertThat(server.actions("Login")).extracting(FakeAmiServer.ClientAction::connection).containsExactly(1, 2);
        assertThat(server.actions("CoreShowChannels")).extracting(FakeAmiServer.ClientAction::connection)
                .containsExactly(1, 2);
        assertThat(connector.state()).isEqualTo(LinkState.UP);
    }

    @Test
    void givenAsteriskDownForSeveralAttempts_whenItComesBack_thenOneDownForTheWholeOutageAndUpAgain() {
        FakeAmiServer server = server("ami-00-login-and-actions");
        List<String> failures = new CopyOnWriteArrayList<>();
        AmiMetrics metrics = new AmiMetrics() {
            @Override
            public void connectAttemptFailed(String reason, Duration nextDelay) {
                failures.add(reason);
            }
        };
        AmiConnector connector = connector(base(server.port()), metrics);
        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(ResyncSnapshot.class));

        server.stop();
        await().atMost(10, TimeUnit.SECONDS).until(() -> failures.size() >= 3);
        server.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.ofType(ResyncSnapshot.class).size() == 2);

        assertThat(events.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(failures).contains("connection refused");
    }

    @Test
    void givenHalfOpenLink_whenAsteriskGoesSilent_thenNoticedByPingOrReadTimeoutAndReconnected() {
        FakeAmiServer server = server("ami-00-login-and-actions");
        AmiSettings settings = base(server.port()).withPing(Duration.ofMillis(250), Duration.ofMillis(250));
        AmiConnector connector = connector(settings, AmiMetrics.NONE);
        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(ResyncSnapshot.class));
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.actions("Ping").size() >= 2);

        server.goSilent();

        // The bound under test is ping interval + ping timeout (0.5 s here, 8 s with the defaults).
        await().atMost(3, TimeUnit.SECONDS).until(() -> events.linkStates().contains(LinkState.DOWN));
        LinkStateChanged down = events.links().get(1);
        assertThat(down.detail()).satisfiesAnyOf(
                d -> assertThat(d).isEqualTo("no answer to Ping within 250 ms (half-open TCP or Asterisk stuck)"),
                d -> assertThat(d).isEqualTo("nothing received for 500 ms (read timeout)"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.ofType(ResyncSnapshot.class).size() == 2);
        assertThat(events.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void givenAsteriskShutsDown_whenTheSocketCloses_thenDownSaysAsteriskShutDownAndTheConnectorComesBack() {
        FakeAmiServer server = server("ami-00-login-and-actions");
        AmiConnector connector = connector(base(server.port()), AmiMetrics.NONE);
        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(ResyncSnapshot.class));

        server.inject("Event: Shutdown\r\nPrivilege: system,all\r\nShutdown: Cleanly\r\nRestart: True\r\n\r\n");
        await().atMost(5, TimeUnit.SECONDS).until(() -> connector.droppedEvents().containsKey("Shutdown"));
        server.dropConnections();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.ofType(ResyncSnapshot.class).size() == 2);

        assertThat(events.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(events.links().get(1).detail()).isEqualTo("Asterisk shut down (Cleanly, restart=true)");
    }

    @Test
    void givenLiveEventsInsideTheResyncLists_whenListsComplete_thenSnapshotComesFirstThenThoseEventsInOrder() {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions")
                .respond("CoreShowChannels", (id, a) -> "Response: Success\r\nActionID: " + id + "\r\n"
                        + "EventList: start\r\nMessage: Channels will follow\r\n\r\n"
                        + CORE_SHOW_CHANNEL_2001.replace("lab-3", id)
                        + NEWCHANNEL_1795422392_0
                        + "Event: CoreShowChannelsComplete\r\nActionID: " + id + "\r\nEventList: Complete\r\n"
                        + "ListItems: 1\r\n\r\n")
                .respond("BridgeList", (id, a) -> "Response: Success\r\nActionID: " + id + "\r\n"
                        + "EventList: start\r\nMessage: Bridge listing will follow\r\n\r\n"
                        + NEWSTATE_1795422392_0
                        + BRIDGE_LIST_ITEM.replace("lab-6", id)
                        + "Event: BridgeListComplete\r\nActionID: " + id + "\r\nEventList: Complete\r\n"
                        + "ListItems: 1\r\n\r\n")
                .start();
        open.add(server);
        AmiConnector connector = connector(base(server.port()), AmiMetrics.NONE);
        connector.start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> events.ofType(ChannelUpserted.class).size() == 2);

        assertThat(events.kinds()).containsExactly("LinkStateChanged", "ResyncSnapshot", "ChannelUpserted",
                "ChannelUpserted");
        ResyncSnapshot snapshot = events.ofType(ResyncSnapshot.class).get(0);
        assertThat(snapshot.channels()).extracting(c -> c.id().value()).containsExactly("1795422504.22");
        assertThat(snapshot.bridges()).singleElement().satisfies(b -> {
            assertThat(b.id()).isEqualTo(BridgeId.of("cebcce8d-6250-4179-a419-5bc284d7c327"));
            assertThat(b.channels()).containsExactly(ChannelId.of("1795422504.22"));
        });
        List<ChannelUpserted> live = events.ofType(ChannelUpserted.class);
        assertThat(live).extracting(u -> u.channel().id().value(), u -> u.channel().state())
                .containsExactly(tuple("1795422392.0", ChannelState.RING),
                        tuple("1795422392.0", ChannelState.UP));
    }

    @Test
    void givenChannelListingRefused_whenResyncing_thenLinkDroppedWithTheReasonAndRetried() {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions")
                .respond("CoreShowChannels", (id, a) -> "Response: Error\r\nActionID: " + id
                        + "\r\nMessage: Permission denied\r\n\r\n")
                .start();
        open.add(server);
        AmiConnector connector = connector(base(server.port()), AmiMetrics.NONE);
        connector.start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> server.connectionCount() >= 3);

        assertThat(events.has(ResyncSnapshot.class)).isFalse();
        assertThat(events.linkStates()).startsWith(LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(events.links().get(1).detail()).isEqualTo("CoreShowChannels refused: Permission denied");
    }

    @Test
    void givenBridgeListNeverAnswered_whenActionTimeoutPasses_thenLinkDroppedAsResyncTimeout() {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions")
                .respond("BridgeList", (id, a) -> "")
                .start();
        open.add(server);
        AmiConnector connector = connector(base(server.port()).withActionTimeout(Duration.ofMillis(300)),
                AmiMetrics.NONE);
        connector.start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> events.linkStates().contains(LinkState.DOWN));

        assertThat(events.links().get(1).detail()).isEqualTo("resync did not finish within 300 ms");
        assertThat(events.has(ResyncSnapshot.class)).isFalse();
    }

    @Test
    void givenLiveLink_whenConnectorClosed_thenDownOnceAndLogoffSent() {
        FakeAmiServer server = server("ami-00-login-and-actions");
        AmiConnector connector = connector(base(server.port()), AmiMetrics.NONE);
        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(ResyncSnapshot.class));

        connector.close();
        connector.close();

        assertThat(events.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN);
        assertThat(events.links().get(1).detail()).isEqualTo("connector closed");
        assertThat(connector.state()).isEqualTo(LinkState.DOWN);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !server.actions("Logoff").isEmpty());
    }

    // ---- harness ------------------------------------------------------------------------------

    private FakeAmiServer server(String trace) {
        FakeAmiServer server = FakeAmiServer.replaying(trace).start();
        open.add(server);
        return server;
    }

    private AmiConnector connector(AmiSettings settings, AmiMetrics metrics) {
        AmiConnector connector = new AmiConnector(settings, events, Clock.systemUTC(), metrics);
        open.add(connector);
        return connector;
    }

    private static AmiSettings base(int port) {
        return AmiSettings.of("127.0.0.1", port, "cti", "cti-secret")
                .withConnectTimeout(Duration.ofSeconds(2))
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private ListAppender<ILoggingEvent> captureLogs() {
        Logger logger = (Logger) LoggerFactory.getLogger(AmiConnector.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        open.add(() -> logger.detachAppender(appender));
        return appender;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** ami-06 lab-3, first list item (ActionID rewritten by the responder). */
    private static final String CORE_SHOW_CHANNEL_2001 = "Event: CoreShowChannel\r\nActionID: lab-3\r\n"
            + "Channel: PJSIP/2001-00000012\r\nChannelState: 6\r\nChannelStateDesc: Up\r\nCallerIDNum: 2001\r\n"
            + "CallerIDName: Customer One\r\nConnectedLineNum: 1001\r\nConnectedLineName: Agent One\r\n"
            + "Language: en\r\nAccountCode: \r\nContext: from-customer\r\nExten: 600\r\nPriority: 4\r\n"
            + "Uniqueid: 1795422504.22\r\nLinkedid: 1795422504.22\r\nApplication: Queue\r\n"
            + "ApplicationData: support,tT,,,120\r\nDuration: 00:00:03\r\n"
            + "BridgeId: cebcce8d-6250-4179-a419-5bc284d7c327\r\n\r\n";
    /** ami-06 lab-6 list item. */
    private static final String BRIDGE_LIST_ITEM = "Event: BridgeListItem\r\nActionID: lab-6\r\n"
            + "BridgeUniqueid: cebcce8d-6250-4179-a419-5bc284d7c327\r\nBridgeType: basic\r\n"
            + "BridgeTechnology: simple_bridge\r\nBridgeCreator: <unknown>\r\nBridgeName: <unknown>\r\n"
            + "BridgeNumChannels: 2\r\nBridgeVideoSourceMode: none\r\n\r\n";
    /** ami-01's first Newchannel, a live event. */
    private static final String NEWCHANNEL_1795422392_0 = "Event: Newchannel\r\nPrivilege: call,all\r\n"
            + "Channel: PJSIP/2001-00000000\r\nChannelState: 4\r\nChannelStateDesc: Ring\r\nCallerIDNum: 2001\r\n"
            + "CallerIDName: Customer One\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\n"
            + "Language: en\r\nAccountCode: \r\nContext: from-customer\r\nExten: 600\r\nPriority: 1\r\n"
            + "Uniqueid: 1795422392.0\r\nLinkedid: 1795422392.0\r\n\r\n";
    /** ami-01's first Newstate (Up), a live event. */
    private static final String NEWSTATE_1795422392_0 = "Event: Newstate\r\nPrivilege: call,all\r\n"
            + "Channel: PJSIP/2001-00000000\r\nChannelState: 6\r\nChannelStateDesc: Up\r\nCallerIDNum: 2001\r\n"
            + "CallerIDName: Customer One\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\n"
            + "Language: en\r\nAccountCode: \r\nContext: from-customer\r\nExten: 600\r\nPriority: 2\r\n"
            + "Uniqueid: 1795422392.0\r\nLinkedid: 1795422392.0\r\n\r\n";
}
