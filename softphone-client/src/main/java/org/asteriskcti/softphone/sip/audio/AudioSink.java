package org.asteriskcti.softphone.sip.audio;

/** Where received audio goes: 8 kHz 16-bit signed mono frames, one per 20 ms. */
public interface AudioSink extends AutoCloseable {

    void write(short[] frame);

    @Override
    default void close() {
    }
}
