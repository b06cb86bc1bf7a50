package org.asteriskcti.softphone.sip.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.softphone.sip.audio.NullSink;
import org.asteriskcti.softphone.sip.audio.SilenceSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RtpSession's sending side, read off a loopback socket. */
class RtpSessionTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final DatagramSocket far = socket();
    private RtpSession session;

    private static DatagramSocket socket() {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            s.setSoTimeout(500);
            return s;
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
        far.close();
    }

    private RtpPacket next() throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        far.receive(dp);
        return RtpPacket.parse(buf, dp.getLength());
    }

    /** Packets until none came for 300 ms. */
    private List<RtpPacket> drain() throws Exception {
        List<RtpPacket> out = new ArrayList<>();
        far.setSoTimeout(300);
        try {
            while (true) {
                out.add(next());
            }
        } catch (SocketTimeoutException quiet) {
            far.setSoTimeout(500);
            return out;
        }
    }

    @Test
    void givenADigitPlaying_whenSendingStopsForHold_thenItIsEndedAtOnceAndNotResumedAfterwards() throws Exception {
        MediaParams sending = new MediaParams(Codec.PCMU, 0, 101,
                new InetSocketAddress(LOOPBACK, far.getLocalPort()), true, true);
        session = new RtpSession(socket(), sending, new SilenceSource(), new NullSink(), d -> { });
        session.start();
        session.sendDtmf('5', 2000);
        session.sendDtmf('6', 100);

        RtpPacket p;
        do {
            p = next();
        } while (p.payloadType() != 101 || DtmfEvent.parse(p.payload()).duration() < 800); // 100 ms into the digit
        long eventTimestamp = p.timestamp();

        session.update(sending.withDirection(false, false));
        List<RtpPacket> afterHold = drain();
        assertThat(afterHold).isNotEmpty().allMatch(q -> q.payloadType() == 101 && q.timestamp() == eventTimestamp);
        List<DtmfEvent> events = afterHold.stream().map(q -> DtmfEvent.parse(q.payload())).toList();
        assertThat(events).allMatch(e -> e.event() == DtmfEvent.eventFor('5'));
        assertThat(events.subList(events.size() - 3, events.size())).allMatch(DtmfEvent::end)
                .allMatch(e -> e.duration() < 2000 * 8);
        assertThat(events).filteredOn(DtmfEvent::end).hasSize(3);

        session.update(sending);
        RtpPacket resumed = next();
        assertThat(resumed.payloadType()).as("first packet after resuming is audio, not the old digit or the queued '6'").isZero();
        assertThat(resumed.marker()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(next().payloadType()).as("packet %d after resuming", i + 2).isZero();
        }
    }
}
