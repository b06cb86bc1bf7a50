package org.asteriskcti.softphone.sip.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RtpPacketTest {

    @Test
    void givenAPacket_whenSerialised_thenTheHeaderBytesAreRfc3550() {
        RtpPacket p = new RtpPacket(true, 0, 0xABCD, 0x01020304L, 0xDEADBEEFL, new byte[] {1, 2, 3});
        byte[] b = p.toBytes();
        assertThat(b).hasSize(15);
        assertThat(b[0] & 0xFF).isEqualTo(0x80);
        assertThat(b[1] & 0xFF).isEqualTo(0x80); // marker + PT 0
        assertThat(b).startsWith((byte) 0x80, (byte) 0x80, (byte) 0xAB, (byte) 0xCD, 1, 2, 3, 4,
                (byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 1, 2, 3);
    }

    @Test
    void givenSerialisedBytes_whenParsed_thenTheSamePacket() {
        RtpPacket p = new RtpPacket(false, 8, 65535, 0xFFFFFFFFL, 42, new byte[160]);
        byte[] b = p.toBytes();
        RtpPacket back = RtpPacket.parse(b, b.length);
        assertThat(back.marker()).isFalse();
        assertThat(back.payloadType()).isEqualTo(8);
        assertThat(back.sequence()).isEqualTo(65535);
        assertThat(back.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(back.ssrc()).isEqualTo(42);
        assertThat(back.payload()).hasSize(160);
    }

    @Test
    void givenCsrcsExtensionAndPadding_whenParsed_thenThePayloadIsWhatIsLeft() {
        byte[] b = {
            (byte) 0xB1, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, // V=2 P=1 X=1 CC=1
            0, 0, 0, 9,                                  // CSRC
            0x12, 0x34, 0, 1, 7, 7, 7, 7,                // extension, 1 word
            5, 6, 0, 2                                   // payload 5 6, padding 2
        };
        RtpPacket p = RtpPacket.parse(b, b.length);
        assertThat(p.payload()).containsExactly(5, 6);
    }

    @Test
    void givenGarbage_whenParsed_thenRefusedWithTheReason() {
        assertThatThrownBy(() -> RtpPacket.parse(new byte[4], 4)).hasMessageContaining("too short");
        byte[] v1 = new byte[12];
        v1[0] = 0x40;
        assertThatThrownBy(() -> RtpPacket.parse(v1, 12)).hasMessageContaining("version 2");
    }

    @Test
    void givenDtmfEvents_whenSerialised_thenRfc4733Layout() {
        byte[] b = new DtmfEvent(DtmfEvent.eventFor('#'), true, 10, 800).toBytes();
        assertThat(b).containsExactly(11, (byte) 0x8A, 0x03, 0x20);
        DtmfEvent e = DtmfEvent.parse(new byte[] {5, 0x0A, 0x01, (byte) 0x40});
        assertThat(e.event()).isEqualTo(5);
        assertThat(e.end()).isFalse();
        assertThat(e.volume()).isEqualTo(10);
        assertThat(e.duration()).isEqualTo(320);
        assertThat(DtmfEvent.digitFor(10)).isEqualTo('*');
        assertThat(DtmfEvent.eventFor('d')).isEqualTo(15);
        assertThatThrownBy(() -> DtmfEvent.eventFor('x')).hasMessageContaining("not a DTMF digit");
    }

    @Test
    void givenReorderedAndDuplicatePackets_whenPlayedOut_thenInSequenceWithTheGapReported() {
        JitterBuffer jb = new JitterBuffer(3);
        assertThat(jb.poll()).isNull();
        jb.offer(pkt(65534));
        jb.offer(pkt(0)); // wrapped, 65535 missing for now
        assertThat(jb.poll()).isNull(); // only 2 of 3 queued: not playing yet
        jb.offer(pkt(65535));
        jb.offer(pkt(65535)); // duplicate
        jb.offer(pkt(2));
        assertThat(jb.poll().sequence()).isEqualTo(65534);
        assertThat(jb.poll().sequence()).isEqualTo(65535);
        assertThat(jb.poll().sequence()).isEqualTo(0);
        assertThat(jb.poll()).isNull(); // 1 lost
        assertThat(jb.lostPackets()).isEqualTo(1);
        jb.offer(pkt(1)); // too late now
        assertThat(jb.latePackets()).isEqualTo(1);
        assertThat(jb.poll().sequence()).isEqualTo(2);
    }

    private static RtpPacket pkt(int seq) {
        return new RtpPacket(false, 0, seq, seq * 160L, 7, new byte[160]);
    }
}
