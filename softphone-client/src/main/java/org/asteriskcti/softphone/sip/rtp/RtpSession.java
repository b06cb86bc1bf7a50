package org.asteriskcti.softphone.sip.rtp;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.asteriskcti.softphone.sip.audio.AudioSink;
import org.asteriskcti.softphone.sip.audio.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's audio: every 20 ms a frame from the {@link AudioSource} is encoded and sent (or an
 * RFC 4733 event packet while a digit is being sent) and a frame from the jitter buffer is
 * decoded and written to the {@link AudioSink}; a receive thread feeds the jitter buffer and
 * reports received DTMF digits. RTCP is not sent.
 */
public final class RtpSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtpSession.class);
    private static final int SAMPLES_PER_PACKET = 160;
    private static final int DTMF_VOLUME = 10;
    private static final int DTMF_END_REPEATS = 3;

    private final DatagramSocket socket;
    private final AudioSource source;
    private final AudioSink sink;
    private final Consumer<Character> dtmfReceived;
    private final JitterBuffer jitter = new JitterBuffer(3);
    private final long ssrc;
    private final Queue<PendingDigit> digits = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService ticker;
    private final Thread receiver;
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong dtmfPacketsSent = new AtomicLong();
    private final AtomicLong invalidPackets = new AtomicLong();

    private volatile MediaParams params;
    private volatile boolean closed;
    private volatile boolean micMuted;

    // owned by the ticker thread
    private int sequence;
    private long timestamp;
    private boolean talkspurtStart = true;
    private boolean wasSending;
    private ActiveDigit activeDigit;
    private MediaParams lastSending;
    private final short[] frame = new short[SAMPLES_PER_PACKET];

    // owned by the receive thread
    private long lastDtmfTimestamp = -1;
    private long lastDtmfSsrc = -1;

    private record PendingDigit(char digit, int durationMs) {
    }

    private static final class ActiveDigit {
        final int event;
        final long timestamp;
        final int targetDuration;
        int duration;
        int endsSent;
        boolean first = true;

        ActiveDigit(int event, long timestamp, int targetDuration) {
            this.event = event;
            this.timestamp = timestamp;
            this.targetDuration = targetDuration;
        }
    }

    public RtpSession(DatagramSocket socket, MediaParams params, AudioSource source, AudioSink sink,
                      Consumer<Character> dtmfReceived) {
        this.socket = socket;
        this.params = params;
        this.source = source;
        this.sink = sink;
        this.dtmfReceived = dtmfReceived;
        SecureRandom random = new SecureRandom();
        this.ssrc = random.nextInt() & 0xFFFFFFFFL;
        this.sequence = random.nextInt(0x10000);
        this.timestamp = random.nextInt() & 0xFFFFFFFFL;
        String name = "rtp-" + socket.getLocalPort();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-tick"));
        this.receiver = daemon(this::receiveLoop, name + "-rx");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        return t;
    }

    /** Binds a UDP socket on an even port in [min, max] on {@code address}. */
    public static DatagramSocket bind(InetAddress address, int min, int max) throws SocketException {
        int start = min + (min & 1);
        int span = Math.max(1, (max - start) / 2 + 1);
        int offset = new SecureRandom().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = start + 2 * ((offset + i) % span);
            try {
                return new DatagramSocket(new InetSocketAddress(address, port));
            } catch (BindException busy) {
                // try the next one
            }
        }
        throw new SocketException("no free RTP port on " + address.getHostAddress() + " between " + min + " and " + max);
    }

    public void start() {
        receiver.start();
        ticker.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public MediaParams params() {
        return params;
    }

    /** New negotiated parameters (re-INVITE: hold, resume, new address). */
    public void update(MediaParams newParams) {
        this.params = newParams;
    }

    /**
     * Mutes our microphone: packets keep flowing (the far end's RTP timeout and NAT bindings stay happy, DTMF
     * still goes out) but carry silence instead of what the source reads.
     */
    public void mute(boolean muted) {
        this.micMuted = muted;
    }

    public boolean muted() {
        return micMuted;
    }

    /** Queues an RFC 4733 digit; refused when telephone-event was not negotiated. */
    public void sendDtmf(char digit, int durationMs) {
        DtmfEvent.eventFor(digit);
        if (!params.dtmfNegotiated()) {
            throw new IllegalStateException("cannot send DTMF '" + digit + "': the far end did not offer telephone-event (RFC 4733)");
        }
        if (durationMs < 40 || durationMs > 5000) {
            throw new IllegalArgumentException("DTMF duration must be 40..5000 ms, was " + durationMs);
        }
        digits.add(new PendingDigit(digit, durationMs));
    }

    public long packetsSent() {
        return packetsSent.get();
    }

    public long packetsReceived() {
        return packetsReceived.get();
    }

    public long dtmfPacketsSent() {
        return dtmfPacketsSent.get();
    }

    public long invalidPackets() {
        return invalidPackets.get();
    }

    public long lostPackets() {
        return jitter.lostPackets();
    }

    private void tick() {
        try {
            MediaParams p = params;
            sendTick(p);
            RtpPacket packet = jitter.poll();
            if (p.receive() && packet != null && packet.payloadType() == p.audioPayloadType()) {
                sink.write(p.codec().decode(packet.payload(), 0, packet.payload().length));
            }
        } catch (RuntimeException e) {
            LOG.warn("RTP tick on port {} failed", socket.getLocalPort(), e);
        }
    }

    private void sendTick(MediaParams p) {
        source.read(frame);
        if (micMuted) {
            java.util.Arrays.fill(frame, (short) 0);
        }
        long now = timestamp;
        timestamp = (timestamp + SAMPLES_PER_PACKET) & 0xFFFFFFFFL;
        if (!p.send() || p.remote() == null) {
            if (activeDigit != null || !digits.isEmpty()) {
                cutDigitsShort();
            }
            wasSending = false;
            talkspurtStart = true;
            return;
        }
        if (activeDigit == null) {
            PendingDigit next = digits.poll();
            if (next != null) {
                activeDigit = new ActiveDigit(DtmfEvent.eventFor(next.digit()), now, next.durationMs() * 8);
            }
        }
        RtpPacket packet;
        if (activeDigit != null && p.dtmfNegotiated()) {
            ActiveDigit d = activeDigit;
            boolean end;
            if (d.duration < d.targetDuration) {
                d.duration = Math.min(0xFFFF, d.duration + SAMPLES_PER_PACKET);
                end = d.duration >= d.targetDuration;
            } else {
                end = true;
            }
            if (end) {
                d.endsSent++;
                if (d.endsSent >= DTMF_END_REPEATS) {
                    activeDigit = null;
                }
            }
            packet = new RtpPacket(d.first, p.dtmfPayloadType(), sequence, d.timestamp, ssrc,
                    new DtmfEvent(d.event, end, DTMF_VOLUME, d.duration).toBytes());
            d.first = false;
            dtmfPacketsSent.incrementAndGet();
        } else {
            activeDigit = null;
            packet = new RtpPacket(talkspurtStart || !wasSending, p.audioPayloadType(), sequence, now, ssrc,
                    p.codec().encode(frame));
            talkspurtStart = false;
        }
        wasSending = true;
        lastSending = p;
        transmit(packet, p.remote());
    }

    /**
     * Sending stopped (hold, either side) while a digit played or waited: the digit in progress gets its end
     * packets now, where it was going, so the far end does not keep an open event (and we do not resume it
     * later with a stale timestamp); digits still queued are dropped, as DTMF is refused while held.
     */
    private void cutDigitsShort() {
        ActiveDigit d = activeDigit;
        activeDigit = null;
        int dropped = digits.size();
        digits.clear();
        MediaParams p = lastSending;
        if (d != null && p != null && p.dtmfNegotiated()) {
            byte[] end = new DtmfEvent(d.event, true, DTMF_VOLUME, d.duration).toBytes();
            for (int i = d.endsSent; i < DTMF_END_REPEATS; i++) {
                transmit(new RtpPacket(false, p.dtmfPayloadType(), sequence, d.timestamp, ssrc, end), p.remote());
                dtmfPacketsSent.incrementAndGet();
            }
        }
        LOG.info("RTP port {}: sending stopped during DTMF: {} ended after {} ms, {} queued digit(s) dropped",
                socket.getLocalPort(), d == null ? "no digit" : "'" + DtmfEvent.digitFor(d.event) + "'",
                d == null ? 0 : d.duration / 8, dropped);
    }

    private void transmit(RtpPacket packet, InetSocketAddress to) {
        sequence = (sequence + 1) & 0xFFFF;
        byte[] bytes = packet.toBytes();
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
            packetsSent.incrementAndGet();
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("RTP send to {} failed: {}", to, e.getMessage());
            }
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        try {
            socket.setSoTimeout(200);
        } catch (SocketException e) {
            return;
        }
        while (!closed) {
            try {
                dp.setLength(buf.length);
                socket.receive(dp);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("RTP receive on port {} failed: {}", socket.getLocalPort(), e.getMessage());
                }
                return;
            }
            RtpPacket packet;
            try {
                packet = RtpPacket.parse(buf, dp.getLength());
            } catch (IllegalArgumentException e) {
                invalidPackets.incrementAndGet();
                continue;
            }
            packetsReceived.incrementAndGet();
            MediaParams p = params;
            if (p.dtmfNegotiated() && packet.payloadType() == p.dtmfPayloadType()) {
                onDtmfPacket(packet);
            } else if (packet.payloadType() == p.audioPayloadType()) {
                jitter.offer(packet);
            } else {
                invalidPackets.incrementAndGet();
            }
        }
    }

    private void onDtmfPacket(RtpPacket packet) {
        DtmfEvent event;
        try {
            event = DtmfEvent.parse(packet.payload());
        } catch (IllegalArgumentException e) {
            invalidPackets.incrementAndGet();
            return;
        }
        if (packet.timestamp() == lastDtmfTimestamp && packet.ssrc() == lastDtmfSsrc) {
            return; // a continuation or end repeat of the event already reported
        }
        lastDtmfTimestamp = packet.timestamp();
        lastDtmfSsrc = packet.ssrc();
        char digit = DtmfEvent.digitFor(event.event());
        if (digit != 0) {
            dtmfReceived.accept(digit);
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        try {
            receiver.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(source);
        closeQuietly(sink);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.getMessage());
        }
    }
}
