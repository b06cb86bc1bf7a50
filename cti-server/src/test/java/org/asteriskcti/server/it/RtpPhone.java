package org.asteriskcti.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The media side of a test phone whose SIP side is a SIPp scenario with {@code -key rtp_port} (the port
 * this listens on goes into SIPp's SDP). It sends a steady G.711 u-law tone of its own, every 20 ms, to
 * where Asterisk's RTP for it comes from (symmetric RTP, as Asterisk itself does: it starts once the first
 * packet arrives), and keeps every u-law packet it hears with its arrival time, so a test can ask what the
 * phone heard in a stretch of time: {@link #share} is the part of the audio's power at one frequency
 * (Goertzel), about 1 for that tone alone, about 1/2 for it mixed with another as loud, about 0 without it.
 */
final class RtpPhone implements AutoCloseable {

    static final int RATE = 8000;
    private static final int FRAME = 160;
    private static final double AMPLITUDE = 6000;

    private record Heard(long at, short[] samples) {}

    private final String name;
    private final int port;
    private final double toneHz;
    private final DatagramSocket socket;
    private final List<Heard> heard = new CopyOnWriteArrayList<>();
    private final Thread receiver;
    private final ScheduledExecutorService sender;
    private volatile InetSocketAddress remote;
    private volatile boolean closed;
    private int seq;
    private long timestamp;
    private long sample;
    private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);

    /** @param toneHz what it says, continuously; 0: silence (nothing is sent) */
    RtpPhone(String name, int port, double toneHz) {
        this.name = name;
        this.port = port;
        this.toneHz = toneHz;
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(AsteriskUnderTest.HOST, port));
            socket.setSoTimeout(200);
        } catch (SocketException e) {
            throw new IllegalStateException("RTP port 127.0.0.1:" + port + " for " + name + " is busy", e);
        }
        receiver = new Thread(this::receive, "rtp-" + name);
        receiver.setDaemon(true);
        receiver.start();
        sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtp-send-" + name);
            t.setDaemon(true);
            return t;
        });
        sender.scheduleAtFixedRate(this::send, 20, 20, TimeUnit.MILLISECONDS);
    }

    private void receive() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(name + ": RTP receive failed", e);
                }
                return;
            }
            int len = p.getLength();
            if (len < 12 || (buf[0] & 0xC0) != 0x80) {
                continue; // not RTP (RTCP goes to the port above)
            }
            int pt = buf[1] & 0x7F;
            int header = 12 + 4 * (buf[0] & 0x0F);
            if ((buf[0] & 0x10) != 0 && len >= header + 4) {
                header += 4 + 4 * (((buf[header + 2] & 0xFF) << 8) | (buf[header + 3] & 0xFF));
            }
            if (pt != 0 || len <= header) {
                continue; // only u-law audio (0) is offered; DTMF, comfort noise are not audio
            }
            short[] samples = new short[len - header];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = ulawToLinear(buf[header + i]);
            }
            heard.add(new Heard(System.nanoTime(), samples));
            if (remote == null) {
                remote = new InetSocketAddress(p.getAddress(), p.getPort());
            }
        }
    }

    private void send() {
        InetSocketAddress to = remote;
        if (toneHz <= 0 || to == null || closed) {
            return;
        }
        byte[] pkt = new byte[12 + FRAME];
        pkt[0] = (byte) 0x80;
        pkt[1] = (byte) (seq == 0 ? 0x80 : 0x00); // marker on the first, payload type 0 (PCMU)
        pkt[2] = (byte) (seq >> 8);
        pkt[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            pkt[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            pkt[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        for (int i = 0; i < FRAME; i++) {
            double v = AMPLITUDE * Math.sin(2 * Math.PI * toneHz * sample++ / RATE);
            pkt[12 + i] = linearToUlaw((int) Math.round(v));
        }
        seq = (seq + 1) & 0xFFFF;
        timestamp += FRAME;
        try {
            socket.send(new DatagramPacket(pkt, pkt.length, to));
        } catch (IOException e) {
            // the test's assertions on what others hear will say it
        }
    }

    /** u-law packets heard so far. */
    int packets() {
        return heard.size();
    }

    /** The audio heard between two {@link System#nanoTime()} instants, in order. */
    private short[] audio(long from, long to) {
        List<short[]> parts = new ArrayList<>();
        int n = 0;
        for (Heard h : heard) {
            if (h.at() >= from && h.at() < to) {
                parts.add(h.samples());
                n += h.samples().length;
            }
        }
        short[] out = new short[n];
        int i = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    /** Mean square of what was heard in the stretch (0: nothing, or silence). */
    double power(long from, long to) {
        short[] x = audio(from, to);
        double sum = 0;
        for (short s : x) {
            sum += (double) s * s;
        }
        return x.length == 0 ? 0 : sum / x.length;
    }

    /** The part (0..1) of the power heard in the stretch that is at {@code hz}; 0 when nothing was heard. */
    double share(double hz, long from, long to) {
        short[] x = audio(from, to);
        double total = 0;
        for (short s : x) {
            total += (double) s * s;
        }
        if (x.length < FRAME || total < x.length * 100.0) {
            return 0; // nothing, or near-silence: no tone
        }
        double coeff = 2 * Math.cos(2 * Math.PI * hz / RATE);
        double s1 = 0;
        double s2 = 0;
        for (short v : x) {
            double s0 = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double atHz = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * atHz / (x.length * total);
    }

    String describe() {
        return name + " (RTP 127.0.0.1:" + port + ", says " + toneHz + " Hz): " + heard.size() + " packets heard"
                + (remote == null ? ", no RTP from Asterisk yet" : " from " + remote);
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- G.711 u-law ------------------------------------------------------------------------------------

    static short ulawToLinear(byte b) {
        int u = ~b & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    static byte linearToUlaw(int pcm) {
        int sign = pcm < 0 ? 0x80 : 0;
        int mag = Math.min(Math.abs(pcm), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (mag & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (mag >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }
}
