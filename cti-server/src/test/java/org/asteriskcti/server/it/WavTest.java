package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The live suite's WAV reader on synthesized files: length, exact digital silence, the formats it refuses. */
class WavTest {

    private static final int RATE = 8000;
    private static final Duration MIN = Duration.ofMillis(200);

    /** A 440 Hz tone (it crosses 0 now and then: single zero samples, never a run). */
    private static short[] tone(double seconds) {
        short[] s = new short[(int) Math.round(seconds * RATE)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        return s;
    }

    private static short[] zeros(double seconds) {
        return new short[(int) Math.round(seconds * RATE)];
    }

    private static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void givenTheMutedRecordingOfAri11_whenRead_thenSixSecondsWithSilenceFromTwoToFour() {
        Wav w = Wav.parse(Wav.encode(RATE, concat(tone(2.02), zeros(2.0), tone(2.0))));

        assertThat(w.seconds()).isCloseTo(6.02, org.assertj.core.data.Offset.offset(0.0005));
        assertThat(w.duration()).isEqualTo(Duration.ofMillis(6020));
        assertThat(w.digitalSilences(MIN)).hasSize(1);
        Wav.Span s = w.digitalSilences(MIN).get(0);
        assertThat(s.near(new Wav.Span(2.02, 4.02), 0.001)).as("silence at %s", s).isTrue();
        assertThat(s.length()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(w.rms(0, 2)).isGreaterThan(5000);
        assertThat(w.rms(2.1, 3.9)).isZero();
    }

    @Test
    void givenZeroRunsShorterThanTheMinimum_thenTheyAreNotSilences() {
        Wav w = Wav.parse(Wav.encode(RATE, concat(tone(1), zeros(0.1), tone(1), zeros(0.199), tone(1))));

        assertThat(w.digitalSilences(MIN)).isEmpty();
        assertThat(w.digitalSilences(Duration.ofMillis(50))).hasSize(2);
    }

    @Test
    void givenSilenceAtTheEnd_thenItIsASpanToTheEnd() {
        Wav w = Wav.parse(Wav.encode(RATE, concat(tone(1), zeros(0.5))));

        assertThat(w.digitalSilences(MIN)).singleElement()
                .satisfies(s -> assertThat(s.near(new Wav.Span(1.0, 1.5), 0.001)).isTrue());
    }

    @Test
    void givenNearSilenceThatIsNotZero_thenItIsNotDigitalSilence() {
        short[] hiss = zeros(1);
        for (int i = 0; i < hiss.length; i += 3) {
            hiss[i] = 1;
        }
        assertThat(Wav.parse(Wav.encode(RATE, concat(tone(1), hiss, tone(1)))).digitalSilences(MIN)).isEmpty();
    }

    @Test
    void givenAnExtraChunkBeforeTheData_thenItIsSkipped() {
        byte[] plain = Wav.encode(RATE, concat(tone(0.5), zeros(0.5)));
        byte[] list = "LIST\u0003\u0000\u0000\u0000abc\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] withList = new byte[plain.length + list.length];
        System.arraycopy(plain, 0, withList, 0, 36);
        System.arraycopy(list, 0, withList, 36, list.length);
        System.arraycopy(plain, 36, withList, 36 + list.length, plain.length - 36);

        Wav w = Wav.parse(withList);

        assertThat(w.samples).hasSize(8000);
        assertThat(w.digitalSilences(MIN)).hasSize(1);
    }

    @Test
    void givenADataSizeLargerThanTheFile_thenWhatIsThereIsRead() {
        byte[] b = Wav.encode(RATE, tone(1));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(40, Integer.MAX_VALUE);

        assertThat(Wav.parse(b).samples).hasSize(8000);
    }

    @Test
    void givenAnotherFormat_thenItIsRefusedSayingWhatItIs() {
        byte[] b = Wav.encode(16000, tone(0.1));
        assertThatThrownBy(() -> Wav.parse(b)).hasMessageContaining("16000 Hz");
        byte[] stereo = Wav.encode(RATE, tone(0.1));
        ByteBuffer.wrap(stereo).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 2);
        assertThatThrownBy(() -> Wav.parse(stereo)).hasMessageContaining("2 channel(s)");
        assertThatThrownBy(() -> Wav.parse(new byte[] {1, 2, 3})).hasMessageContaining("not a RIFF/WAVE");
    }
}
