package org.asteriskcti.softphone.sip.audio;

import java.util.Arrays;

/**
 * Keeps what was received (up to a limit) so tests and diagnostics can measure it: RMS level and
 * the power at a frequency (Goertzel), and the dominant frequency of a stretch.
 */
public final class RecordingSink implements AudioSink {

    private final int maxSamples;
    private short[] samples = new short[AudioSource.SAMPLE_RATE * 4];
    private int size;

    public RecordingSink() {
        this(AudioSource.SAMPLE_RATE * 600);
    }

    public RecordingSink(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    @Override
    public synchronized void write(short[] frame) {
        int n = Math.min(frame.length, maxSamples - size);
        if (n <= 0) {
            return;
        }
        if (size + n > samples.length) {
            samples = Arrays.copyOf(samples, Math.min(maxSamples, Math.max(samples.length * 2, size + n)));
        }
        System.arraycopy(frame, 0, samples, size, n);
        size += n;
    }

    public synchronized int sampleCount() {
        return size;
    }

    /** A copy of the samples received so far. */
    public synchronized short[] samples() {
        return Arrays.copyOf(samples, size);
    }

    /** Forgets what was recorded so far (e.g. to measure only what comes after a hold). */
    public synchronized void clear() {
        size = 0;
    }

    /** The last {@code count} samples (fewer when not that many were received). */
    public synchronized short[] lastSamples(int count) {
        int n = Math.min(count, size);
        return Arrays.copyOfRange(samples, size - n, size);
    }

    public static double rms(short[] s) {
        if (s.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / s.length);
    }

    /** Goertzel power at {@code hz}, normalised so a full-scale sine at that frequency gives ~1. */
    public static double powerAt(short[] s, double hz) {
        if (s.length == 0) {
            return 0;
        }
        double coeff = 2 * Math.cos(2 * Math.PI * hz / AudioSource.SAMPLE_RATE);
        double q1 = 0;
        double q2 = 0;
        for (short v : s) {
            double q0 = coeff * q1 - q2 + v / 32768.0;
            q2 = q1;
            q1 = q0;
        }
        double power = q1 * q1 + q2 * q2 - coeff * q1 * q2;
        return 4 * power / ((double) s.length * s.length);
    }

    /** The frequency between {@code fromHz} and {@code toHz} (in {@code stepHz} steps) with the most power. */
    public static double dominantFrequency(short[] s, double fromHz, double toHz, double stepHz) {
        double best = fromHz;
        double bestPower = -1;
        for (double f = fromHz; f <= toHz; f += stepHz) {
            double p = powerAt(s, f);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }
}
