package org.asteriskcti.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.softphone.sip.audio.RecordingSink;
import org.asteriskcti.softphone.sip.audio.ToneSource;
import org.asteriskcti.softphone.sip.rtp.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two of our phones on loopback: one dials the other, which answers automatically. */
class PhoneToPhoneIT {

    private SipPhone alice;
    private SipPhone bob;
    private final EventLog aliceLog = new EventLog();
    private final EventLog bobLog = new EventLog();
    private final RecordingSink aliceHeard = new RecordingSink();
    private final RecordingSink bobHeard = new RecordingSink();

    private void start(List<Codec> aliceCodecs, List<Codec> bobCodecs, Duration bobAutoAnswer) throws Exception {
        alice = SipPhone.start(PhoneConfig.builder("alice").displayName("Alice").register(false)
                .local("127.0.0.1", 25071).server("127.0.0.1", 25072).codecs(aliceCodecs).rtpPorts(26000, 26099)
                .audio(() -> new ToneSource(1000, 8000), () -> aliceHeard).build(), aliceLog);
        bob = SipPhone.start(PhoneConfig.builder("bob").register(false).local("127.0.0.1", 25072)
                .server("127.0.0.1", 25071).codecs(bobCodecs).rtpPorts(26100, 26199).autoAnswer(bobAutoAnswer)
                .audio(() -> new ToneSource(1500, 8000), () -> bobHeard).build(), bobLog);
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    @Test
    void givenBobAutoAnswers_whenAliceCalls_thenEachHearsTheOthersToneHoldDtmfAndHangupWork() throws Exception {
        start(List.of(Codec.PCMU, Codec.PCMA), List.of(Codec.PCMA, Codec.PCMU), Duration.ofMillis(300));
        alice.dial("bob").get(5, TimeUnit.SECONDS);

        await().atMost(5, TimeUnit.SECONDS).until(() -> bobLog.last() == CallState.CONNECTED && aliceLog.last() == CallState.CONNECTED);
        assertThat(bobLog.lastIncoming.remoteNumber()).isEqualTo("alice");
        assertThat(bobLog.lastIncoming.remoteName()).isEqualTo("Alice");
        assertThat(bobLog.states).containsExactly(CallState.RINGING_IN, CallState.CONNECTED);
        assertThat(aliceLog.states).containsExactly(CallState.DIALLING, CallState.ALERTING, CallState.CONNECTED);

        // audio both ways: 1 s of each tone, measured after G.711 and the network
        await().atMost(5, TimeUnit.SECONDS).until(() -> bobHeard.sampleCount() >= 8000 && aliceHeard.sampleCount() >= 8000);
        short[] atBob = bobHeard.lastSamples(8000);
        short[] atAlice = aliceHeard.lastSamples(8000);
        assertThat(RecordingSink.dominantFrequency(atBob, 300, 3400, 10)).isCloseTo(1000, within(10.0));
        assertThat(RecordingSink.dominantFrequency(atAlice, 300, 3400, 10)).isCloseTo(1500, within(10.0));
        assertThat(RecordingSink.rms(atBob)).isGreaterThan(4000);
        System.out.printf("tone at bob: %.0f Hz rms %.0f; at alice: %.0f Hz rms %.0f%n",
                RecordingSink.dominantFrequency(atBob, 300, 3400, 1), RecordingSink.rms(atBob),
                RecordingSink.dominantFrequency(atAlice, 300, 3400, 1), RecordingSink.rms(atAlice));

        // DTMF alice -> bob over RFC 4733
        alice.sendDtmf("12#").get(2, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> bobLog.dtmf.length() >= 3);
        assertThat(bobLog.dtmf.toString()).isEqualTo("12#");

        // hold by alice: both sides HELD, bob stops hearing alice's tone
        alice.hold().get(5, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobLog.last() == CallState.HELD);
        assertThat(aliceLog.last()).isEqualTo(CallState.HELD);
        Thread.sleep(300);
        int before = bobHeard.sampleCount();
        Thread.sleep(600);
        assertThat(bobHeard.sampleCount() - before).as("samples bob played while held").isLessThan(800);
        assertThatThrownBy(() -> alice.sendDtmf("5").get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("connected call");

        alice.unhold().get(5, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobLog.last() == CallState.CONNECTED && aliceLog.last() == CallState.CONNECTED);
        int resumed = bobHeard.sampleCount();
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobHeard.sampleCount() - resumed >= 4000);
        assertThat(RecordingSink.dominantFrequency(bobHeard.lastSamples(4000), 300, 3400, 10)).isCloseTo(1000, within(10.0));

        // mute by alice: RTP keeps flowing (bob keeps playing) but carries silence; unmute brings the tone back
        alice.mute(true).get(2, TimeUnit.SECONDS);
        Thread.sleep(200);
        int muted = bobHeard.sampleCount();
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobHeard.sampleCount() - muted >= 4000);
        assertThat(RecordingSink.rms(bobHeard.lastSamples(4000))).as("what bob heard while alice was muted").isLessThan(50);
        assertThat(aliceLog.last()).as("mute is no SIP state").isEqualTo(CallState.CONNECTED);
        alice.mute(false).get(2, TimeUnit.SECONDS);
        Thread.sleep(200);
        int unmuted = bobHeard.sampleCount();
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobHeard.sampleCount() - unmuted >= 4000);
        assertThat(RecordingSink.rms(bobHeard.lastSamples(4000))).isGreaterThan(4000);

        // bob hangs up: alice sees the BYE
        bob.hangup().get(2, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> aliceLog.last() == CallState.ENDED);
        assertThat(aliceLog.events).anyMatch(e -> e.contains("far end hung up"));
        assertThat(alice.callState().get(1, TimeUnit.SECONDS)).isEmpty();
        assertThat(aliceLog.errors).singleElement() // the DTMF refused while held, nothing else
                .matches(e -> e.kind() == PhoneError.Kind.COMMAND_REFUSED && e.message().contains("is HELD"));
        assertThat(bobLog.errors).isEmpty();
        assertThatThrownBy(() -> alice.mute(true).get(2, TimeUnit.SECONDS)).hasMessageContaining("no call");
    }

    @Test
    void givenBobRinging_whenAliceCancels_thenBothEnd() throws Exception {
        start(List.of(Codec.PCMU), List.of(Codec.PCMU), null);
        alice.dial("sip:bob@127.0.0.1:25072").get(5, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobLog.last() == CallState.RINGING_IN && aliceLog.last() == CallState.ALERTING);
        assertThatThrownBy(() -> bob.hold().get(2, TimeUnit.SECONDS)).hasMessageContaining("RINGING_IN -> HELD is not allowed");
        alice.hangup().get(2, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobLog.last() == CallState.ENDED);
        assertThat(bobLog.events).anyMatch(e -> e.contains("caller cancelled"));
        assertThat(aliceLog.last()).isEqualTo(CallState.ENDED);
    }

    @Test
    void givenBobRinging_whenBobRejects_thenAliceEndsBusy() throws Exception {
        start(List.of(Codec.PCMU), List.of(Codec.PCMU), null);
        alice.dial("bob").get(5, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> bobLog.last() == CallState.RINGING_IN);
        bob.reject(true).get(2, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> aliceLog.last() == CallState.ENDED);
        assertThat(aliceLog.events).anyMatch(e -> e.toLowerCase().contains("busy (486 busy here)"));
    }

    @Test
    void givenNoCommonCodec_whenAliceCalls_thenBobAnswers488AndBothReportIt() throws Exception {
        start(List.of(Codec.PCMU), List.of(Codec.PCMA), Duration.ofMillis(100));
        alice.dial("bob").get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> aliceLog.last() == CallState.ENDED);
        assertThat(aliceLog.errors).anyMatch(e -> e.kind() == PhoneError.Kind.NO_COMMON_CODEC);
        assertThat(bobLog.errors).anyMatch(e -> e.kind() == PhoneError.Kind.NO_COMMON_CODEC
                && e.message().contains("0 PCMU") && e.message().contains("PCMA"));
        assertThat(bobLog.states).isEmpty();
    }
}
