package org.asteriskcti.server.asterisk.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeEntered;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeLeft;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelHungUp;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelVarSet;
import org.asteriskcti.server.asterisk.AsteriskEvent.DeviceStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived;
import org.asteriskcti.server.asterisk.AsteriskEvent.EndpointStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.HangupRequested;
import org.asteriskcti.server.asterisk.AsteriskEvent.HoldChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.PlaybackChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.RecordingChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.TransferCompleted;
import org.asteriskcti.server.asterisk.AsteriskEvent.Unrecognized;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.TransferKind;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.Test;

/** Single frames and whole recorded streams through the translator, no sockets. */
class AriTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AriTranslator translator = new AriTranslator(clock);

    private final TraceFiles ari05 = TraceFiles.load("ari-05-stasis-bridge-record-snoop");
    private final TraceFiles ari08 = TraceFiles.load("ari-08-acd-answered");
    private final TraceFiles ari09 = TraceFiles.load("ari-09-agent-busy-then-next");
    private final TraceFiles ari10 = TraceFiles.load("ari-10-agent-no-answer-then-caller-abandons");
    private final TraceFiles ari11 = TraceFiles.load("ari-11-recording-mute");

    private AsteriskEvent one(String frame) {
        Optional<AsteriskEvent> e = translator.translate(frame);
        assertThat(e).as("event for %s", frame).isPresent();
        return e.get();
    }

    private List<AsteriskEvent> replay(TraceFiles trace) {
        List<AsteriskEvent> out = new ArrayList<>();
        for (String frame : trace.frames(0)) {
            translator.translate(frame).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void givenDialplanStasisStart_whenTranslated_thenStasisStartedWithArgsRingStateAndAsteriskTime() {
        StasisStarted e = (StasisStarted) one(ari05.line(1));

        assertThat(e.args()).containsExactly("inbound", "2001");
        assertThat(e.application()).isEqualTo("cti-lab");
        assertThat(e.channel().id()).isEqualTo(ChannelId.of("1795422593.31"));
        assertThat(e.channel().name()).isEqualTo("PJSIP/2001-00000018");
        assertThat(e.channel().state()).isEqualTo(ChannelState.RING);
        assertThat(e.channel().caller().number()).isEqualTo("2001");
        assertThat(e.channel().caller().name()).isEqualTo("Customer One");
        assertThat(e.channel().context()).isEqualTo("from-customer");
        assertThat(e.channel().exten()).isEqualTo("700");
        assertThat(e.channel().language()).isEqualTo("en");
        assertThat(e.channel().linkedId()).isNull();
        assertThat(e.channel().createdAt()).isEqualTo(Instant.parse("2026-11-23T08:29:53.753Z"));
        assertThat(e.meta().asteriskTime()).isEqualTo(Instant.parse("2026-11-23T08:29:53.753Z"));
        assertThat(e.meta().receivedAt()).isEqualTo(NOW);
        assertThat(e.meta().source()).isEqualTo(Source.ARI);
    }

    @Test
    void givenChannelEvents_whenTranslated_thenChannelUpsertedWithTheNewFields() {
        ChannelUpserted created = (ChannelUpserted) one(ari08.firstFrame("ChannelCreated"));
        ChannelUpserted dialplan = (ChannelUpserted) one(ari08.firstFrame("ChannelDialplan"));
        ChannelUpserted callerId = (ChannelUpserted) one(ari08.firstFrame("ChannelCallerId"));
        ChannelUpserted ringing = (ChannelUpserted) one(ari08.line(14));

        assertThat(created.channel().id()).isEqualTo(ChannelId.of("acd-08-agent-1001"));
        assertThat(created.channel().state()).isEqualTo(ChannelState.DOWN);
        assertThat(created.channel().caller().name()).isEqualTo("Agent One");
        assertThat(dialplan.channel().context()).isEqualTo("from-internal");
        assertThat(dialplan.channel().exten()).isEqualTo("s");
        assertThat(callerId.channel().caller().number()).isEqualTo("2001");
        assertThat(callerId.channel().caller().name()).isEqualTo("Customer One");
        assertThat(ringing.channel().state()).isEqualTo(ChannelState.RINGING);
        assertThat(ringing.channel().device()).isEqualTo("PJSIP/1001");
    }

    @Test
    void givenSoftHangupRequest_whenTranslated_thenCause32IsNotPassedAsQ850() {
        HangupRequested e = (HangupRequested) one(ari10.line(19));

        assertThat(e.channel()).isEqualTo(ChannelId.of("acd-10-agent-1001"));
        assertThat(e.soft()).isTrue();
        assertThat(e.cause()).isNull();
    }

    @Test
    void givenBye_whenTranslated_thenHardHangupRequestWithItsCauseOrNullWhenAbsent() {
        HangupRequested inMixing = (HangupRequested) one(ari08.line(64));
        HangupRequested inHolding = (HangupRequested) one(ari10.line(45));

        assertThat(inMixing.soft()).isFalse();
        assertThat(inMixing.cause()).isEqualTo(16);
        assertThat(inHolding.channel()).isEqualTo(ChannelId.of("1795424183.54"));
        assertThat(inHolding.soft()).isFalse();
        assertThat(inHolding.cause()).isNull();
    }

    @Test
    void givenChannelDestroyed_whenTranslated_thenQ850CauseAndText() {
        ChannelHungUp ringTimeout = (ChannelHungUp) one(ari10.line(23));
        ChannelHungUp plainDelete = (ChannelHungUp) one(ari10.line(52));
        ChannelHungUp busy = (ChannelHungUp) one(ari09.line(21));

        assertThat(ringTimeout.cause()).isEqualTo(19);
        assertThat(ringTimeout.causeText()).isEqualTo("User alerting, no answer");
        assertThat(plainDelete.cause()).isEqualTo(16);
        assertThat(plainDelete.causeText()).isEqualTo("Normal Clearing");
        assertThat(busy.channel()).isEqualTo(ChannelId.of("acd-09-agent-1001"));
        assertThat(busy.cause()).isEqualTo(17);
        assertThat(busy.causeText()).isEqualTo("User busy");
    }

    @Test
    void givenDialFrames_whenTranslated_thenEmptyStatusStartsFinalStatusEndsAndRingingIsIgnored() {
        DialStarted start = (DialStarted) one(ari09.line(18));
        DialEnded busy = (DialEnded) one(ari09.line(20));
        Optional<AsteriskEvent> ringing = translator.translate(ari09.line(29));

        assertThat(start.caller()).isNull();
        assertThat(start.peer()).isEqualTo(ChannelId.of("acd-09-agent-1001"));
        assertThat(start.dialString()).isEqualTo("1001");
        assertThat(busy.dialStatus()).isEqualTo("BUSY");
        assertThat(busy.peer()).isEqualTo(ChannelId.of("acd-09-agent-1001"));
        assertThat(ringing).isEmpty();
        assertThat(translator.ignoredFrames()).isEqualTo(1);
    }

    @Test
    void givenChannelVarsets_whenTranslated_thenOnlyCtiVariablesReachTheDomain() {
        ChannelVarSet cti = (ChannelVarSet) one(ari08.line(11));
        Optional<AsteriskEvent> bridgePeer = translator.translate(ari08.line(30));
        Optional<AsteriskEvent> qos = translator.translate(ari08.line(49));

        assertThat(cti.channel()).isEqualTo(ChannelId.of("acd-08-agent-1001"));
        assertThat(cti.name()).isEqualTo("CTI_CALL_ID");
        assertThat(cti.value()).isEqualTo("acd-08-call-1");
        assertThat(bridgePeer).isEmpty();
        assertThat(qos).isEmpty();
        assertThat(translator.ignoredFrames()).isEqualTo(2);
    }

    @Test
    void givenBridgeFrames_whenTranslated_thenSnapshotsKeepTheRacyChannelListAsIs() {
        BridgeLeft leftHolding = (BridgeLeft) one(ari08.line(27));
        BridgeEntered enteredMixing = (BridgeEntered) one(ari08.line(28));
        BridgeUpserted created = (BridgeUpserted) one(ari09.firstFrame("BridgeCreated"));

        assertThat(leftHolding.bridge().id()).isEqualTo(BridgeId.of("acd-08-hold"));
        assertThat(leftHolding.bridge().type()).isEqualTo("holding");
        assertThat(leftHolding.bridge().channels()).containsExactly(ChannelId.of("1795424151.47"));
        assertThat(leftHolding.channel()).isEqualTo(ChannelId.of("1795424151.45"));
        assertThat(enteredMixing.bridge().id()).isEqualTo(BridgeId.of("acd-08-mix-1"));
        assertThat(enteredMixing.bridge().type()).isEqualTo("mixing");
        assertThat(enteredMixing.bridge().technology()).isEqualTo("simple_bridge");
        assertThat(created.bridge().id()).isEqualTo(BridgeId.of("acd-09-hold"));
        assertThat(created.bridge().creator()).isEqualTo("Stasis");
    }

    @Test
    void givenDtmfPlaybackDeviceAndEndpointFrames_whenTranslated_thenTypedValues() {
        DtmfReceived dtmf = (DtmfReceived) one(ari05.firstFrame("ChannelDtmfReceived"));
        PlaybackChanged started = (PlaybackChanged) one(ari08.firstFrame("PlaybackStarted"));
        PlaybackChanged finished = (PlaybackChanged) one(ari08.firstFrame("PlaybackFinished"));
        DeviceStateChanged ringing = (DeviceStateChanged) one(ari08.firstFrame("DeviceStateChanged"));
        EndpointStateChanged endpoint = (EndpointStateChanged) one(ari08.firstFrame("EndpointStateChange"));
        DeviceStateChanged announcer = (DeviceStateChanged) one(ari09.line(39));

        assertThat(dtmf.digit()).isEqualTo('1');
        assertThat(dtmf.durationMs()).isEqualTo(280);
        assertThat(dtmf.channel()).isEqualTo(ChannelId.of("1795422593.31"));
        assertThat(started.playbackId()).isEqualTo("acd-08-pos-1");
        assertThat(started.state()).isEqualTo(PlaybackState.STARTED);
        assertThat(started.target()).isEqualTo("channel:1795424151.45");
        assertThat(started.media()).isEqualTo("sound:queue-youarenext");
        assertThat(finished.state()).isEqualTo(PlaybackState.FINISHED);
        assertThat(ringing.device()).isEqualTo("PJSIP/1001");
        assertThat(ringing.state()).isEqualTo(DeviceState.RINGING);
        assertThat(endpoint.endpoint()).isEqualTo("PJSIP/1001");
        assertThat(endpoint.online()).isTrue();
        assertThat(announcer.device()).isEqualTo("Announcer/ARI_MOH");
        assertThat(announcer.state()).isEqualTo(DeviceState.UNKNOWN);
    }

    @Test
    void givenRecordingFrames_whenTranslated_thenTargetSplitIntoBridgeOrChannelAndDurations() {
        RecordingChanged bridgeStart = (RecordingChanged) one(ari05.nthFrame("RecordingStarted", 0));
        RecordingChanged bridgeEnd = (RecordingChanged) one(ari05.nthFrame("RecordingFinished", 0));
        RecordingChanged snoopEnd = (RecordingChanged) one(ari05.nthFrame("RecordingFinished", 1));
        RecordingChanged mute = (RecordingChanged) one(ari11.nthFrame("RecordingFinished", 0));
        RecordingChanged pause = (RecordingChanged) one(ari11.nthFrame("RecordingFinished", 1));

        assertThat(bridgeStart.recording()).isEqualTo("lab-bridge-rec-1");
        assertThat(bridgeStart.state()).isEqualTo(RecordingState.STARTED);
        assertThat(bridgeStart.bridge()).isEqualTo(BridgeId.of("cti-lab-bridge-1"));
        assertThat(bridgeStart.channel()).isNull();
        assertThat(bridgeStart.durationSeconds()).isNull();
        assertThat(bridgeEnd.state()).isEqualTo(RecordingState.STOPPED);
        assertThat(bridgeEnd.durationSeconds()).isEqualTo(2);
        assertThat(bridgeEnd.file()).isEqualTo("lab-bridge-rec-1.wav");
        assertThat(snoopEnd.channel()).isEqualTo(ChannelId.of("lab-snoop-1"));
        assertThat(snoopEnd.bridge()).isNull();
        assertThat(mute.recording()).isEqualTo("acd-11-rec-mute");
        assertThat(mute.durationSeconds()).isEqualTo(6);
        assertThat(pause.recording()).isEqualTo("acd-11-rec-pause");
        assertThat(pause.durationSeconds()).isEqualTo(4);
    }

    @Test
    void givenStasisEnd_whenTranslated_thenStasisEndedForThatChannel() {
        StasisEnded e = (StasisEnded) one(ari05.nthFrame("StasisEnd", 1));

        assertThat(e.channel()).isEqualTo(ChannelId.of("1795422593.31"));
        assertThat(e.application()).isEqualTo("cti-lab");
    }

    @Test
    void givenUnknownEventType_whenTranslated_thenUnrecognizedWithTheRawJson() {
        String raw = "{\"type\":\"ChannelTalkingStarted\",\"timestamp\":\"2026-11-23T08:30:00.000+0000\","
                + "\"channel\":{\"id\":\"x.1\",\"name\":\"PJSIP/9-1\"},\"application\":\"cti-lab\"}";

        Unrecognized e = (Unrecognized) one(raw);

        assertThat(e.type()).isEqualTo("ChannelTalkingStarted");
        assertThat(e.raw()).isEqualTo(raw);
        assertThat(e.meta().asteriskTime()).isEqualTo(Instant.parse("2026-11-23T08:30:00Z"));
        assertThat(translator.unrecognizedFrames()).isEqualTo(1);
    }

    @Test
    void givenMalformedFrames_whenTranslated_thenCountedAndTheNextGoodFrameStillTranslates() {
        assertThat(translator.translate("{\"type\":\"StasisStart\",")).isEmpty();
        assertThat(translator.translate("[1,2,3]")).isEmpty();
        assertThat(translator.translate("{\"no_type\":true}")).isEmpty();

        AsteriskEvent next = one(ari05.line(1));

        assertThat(translator.malformedFrames()).isEqualTo(3);
        assertThat(next).isInstanceOf(StasisStarted.class);
    }

    @Test
    void givenKnownTypeWithoutItsChannel_whenTranslated_thenUnrecognizedNotACrash() {
        String raw = "{\"type\":\"ChannelDestroyed\",\"timestamp\":\"2026-11-23T08:30:04.131+0000\",\"cause\":16}";

        Unrecognized e = (Unrecognized) one(raw);

        assertThat(e.type()).isEqualTo("ChannelDestroyed");
        assertThat(e.raw()).isEqualTo(raw);
    }

    @Test
    void givenUnknownFieldsAndReorderedKeys_whenTranslated_thenIgnoredAndSameEvent() {
        String reordered = "{\"application\":\"cti-lab\",\"future_field\":{\"x\":[1]},\"cause_txt\":\"User busy\","
                + "\"channel\":{\"language\":\"en\",\"id\":\"acd-09-agent-1001\",\"name\":\"PJSIP/1001-00000017\","
                + "\"new_thing\":42},\"cause\":17,\"timestamp\":\"2026-11-23T08:56:12.601+0000\","
                + "\"type\":\"ChannelDestroyed\"}";

        ChannelHungUp e = (ChannelHungUp) one(reordered);

        assertThat(e.channel()).isEqualTo(ChannelId.of("acd-09-agent-1001"));
        assertThat(e.cause()).isEqualTo(17);
        assertThat(e.meta().asteriskTime()).isEqualTo(Instant.parse("2026-11-23T08:56:12.601Z"));
    }

    @Test
    void givenAri08Stream_whenTranslated_thenDoubledAgentLegFramesAppearOnce() {
        List<AsteriskEvent> events = replay(ari08);

        List<ChannelHungUp> agentDestroyed = new ArrayList<>();
        List<DialEnded> answers = new ArrayList<>();
        List<HangupRequested> agentHangupRequests = new ArrayList<>();
        for (AsteriskEvent e : events) {
            if (e instanceof ChannelHungUp && ((ChannelHungUp) e).channel().value().equals("acd-08-agent-1001")) {
                agentDestroyed.add((ChannelHungUp) e);
            }
            if (e instanceof DialEnded && ((DialEnded) e).dialStatus().equals("ANSWER")) {
                answers.add((DialEnded) e);
            }
            if (e instanceof HangupRequested && ((HangupRequested) e).channel().value().equals("acd-08-agent-1001")) {
                agentHangupRequests.add((HangupRequested) e);
            }
        }
        assertThat(agentDestroyed).hasSize(1);
        assertThat(agentDestroyed.get(0).cause()).isEqualTo(16);
        assertThat(answers).hasSize(1);
        assertThat(agentHangupRequests).hasSize(1);
        // 93 frames: 33 exact copies (Dial x3, ChannelStateChange x2, Varset x26, HangupRequest, Destroyed)
        assertThat(translator.duplicateFrames()).isEqualTo(33);
    }

    @Test
    void givenAri10Stream_whenTranslated_thenTwelveCopiesDroppedAndBothLegsEndOnce() {
        List<AsteriskEvent> events = replay(ari10);

        List<Integer> causes = new ArrayList<>();
        for (AsteriskEvent e : events) {
            if (e instanceof ChannelHungUp) {
                causes.add(((ChannelHungUp) e).cause());
            }
        }
        assertThat(causes).containsExactly(19, 16);
        assertThat(translator.duplicateFrames()).isEqualTo(12);
    }

    @Test
    void givenSameTimestampAndChannelButDifferentPayload_whenTranslated_thenBothKept() {
        String a = "{\"variable\":\"CTI_A\",\"value\":\"1\",\"type\":\"ChannelVarset\","
                + "\"timestamp\":\"2026-11-23T08:56:02.268+0000\",\"channel\":{\"id\":\"c.1\",\"name\":\"PJSIP/1-1\"}}";
        String b = a.replace("CTI_A", "CTI_B");
        String aReordered = "{\"channel\":{\"name\":\"PJSIP/1-1\",\"id\":\"c.1\"},\"type\":\"ChannelVarset\","
                + "\"timestamp\":\"2026-11-23T08:56:02.268+0000\",\"value\":\"1\",\"variable\":\"CTI_A\"}";

        Optional<AsteriskEvent> first = translator.translate(a);
        Optional<AsteriskEvent> second = translator.translate(b);
        Optional<AsteriskEvent> copy = translator.translate(aReordered);

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(((ChannelVarSet) second.get()).name()).isEqualTo("CTI_B");
        assertThat(copy).as("same document, other key order").isEmpty();
        assertThat(translator.duplicateFrames()).isEqualTo(1);
    }

    @Test
    void givenTwoIdenticalDtmfDigitsAtDifferentTimes_whenTranslated_thenBothKept() {
        String first = ari05.firstFrame("ChannelDtmfReceived");
        String later = first.replace("08:29:56.899", "08:29:57.400");

        assertThat(translator.translate(first)).isPresent();
        assertThat(translator.translate(later)).isPresent();
        assertThat(translator.duplicateFrames()).isZero();
    }

    @Test
    void givenDuplicateOutsideTheWindow_whenTranslated_thenKept() {
        AriTranslator small = new AriTranslator(clock, 2);
        String dial = ari08.line(12);

        small.translate(dial);
        small.translate(ari08.line(14));
        small.translate(ari08.line(16));
        Optional<AsteriskEvent> late = small.translate(dial);

        assertThat(late).isPresent();
        assertThat(small.duplicateFrames()).isZero();
    }

    // Hold and transfer frames: the traces hold none, so these are built from the ARI 10 model
    // (ChannelHold.musicclass; BridgeBlindTransfer/BridgeAttendedTransfer fields), not recorded.

    @Test
    void givenHoldAndUnholdFrames_whenTranslated_thenHoldChanged() {
        String hold = "{\"type\":\"ChannelHold\",\"timestamp\":\"2026-11-23T08:30:00.000+0000\",\"musicclass\":\"default\","
                + "\"channel\":{\"id\":\"c.1\",\"name\":\"PJSIP/1-1\"},\"application\":\"cti-lab\"}";
        String unhold = hold.replace("ChannelHold", "ChannelUnhold").replace(",\"musicclass\":\"default\"", "");

        HoldChanged on = (HoldChanged) one(hold);
        HoldChanged off = (HoldChanged) one(unhold);

        assertThat(on.onHold()).isTrue();
        assertThat(on.musicClass()).isEqualTo("default");
        assertThat(off.onHold()).isFalse();
        assertThat(off.channel()).isEqualTo(ChannelId.of("c.1"));
    }

    @Test
    void givenBlindAndAttendedTransferFrames_whenTranslated_thenTransferCompleted() {
        String blind = "{\"type\":\"BridgeBlindTransfer\",\"timestamp\":\"2026-11-23T08:30:00.000+0000\","
                + "\"channel\":{\"id\":\"agent.1\"},\"transferee\":{\"id\":\"cust.1\"},\"exten\":\"1003\","
                + "\"context\":\"from-internal\",\"result\":\"Success\",\"is_external\":true}";
        String attended = "{\"type\":\"BridgeAttendedTransfer\",\"timestamp\":\"2026-11-23T08:30:01.000+0000\","
                + "\"transferer_first_leg\":{\"id\":\"agent.1\"},\"transferer_second_leg\":{\"id\":\"agent.2\"},"
                + "\"transferee\":{\"id\":\"cust.1\"},\"transfer_target\":{\"id\":\"target.1\"},"
                + "\"result\":\"Fail\",\"is_external\":false,\"destination_type\":\"bridge\"}";

        TransferCompleted b = (TransferCompleted) one(blind);
        TransferCompleted a = (TransferCompleted) one(attended);

        assertThat(b.kind()).isEqualTo(TransferKind.BLIND);
        assertThat(b.transferer()).isEqualTo(ChannelId.of("agent.1"));
        assertThat(b.transferee()).isEqualTo(ChannelId.of("cust.1"));
        assertThat(b.targetExten()).isEqualTo("1003");
        assertThat(b.targetContext()).isEqualTo("from-internal");
        assertThat(b.success()).isTrue();
        assertThat(b.external()).isTrue();
        assertThat(a.kind()).isEqualTo(TransferKind.ATTENDED);
        assertThat(a.targetChannel()).isEqualTo(ChannelId.of("target.1"));
        assertThat(a.success()).isFalse();
        assertThat(a.external()).isFalse();
    }

    @Test
    void givenAriTimestampFormats_whenParsed_thenSameInstantOrNull() {
        assertThat(AriJson.parseTime("2026-11-23T08:55:51.261+0000")).isEqualTo(Instant.parse("2026-11-23T08:55:51.261Z"));
        assertThat(AriJson.parseTime("2026-11-23T09:55:51.261+0100")).isEqualTo(Instant.parse("2026-11-23T08:55:51.261Z"));
        assertThat(AriJson.parseTime("2026-11-23T08:55:51+00:00")).isEqualTo(Instant.parse("2026-11-23T08:55:51Z"));
        assertThat(AriJson.parseTime("yesterday")).isNull();
        assertThat(AriJson.parseTime(null)).isNull();
    }
}
