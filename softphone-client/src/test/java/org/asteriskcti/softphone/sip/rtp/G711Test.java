package org.asteriskcti.softphone.sip.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void givenKnownUlawCodes_whenDecoded_thenMatchTheG711Table() {
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ulawToLinear((byte) 0xFE)).isEqualTo((short) 8);
        assertThat(G711.ulawToLinear((byte) 0xF0)).isEqualTo((short) 120);
        assertThat(G711.ulawToLinear((byte) 0xEF)).isEqualTo((short) 132);
    }

    @Test
    void givenKnownAlawCodes_whenDecoded_thenMatchTheG711Table() {
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
        assertThat(G711.alawToLinear((byte) 0xC5)).isEqualTo((short) 264);
    }

    @Test
    void givenSilenceAndFullScale_whenEncoded_thenTheStandardCodes() {
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(G711.linearToUlaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(G711.linearToUlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        assertThat(G711.linearToAlaw(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
        assertThat(G711.linearToAlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
    }

    @Test
    void givenEveryCode_whenDecodedAndReencoded_thenTheSameLevelComesBack() {
        for (int code = 0; code < 256; code++) {
            short u = G711.ulawToLinear((byte) code);
            assertThat(G711.ulawToLinear(G711.linearToUlaw(u))).as("ulaw %02x", code).isEqualTo(u);
            short a = G711.alawToLinear((byte) code);
            assertThat(G711.linearToAlaw(a)).as("alaw %02x", code).isEqualTo((byte) code);
        }
    }

    @Test
    void givenAnySample_whenCompanded_thenTheErrorStaysWithinTheSegmentStep() {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s += 7) {
            short v = (short) s;
            int uErr = Math.abs(G711.ulawToLinear(G711.linearToUlaw(v)) - v);
            int aErr = Math.abs(G711.alawToLinear(G711.linearToAlaw(v)) - v);
            // the largest segment step is 1024 (µ-law) / 1024 (A-law): half a step plus clipping slack
            assertThat(uErr).as("ulaw error at %d", s).isLessThanOrEqualTo(Math.max(16, Math.abs(s) / 16 + 700));
            assertThat(aErr).as("alaw error at %d", s).isLessThanOrEqualTo(Math.max(16, Math.abs(s) / 16 + 600));
        }
        assertThat(Math.abs(G711.ulawToLinear(G711.linearToUlaw((short) 1000)) - 1000)).isLessThanOrEqualTo(16);
        assertThat(Math.abs(G711.alawToLinear(G711.linearToAlaw((short) 1000)) - 1000)).isLessThanOrEqualTo(16);
    }
}
