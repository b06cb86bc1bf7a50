package org.asteriskcti.softphone.sip.rtp;

/**
 * The payload of an RFC 4733 telephone-event packet: event code, end bit, volume and duration
 * (in timestamp units, 8 kHz).
 */
public record DtmfEvent(int event, boolean end, int volume, int duration) {

    public static final int PAYLOAD_SIZE = 4;
    private static final String DIGITS = "0123456789*#ABCD";

    public DtmfEvent {
        if (event < 0 || event > 255) {
            throw new IllegalArgumentException("telephone-event code must be 0..255, was " + event);
        }
        if (volume < 0 || volume > 63) {
            throw new IllegalArgumentException("telephone-event volume must be 0..63, was " + volume);
        }
        if (duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("telephone-event duration must be 0..65535, was " + duration);
        }
    }

    /** The event code for a DTMF digit 0-9 * # A-D. */
    public static int eventFor(char digit) {
        int i = DIGITS.indexOf(Character.toUpperCase(digit));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "' (use 0-9 * # A-D)");
        }
        return i;
    }

    /** The digit of a DTMF event code, or 0 for codes that are not DTMF (e.g. 16 flash). */
    public static char digitFor(int event) {
        return event >= 0 && event < DIGITS.length() ? DIGITS.charAt(event) : 0;
    }

    public byte[] toBytes() {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >> 8), (byte) duration};
    }

    public static DtmfEvent parse(byte[] payload) {
        if (payload.length < PAYLOAD_SIZE) {
            throw new IllegalArgumentException("telephone-event payload too short: " + payload.length + " bytes, need 4");
        }
        return new DtmfEvent(payload[0] & 0xFF, (payload[1] & 0x80) != 0, payload[1] & 0x3F,
                ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF));
    }
}
