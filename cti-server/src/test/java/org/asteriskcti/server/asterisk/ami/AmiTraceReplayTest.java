package org.asteriskcti.server.asterisk.ami;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeDestroyed;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeEntered;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeLeft;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgesMerged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelHungUp;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelVarSet;
import org.asteriskcti.server.asterisk.AsteriskEvent.ConferenceChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DeviceStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived;
import org.asteriskcti.server.asterisk.AsteriskEvent.HangupRequested;
import org.asteriskcti.server.asterisk.AsteriskEvent.HoldChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.OriginateFinished;
import org.asteriskcti.server.asterisk.AsteriskEvent.QueueActivity;
import org.asteriskcti.server.asterisk.AsteriskEvent.RecordingChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.AsteriskEvent.TransferCompleted;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.ConferenceChange;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.QueueActivityKind;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.TransferKind;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskjava.manager.action.AbstractManagerAction;
import org.asteriskjava.manager.action.PJSipShowContactsAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replays each recorded AMI trace (Asterisk 22.10.1) through {@link FakeAmiServer} into a real
 * {@link AmiConnector} and checks the translated events against what the trace says.
 */
class AmiTraceReplayTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    // ---- ami-00 -------------------------------------------------------------------------------

    @Test
    void givenWrongSecret_whenConnecting_thenOneDownWithAuthFailureAndKeepsRetrying() {
        Replay r = replay("ami-00-login-and-actions-badlogin", AmiSettings.of("127.0.0.1", 5038, "cti", "wrong"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> r.server.actions("Login").size() >= 3);

        assertThat(r.events.all()).hasSize(1);
        LinkStateChanged down = (LinkStateChanged) r.events.all().get(0);
        assertThat(down.state()).isEqualTo(LinkState.DOWN);
        assertThat(down.detail()).isEqualTo("authentication failed for user 'cti' (Authentication failed)");
        assertThat(down.meta().source()).isEqualTo(Source.AMI);
        assertThat(r.connector.state()).isEqualTo(LinkState.DOWN);
        assertThat(r.server.connectionCount()).isGreaterThanOrEqualTo(3);
        assertThat(r.server.actions("Login").get(0).header("AuthType")).isEqualTo("MD5");
    }

    @Test
    void givenIdleAsterisk_whenLoggedIn_thenUpAndEmptySnapshotAndRecordedAnswersReachTheCommands() throws Exception {
        Replay r = replay("ami-00-login-and-actions", settings(), "Ping", "CoreShowChannels", "NoSuchAction");
        r.awaitUp();

        r.connector.ping().get(5, TimeUnit.SECONDS); // recorded lab-2 Pong
        CompletableFuture<?> unknown = r.connector.sendAction(new NamedAction("NoSuchAction"));
        CompletableFuture<Void> secondPing = r.connector.ping(); // recorded lab-13
        Throwable refused = failure(unknown);
        secondPing.get(5, TimeUnit.SECONDS);
        r.awaitEvent(ResyncSnapshot.class, s -> true);

        assertThat(refused).isInstanceOf(AmiActionException.class);
        assertThat(((AmiActionException) refused).action()).isEqualTo("NoSuchAction");
        assertThat(((AmiActionException) refused).reason()).isEqualTo(
                "Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.");
        assertThat(r.events.kinds()).startsWith("LinkStateChanged", "ResyncSnapshot");
        ResyncSnapshot snapshot = r.events.ofType(ResyncSnapshot.class).get(0);
        assertThat(snapshot.channels()).isEmpty();
        assertThat(snapshot.bridges()).isEmpty();
        FakeAmiServer.ClientAction login = r.server.actions("Login").get(0);
        assertThat(login.header("Events")).isEqualTo("system,call,agent,user,dtmf");
        assertThat(login.header("Username")).isEqualTo("cti");
        assertThat(login.header("Secret")).as("the secret never goes over the wire").isNull();
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> r.connector.droppedEvents().containsKey("RequestBadFormat"));
        assertThat(r.connector.droppedEvents()).containsEntry("FullyBooted", 1L).containsEntry("SuccessfulAuth", 1L);
    }

    // ---- ami-01 -------------------------------------------------------------------------------

    @Test
    void givenQueueCallAnsweredByAgent_whenReplayed_thenOneCallOfTwoLegsBridgedAndAgentConnectedAfterTwoSecondsRinging() {
        Replay r = replay("ami-01-queue-answered", settings());
        ChannelId customer = ChannelId.of("1795422392.0");
        ChannelId agent = ChannelId.of("1795422392.1");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(customer));
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(agent));

        assertThat(r.events.linkStates()).containsExactly(LinkState.UP);
        assertThat(r.events.kinds()).startsWith("LinkStateChanged", "ResyncSnapshot");
        ChannelSnapshot first = r.upsertOf("PJSIP/2001-00000000");
        assertThat(first.id()).isEqualTo(customer);
        assertThat(first.state()).isEqualTo(ChannelState.RING);
        assertThat(first.caller()).isEqualTo(new Party("2001", "Customer One"));
        assertThat(first.connected()).isEqualTo(Party.EMPTY);
        assertThat(first.linkedId()).isEqualTo("1795422392.0");
        assertThat(first.context()).isEqualTo("from-customer");
        assertThat(first.exten()).isEqualTo("600");
        assertThat(first.language()).isEqualTo("en");
        ChannelSnapshot agentLeg = r.upsertOf("PJSIP/1001-00000001");
        assertThat(agentLeg.id()).isEqualTo(agent);
        assertThat(agentLeg.linkedId()).isEqualTo(first.linkedId());

        assertThat(r.events.ofType(DialStarted.class)).singleElement()
                .satisfies(d -> assertThat(d).extracting(DialStarted::caller, DialStarted::peer, DialStarted::dialString)
                        .containsExactly(customer, agent, "PJSIP/1001"));
        assertThat(r.events.ofType(DialEnded.class)).extracting(DialEnded::peer, DialEnded::dialStatus)
                .containsExactly(tuple(agent, "ANSWER"));

        assertThat(r.queue(customer)).extracting(QueueActivity::kind).containsExactly(
                QueueActivityKind.CALLER_JOINED, QueueActivityKind.AGENT_CALLED, QueueActivityKind.CALLER_LEFT,
                QueueActivityKind.AGENT_CONNECTED, QueueActivityKind.AGENT_COMPLETED);
        QueueActivity connected = r.queue(customer).get(3);
        assertThat(connected.queue()).isEqualTo("support");
        assertThat(connected.member()).isEqualTo("PJSIP/1001");
        assertThat(connected.memberChannel()).isEqualTo(agent);
        assertThat(connected.ringSeconds()).isEqualTo(2);
        assertThat(connected.holdSeconds()).isEqualTo(2);
        QueueActivity completed = r.queue(customer).get(4);
        assertThat(completed.talkSeconds()).isEqualTo(4);
        assertThat(completed.reason()).isEqualTo("caller");

        List<BridgeEntered> entered = r.events.ofType(BridgeEntered.class);
        assertThat(entered).extracting(BridgeEntered::channel).containsExactly(agent, customer);
        assertThat(entered).extracting(e -> e.bridge().id()).containsOnly(entered.get(0).bridge().id());
        BridgeSnapshot bridge = r.events.ofType(BridgeUpserted.class).get(0).bridge();
        assertThat(bridge.id()).isEqualTo(entered.get(0).bridge().id());
        assertThat(bridge.type()).isEqualTo("basic");
        assertThat(bridge.technology()).isEqualTo("simple_bridge");
        assertThat(bridge.creator()).as("<unknown> on the wire").isEmpty();

        assertThat(r.events.ofType(HangupRequested.class, h -> !h.soft())).extracting(HangupRequested::channel,
                HangupRequested::cause).containsExactly(tuple(customer, null));
        assertThat(r.events.ofType(ChannelHungUp.class)).extracting(ChannelHungUp::channel, ChannelHungUp::cause,
                ChannelHungUp::causeText).containsExactlyInAnyOrder(tuple(customer, 16, "Normal Clearing"),
                        tuple(agent, 16, "Normal Clearing"));
        assertThat(r.events.indexOf(completed))
                .isLessThan(r.events.indexOf(r.events.ofType(ChannelHungUp.class).get(0)));
        assertThat(r.events.ofType(DeviceStateChanged.class, d -> d.device().equals("PJSIP/1001")))
                .extracting(DeviceStateChanged::state)
                .containsExactly(DeviceState.RINGING, DeviceState.INUSE, DeviceState.NOT_INUSE);
        assertThat(r.connector.droppedEvents()).containsEntry("VarSet", 96L).doesNotContainKey("QueueCallerJoin");
    }

    // ---- ami-02 -------------------------------------------------------------------------------

    @Test
    void givenCallerHangsUpWhileAgentRings_whenReplayed_thenDialCancelledTwiceThenAbandonAfterFourSeconds() {
        Replay r = replay("ami-02-queue-abandoned", settings());
        ChannelId customer = ChannelId.of("1795422404.2");
        ChannelId agent = ChannelId.of("1795422405.3");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(agent));

        HangupRequested bye = r.events.first(HangupRequested.class, h -> h.channel().equals(customer) && !h.soft());
        List<DialEnded> cancels = r.events.ofType(DialEnded.class);
        assertThat(cancels).extracting(DialEnded::caller, DialEnded::peer, DialEnded::dialStatus)
                .containsExactly(tuple(customer, agent, "CANCEL"), tuple(customer, agent, "CANCEL"));
        QueueActivity abandon = r.events.first(QueueActivity.class,
                q -> q.kind() == QueueActivityKind.CALLER_ABANDONED);
        assertThat(abandon.channel()).isEqualTo(customer);
        assertThat(abandon.holdSeconds()).isEqualTo(4);
        QueueActivity left = r.events.first(QueueActivity.class, q -> q.kind() == QueueActivityKind.CALLER_LEFT);
        assertThat(List.of(r.events.indexOf(bye), r.events.indexOf(cancels.get(0)), r.events.indexOf(cancels.get(1)),
                r.events.indexOf(abandon), r.events.indexOf(left))).isSorted();
        assertThat(r.queue(customer)).extracting(QueueActivity::kind).doesNotContain(
                QueueActivityKind.AGENT_RING_NO_ANSWER, QueueActivityKind.AGENT_CONNECTED);
        assertThat(r.events.ofType(ChannelHungUp.class)).extracting(ChannelHungUp::channel, ChannelHungUp::cause,
                ChannelHungUp::causeText).containsExactly(tuple(customer, 0, "Unknown"), tuple(agent, 0, "Unknown"));
    }

    // ---- ami-03a / 03b / 03c ------------------------------------------------------------------

    @Test
    void givenAmiBlindTransfer_whenReplayed_thenExternalBlindTransferToExtension1003AndSameLinkedIdAfterwards() {
        Replay r = replay("ami-03a-blind-transfer", settings());
        ChannelId customer = ChannelId.of("1795422416.4");
        ChannelId agent = ChannelId.of("1795422417.5");
        ChannelId target = ChannelId.of("1795422421.6");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(customer));

        TransferCompleted transfer = r.events.ofType(TransferCompleted.class).get(0);
        assertThat(r.events.ofType(TransferCompleted.class)).hasSize(1);
        assertThat(transfer.kind()).isEqualTo(TransferKind.BLIND);
        assertThat(transfer.transferer()).isEqualTo(agent);
        assertThat(transfer.transferee()).isEqualTo(customer);
        assertThat(transfer.targetContext()).isEqualTo("from-internal");
        assertThat(transfer.targetExten()).isEqualTo("1003");
        assertThat(transfer.targetChannel()).isNull();
        assertThat(transfer.success()).isTrue();
        assertThat(transfer.external()).as("IsExternal: Yes (requested over AMI)").isTrue();
        AsteriskEvent before = r.events.all().get(r.events.indexOf(transfer) - 1);
        assertThat(before).isEqualTo(r.events.first(HoldChanged.class, h -> h.channel().equals(agent)));
        assertThat(((HoldChanged) before).onHold()).isFalse();
        QueueActivity completed = r.events.first(QueueActivity.class,
                q -> q.kind() == QueueActivityKind.AGENT_COMPLETED);
        assertThat(completed.reason()).isEqualTo("transfer");
        assertThat(r.events.indexOf(completed)).isGreaterThan(r.events.indexOf(transfer));

        DialStarted newDial = r.events.first(DialStarted.class, d -> d.peer().equals(target));
        assertThat(newDial.caller()).isEqualTo(customer);
        assertThat(newDial.dialString()).isEqualTo("1003");
        assertThat(r.events.indexOf(newDial)).isGreaterThan(r.events.indexOf(transfer));
        assertThat(r.upsertOf("PJSIP/1003-00000006").linkedId()).isEqualTo("1795422416.4");
        assertThat(r.events.ofType(BridgeEntered.class, b -> b.channel().equals(target))).singleElement()
                .satisfies(b -> assertThat(r.events.ofType(BridgeEntered.class,
                        e -> e.channel().equals(customer) && e.bridge().id().equals(b.bridge().id()))).hasSize(1));
    }

    @Test
    void givenAmiRedirectOfCustomer_whenReplayed_thenNoTransferEventOnlyAgentHangupAndNewDialFromCustomer() {
        Replay r = replay("ami-03b-redirect-transfer", settings());
        ChannelId customer = ChannelId.of("1795422435.7");
        ChannelId agent = ChannelId.of("1795422436.8");
        ChannelId target = ChannelId.of("1795422440.9");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(customer));

        assertThat(r.events.has(TransferCompleted.class)).isFalse();
        BridgeId firstBridge = BridgeId.of("2df0dbe8-8a75-4b47-9b1e-285c1c02b54b");
        BridgeLeft customerLeft = r.events.first(BridgeLeft.class, b -> b.channel().equals(customer));
        assertThat(customerLeft.bridge().id()).isEqualTo(firstBridge);
        BridgeDestroyed destroyed = r.events.first(BridgeDestroyed.class, b -> b.bridge().equals(firstBridge));
        ChannelHungUp agentGone = r.events.first(ChannelHungUp.class, h -> h.channel().equals(agent));
        DialStarted redial = r.events.first(DialStarted.class, d -> d.peer().equals(target));
        assertThat(redial.caller()).isEqualTo(customer);
        assertThat(redial.dialString()).isEqualTo("1003");
        assertThat(List.of(r.events.indexOf(customerLeft), r.events.indexOf(destroyed), r.events.indexOf(agentGone),
                r.events.indexOf(redial))).isSorted();
        QueueActivity completed = r.events.first(QueueActivity.class,
                q -> q.kind() == QueueActivityKind.AGENT_COMPLETED);
        assertThat(completed.reason()).isEqualTo("caller");
        assertThat(completed.talkSeconds()).as("includes the time after the redirect").isEqualTo(9);
        assertThat(r.events.indexOf(completed)).isGreaterThan(r.events.indexOf(
                r.events.first(ChannelHungUp.class, h -> h.channel().equals(target))));
    }

    @Test
    void givenAmiAtxfer_whenReplayed_thenDtmfFeatureCodeHoldMergeAndAttendedTransferWithoutTarget() {
        Replay r = replay("ami-03c-attended-transfer", settings());
        ChannelId customer = ChannelId.of("1795422454.10");
        ChannelId agent = ChannelId.of("1795422455.11");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(customer));

        List<DtmfReceived> digits = r.events.ofType(DtmfReceived.class);
        assertThat(digits).extracting(DtmfReceived::channel).containsOnly(agent);
        assertThat(digits.stream().map(d -> String.valueOf(d.digit())).collect(Collectors.joining()))
                .isEqualTo("*21003");
        HoldChanged hold = r.events.first(HoldChanged.class, HoldChanged::onHold);
        assertThat(hold.channel()).isEqualTo(agent);
        assertThat(r.upsertOf("Local/1003@from-internal-00000000;1").linkedId()).isEqualTo("1795422454.10");
        assertThat(r.upsertOf("Local/1003@from-internal-00000000;2").linkedId()).isEqualTo("1795422454.10");

        BridgesMerged merged = r.events.ofType(BridgesMerged.class).get(0);
        assertThat(merged.from()).isEqualTo(BridgeId.of("d76314ba-943d-43ef-9cda-ea1eec04b73c"));
        assertThat(merged.to()).isEqualTo(BridgeId.of("70110aa0-9309-449d-bd91-635a37acefcb"));
        TransferCompleted transfer = r.events.ofType(TransferCompleted.class).get(0);
        assertThat(r.events.ofType(TransferCompleted.class)).hasSize(1);
        assertThat(transfer.kind()).isEqualTo(TransferKind.ATTENDED);
        assertThat(transfer.transferer()).isEqualTo(agent);
        assertThat(transfer.transferee()).isEqualTo(customer);
        assertThat(transfer.targetChannel()).as("no TransferTarget fields; Orig and Second transferer are one channel")
                .isNull();
        assertThat(transfer.targetContext()).isNull();
        assertThat(transfer.external()).isFalse();
        assertThat(transfer.success()).isTrue();
        assertThat(r.events.indexOf(merged)).isLessThan(r.events.indexOf(transfer));
        assertThat(r.events.indexOf(digits.get(5))).isLessThan(r.events.indexOf(merged));
        assertThat(r.events.first(QueueActivity.class, q -> q.kind() == QueueActivityKind.AGENT_COMPLETED).reason())
                .isEqualTo("transfer");
    }

    // ---- ami-04a / 04b ------------------------------------------------------------------------

    @Test
    void givenMixMonitorStartMuteUnmuteStop_whenReplayed_thenRecordingStatesInOrderThenAmiHangupIsSoft() {
        Replay r = replay("ami-04a-mixmonitor", settings());
        ChannelId customer = ChannelId.of("1795422632.36");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(ChannelId.of("1795422632.37")));

        List<RecordingChanged> recording = r.events.ofType(RecordingChanged.class);
        assertThat(recording).extracting(RecordingChanged::state).containsExactly(RecordingState.STARTED,
                RecordingState.MUTED, RecordingState.UNMUTED, RecordingState.STOPPED);
        assertThat(recording).extracting(RecordingChanged::channel, RecordingChanged::recording, RecordingChanged::file)
                .containsOnly(tuple(customer, "1795422632.36", null));
        HangupRequested amiHangup = r.events.first(HangupRequested.class, h -> h.channel().equals(customer));
        assertThat(amiHangup.soft()).isTrue();
        assertThat(amiHangup.cause()).isEqualTo(16);
        assertThat(r.events.indexOf(amiHangup)).isGreaterThan(r.events.indexOf(recording.get(3)));
        assertThat(r.events.first(ChannelHungUp.class, h -> h.channel().equals(customer)).causeText())
                .isEqualTo("Normal Clearing");
    }

    @Test
    void givenThreePartyConfBridge_whenReplayed_thenStartThreeJoinsThreeLeavesInOrderThenEnd() {
        Replay r = replay("ami-04b-confbridge-3-parties", settings());
        ChannelId c2001 = ChannelId.of("1795422488.17");
        ChannelId c2002 = ChannelId.of("1795422490.20");
        ChannelId a1003 = ChannelId.of("1795422490.21");
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(c2001));

        assertThat(r.events.ofType(ConferenceChanged.class))
                .extracting(ConferenceChanged::conference, ConferenceChanged::change, ConferenceChanged::channel)
                .containsExactly(tuple("lab-room", ConferenceChange.STARTED, null),
                        tuple("lab-room", ConferenceChange.JOINED, c2001),
                        tuple("lab-room", ConferenceChange.JOINED, c2002),
                        tuple("lab-room", ConferenceChange.JOINED, a1003),
                        tuple("lab-room", ConferenceChange.LEFT, c2002),
                        tuple("lab-room", ConferenceChange.LEFT, a1003),
                        tuple("lab-room", ConferenceChange.LEFT, c2001),
                        tuple("lab-room", ConferenceChange.ENDED, null));
        BridgeSnapshot conf = r.events.ofType(BridgeUpserted.class).get(0).bridge();
        assertThat(conf.id()).isEqualTo(BridgeId.of("6c54d5a7-a228-4074-9603-02643443f3f4"));
        assertThat(conf.technology()).isEqualTo("softmix");
        assertThat(conf.creator()).isEqualTo("ConfBridge");
        assertThat(conf.name()).isEqualTo("lab-room");
        DialStarted originated = r.events.first(DialStarted.class, d -> d.peer().equals(a1003));
        assertThat(originated.caller()).as("an originated leg has no caller").isNull();
        assertThat(originated.dialString()).isEqualTo("1003");
        assertThat(r.events.has(OriginateFinished.class)).as("the lab client's Originate, not ours").isFalse();
    }

    // ---- ami-06 -------------------------------------------------------------------------------

    @Test
    void givenAnsweredCallUp_whenConnectorResyncsAndSendsActions_thenSnapshotHoldsBothLegsAndBareLfAnswerIsParsed()
            throws Exception {
        Replay r = replay("ami-06-status-actions-during-call", settings(), "CoreShowChannels", "BridgeList",
                "PJSIPShowContacts", "Getvar", "Setvar", "Hangup");
        ChannelId customer = ChannelId.of("1795422504.22");
        ChannelId agent = ChannelId.of("1795422505.23");
        r.awaitUp();

        CompletableFuture<?> contacts = r.connector.sendAction(new PJSipShowContactsAction());
        CompletableFuture<String> state = r.connector.getVariable(customer, "CHANNEL(state)");
        CompletableFuture<Void> tag = r.connector.setVariable(customer, "CTI_TAG", "lab");
        CompletableFuture<Void> hangup = r.connector.hangup(customer, 16);
        Throwable noContacts = failure(contacts);
        assertThat(state.get(10, TimeUnit.SECONDS)).isEqualTo("Up");
        tag.get(10, TimeUnit.SECONDS);
        hangup.get(10, TimeUnit.SECONDS);
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(customer));

        assertThat(noContacts).isInstanceOf(AmiActionException.class);
        assertThat(((AmiActionException) noContacts).reason()).as("bare LF inside the message")
                .isEqualTo("No Contacts found");

        assertThat(r.events.kinds()).startsWith("LinkStateChanged", "ResyncSnapshot");
        ResyncSnapshot snapshot = (ResyncSnapshot) r.events.all().get(1);
        assertThat(snapshot.channels()).extracting(ChannelSnapshot::id, ChannelSnapshot::name, ChannelSnapshot::state,
                ChannelSnapshot::linkedId).containsExactly(
                        tuple(customer, "PJSIP/2001-00000012", ChannelState.UP, "1795422504.22"),
                        tuple(agent, "PJSIP/1001-00000013", ChannelState.UP, "1795422504.22"));
        assertThat(snapshot.channels().get(0).caller()).isEqualTo(new Party("2001", "Customer One"));
        assertThat(snapshot.channels().get(0).connected()).isEqualTo(new Party("1001", "Agent One"));
        assertThat(snapshot.channels().get(0).context()).isEqualTo("from-customer");
        assertThat(snapshot.bridges()).singleElement().satisfies(b -> {
            assertThat(b.id()).isEqualTo(BridgeId.of("cebcce8d-6250-4179-a419-5bc284d7c327"));
            assertThat(b.type()).isEqualTo("basic");
            assertThat(b.technology()).isEqualTo("simple_bridge");
            assertThat(b.channels()).containsExactly(customer, agent);
        });
        // The call was set up before the listing: those events were held back and follow the snapshot.
        ChannelUpserted newChannel = r.events.first(ChannelUpserted.class,
                u -> u.channel().id().equals(customer) && u.channel().state() == ChannelState.RING);
        assertThat(r.events.indexOf(newChannel)).isGreaterThan(1);
        assertThat(r.events.ofType(ChannelVarSet.class)).singleElement().satisfies(v -> assertThat(v)
                .extracting(ChannelVarSet::channel, ChannelVarSet::name, ChannelVarSet::value)
                .containsExactly(customer, "CTI_TAG", "lab"));
        HangupRequested soft = r.events.first(HangupRequested.class, h -> h.channel().equals(customer));
        assertThat(soft.soft()).as("AMI Hangup is a soft hangup").isTrue();
        assertThat(r.events.ofType(ChannelHungUp.class)).extracting(ChannelHungUp::channel)
                .containsExactly(agent, customer);
        assertThat(r.server.actions("Hangup").get(0).header("Channel")).isEqualTo("1795422504.22");
        assertThat(r.server.actions("Hangup").get(0).header("Cause")).isEqualTo("16");
    }

    // ---- ami-07 -------------------------------------------------------------------------------

    @Test
    void givenOriginateWithChannelId_whenReplayed_thenStringUniqueidThroughoutAndOriginateFinishedCarriesOurRef()
            throws Exception {
        Replay r = replay("ami-07-click-to-call-originate", settings(), "Originate");
        r.awaitUp();
        ChannelId agentLeg = ChannelId.of("c2c-agent-leg-1");

        String ref = r.connector.originate(OriginateRequest.of("PJSIP/1001", "from-internal", "2002")
                .withActionRef("c2c-1")
                .withCallerId("\"Click2Call\" <2002>")
                .withChannelIds(agentLeg, ChannelId.of("c2c-local-1"))
                .withVariables(Map.of("CTI_CALL_ID", "lab-c2c-1", "CTI_AGENT", "1001"))
                .withTimeout(Duration.ofSeconds(20))).get(10, TimeUnit.SECONDS);
        r.awaitEvent(ChannelHungUp.class, h -> h.channel().equals(agentLeg));

        assertThat(ref).isEqualTo("c2c-1");
        OriginateFinished finished = r.events.ofType(OriginateFinished.class).get(0);
        assertThat(finished.actionRef()).isEqualTo("c2c-1");
        assertThat(finished.channel()).isEqualTo(agentLeg);
        assertThat(finished.success()).isTrue();
        assertThat(finished.reason()).isEqualTo("answered");
        ChannelSnapshot leg = r.upsertOf("PJSIP/1001-00000014");
        assertThat(leg.id()).isEqualTo(agentLeg);
        assertThat(leg.linkedId()).isEqualTo("c2c-agent-leg-1");
        assertThat(r.upsertOf("PJSIP/2002-00000015").linkedId()).isEqualTo("c2c-agent-leg-1");
        assertThat(r.events.ofType(DialStarted.class)).extracting(DialStarted::caller, DialStarted::peer)
                .containsExactly(tuple(null, agentLeg), tuple(agentLeg, ChannelId.of("1795422525.25")));
        DialStarted secondLeg = r.events.ofType(DialStarted.class).get(1);
        assertThat(r.events.indexOf(finished)).as("OriginateResponse comes before the second leg is dialled")
                .isLessThan(r.events.indexOf(secondLeg));
        assertThat(r.events.ofType(ChannelVarSet.class)).extracting(ChannelVarSet::channel, ChannelVarSet::name,
                ChannelVarSet::value).containsExactly(tuple(agentLeg, "CTI_AGENT", "1001"),
                        tuple(agentLeg, "CTI_CALL_ID", "lab-c2c-1"));
        assertThat(r.events.ofType(ChannelHungUp.class)).extracting(ChannelHungUp::channel)
                .containsExactly(ChannelId.of("1795422525.25"), agentLeg);

        FakeAmiServer.ClientAction sent = r.server.actions("Originate").get(0);
        assertThat(sent.actionId()).endsWith("#c2c-1");
        assertThat(sent.header("ChannelId")).isEqualTo("c2c-agent-leg-1");
        assertThat(sent.header("OtherChannelId")).isEqualTo("c2c-local-1");
        assertThat(sent.header("Async")).isEqualTo("true");
        assertThat(sent.header("Timeout")).isEqualTo("20000");
        assertThat(sent.header("CallerId")).isEqualTo("\"Click2Call\" <2002>");
        assertThat(sent.lines()).contains("variable: CTI_CALL_ID=lab-c2c-1", "variable: CTI_AGENT=1001");
    }

    // ---- harness ------------------------------------------------------------------------------

    static AmiSettings settings() {
        return AmiSettings.of("127.0.0.1", 5038, "cti", "cti-secret");
    }

    private Replay replay(String trace, AmiSettings base, String... expecting) {
        FakeAmiServer server = FakeAmiServer.replaying(trace).expecting(expecting).start();
        open.add(server);
        AmiSettings s = new AmiSettings(base.host(), server.port(), base.username(), base.secret(),
                Duration.ofSeconds(2), base.pingInterval(), base.pingTimeout(), Duration.ofMillis(50),
                Duration.ofMillis(200), base.eventMask(), base.actionTimeout());
        EventRecorder events = new EventRecorder();
        AmiConnector connector = new AmiConnector(s, events, Clock.systemUTC());
        open.add(connector);
        connector.start();
        return new Replay(server, events, connector);
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer", e);
        }
        throw new AssertionError("expected a failure");
    }

    /** An action asterisk-java has no class for. */
    public static final class NamedAction extends AbstractManagerAction {
        private static final long serialVersionUID = 1L;
        private final String name;

        public NamedAction(String name) {
            this.name = name;
        }

        @Override
        public String getAction() {
            return name;
        }
    }

    private static final class Replay {
        final FakeAmiServer server;
        final EventRecorder events;
        final AmiConnector connector;

        Replay(FakeAmiServer server, EventRecorder events, AmiConnector connector) {
            this.server = server;
            this.events = events;
            this.connector = connector;
        }

        void awaitUp() {
            await().atMost(10, TimeUnit.SECONDS).until(() -> connector.state() == LinkState.UP);
        }

        <T extends AsteriskEvent> void awaitEvent(Class<T> type, Predicate<T> p) {
            await().atMost(15, TimeUnit.SECONDS).until(() -> !events.ofType(type, p).isEmpty());
        }

        /** The first ChannelUpserted (the Newchannel) of the channel with this name. */
        ChannelSnapshot upsertOf(String name) {
            return events.first(ChannelUpserted.class, u -> u.channel().name().equals(name)).channel();
        }

        List<QueueActivity> queue(ChannelId caller) {
            return events.ofType(QueueActivity.class, q -> q.channel().equals(caller));
        }
    }
}
