package org.asteriskcti.server.asterisk.ari;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeDestroyed;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeEntered;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeLeft;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelHungUp;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelVarSet;
import org.asteriskcti.server.asterisk.AsteriskEvent.DeviceStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.HangupRequested;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.RecordingChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisStarted;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recorded ARI sessions replayed byte for byte by {@link FakeAriServer} into a real {@link AriEventsConnector}:
 * WebSocket, resync over REST, translation, de-duplication, all of it.
 */
class AriEventsConnectorReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeAriServer server;
    private AriEventsConnector connector;
    private AriClient client;
    private final EventRecorder sink = new EventRecorder();

    @AfterEach
    void tearDown() {
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private AriSettings settings() {
        return AriSettings.of(FakeAriServer.USER, FakeAriServer.PASSWORD)
                .withBaseUrl(server.baseUrl())
                .withApp("cti-lab")
                .withRequestTimeout(Duration.ofSeconds(3))
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(600));
    }

    private void connect(AriSettings settings) {
        client = new AriClient(settings);
        connector = new AriEventsConnector(client, sink, Clock.systemUTC());
        connector.start();
    }

    private void awaitFramesSent(int connection) {
        await().atMost(WAIT).until(() -> server.wsConnections().size() > connection
                && server.wsConnections().get(connection).framesSent()
                == server.trace().frames(connection).size());
    }

    private void awaitBridgeDestroyed(String bridge) {
        await().atMost(WAIT).until(() -> !sink.ofType(BridgeDestroyed.class,
                e -> e.bridge().value().equals(bridge)).isEmpty());
    }

    private static boolean is(ChannelId id, String value) {
        return id != null && id.value().equals(value);
    }

    @Test
    void givenAri05_whenReplayed_thenStasisBridgeRecordingAndSnoopArriveAfterTheSnapshot() throws Exception {
        server = FakeAriServer.start("ari-05-stasis-bridge-record-snoop", "cti-lab");
        server.stubEmptyResync();
        connect(settings());
        awaitBridgeDestroyed("cti-lab-bridge-1");

        List<String> kinds = sink.kinds();
        assertThat(kinds.subList(0, 3)).containsExactly("LinkStateChanged", "ResyncSnapshot", "StasisStarted");
        assertThat(sink.ofType(LinkStateChanged.class).get(0).state()).isEqualTo(LinkState.UP);

        StasisStarted caller = sink.ofType(StasisStarted.class).get(0);
        assertThat(caller.args()).containsExactly("inbound", "2001");
        assertThat(caller.channel().state()).isEqualTo(ChannelState.RING);

        List<BridgeEntered> entered = sink.ofType(BridgeEntered.class);
        assertThat(entered).extracting(e -> e.channel().value()).containsExactly("1795422593.31", "lab-agent-leg-1");
        assertThat(entered).allMatch(e -> e.bridge().id().equals(BridgeId.of("cti-lab-bridge-1")));
        assertThat(entered.get(1).bridge().channels())
                .containsExactly(ChannelId.of("1795422593.31"), ChannelId.of("lab-agent-leg-1"));

        List<RecordingChanged> bridgeRec = sink.ofType(RecordingChanged.class,
                r -> r.recording().equals("lab-bridge-rec-1"));
        assertThat(bridgeRec).extracting(RecordingChanged::state)
                .containsExactly(RecordingState.STARTED, RecordingState.STOPPED);
        assertThat(bridgeRec.get(1).bridge()).isEqualTo(BridgeId.of("cti-lab-bridge-1"));

        StasisStarted snoop = sink.ofType(StasisStarted.class, s -> is(s.channel().id(), "lab-snoop-1")).get(0);
        assertThat(snoop.channel().name()).isEqualTo("Snoop/1795422593.31-00000001");
        assertThat(snoop.args()).containsExactly("snoop");

        // the dialplan caller ends with StasisEnd only; the originated leg also gets ChannelDestroyed
        assertThat(sink.ofType(StasisEnded.class, e -> is(e.channel(), "1795422593.31"))).hasSize(1);
        assertThat(sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "1795422593.31"))).isEmpty();
        assertThat(sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "lab-agent-leg-1")))
                .extracting(ChannelHungUp::cause).containsExactly(16);

        AriException notFound = AriException.unwrap(client.getChannel(ChannelId.of("does-not-exist"))
                .handle((c, t) -> t).get(5, TimeUnit.SECONDS));
        assertThat(notFound.kind()).isEqualTo(AriException.Kind.NOT_FOUND);
        assertThat(notFound.asteriskMessage()).isEqualTo("Channel not found");

        FakeAriServer.WsConnection ws = server.wsConnections().get(0);
        assertThat(ws.uri()).isEqualTo("/ari/events?app=cti-lab&subscribeAll=false");
        assertThat(ws.authorization).startsWith("Basic ");
        assertThat(connector.stats().framesReceived()).isEqualTo(97);
    }

    @Test
    void givenAri08_whenReplayed_thenDoubledAgentEventsOnceAndCallerMovesHoldingToMixing() throws Exception {
        server = FakeAriServer.start("ari-08-acd-answered", "cti-lab");
        server.stubEmptyResync();
        connect(settings());
        awaitBridgeDestroyed("acd-08-mix-1");

        assertThat(sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "acd-08-agent-1001")))
                .hasSize(1).first().extracting(ChannelHungUp::cause).isEqualTo(16);
        assertThat(sink.ofType(DialEnded.class, e -> is(e.peer(), "acd-08-agent-1001")))
                .extracting(DialEnded::dialStatus).containsExactly("ANSWER");
        assertThat(sink.ofType(HangupRequested.class, e -> is(e.channel(), "acd-08-agent-1001"))).hasSize(1);
        assertThat(connector.stats().duplicateFrames()).isEqualTo(33);

        BridgeLeft leftHold = sink.ofType(BridgeLeft.class, e -> is(e.channel(), "1795424151.45")
                && e.bridge().id().value().equals("acd-08-hold")).get(0);
        BridgeEntered enteredMix = sink.ofType(BridgeEntered.class, e -> is(e.channel(), "1795424151.45")
                && e.bridge().id().value().equals("acd-08-mix-1")).get(0);
        assertThat(sink.indexOf(leftHold)).isLessThan(sink.indexOf(enteredMix));
        assertThat(leftHold.bridge().type()).isEqualTo("holding");
        assertThat(enteredMix.bridge().type()).isEqualTo("mixing");

        AriException conflict = AriException.unwrap(client.stopBridgeMoh(BridgeId.of("acd-08-hold"))
                .handle((v, t) -> t).get(5, TimeUnit.SECONDS));
        assertThat(conflict.kind()).isEqualTo(AriException.Kind.CONFLICT);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.asteriskMessage()).isEqualTo("Bridge isn't playing music");
    }

    @Test
    void givenAri09WithSubscribeAll_whenReplayed_thenBusyLegEndsWithCause17AndNoStasisStart() {
        server = FakeAriServer.start("ari-09-agent-busy-then-next", "cti-lab");
        server.stubEmptyResync();
        connect(settings().withSubscribeAll(true));
        awaitBridgeDestroyed("acd-09-hold");

        assertThat(server.wsConnections().get(0).uri()).isEqualTo("/ari/events?app=cti-lab&subscribeAll=true");
        ChannelHungUp busy = sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "acd-09-agent-1001")).get(0);
        assertThat(busy.cause()).isEqualTo(17);
        assertThat(busy.causeText()).isEqualTo("User busy");
        assertThat(sink.ofType(DialEnded.class, e -> is(e.peer(), "acd-09-agent-1001")))
                .extracting(DialEnded::dialStatus).containsExactly("BUSY");
        assertThat(sink.ofType(StasisStarted.class, e -> is(e.channel().id(), "acd-09-agent-1001"))).isEmpty();
        assertThat(sink.ofType(StasisStarted.class, e -> is(e.channel().id(), "acd-09-agent-1002")))
                .extracting(StasisStarted::args).containsExactly(List.of("agent", "acd-09-call-1"));

        // subscribeAll extras: the inbound channel before its StasisStart, the MOH announcer, its destruction
        ChannelUpserted inboundCreated = sink.ofType(ChannelUpserted.class,
                e -> is(e.channel().id(), "1795424167.49")).get(0);
        StasisStarted inboundStasis = sink.ofType(StasisStarted.class,
                e -> is(e.channel().id(), "1795424167.49")).get(0);
        assertThat(sink.indexOf(inboundCreated)).isLessThan(sink.indexOf(inboundStasis));
        assertThat(sink.ofType(DeviceStateChanged.class, e -> e.device().equals("Announcer/ARI_MOH")))
                .extracting(DeviceStateChanged::state).containsOnly(DeviceState.UNKNOWN);
        assertThat(sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "1795424167.49")))
                .extracting(ChannelHungUp::cause).containsExactly(16);
        assertThat(connector.stats().framesReceived()).isEqualTo(88);
    }

    @Test
    void givenAri10_whenReplayed_thenRingTimeoutCause19PlainDeleteCause16AndSoftCauseDropped() {
        server = FakeAriServer.start("ari-10-agent-no-answer-then-caller-abandons", "cti-lab");
        server.stubEmptyResync();
        connect(settings());
        awaitBridgeDestroyed("acd-10-hold");

        List<ChannelHungUp> leg1 = sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "acd-10-agent-1001"));
        List<ChannelHungUp> leg2 = sink.ofType(ChannelHungUp.class, e -> is(e.channel(), "acd-10-agent-1002"));
        assertThat(leg1).hasSize(1);
        assertThat(leg1.get(0).cause()).isEqualTo(19);
        assertThat(leg1.get(0).causeText()).isEqualTo("User alerting, no answer");
        assertThat(leg2).hasSize(1);
        assertThat(leg2.get(0).cause()).isEqualTo(16);
        assertThat(leg2.get(0).causeText()).isEqualTo("Normal Clearing");

        List<HangupRequested> legRequests = sink.ofType(HangupRequested.class,
                e -> e.channel().value().startsWith("acd-10-agent-"));
        assertThat(legRequests).hasSize(2).allMatch(HangupRequested::soft).allMatch(e -> e.cause() == null);
        HangupRequested callerBye = sink.ofType(HangupRequested.class, e -> is(e.channel(), "1795424183.54")).get(0);
        assertThat(callerBye.soft()).isFalse();
        assertThat(callerBye.cause()).isNull();

        assertThat(sink.ofType(DialEnded.class)).extracting(DialEnded::dialStatus)
                .containsExactly("NOANSWER", "NOANSWER");
        assertThat(connector.stats().duplicateFrames()).isEqualTo(12);
    }

    @Test
    void givenAri11_whenReplayed_thenRecordingsFinishWithDurations6And4AndRecordingRestAnswers204()
            throws Exception {
        server = FakeAriServer.start("ari-11-recording-mute", "cti-lab");
        server.stubEmptyResync();
        connect(settings());
        awaitBridgeDestroyed("acd-11-mix-1");

        List<RecordingChanged> finished = sink.ofType(RecordingChanged.class,
                r -> r.state() == RecordingState.STOPPED);
        assertThat(finished).extracting(RecordingChanged::recording)
                .containsExactly("acd-11-rec-mute", "acd-11-rec-pause");
        assertThat(finished).extracting(RecordingChanged::durationSeconds).containsExactly(6, 4);
        assertThat(finished).allMatch(r -> r.bridge().equals(BridgeId.of("acd-11-mix-1")));

        assertThat(client.muteRecording("acd-11-rec-mute").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(client.unmuteRecording("acd-11-rec-mute").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(client.pauseRecording("acd-11-rec-pause").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(client.unpauseRecording("acd-11-rec-pause").get(5, TimeUnit.SECONDS)).isNull();
        assertThat(client.deleteStoredRecording("acd-11-rec-pause").get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void givenAri12_whenSocketDropsThenAppIsTakenOver_thenResyncFromRestAndReplacedClosedByUs() {
        server = FakeAriServer.start("ari-12-ws-drop-and-takeover", "cti-lab");
        server.stubEmptyResync();
        server.stepConnection(1);
        connect(settings());

        // ws1: the caller arrives and waits in the holding bridge
        await().atMost(WAIT).until(() -> !sink.ofType(BridgeEntered.class).isEmpty());
        awaitFramesSent(0);

        // Asterisk's socket goes away; the snapshot must now come from the recorded REST answers
        server.clearStubs();
        server.dropEventSockets();
        await().atMost(WAIT).until(() -> sink.ofType(ResyncSnapshot.class).size() == 2);
        assertThat(sink.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP);

        ResyncSnapshot snapshot = sink.ofType(ResyncSnapshot.class).get(1);
        assertThat(snapshot.channels()).hasSize(1);
        ChannelSnapshot waiting = snapshot.channels().get(0);
        assertThat(waiting.id()).isEqualTo(ChannelId.of("1795424217.65"));
        assertThat(waiting.name()).isEqualTo("PJSIP/2001-0000001e");
        assertThat(waiting.state()).isEqualTo(ChannelState.UP);
        assertThat(waiting.caller().number()).isEqualTo("2001");
        assertThat(snapshot.bridges()).hasSize(1);
        BridgeSnapshot hold = snapshot.bridges().get(0);
        assertThat(hold.id()).isEqualTo(BridgeId.of("acd-12-hold"));
        assertThat(hold.type()).isEqualTo("holding");
        assertThat(hold.channels()).containsExactly(ChannelId.of("1795424217.65"));
        assertThat(server.requests("GET", "/ari/applications/cti-lab")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(server.requests("GET", "/ari/channels")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(server.requests("GET", "/ari/bridges")).hasSizeGreaterThanOrEqualTo(2);

        // ws2: one live event, then ApplicationReplaced; Asterisk (and the fake) leave the socket open
        server.sendNext(1);
        await().atMost(WAIT).until(() -> !sink.ofType(ChannelVarSet.class).isEmpty());
        assertThat(sink.ofType(ChannelVarSet.class).get(0).name()).isEqualTo("CTI_AFTER_RECONNECT");
        server.sendNext(1);
        await().atMost(WAIT).until(() -> sink.linkStates().size() == 4);
        LinkStateChanged replaced = sink.ofType(LinkStateChanged.class).get(3);
        assertThat(replaced.state()).isEqualTo(LinkState.DOWN);
        assertThat(replaced.detail()).isEqualTo(AriEventsConnector.REPLACED_REASON);
        FakeAriServer.WsConnection ws2 = server.wsConnections().get(1);
        await().atMost(WAIT).until(ws2::closed);
        assertThat(ws2.closeFrameFromClient()).as("closed by the connector, not by the server").isTrue();

        // after reconnectMax the connector takes the app back (ws3) and sees the rest of the call
        awaitBridgeDestroyed("acd-12-hold");
        assertThat(sink.linkStates()).containsExactly(LinkState.UP, LinkState.DOWN, LinkState.UP, LinkState.DOWN,
                LinkState.UP);
        LinkStateChanged backUp = sink.ofType(LinkStateChanged.class).get(4);
        assertThat(Duration.between(replaced.meta().receivedAt(), backUp.meta().receivedAt()))
                .as("waited for reconnectMax (600 ms) before taking the app back")
                .isGreaterThanOrEqualTo(Duration.ofMillis(590));
        assertThat(sink.ofType(ChannelVarSet.class)).extracting(ChannelVarSet::name)
                .containsExactly("CTI_AFTER_RECONNECT", "CTI_AFTER_TAKEOVER");
        assertThat(sink.ofType(StasisEnded.class, e -> is(e.channel(), "1795424217.65"))).hasSize(1);
        List<AsteriskEvent> all = sink.all();
        assertThat(all.get(all.size() - 1)).isInstanceOf(BridgeDestroyed.class);
    }
}
