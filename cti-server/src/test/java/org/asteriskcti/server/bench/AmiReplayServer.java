package org.asteriskcti.server.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.asteriskcti.server.asterisk.ami.AmiSettings;

/**
 * A one-connection AMI server on 127.0.0.1 for the fan-out benchmark: answers asterisk-java's login
 * the way Asterisk 22 does (banner, Challenge, Login, CoreSettings, empty CoreShowChannels and
 * BridgeList, Ping, Logoff), then, when {@link #replay} is called, streams the event blocks of a real
 * AMI trace {@code repeat} times.
 *
 * <p>What is streamed, per repetition k (1-based):
 * <ul>
 *   <li>the trace's event blocks after the Login answer, without answers to the recording client's
 *       own actions ({@code Response:} blocks) and without the session-start events (FullyBooted,
 *       SuccessfulAuth);</li>
 *   <li>only the blocks Asterisk would send to a login with the connector's {@code Events:} mask
 *       ({@link AmiSettings#DEFAULT_EVENT_MASK}): a block is kept when its {@code Privilege:} classes
 *       meet the mask, exactly as manager.c filters. So the dialplan-class VarSet/Newexten, the cdr
 *       and reporting events are not sent, while CEL (class call) is, as a real Asterisk would;</li>
 *   <li>every Uniqueid-like value (any header whose name ends in {@code uniqueid} or {@code linkedid},
 *       case-insensitive: Uniqueid, Linkedid, DestUniqueid, DestLinkedid, BridgeUniqueid, CEL's
 *       UniqueID/LinkedID) gets the suffix {@code -r<k>}, so each repetition is a new call with new
 *       channels and bridges (the model ignores channels it has already seen end);</li>
 *   <li>a {@code Timestamp: <epoch seconds>.<micros>} header (manager.conf timestampevents=yes) right
 *       after {@code Privilege:}, stamped with {@link WallClock} just before the block is written, so
 *       the CTI's {@code at} for the resulting client frame is this write time.</li>
 * </ul>
 * Each block is written and flushed on its own (one socket write per AMI event, as Asterisk does).
 */
final class AmiReplayServer implements AutoCloseable {

    private static final String CRLF = "\r\n";
    private static final String BANNER = "Asterisk Call Manager/11.0.0\r\n";
    private static final String CHALLENGE = "394755107";
    private static final Set<String> SESSION_START_EVENTS = Set.of("fullybooted", "successfulauth");

    /** A block split into lines, with the positions of its id values and of its Privilege line. */
    private record Template(String event, List<String> lines, boolean[] idLine, int privilegeLine) {}

    private final List<Template> templates;
    private final Map<String, Integer> kept;
    private final Map<String, Integer> dropped;
    private final ServerSocket server;
    private final CountDownLatch resyncAnswered = new CountDownLatch(2);
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile boolean closed;

    private AmiReplayServer(String trace) {
        Map<String, Integer> keptCount = new TreeMap<>();
        Map<String, Integer> droppedCount = new TreeMap<>();
        this.templates = parse(trace, keptCount, droppedCount);
        this.kept = keptCount;
        this.dropped = droppedCount;
        try {
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::acceptLoop, "bench-ami-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Listens on an ephemeral loopback port, serving {@code traces/<name>.raw} from the test classpath. */
    static AmiReplayServer start(String traceName) {
        return new AmiReplayServer(resource("/traces/" + traceName + ".raw"));
    }

    int port() {
        return server.getLocalPort();
    }

    /** AMI event blocks sent per repetition. */
    int blocksPerRepetition() {
        return templates.size();
    }

    /** Blocks kept per repetition, by event name. */
    Map<String, Integer> keptEvents() {
        return kept;
    }

    /** Trace blocks left out, by event (or Response) name, with why in the class doc. */
    Map<String, Integer> droppedEvents() {
        return dropped;
    }

    /** Waits until the client logged in and was answered CoreShowChannels and BridgeList (its resync). */
    boolean awaitResync(long timeout, TimeUnit unit) throws InterruptedException {
        return resyncAnswered.await(timeout, unit);
    }

    /** What a replay did. */
    record Replay(long blocks, long firstWriteMicros, long lastWriteMicros) {}

    /**
     * Streams the trace {@code repeat} times on a new thread. {@code ratePerSecond} 0 writes as fast as
     * the socket takes it; otherwise block j is written no earlier than j / rate seconds after the first.
     */
    CompletableFuture<Replay> replay(int repeat, double ratePerSecond) {
        CompletableFuture<Replay> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(stream(repeat, ratePerSecond));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "bench-ami-stream");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private Replay stream(int repeat, double ratePerSecond) throws IOException {
        OutputStream o = out;
        if (o == null) {
            throw new IllegalStateException("no AMI client logged in");
        }
        long intervalNanos = ratePerSecond > 0 ? (long) (1_000_000_000d / ratePerSecond) : 0;
        long startNanos = System.nanoTime();
        long first = -1;
        long last = -1;
        long j = 0;
        StringBuilder sb = new StringBuilder(4096);
        for (int k = 1; k <= repeat && !closed; k++) {
            String suffix = "-r" + k;
            for (Template t : templates) {
                if (intervalNanos > 0) {
                    long due = startNanos + j * intervalNanos;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                long now = WallClock.micros();
                byte[] bytes = render(sb, t, suffix, now);
                synchronized (this) {
                    o.write(bytes);
                    o.flush();
                }
                if (first < 0) {
                    first = now;
                }
                last = now;
                j++;
            }
        }
        return new Replay(j, first, last);
    }

    private static byte[] render(StringBuilder sb, Template t, String suffix, long nowMicros) {
        sb.setLength(0);
        for (int i = 0; i < t.lines.size(); i++) {
            sb.append(t.lines.get(i));
            if (t.idLine[i]) {
                sb.append(suffix);
            }
            sb.append(CRLF);
            if (i == t.privilegeLine) {
                long s = nowMicros / 1_000_000;
                long us = nowMicros % 1_000_000;
                sb.append("Timestamp: ").append(s).append('.');
                String frac = Long.toString(us);
                for (int z = frac.length(); z < 6; z++) {
                    sb.append('0');
                }
                sb.append(frac).append(CRLF);
            }
        }
        sb.append(CRLF);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        closeQuietly(socket);
    }

    // ---- the AMI session ----------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                if (socket != null) {
                    closeQuietly(s); // one client: the CTI's AMI connector
                    continue;
                }
                socket = s;
                OutputStream o = s.getOutputStream();
                write(o, BANNER);
                Thread reader = new Thread(() -> readLoop(s, o), "bench-ami-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void readLoop(Socket s, OutputStream o) {
        try {
            InputStream in = s.getInputStream();
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String l = line.toString();
                line.setLength(0);
                if (l.endsWith("\r")) {
                    l = l.substring(0, l.length() - 1);
                }
                if (!l.isEmpty()) {
                    int colon = l.indexOf(':');
                    if (colon > 0) {
                        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
                    }
                } else if (!headers.isEmpty()) {
                    answer(o, headers);
                    headers = new LinkedHashMap<>();
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void answer(OutputStream o, Map<String, String> h) throws IOException {
        String id = h.getOrDefault("actionid", "");
        String action = h.getOrDefault("action", "").toLowerCase(Locale.ROOT);
        switch (action) {
            case "challenge" -> write(o, "Response: Success\r\nActionID: " + id + "\r\nChallenge: " + CHALLENGE
                    + "\r\n\r\n");
            case "login" -> {
                write(o, "Response: Success\r\nActionID: " + id + "\r\nMessage: Authentication accepted\r\n\r\n");
                write(o, "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 8\r\nLastReload: 8\r\n"
                        + "Status: Fully Booted\r\n\r\n");
                out = o;
            }
            case "coresettings" -> write(o, "Response: Success\r\nActionID: " + id + "\r\nAMIversion: 11.0.0\r\n"
                    + "AsteriskVersion: 22.10.1\r\nSystemName: \r\nCoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\n"
                    + "CoreRunUser: \r\nCoreRunGroup: \r\nCoreMaxFilehandles: 0\r\nCoreRealTimeEnabled: No\r\n"
                    + "CoreCDRenabled: Yes\r\nCoreHTTPenabled: No\r\nSoundsSearchCustomDir: No\r\n\r\n");
            case "coreshowchannels" -> {
                write(o, "Response: Success\r\nActionID: " + id + "\r\nEventList: start\r\n"
                        + "Message: Channels will follow\r\n\r\nEvent: CoreShowChannelsComplete\r\nActionID: " + id
                        + "\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");
                resyncAnswered.countDown();
            }
            case "bridgelist" -> {
                write(o, "Response: Success\r\nActionID: " + id + "\r\nEventList: start\r\n"
                        + "Message: Bridge listing will follow\r\n\r\nEvent: BridgeListComplete\r\nActionID: " + id
                        + "\r\nEventList: Complete\r\nListItems: 0\r\n\r\n");
                resyncAnswered.countDown();
            }
            case "ping" -> write(o, "Response: Success\r\nActionID: " + id + "\r\nPing: Pong\r\nTimestamp: "
                    + WallClock.micros() / 1_000_000 + ".000000\r\n\r\n");
            case "logoff" -> {
                write(o, "Response: Goodbye\r\nActionID: " + id + "\r\nMessage: Thanks for all the fish.\r\n\r\n");
                closeQuietly(socket);
            }
            default -> write(o, "Response: Error\r\nActionID: " + id + "\r\nMessage: Invalid/unknown command: "
                    + h.get("action") + ". Use Action: ListCommands to show available commands.\r\n\r\n");
        }
    }

    private void write(OutputStream o, String text) throws IOException {
        synchronized (this) {
            o.write(text.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
        }
    }

    // ---- trace ----------------------------------------------------------------------------------

    private static List<Template> parse(String raw, Map<String, Integer> kept, Map<String, Integer> dropped) {
        Set<String> mask = new HashSet<>(Arrays.asList(AmiSettings.DEFAULT_EVENT_MASK.split(",")));
        String body = raw.substring(raw.indexOf(CRLF) + 2); // after the banner
        String[] blocks = body.split("\r\n\r\n");
        List<Template> out = new ArrayList<>();
        for (int i = 1; i < blocks.length; i++) { // blocks[0]: the Login answer
            String block = blocks[i];
            if (block.isBlank()) {
                continue;
            }
            List<String> lines = List.of(block.split(CRLF));
            String first = lines.get(0);
            if (first.startsWith("Response:")) {
                dropped.merge("Response (answers to the recording client's actions)", 1, Integer::sum);
                continue;
            }
            String event = first.startsWith("Event:") ? first.substring(6).trim() : first;
            if (SESSION_START_EVENTS.contains(event.toLowerCase(Locale.ROOT))) {
                dropped.merge(event + " (session start)", 1, Integer::sum);
                continue;
            }
            int privilege = -1;
            boolean[] idLine = new boolean[lines.size()];
            boolean inMask = false;
            for (int j = 0; j < lines.size(); j++) {
                String l = lines.get(j);
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = l.substring(colon + 1).trim();
                if (name.equals("privilege")) {
                    privilege = j;
                    for (String c : value.split(",")) {
                        inMask |= mask.contains(c.trim());
                    }
                } else if ((name.endsWith("uniqueid") || name.endsWith("linkedid")) && !value.isEmpty()
                        && !value.equals("<unknown>")) {
                    idLine[j] = true;
                }
            }
            if (privilege < 0 || !inMask) {
                dropped.merge(event + " (not in Events: " + AmiSettings.DEFAULT_EVENT_MASK + ")", 1, Integer::sum);
                continue;
            }
            kept.merge(event, 1, Integer::sum);
            out.add(new Template(event, lines, idLine, privilege));
        }
        return List.copyOf(out);
    }

    private static String resource(String path) {
        try (InputStream in = AmiReplayServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // ignore
        }
    }
}
