package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The live tests' RTP endpoint on loopback: u-law both ways, tones told apart, symmetric sending. */
class RtpPhoneTest {

    private static byte[] tonePacket(int seq, double hz) {
        byte[] p = new byte[12 + 160];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 160; i++) {
            p[12 + i] = RtpPhone.linearToUlaw((int) (5000 * Math.sin(2 * Math.PI * hz * (seq * 160 + i) / RtpPhone.RATE)));
        }
        return p;
    }

    @Test
    void uLawRoundTripsWithinItsQuantisation() {
        for (int v = -32000; v <= 32000; v += 97) {
            int back = RtpPhone.ulawToLinear(RtpPhone.linearToUlaw(v));
            assertThat(Math.abs(back - v)).as("%d -> %d", v, back).isLessThanOrEqualTo(Math.max(8, Math.abs(v) / 16));
        }
    }

    @Test
    void givenATone_thenItsShareIsNearOne_andAnotherFrequencysNearZero_andItAnswersWithItsOwnToneToTheSender() throws Exception {
        try (DatagramSocket far = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                port = probe.getLocalPort();
            }
            try (RtpPhone phone = new RtpPhone("test", port, 440)) {
                long from = System.nanoTime();
                for (int seq = 0; seq < 50; seq++) {
                    byte[] p = tonePacket(seq, 1000);
                    far.send(new DatagramPacket(p, p.length, new InetSocketAddress("127.0.0.1", port)));
                }
                far.setSoTimeout(2000);
                DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
                far.receive(back);
                Thread.sleep(100);
                long to = System.nanoTime();

                assertThat(phone.packets()).isEqualTo(50);
                assertThat(phone.share(1000, from, to)).isGreaterThan(0.9);
                assertThat(phone.share(440, from, to)).isLessThan(0.01);
                assertThat(phone.power(from, to)).isGreaterThan(1_000_000);
                assertThat(back.getLength()).isEqualTo(172);
                assertThat(back.getData()[1] & 0x7F).isZero();
            }
        }
    }
}
