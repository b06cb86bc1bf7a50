package org.asteriskcti.softphone.sip.audio;

/** A continuous sine tone of a given frequency and amplitude (0..32767). */
public final class ToneSource implements AudioSource {

    private final double frequencyHz;
    private final double amplitude;
    private long sampleIndex;

    public ToneSource(double frequencyHz, int amplitude) {
        if (frequencyHz <= 0 || frequencyHz >= SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("tone frequency must be between 0 and 4000 Hz, was " + frequencyHz);
        }
        if (amplitude < 0 || amplitude > Short.MAX_VALUE) {
            throw new IllegalArgumentException("tone amplitude must be 0..32767, was " + amplitude);
        }
        this.frequencyHz = frequencyHz;
        this.amplitude = amplitude;
    }

    /** A 1 kHz tone at about -12 dBFS: the usual test tone. */
    public static ToneSource new1k() {
        return new ToneSource(1000, 8000);
    }

    @Override
    public synchronized void read(short[] frame) {
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequencyHz * sampleIndex++ / SAMPLE_RATE));
        }
    }
}
