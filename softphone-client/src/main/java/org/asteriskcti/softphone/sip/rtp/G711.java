package org.asteriskcti.softphone.sip.rtp;

/**
 * ITU-T G.711 µ-law and A-law companding, written after the public-domain Sun reference
 * implementation (g711.c). Linear samples are 16-bit signed PCM.
 */
public final class G711 {

    private static final int[] SEG_A_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final int[] SEG_U_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    private static final int BIAS = 0x84;
    private static final int CLIP = 8159;

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_DECODE[i] = ulawToLinearSlow(i);
            ALAW_DECODE[i] = alawToLinearSlow(i);
        }
    }

    private G711() {
    }

    private static int segment(int value, int[] table) {
        for (int i = 0; i < table.length; i++) {
            if (value <= table[i]) {
                return i;
            }
        }
        return table.length;
    }

    public static byte linearToAlaw(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int seg = segment(pcm, SEG_A_END);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int aval = seg << 4;
        aval |= seg < 2 ? (pcm >> 1) & 0x0F : (pcm >> seg) & 0x0F;
        return (byte) (aval ^ mask);
    }

    public static short alawToLinear(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    private static short alawToLinearSlow(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        switch (seg) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> {
                t += 0x108;
                t <<= seg - 1;
            }
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    public static byte linearToUlaw(short sample) {
        int pcm = sample >> 2;
        int mask;
        if (pcm < 0) {
            pcm = -pcm;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        if (pcm > CLIP) {
            pcm = CLIP;
        }
        pcm += BIAS >> 2;
        int seg = segment(pcm, SEG_U_END);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int uval = (seg << 4) | ((pcm >> (seg + 1)) & 0x0F);
        return (byte) (uval ^ mask);
    }

    public static short ulawToLinear(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    private static short ulawToLinearSlow(int code) {
        int u = ~code & 0xFF;
        int t = ((u & 0x0F) << 3) + BIAS;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? BIAS - t : t - BIAS);
    }
}
