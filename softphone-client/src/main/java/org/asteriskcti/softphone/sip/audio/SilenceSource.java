package org.asteriskcti.softphone.sip.audio;

import java.util.Arrays;

/** Sends silence: the capture device of a headless machine. */
public final class SilenceSource implements AudioSource {
    @Override
    public void read(short[] frame) {
        Arrays.fill(frame, (short) 0);
    }
}
