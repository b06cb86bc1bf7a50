package org.asteriskcti.softphone.sip.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.asteriskcti.softphone.sip.rtp.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioDevicesTest {

    @Test
    void givenA1kHzTone_whenCompandedAndRecorded_thenThe1kHzBinDominates() {
        ToneSource tone = new ToneSource(1000, 8000);
        RecordingSink rec = new RecordingSink();
        short[] frame = new short[AudioSource.FRAME_SAMPLES];
        for (int i = 0; i < 50; i++) {
            tone.read(frame);
            byte[] enc = Codec.PCMA.encode(frame);
            rec.write(Codec.PCMA.decode(enc, 0, enc.length));
        }
        short[] s = rec.samples();
        assertThat(s).hasSize(8000);
        assertThat(RecordingSink.dominantFrequency(s, 300, 3400, 10)).isCloseTo(1000, within(10.0));
        assertThat(RecordingSink.rms(s)).isCloseTo(8000 / Math.sqrt(2), within(150.0));
        assertThat(RecordingSink.powerAt(s, 1000)).isGreaterThan(100 * RecordingSink.powerAt(s, 1500));
    }

    @Test
    void givenADeviceNameThatDoesNotExist_thenSilenceAndDiscardStandIn() {
        assertThat(JavaSoundDevices.captureDevices()).doesNotContain("no such microphone");
        AudioSource mic = JavaSoundDevices.capture("no such microphone");
        AudioSink speaker = JavaSoundDevices.playback("no such speaker");
        assertThat(mic).isInstanceOf(SilenceSource.class);
        assertThat(speaker).isInstanceOf(NullSink.class);
        short[] frame = new short[AudioSource.FRAME_SAMPLES];
        frame[0] = 123;
        mic.read(frame);
        assertThat(RecordingSink.rms(frame)).isZero();
    }

    @Test
    void givenThisMachine_thenTheListedDevicesAreTheOnesThatCanCaptureOrPlay8kMono() {
        // the build machines have no sound card: both lists are empty there, and the default device is absent too
        assertThat(JavaSoundDevices.captureDevices().isEmpty()).isEqualTo(!JavaSoundDevices.captureAvailable());
        assertThat(JavaSoundDevices.playbackDevices().isEmpty()).isEqualTo(!JavaSoundDevices.playbackAvailable());
    }

    @Test
    void givenSilence_whenRecorded_thenNoEnergy() {
        short[] frame = new short[160];
        new SilenceSource().read(frame);
        assertThat(RecordingSink.rms(frame)).isZero();
    }

    @Test
    void givenAWavWritten_whenReadBack_thenTheSameSamples(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("out.wav");
        WavFileSink sink = new WavFileSink(wav);
        ToneSource tone = new ToneSource(440, 5000);
        short[] frame = new short[160];
        short[] first = null;
        for (int i = 0; i < 10; i++) {
            tone.read(frame);
            if (first == null) {
                first = frame.clone();
            }
            sink.write(frame);
        }
        sink.close();
        assertThat(Files.size(wav)).isEqualTo(44 + 1600 * 2);
        WavFileSource src = new WavFileSource(wav, false);
        short[] back = new short[160];
        src.read(back);
        assertThat(back).containsExactly(first);
        for (int i = 0; i < 9; i++) {
            src.read(back);
        }
        src.read(back);
        assertThat(RecordingSink.rms(back)).isZero(); // not looped: silence after the end
    }

    @Test
    void givenNoSoundCard_whenTheDefaultDevicesAreOpened_thenFallBackInsteadOfFailing() {
        AudioSource mic = JavaSoundDevices.capture();
        AudioSink speaker = JavaSoundDevices.playback();
        if (!JavaSoundDevices.captureAvailable()) {
            assertThat(mic).isInstanceOf(SilenceSource.class);
        }
        if (!JavaSoundDevices.playbackAvailable()) {
            assertThat(speaker).isInstanceOf(NullSink.class);
        }
        mic.read(new short[160]);
        speaker.write(new short[160]);
        mic.close();
        speaker.close();
    }
}
