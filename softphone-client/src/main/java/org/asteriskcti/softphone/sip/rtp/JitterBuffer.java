package org.asteriskcti.softphone.sip.rtp;

import java.util.TreeMap;

/**
 * A small fixed-delay jitter buffer: packets are reordered by sequence number, playout starts
 * once {@code depth} packets are queued, late and duplicate packets are dropped, a missing packet
 * is played as a gap (null) once a later one is waiting. A new SSRC resets it.
 * Filled by the receive thread, drained by the playout tick.
 */
public final class JitterBuffer {

    private static final int MAX_PACKETS = 50;

    private final int depth;
    private final TreeMap<Long, RtpPacket> queue = new TreeMap<>();
    private long ssrc = -1;
    private long lastExtended = -1;   // highest extended seq received
    private long nextToPlay = -1;     // extended seq of the next packet to play
    private boolean playing;
    private long late;
    private long lost;

    public JitterBuffer(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("jitter buffer depth must be at least 1 packet");
        }
        this.depth = depth;
    }

    public synchronized void offer(RtpPacket packet) {
        if (packet.ssrc() != ssrc) {
            queue.clear();
            ssrc = packet.ssrc();
            lastExtended = -1;
            nextToPlay = -1;
            playing = false;
        }
        long ext = extend(packet.sequence());
        if (nextToPlay >= 0 && ext < nextToPlay) {
            late++;
            return;
        }
        queue.putIfAbsent(ext, packet);
        if (queue.size() > MAX_PACKETS) {
            queue.pollFirstEntry();
            nextToPlay = queue.firstKey();
        }
        if (!playing && queue.size() >= depth) {
            playing = true;
            nextToPlay = queue.firstKey();
        }
    }

    private long extend(int seq) {
        if (lastExtended < 0) {
            lastExtended = seq + 65536L;
            return lastExtended;
        }
        long base = lastExtended & ~0xFFFFL;
        long candidate = base | seq;
        if (candidate - lastExtended > 32768) {
            candidate -= 65536;
        } else if (lastExtended - candidate > 32768) {
            candidate += 65536;
        }
        lastExtended = Math.max(lastExtended, candidate);
        return candidate;
    }

    /** The packet to play for this 20 ms tick; null when it is missing or playout has not started. */
    public synchronized RtpPacket poll() {
        if (!playing) {
            return null;
        }
        if (queue.isEmpty()) {
            // underrun: wait for the buffer to refill to its depth before playing again
            playing = false;
            return null;
        }
        RtpPacket p = queue.remove(nextToPlay);
        if (p == null) {
            lost++;
        }
        nextToPlay++;
        return p;
    }

    public synchronized long latePackets() {
        return late;
    }

    public synchronized long lostPackets() {
        return lost;
    }
}
