package org.asteriskcti.softphone.sip.rtp;

import java.util.Arrays;

/**
 * An RTP packet (RFC 3550): version 2 fixed header, optional CSRCs, header extension and padding
 * are understood when parsing; we send none of them.
 */
public record RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {

    public static final int HEADER_SIZE = 12;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("RTP payload type must be 0..127, was " + payloadType);
        }
        sequence &= 0xFFFF;
        timestamp &= 0xFFFFFFFFL;
        ssrc &= 0xFFFFFFFFL;
    }

    public byte[] toBytes() {
        byte[] out = new byte[HEADER_SIZE + payload.length];
        out[0] = (byte) 0x80;
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[2] = (byte) (sequence >> 8);
        out[3] = (byte) sequence;
        putInt(out, 4, timestamp);
        putInt(out, 8, ssrc);
        System.arraycopy(payload, 0, out, HEADER_SIZE, payload.length);
        return out;
    }

    /**
     * Parses one datagram.
     *
     * @throws IllegalArgumentException naming what is wrong when it is not an RTP version 2 packet
     */
    public static RtpPacket parse(byte[] data, int length) {
        if (length < HEADER_SIZE) {
            throw new IllegalArgumentException("RTP packet too short: " + length + " bytes, need at least 12");
        }
        int version = (data[0] & 0xC0) >> 6;
        if (version != 2) {
            throw new IllegalArgumentException("not RTP version 2 (version field " + version + ")");
        }
        boolean padding = (data[0] & 0x20) != 0;
        boolean extension = (data[0] & 0x10) != 0;
        int csrcCount = data[0] & 0x0F;
        int offset = HEADER_SIZE + 4 * csrcCount;
        if (extension) {
            if (length < offset + 4) {
                throw new IllegalArgumentException("RTP header extension truncated");
            }
            int words = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
            offset += 4 + 4 * words;
        }
        int end = length;
        if (padding) {
            end -= data[length - 1] & 0xFF;
        }
        if (end < offset) {
            throw new IllegalArgumentException("RTP header/padding longer than the packet (" + length + " bytes)");
        }
        boolean marker = (data[1] & 0x80) != 0;
        int pt = data[1] & 0x7F;
        int seq = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        long ts = getInt(data, 4);
        long ssrc = getInt(data, 8);
        return new RtpPacket(marker, pt, seq, ts, ssrc, Arrays.copyOfRange(data, offset, end));
    }

    private static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >> 24);
        b[off + 1] = (byte) (v >> 16);
        b[off + 2] = (byte) (v >> 8);
        b[off + 3] = (byte) v;
    }

    private static long getInt(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
                | (b[off + 3] & 0xFF);
    }
}
