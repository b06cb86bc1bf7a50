package org.asteriskcti.softphone.sip.audio;

/**
 * Where the phone's outgoing audio comes from: 8 kHz, 16-bit signed, mono frames of 20 ms (160
 * samples). {@link #read} is called once per 20 ms by the media thread and must not block longer.
 */
public interface AudioSource extends AutoCloseable {

    int SAMPLE_RATE = 8000;
    int FRAME_SAMPLES = 160;

    /** Fills {@code frame} with the next samples. */
    void read(short[] frame);

    @Override
    default void close() {
    }
}
