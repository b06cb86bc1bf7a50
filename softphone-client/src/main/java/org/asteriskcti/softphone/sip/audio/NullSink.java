package org.asteriskcti.softphone.sip.audio;

/** Discards received audio: the speaker of a headless machine. */
public final class NullSink implements AudioSink {
    @Override
    public void write(short[] frame) {
    }
}
