package org.asteriskcti.softphone.sip.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Records received audio into an 8 kHz 16-bit mono WAV file, written when the call's media closes. */
public final class WavFileSink implements AudioSink {

    private final Path file;
    private final RecordingSink buffer = new RecordingSink();

    public WavFileSink(Path file) {
        this.file = file;
    }

    @Override
    public void write(short[] frame) {
        buffer.write(frame);
    }

    @Override
    public void close() {
        short[] s = buffer.samples();
        byte[] bytes = new byte[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            bytes[2 * i] = (byte) s[i];
            bytes[2 * i + 1] = (byte) (s[i] >> 8);
        }
        AudioFormat format = new AudioFormat(AudioSource.SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes), format, s.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write received audio to " + file, e);
        }
    }
}
