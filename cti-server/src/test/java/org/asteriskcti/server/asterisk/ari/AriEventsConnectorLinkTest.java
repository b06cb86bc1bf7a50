package org.asteriskcti.server.asterisk.ari;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.Unrecognized;
import org.asteriskcti.server.asterisk.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Link behaviour of {@link AriEventsConnector}: outages, restarts, heartbeat, bad frames, close. */
class AriEventsConnectorLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeAriServer server;
    private AriEventsConnector connector;
    private final EventRecorder sink = new EventRecorder();
    private final Logger connectorLog = (Logger) LoggerFactory.getLogger(AriEventsConnector.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @AfterEach
    void tearDown() {
        connectorLog.detachAppender(logs);
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static AriSettings settings(URI base) {
        return AriSettings.of(FakeAriServer.USER, FakeAriServer.PASSWORD)
                .withBaseUrl(base)
                .withApp("cti-lab")
                .withRequestTimeout(Duration.ofSeconds(2))
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private void connect(AriSettings settings) {
        connector = new AriEventsConnector(new AriClient(settings), sink, Clock.systemUTC());
        connector.start();
    }

    /** ari-12's first socket, held back so the test sends what it wants. */
    private void startSteppedServer() {
        server = FakeAriServer.start("ari-12-ws-drop-and-takeover", "cti-lab");
        server.stubEmptyResync();
        server.stepConnection(0);
        server.stepConnection(1);
        server.stepConnection(2);
    }

    private List<ILoggingEvent> warnings() {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).collect(Collectors.toList());
    }

    @Test
    void givenNothingListening_whenStarted_thenRetriesReportDownOnceAndLogOneLineForTheWindow() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        logs.start();
        connectorLog.addAppender(logs);

        connect(settings(URI.create("http://127.0.0.1:" + freePort + "/ari")));
        await().atMost(WAIT).until(() -> connector.stats().connectAttempts() >= 6);

        assertThat(sink.linkStates()).containsExactly(LinkState.DOWN);
        assertThat(sink.ofType(LinkStateChanged.class).get(0).detail()).startsWith("cannot connect:")
                .contains("ConnectException");
        List<ILoggingEvent> warnings = warnings();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage()).contains("cannot connect")
                .contains("ws://127.0.0.1:" + freePort + "/ari/events?app=cti-lab");
        assertThat(warnings.get(0).getThrowableProxy()).as("no stack trace while down").isNull();
        assertThat(connector.isLive()).isFalse();
    }

    @Test
    void givenAsteriskRestarts_whenItComesBack_thenOneDownThenUpWithAFreshSnapshot() {
        startSteppedServer();
        connect(settings(server.baseUrl()));
        await().atMost(WAIT).until(connector::isLive);

        server.stop();
        await().atMost(WAIT).until(() -> sink.linkStates().size() == 2);
        long attemptsWhenDown = connector.stats().connectAttempts();
        await().atMost(WAIT).until(() -> connector.stats().connectAttempts() >= attemptsWhenDown + 3);
        server.restart();
        await().atMost(WAIT).until(() -> sink.ofType(ResyncSnapshot.class).size() == 2);

        assertThat(sink.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP);
        assertThat(connector.stats().connections()).isEqualTo(2);
        await().atMost(WAIT).until(connector::isLive);
    }

    @Test
    void givenMalformedFrame_whenReceived_thenCountedAndTheConnectionKept() {
        startSteppedServer();
        connect(settings(server.baseUrl()));
        await().atMost(WAIT).until(connector::isLive);

        server.sendRaw("{\"type\":\"StasisStart\",\"timestamp\":");
        server.sendNext(1);
        await().atMost(WAIT).until(() -> !sink.ofType(StasisStarted.class).isEmpty());

        assertThat(connector.stats().malformedFrames()).isEqualTo(1);
        assertThat(connector.stats().framesReceived()).isEqualTo(2);
        assertThat(sink.linkStates()).containsExactly(LinkState.UP);
        assertThat(server.wsConnections()).hasSize(1);
        assertThat(sink.ofType(StasisStarted.class).get(0).args()).containsExactly("inbound", "2001");
    }

    @Test
    void givenUnknownEventType_whenReceived_thenUnrecognizedWithTheRawJson() {
        startSteppedServer();
        connect(settings(server.baseUrl()));
        await().atMost(WAIT).until(connector::isLive);
        String raw = "{\"type\":\"ChannelTalkingStarted\",\"timestamp\":\"2026-11-23T08:57:00.000+0000\","
                + "\"channel\":{\"id\":\"1795424217.65\"},\"application\":\"cti-lab\"}";

        server.sendRaw(raw);
        await().atMost(WAIT).until(() -> !sink.ofType(Unrecognized.class).isEmpty());

        Unrecognized e = sink.ofType(Unrecognized.class).get(0);
        assertThat(e.type()).isEqualTo("ChannelTalkingStarted");
        assertThat(e.raw()).isEqualTo(raw);
    }

    @Test
    void givenOtherAppsChannels_whenResyncing_thenSnapshotKeepsOnlyOurChannelsEndpointsAndBridges() {
        startSteppedServer();
        server.stub("GET", "/ari/applications/cti-lab", 200, "{\"name\":\"cti-lab\",\"channel_ids\":[\"c.1\"],"
                + "\"bridge_ids\":[\"b-ours\"],\"endpoint_ids\":[\"PJSIP/1001\"],\"device_names\":[]}");
        server.stub("GET", "/ari/channels", 200, "[{\"id\":\"c.1\",\"name\":\"PJSIP/2001-00000001\",\"state\":\"Up\"},"
                + "{\"id\":\"agent-leg\",\"name\":\"PJSIP/1001-00000002\",\"state\":\"Ringing\"},"
                + "{\"id\":\"c.3\",\"name\":\"PJSIP/2002-00000003\",\"state\":\"Up\"}]");
        server.stub("GET", "/ari/bridges", 200, "[{\"id\":\"b-ours\",\"bridge_type\":\"holding\",\"channels\":[\"c.1\"]},"
                + "{\"id\":\"b-other\",\"bridge_type\":\"mixing\",\"channels\":[\"c.3\"]}]");
        connect(settings(server.baseUrl()));

        await().atMost(WAIT).until(connector::isLive);

        ResyncSnapshot snapshot = sink.ofType(ResyncSnapshot.class).get(0);
        assertThat(snapshot.channels()).extracting(c -> c.id().value()).containsExactly("c.1", "agent-leg");
        assertThat(snapshot.bridges()).extracting(b -> b.id().value()).containsExactly("b-ours");
    }

    @Test
    void givenEventsDuringResync_whenSnapshotArrives_thenTheyFollowItInArrivalOrder() {
        startSteppedServer();
        server.setRestDelay(Duration.ofMillis(500));
        connect(settings(server.baseUrl()));
        await().atMost(WAIT).until(() -> !server.wsConnections().isEmpty());

        server.sendNext(3);
        await().atMost(WAIT).until(connector::isLive);
        await().atMost(WAIT).until(() -> sink.size() >= 5);

        assertThat(sink.kinds()).containsExactly("LinkStateChanged", "ResyncSnapshot", "StasisStarted",
                "ChannelUpserted", "BridgeEntered");
    }

    @Test
    void givenApplicationReplacedDuringResync_whenItArrives_thenNoSnapshotSocketClosedByUsAndDownReplaced() {
        startSteppedServer();
        server.setRestDelay(Duration.ofMillis(500));
        connect(settings(server.baseUrl()).withReconnect(Duration.ofMillis(20), Duration.ofSeconds(5)));
        await().atMost(WAIT).until(() -> !server.wsConnections().isEmpty());

        server.sendNext(1);
        server.sendApplicationReplaced();
        await().atMost(WAIT).until(() -> sink.linkStates().size() == 2);

        assertThat(sink.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN);
        assertThat(sink.ofType(LinkStateChanged.class).get(1).detail()).isEqualTo(AriEventsConnector.REPLACED_REASON);
        FakeAriServer.WsConnection ws = server.wsConnections().get(0);
        await().atMost(WAIT).until(ws::closed);
        assertThat(ws.closeFrameFromClient()).isTrue();
        // the resync answers still come, but belong to a dead connection: nothing more is delivered
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> sink.size() == 2);
        assertThat(sink.ofType(ResyncSnapshot.class)).isEmpty();
        assertThat(sink.ofType(StasisStarted.class)).isEmpty();
    }

    @Test
    void givenSilentLink_whenNoPongComes_thenHeartbeatDeclaresItDeadAndReconnects() {
        startSteppedServer();
        server.setAnswerPings(false);
        connect(settings(server.baseUrl())
                .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(500)));

        await().atMost(WAIT).until(() -> server.wsConnections().size() >= 2);

        LinkStateChanged down = sink.ofType(LinkStateChanged.class).get(1);
        assertThat(down.state()).isEqualTo(LinkState.DOWN);
        assertThat(down.detail()).startsWith("heartbeat timeout");
        assertThat(server.wsConnections().get(0).pingsReceived()).isGreaterThanOrEqualTo(2);
        await().atMost(WAIT).until(() -> server.wsConnections().get(0).closed());
    }

    @Test
    void givenPongsAnswered_whenSeveralHeartbeatTimeoutsPass_thenTheLinkStaysUp() {
        startSteppedServer();
        connect(settings(server.baseUrl())
                .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(1000)));
        await().atMost(WAIT).until(connector::isLive);

        // 15 pings take well over one heartbeatTimeout: only the pongs kept the link alive
        await().atMost(WAIT).until(() -> server.wsConnections().get(0).pingsReceived() >= 15);

        assertThat(sink.linkStates()).containsExactly(LinkState.UP);
        assertThat(server.wsConnections()).hasSize(1);
    }

    @Test
    void givenResyncFails_whenConnected_thenDownAndRetryUntilTheSnapshotWorks() {
        startSteppedServer();
        server.stub("GET", "/ari/bridges", 500, "{\"message\":\"boom\"}");
        connect(settings(server.baseUrl()));

        await().atMost(WAIT).until(() -> sink.linkStates().size() >= 2);
        LinkStateChanged down = sink.ofType(LinkStateChanged.class).get(1);
        assertThat(down.detail()).startsWith("resync failed").contains("500").contains("boom");
        assertThat(sink.ofType(ResyncSnapshot.class)).isEmpty();

        server.stub("GET", "/ari/bridges", 200, "[]");
        await().atMost(WAIT).until(connector::isLive);
        assertThat(sink.ofType(ResyncSnapshot.class)).hasSize(1);
        assertThat(server.wsConnections().get(0).closeFrameFromClient()).isTrue();
    }

    @Test
    void givenWrongPassword_whenConnecting_thenNeverUpAndTheReasonSays401() {
        startSteppedServer();
        AriSettings wrong = new AriSettings(server.baseUrl(), FakeAriServer.USER, "nope", "cti-lab",
                Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(100), false, null, null);
        connect(wrong);

        await().atMost(WAIT).until(() -> connector.stats().connectAttempts() >= 3);

        assertThat(sink.linkStates()).containsExactly(LinkState.DOWN);
        assertThat(sink.ofType(LinkStateChanged.class).get(0).detail()).contains("401");
        assertThat(server.wsConnections()).isEmpty();
    }

    @Test
    void givenLiveLink_whenClosed_thenNormalCloseFrameDownAndNoReconnect() {
        startSteppedServer();
        connect(settings(server.baseUrl()));
        await().atMost(WAIT).until(connector::isLive);

        connector.close();

        FakeAriServer.WsConnection ws = server.wsConnections().get(0);
        await().atMost(WAIT).until(ws::closed);
        assertThat(ws.closeFrameFromClient()).isTrue();
        assertThat(sink.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN);
        assertThat(sink.ofType(LinkStateChanged.class).get(1).detail()).isEqualTo("connector closed");
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> server.wsConnections().size() == 1);
    }

    @Test
    void givenSinkThatThrows_whenEventsArrive_thenTheConnectorKeepsDelivering() {
        startSteppedServer();
        EventRecorder seen = new EventRecorder();
        connector = new AriEventsConnector(new AriClient(settings(server.baseUrl())), e -> {
            seen.accept(e);
            if (e instanceof ResyncSnapshot) {
                throw new IllegalStateException("handler bug");
            }
        }, Clock.systemUTC());
        connector.start();
        await().atMost(WAIT).until(connector::isLive);

        server.sendNext(1);
        await().atMost(WAIT).until(() -> !seen.ofType(StasisStarted.class).isEmpty());

        assertThat(seen.linkStates()).containsExactly(LinkState.UP);
    }
}
