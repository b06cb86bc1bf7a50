package org.asteriskcti.softphone.sip.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Plays a WAV file (8 kHz mono, 16-bit PCM or anything javax.sound converts to it), looped or once then silence. */
public final class WavFileSource implements AudioSource {

    private final short[] pcm;
    private final boolean loop;
    private int position;

    public WavFileSource(Path file, boolean loop) throws IOException {
        this.pcm = readPcm(file);
        this.loop = loop;
    }

    static short[] readPcm(Path file) throws IOException {
        AudioFormat target = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != SAMPLE_RATE || f.getChannels() != 1) {
                throw new IOException(file + ": need an 8000 Hz mono WAV, this one is " + f.getSampleRate() + " Hz, "
                        + f.getChannels() + " channel(s)");
            }
            AudioInputStream converted;
            try {
                converted = f.matches(target) ? in : AudioSystem.getAudioInputStream(target, in);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": cannot convert " + f + " to 16-bit PCM", e);
            }
            byte[] bytes = readAll(converted);
            short[] out = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
            return out;
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(file + ": not a WAV file javax.sound can read", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    @Override
    public synchronized void read(short[] frame) {
        for (int i = 0; i < frame.length; i++) {
            if (position >= pcm.length) {
                if (!loop || pcm.length == 0) {
                    frame[i] = 0;
                    continue;
                }
                position = 0;
            }
            frame[i] = pcm[position++];
        }
    }
}
