package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A WAV file as Asterisk records it (ari-11: 8 kHz, 16-bit signed PCM, mono) read into samples, to check
 * what a recording holds: its length, and where it is <em>exact digital silence</em> (runs of samples
 * that are all 0), which is what a muted ("paused") span of a live recording is. Speech and even
 * comfort noise are never a long run of exact zeros, so such a run marks a pause.
 */
final class Wav {

    /** A stretch of the file, in seconds from its start. */
    record Span(double start, double end) {
        double length() {
            return end - start;
        }

        /** True when both ends are within {@code tolerance} seconds of the other span's. */
        boolean near(Span other, double tolerance) {
            return Math.abs(start - other.start) <= tolerance && Math.abs(end - other.end) <= tolerance;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.3f-%.3f s", start, end);
        }
    }

    final int sampleRate;
    final short[] samples;

    private Wav(int sampleRate, short[] samples) {
        this.sampleRate = sampleRate;
        this.samples = samples;
    }

    static Wav read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses RIFF/WAVE: the {@code fmt } chunk must say PCM, 1 channel, 8000 Hz, 16 bits; other chunks
     * ({@code LIST}, {@code fact}...) are skipped; a {@code data} size larger than what the file holds
     * (a file still being written) reads what is there.
     *
     * @throws IllegalArgumentException not such a WAV, saying what was found
     */
    static Wav parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0).equals("RIFF") || !tag(bytes, 8).equals("WAVE")) {
            throw new IllegalArgumentException("not a RIFF/WAVE file (" + bytes.length + " bytes)");
        }
        int pos = 12;
        Integer rate = null;
        while (pos + 8 <= bytes.length) {
            String id = tag(bytes, pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                int format = Short.toUnsignedInt(b.getShort(body));
                int channels = b.getShort(body + 2);
                int sampleRate = b.getInt(body + 4);
                int bits = b.getShort(body + 14);
                if (format != 1 || channels != 1 || sampleRate != 8000 || bits != 16) {
                    throw new IllegalArgumentException("expected PCM (1) mono 8000 Hz 16-bit, got format " + format + ", "
                            + channels + " channel(s), " + sampleRate + " Hz, " + bits + " bits");
                }
                rate = sampleRate;
            } else if (id.equals("data")) {
                if (rate == null) {
                    throw new IllegalArgumentException("data chunk before the fmt chunk");
                }
                long available = Math.min(size, bytes.length - body);
                short[] samples = new short[(int) (available / 2)];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = b.getShort(body + 2 * i);
                }
                return new Wav(rate, samples);
            }
            pos = (int) Math.min(bytes.length, body + size + (size & 1)); // chunks are padded to an even size
        }
        throw new IllegalArgumentException(rate == null ? "no fmt chunk" : "no data chunk");
    }

    private static String tag(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.US_ASCII);
    }

    /** The file's length. */
    Duration duration() {
        return Duration.ofNanos(Math.round(seconds() * 1e9));
    }

    double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** Spans where every sample is exactly 0, each at least {@code minimum} long (e.g. 200 ms), in order. */
    List<Span> digitalSilences(Duration minimum) {
        long minSamples = Math.max(1, minimum.toNanos() * sampleRate / 1_000_000_000L);
        List<Span> out = new ArrayList<>();
        int runStart = -1;
        for (int i = 0; i <= samples.length; i++) {
            boolean zero = i < samples.length && samples[i] == 0;
            if (zero && runStart < 0) {
                runStart = i;
            } else if (!zero && runStart >= 0) {
                if (i - runStart >= minSamples) {
                    out.add(new Span(runStart / (double) sampleRate, i / (double) sampleRate));
                }
                runStart = -1;
            }
        }
        return out;
    }

    /** Root mean square of the samples between two times (0 = silence, 32767 = full scale). */
    double rms(double fromSeconds, double toSeconds) {
        int from = (int) Math.max(0, Math.round(fromSeconds * sampleRate));
        int to = (int) Math.min(samples.length, Math.round(toSeconds * sampleRate));
        if (to <= from) {
            return 0;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** A minimal 16-bit mono PCM WAV of these samples (tests). */
    static byte[] encode(int sampleRate, short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }
}
