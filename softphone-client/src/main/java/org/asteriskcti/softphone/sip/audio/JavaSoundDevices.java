package org.asteriskcti.softphone.sip.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's microphone and speaker through javax.sound, when it has them. {@link #capture()}
 * and {@link #playback()} fall back to silence / discard (logging why) where no device exists,
 * as on headless servers.
 */
public final class JavaSoundDevices {

    private static final Logger LOG = LoggerFactory.getLogger(JavaSoundDevices.class);
    static final AudioFormat FORMAT = new AudioFormat(AudioSource.SAMPLE_RATE, 16, 1, true, false);

    private JavaSoundDevices() {
    }

    public static boolean captureAvailable() {
        return AudioSystem.isLineSupported(new DataLine.Info(TargetDataLine.class, FORMAT));
    }

    public static boolean playbackAvailable() {
        return AudioSystem.isLineSupported(new DataLine.Info(SourceDataLine.class, FORMAT));
    }

    /** Names of the mixers that can capture 8 kHz 16-bit mono (microphones); empty on machines without sound. */
    public static List<String> captureDevices() {
        return mixersWith(TargetDataLine.class);
    }

    /** Names of the mixers that can play 8 kHz 16-bit mono (speakers, headsets). */
    public static List<String> playbackDevices() {
        return mixersWith(SourceDataLine.class);
    }

    private static List<String> mixersWith(Class<?> lineClass) {
        List<String> names = new ArrayList<>();
        DataLine.Info wanted = new DataLine.Info(lineClass, FORMAT);
        try {
            for (Mixer.Info info : AudioSystem.getMixerInfo()) {
                try {
                    if (AudioSystem.getMixer(info).isLineSupported(wanted) && !names.contains(info.getName())) {
                        names.add(info.getName());
                    }
                } catch (RuntimeException e) {
                    LOG.debug("audio mixer {} not usable: {}", info.getName(), e.getMessage());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("javax.sound cannot list audio devices: {}", e.getMessage());
        }
        return names;
    }

    /** The named microphone (a name from {@link #captureDevices()}), or silence when it cannot be opened. */
    public static AudioSource capture(String device) {
        return openCapture(device).map(AudioSource.class::cast).orElseGet(SilenceSource::new);
    }

    /** The named speaker (a name from {@link #playbackDevices()}), or a discarding sink when it cannot be opened. */
    public static AudioSink playback(String device) {
        return openPlayback(device).map(AudioSink.class::cast).orElseGet(NullSink::new);
    }

    /** The default microphone, or silence when there is none. */
    public static AudioSource capture() {
        return openCapture().map(AudioSource.class::cast).orElseGet(SilenceSource::new);
    }

    /** The default speaker, or a sink that discards when there is none. */
    public static AudioSink playback() {
        return openPlayback().map(AudioSink.class::cast).orElseGet(NullSink::new);
    }

    public static Optional<AudioSource> openCapture() {
        return openCapture(null);
    }

    public static Optional<AudioSink> openPlayback() {
        return openPlayback(null);
    }

    /** @param device a mixer name, or null for the system's default */
    public static Optional<AudioSource> openCapture(String device) {
        try {
            TargetDataLine line = (TargetDataLine) line(device, new DataLine.Info(TargetDataLine.class, FORMAT));
            line.open(FORMAT, AudioSource.FRAME_SAMPLES * 2 * 4);
            line.start();
            return Optional.of(new Capture(line));
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            LOG.warn("no microphone{} (javax.sound: {}); sending silence", device == null ? "" : " '" + device + "'",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** @param device a mixer name, or null for the system's default */
    public static Optional<AudioSink> openPlayback(String device) {
        try {
            SourceDataLine line = (SourceDataLine) line(device, new DataLine.Info(SourceDataLine.class, FORMAT));
            line.open(FORMAT, AudioSource.FRAME_SAMPLES * 2 * 6);
            line.start();
            return Optional.of(new Playback(line));
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            LOG.warn("no speaker{} (javax.sound: {}); received audio is discarded",
                    device == null ? "" : " '" + device + "'", e.getMessage());
            return Optional.empty();
        }
    }

    private static javax.sound.sampled.Line line(String device, DataLine.Info info) throws LineUnavailableException {
        if (device == null) {
            return AudioSystem.getLine(info);
        }
        for (Mixer.Info m : AudioSystem.getMixerInfo()) {
            if (m.getName().equals(device)) {
                return AudioSystem.getMixer(m).getLine(info);
            }
        }
        throw new LineUnavailableException("no audio device named '" + device + "'");
    }

    private static final class Capture implements AudioSource {
        private final TargetDataLine line;
        private final byte[] buf = new byte[FRAME_SAMPLES * 2];

        Capture(TargetDataLine line) {
            this.line = line;
        }

        @Override
        public void read(short[] frame) {
            int n = line.read(buf, 0, Math.min(buf.length, frame.length * 2));
            for (int i = 0; i < frame.length; i++) {
                frame[i] = 2 * i + 1 < n ? (short) ((buf[2 * i] & 0xFF) | (buf[2 * i + 1] << 8)) : 0;
            }
        }

        @Override
        public void close() {
            line.stop();
            line.close();
        }
    }

    private static final class Playback implements AudioSink {
        private final SourceDataLine line;

        Playback(SourceDataLine line) {
            this.line = line;
        }

        @Override
        public void write(short[] frame) {
            byte[] b = new byte[frame.length * 2];
            for (int i = 0; i < frame.length; i++) {
                b[2 * i] = (byte) frame[i];
                b[2 * i + 1] = (byte) (frame[i] >> 8);
            }
            // never block the media thread: drop what does not fit
            int n = Math.min(b.length, line.available());
            line.write(b, 0, n - n % 2);
        }

        @Override
        public void close() {
            line.stop();
            line.close();
        }
    }
}
