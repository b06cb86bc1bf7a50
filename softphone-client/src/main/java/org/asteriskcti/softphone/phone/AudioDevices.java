package org.asteriskcti.softphone.phone;

import java.util.List;
import org.asteriskcti.softphone.sip.audio.JavaSoundDevices;

/**
 * The machine's sound devices the built-in phone can use, by name ({@code --sip-microphone=},
 * {@code --sip-speaker=}, or the sign-in form's Phone section). Besides device names the options take
 * {@link #DEFAULT} (the system's default device), {@link #SILENCE} (send silence) and {@link #NONE} (discard what
 * is received).
 */
public interface AudioDevices {

    /** The system's default device (silence / discard when there is none). */
    String DEFAULT = "default";
    /** No microphone: the phone sends silence. */
    String SILENCE = "silence";
    /** No speaker: received audio is discarded. */
    String NONE = "none";

    /** Names of the microphones (capture devices); empty when the machine has none. */
    List<String> microphones();

    /** Names of the speakers / headsets (playback devices); empty when the machine has none. */
    List<String> speakers();

    /** The devices javax.sound sees on this machine. */
    static AudioDevices javaSound() {
        return new AudioDevices() {
            @Override
            public List<String> microphones() {
                return JavaSoundDevices.captureDevices();
            }

            @Override
            public List<String> speakers() {
                return JavaSoundDevices.playbackDevices();
            }
        };
    }
}
