package org.asteriskcti.softphone.sip.rtp;

/** The audio codecs the phone speaks: G.711 at 8 kHz, one byte per sample. */
public enum Codec {
    PCMU(0, "PCMU"),
    PCMA(8, "PCMA");

    public static final int CLOCK_RATE = 8000;

    private final int staticPayloadType;
    private final String encodingName;

    Codec(int staticPayloadType, String encodingName) {
        this.staticPayloadType = staticPayloadType;
        this.encodingName = encodingName;
    }

    public int staticPayloadType() {
        return staticPayloadType;
    }

    public String encodingName() {
        return encodingName;
    }

    /** The codec for an SDP encoding name such as {@code PCMU}, or null when we do not speak it. */
    public static Codec byEncodingName(String name) {
        for (Codec c : values()) {
            if (c.encodingName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** The codec for a static payload type (0, 8), or null. */
    public static Codec byStaticPayloadType(int pt) {
        for (Codec c : values()) {
            if (c.staticPayloadType == pt) {
                return c;
            }
        }
        return null;
    }

    public byte[] encode(short[] samples) {
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = this == PCMU ? G711.linearToUlaw(samples[i]) : G711.linearToAlaw(samples[i]);
        }
        return out;
    }

    public short[] decode(byte[] payload, int offset, int length) {
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            byte b = payload[offset + i];
            out[i] = this == PCMU ? G711.ulawToLinear(b) : G711.alawToLinear(b);
        }
        return out;
    }
}
