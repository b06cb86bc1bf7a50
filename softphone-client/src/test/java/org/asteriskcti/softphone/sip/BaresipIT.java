package org.asteriskcti.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.softphone.sip.audio.RecordingSink;
import org.asteriskcti.softphone.sip.audio.ToneSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our phone against Debian's baresip (1.0.0 on bookworm) as the far end, all on 127.0.0.1; skipped when
 * baresip is not installed. We send a 1000 Hz tone, baresip an ausine tone; what baresip heard comes from
 * its sndfile dump and its RTP summary, what it saw (DTMF, re-INVITEs, BYE) from its ctrl_tcp events.
 * Registration is not tested here: baresip is no registrar (SippIT covers digest REGISTER against sipp).
 */
class BaresipIT {

    @TempDir
    Path dir;
    private Baresip baresip;
    private SipPhone phone;
    private final EventLog log = new EventLog();
    private final RecordingSink heard = new RecordingSink();

    @BeforeAll
    static void needBaresip() {
        Assumptions.assumeTrue(Files.isExecutable(Baresip.BINARY),
                "baresip not installed (/usr/bin/baresip): skipping the baresip tests");
    }

    @AfterEach
    void stop() throws Exception {
        if (phone != null) {
            phone.close();
        }
        if (baresip != null) {
            baresip.close();
            System.out.println("baresip's log:\n" + baresip.log().replaceAll("\\[\\d:\\d\\d:\\d\\d\\] audio=\\S+ \\(bit/s\\)\\s*", ""));
        }
    }

    private int startPhone() throws Exception {
        int port = Baresip.freePort();
        phone = SipPhone.start(PhoneConfig.builder("1001").displayName("Our Phone").register(false)
                .local("127.0.0.1", port).rtpPorts(26600, 26699)
                .audio(() -> new ToneSource(1000, 8000), () -> heard).build(), log);
        return port;
    }

    private long received() throws Exception {
        return phone.rtpCounters().get(1, TimeUnit.SECONDS).orElseThrow()[1];
    }

    /**
     * Baresip heard our 1000 Hz tone: measured on half a second of its decoder's output, after the first 100 ms.
     * (Measured at the start: on a re-INVITE that is not sendrecv, baresip 1.0.0 drops its decode filter chain
     * and does not rebuild it, so the sndfile dump stops at a hold; see README-SIP.md.)
     */
    private void assertBaresipHeardOurTone() throws Exception {
        await().atMost(5, TimeUnit.SECONDS).until(() -> baresip.rtpSummary().isPresent());
        short[] dec = baresip.dump("dec");
        assertThat(dec.length).as("samples baresip decoded").isGreaterThan(800 + 4000);
        short[] half = Arrays.copyOfRange(dec, 800, 800 + 4000);
        double hz = RecordingSink.dominantFrequency(half, 300, 3400, 1);
        System.out.printf("at baresip: %.0f Hz rms %.0f (%d samples decoded); its RTP packets tx/rx %s%n", hz,
                RecordingSink.rms(half), dec.length, Arrays.toString(baresip.rtpSummary().orElseThrow()));
        assertThat(hz).isCloseTo(1000, within(10.0));
        assertThat(RecordingSink.rms(half)).isGreaterThan(4000);
    }

    private void assertWeHear(double hz) {
        short[] atUs = heard.lastSamples(8000);
        double measured = RecordingSink.dominantFrequency(atUs, 300, 3400, 1);
        System.out.printf("at us: %.0f Hz rms %.0f%n", measured, RecordingSink.rms(atUs));
        assertThat(measured).isCloseTo(hz, within(10.0));
        assertThat(RecordingSink.rms(atUs)).isGreaterThan(4000);
    }

    @Test
    void givenBaresipAnswersItself_whenWeCall_thenAudioBothWaysOurDtmfHoldResumeAndOurByeReachIt() throws Exception {
        baresip = Baresip.start(dir, 1500, "auto", 26700, 26799);
        startPhone();

        phone.dial(baresip.uri).get(5, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> log.last() == CallState.CONNECTED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> baresip.hasEvent("CALL_ESTABLISHED"));
        assertThat(log.states.get(0)).isEqualTo(CallState.DIALLING);

        // baresip's sine reaches our recorder
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.sampleCount() >= 8000);
        assertWeHear(1500);

        // our RFC 4733 digits are what baresip reports
        phone.sendDtmf("12#").get(2, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> baresip.eventParams("CALL_DTMF_START").size() >= 3);
        assertThat(baresip.eventParams("CALL_DTMF_START")).containsExactly("1", "2", "#");
        // (the hold below may cut into '#': it must still end there before we resume, not after)

        // we hold (a=sendonly): baresip takes the re-INVITE and stops sending to us
        int offersBefore = baresip.eventParams("CALL_REMOTE_SDP").size();
        phone.hold().get(5, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> log.last() == CallState.HELD);
        await().atMost(3, TimeUnit.SECONDS).until(() -> baresip.eventParams("CALL_REMOTE_SDP").size() > offersBefore);
        Thread.sleep(300);
        long heldFrom = received();
        Thread.sleep(1000);
        long whileHeld = received() - heldFrom;
        System.out.println("RTP packets from baresip in 1 s on hold: " + whileHeld);
        assertThat(whileHeld).as("packets baresip sent in 1 s while we held").isLessThan(5);

        // resume: baresip's tone comes back
        phone.unhold().get(5, TimeUnit.SECONDS);
        await().atMost(3, TimeUnit.SECONDS).until(() -> log.last() == CallState.CONNECTED);
        long resumedFrom = received();
        int heardFrom = heard.sampleCount();
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.sampleCount() - heardFrom >= 8000);
        System.out.println("RTP packets from baresip in the first second after resuming: " + (received() - resumedFrom));
        assertWeHear(1500);

        // our BYE ends it there too
        long sent = phone.rtpCounters().get(1, TimeUnit.SECONDS).orElseThrow()[0];
        phone.hangup().get(2, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> baresip.hasEvent("CALL_CLOSED"));
        assertThat(log.last()).isEqualTo(CallState.ENDED);
        List<String> types = baresip.eventTypes();
        assertThat(types).filteredOn("CALL_DTMF_END"::equals).hasSize(3);
        assertThat(types.lastIndexOf("CALL_DTMF_END")).as("last DTMF end before the resume offer: " + types)
                .isLessThan(types.lastIndexOf("CALL_REMOTE_SDP"));
        System.out.println("baresip events: " + baresip.eventTypes() + " closed: " + baresip.eventParams("CALL_CLOSED")
                + " sdp: " + baresip.eventParams("CALL_REMOTE_SDP"));
        assertBaresipHeardOurTone();
        long baresipReceived = baresip.rtpSummary().orElseThrow()[1];
        System.out.println("we sent " + sent + " RTP packets, baresip received " + baresipReceived);
        assertThat(baresipReceived).as("packets baresip received of the %d we sent", sent).isGreaterThan(sent * 9 / 10);
        assertThat(log.errors).isEmpty();
    }

    @Test
    void givenBaresipCalls_whenWeAnswer_thenAudioBothWaysItsDtmfItsHoldAndItsHangupReachUs() throws Exception {
        baresip = Baresip.start(dir, 800, "manual", 26700, 26799);
        int port = startPhone();

        baresip.command("dial", "sip:1001@127.0.0.1:" + port);
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.last() == CallState.RINGING_IN);
        assertThat(log.lastIncoming.remoteNumber()).isEqualTo("baresip");
        assertThat(log.lastIncoming.remoteName()).isEqualTo("Bare SIP");
        await().atMost(3, TimeUnit.SECONDS).until(() -> baresip.hasEvent("CALL_RINGING"));
        assertThat(baresip.hasEvent("CALL_ESTABLISHED")).isFalse();

        phone.answer().get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> baresip.hasEvent("CALL_ESTABLISHED"));
        assertThat(log.states).containsExactly(CallState.RINGING_IN, CallState.CONNECTED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.sampleCount() >= 8000);
        assertWeHear(800);

        // baresip's RFC 4733 digits reach our listener
        baresip.command("sndcode", "47*");
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.dtmf.length() >= 3);
        Thread.sleep(300);
        assertThat(log.dtmf.toString()).isEqualTo("47*");

        // baresip holds and resumes by re-INVITE
        baresip.command("hold", null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.last() == CallState.HELD);
        assertThat(log.events).last().asString().contains("held by the far end").contains("a=sendonly");
        Thread.sleep(100);
        long[] heldFrom = phone.rtpCounters().get(1, TimeUnit.SECONDS).orElseThrow();
        Thread.sleep(1000);
        long[] heldTo = phone.rtpCounters().get(1, TimeUnit.SECONDS).orElseThrow();
        System.out.printf("in 1 s held by baresip: we sent %d RTP packets, it sent %d%n", heldTo[0] - heldFrom[0],
                heldTo[1] - heldFrom[1]);
        assertThat(heldTo[0] - heldFrom[0]).as("packets we sent while held by a=sendonly (we answered recvonly)").isZero();
        baresip.command("resume", null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.last() == CallState.CONNECTED);
        System.out.println("our events: " + log.events);

        baresip.command("hangup", null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> log.last() == CallState.ENDED);
        assertThat(log.events).anyMatch(e -> e.contains("far end hung up"));
        assertThat(phone.callState().get(1, TimeUnit.SECONDS)).isEmpty();
        assertBaresipHeardOurTone();
        assertThat(log.errors).isEmpty();
    }
}
