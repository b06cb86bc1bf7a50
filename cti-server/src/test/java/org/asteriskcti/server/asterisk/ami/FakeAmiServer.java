package org.asteriskcti.server.asterisk.ami;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test AMI server on {@code 127.0.0.1} that speaks AMI exactly as one recorded trace
 * ({@code src/test/resources/traces/ami-*.raw} + {@code .sent}).
 *
 * <p>Per TCP connection: the recorded banner line; answers to whatever the client sends
 * (asterisk-java sends {@code Challenge}, {@code Login} with an MD5 key, then {@code CoreSettings});
 * the recorded Login answer with the client's ActionID; then the rest of the recording, streamed as
 * recorded bytes (ISO-8859-1 in and out, so bare LFs and everything else stay byte-exact).
 *
 * <p>Recorded answers (a {@code Response:} block and any event carrying {@code ActionID: lab-N}) belong
 * to the lab client's action N. They are sent only when this client sent the same action: for action
 * names given to {@link #expecting}, the client's action is bound to the next recorded lab-N of that
 * name and the stream waits at that answer until the client has sent it, then sends it with only
 * the ActionID value rewritten. Answers to lab actions this client did not send are left out, as a
 * real Asterisk never sends one session the answers to another session's actions.
 *
 * <p>Actions with no recorded answer get a correct one: Ping, CoreSettings, Challenge, Logoff,
 * empty CoreShowChannels / BridgeList lists (the shapes of ami-00 / ami-06), {@link #respond custom
 * responders}, else {@code Response: Error} "Invalid/unknown command" as Asterisk 22 answers.
 *
 * <p>Fault injection: {@link #dropConnections()}, {@link #goSilent()} (stop reading and writing,
 * keep the socket open: a half-open link as the client sees it), {@link #stop()} / {@link #start()}
 * (Asterisk down / up again on the same port), {@link #inject} (extra blocks, e.g. a Shutdown event).
 */
final class FakeAmiServer implements AutoCloseable {

    static final String CRLF = "\r\n";
    private static final Pattern LAB_ACTION_ID = Pattern.compile("ActionID: (lab-\\d+)\r\n");
    private static final String CHALLENGE = "394755107";
    private static final Duration EXPECT_WAIT = Duration.ofSeconds(5);

    /** CoreSettings answer as recorded in ami-00 (lab-3); asterisk-java asks for it right after Login. */
    private static final String CORE_SETTINGS = "Response: Success\r\nActionID: %s\r\nAMIversion: 11.0.0\r\n"
            + "AsteriskVersion: 22.10.1\r\nSystemName: \r\nCoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\n"
            + "CoreRunUser: \r\nCoreRunGroup: \r\nCoreMaxFilehandles: 0\r\nCoreRealTimeEnabled: No\r\n"
            + "CoreCDRenabled: Yes\r\nCoreHTTPenabled: No\r\nSoundsSearchCustomDir: No\r\n\r\n";
    /** Empty CoreShowChannels list, shape of ami-00 lab-8. */
    private static final String EMPTY_CHANNELS = "Response: Success\r\nActionID: %1$s\r\nEventList: start\r\n"
            + "Message: Channels will follow\r\n\r\nEvent: CoreShowChannelsComplete\r\nActionID: %1$s\r\n"
            + "EventList: Complete\r\nListItems: 0\r\n\r\n";
    /** Empty BridgeList, shape of ami-06 lab-6 with no items. */
    private static final String EMPTY_BRIDGES = "Response: Success\r\nActionID: %1$s\r\nEventList: start\r\n"
            + "Message: Bridge listing will follow\r\n\r\nEvent: BridgeListComplete\r\nActionID: %1$s\r\n"
            + "EventList: Complete\r\nListItems: 0\r\n\r\n";
    /** Login refused, as in ami-00-login-and-actions-badlogin. */
    private static final String AUTH_FAILED = "Response: Error\r\nActionID: %s\r\nMessage: Authentication failed\r\n\r\n";

    /** One parsed client action; {@code headers} keys are lower case (the last of repeated ones); {@code lines} as sent. */
    record ClientAction(int connection, String name, String actionId, Map<String, String> headers,
            List<String> lines) {
        String header(String key) {
            return headers.get(key.toLowerCase(Locale.ROOT));
        }
    }

    /** Builds the answer to an action: the full reply text, blocks ending in a blank line. */
    @FunctionalInterface
    interface Responder extends BiFunction<String, ClientAction, String> {}

    private final String traceName;
    private final String banner;
    private final String loginAnswer;
    private final List<String> script;
    private final Map<String, String> labActions;
    private final Set<String> expecting = new HashSet<>();
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final String username;
    private final String secret;

    private final List<ClientAction> actions = new CopyOnWriteArrayList<>();
    private final List<Conn> conns = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile int port;
    private volatile Duration failedLoginCloseDelay = Duration.ofMillis(300);

    private FakeAmiServer(String traceName, String raw, String sent, String username, String secret) {
        this.traceName = traceName;
        this.username = username;
        this.secret = secret;
        int eol = raw.indexOf(CRLF);
        this.banner = raw.substring(0, eol + 2);
        List<String> blocks = splitBlocks(raw.substring(eol + 2));
        this.loginAnswer = blocks.get(0);
        this.script = List.copyOf(blocks.subList(1, blocks.size()));
        this.labActions = parseSent(sent);
    }

    /** Replays {@code traces/<traceName>.raw}; the client must log in as cti / cti-secret. */
    static FakeAmiServer replaying(String traceName) {
        return new FakeAmiServer(traceName, resource(traceName + ".raw"), resource(traceName + ".sent"), "cti",
                "cti-secret");
    }

    /**
     * Recorded answers to these actions are kept for this client: its action of that name is bound to
     * the next recorded one, and the stream waits there until the client has sent it.
     */
    FakeAmiServer expecting(String... actionNames) {
        for (String a : actionNames) {
            expecting.add(a.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    /** Answers {@code action} with {@code responder(actionId, action)} instead of anything else. */
    FakeAmiServer respond(String action, Responder responder) {
        responders.put(action.toLowerCase(Locale.ROOT), responder);
        return this;
    }

    FakeAmiServer failedLoginCloseDelay(Duration delay) {
        this.failedLoginCloseDelay = delay;
        return this;
    }

    /** Binds 127.0.0.1 (an ephemeral port the first time, the same port after {@link #stop()}). */
    synchronized FakeAmiServer start() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            port = s.getLocalPort();
            server = s;
            Thread t = new Thread(() -> acceptLoop(s), "fake-ami-accept-" + port);
            t.setDaemon(true);
            t.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asterisk gone: closes the listener and every connection (clients see EOF, then refused). */
    synchronized void stop() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        dropConnections();
    }

    int port() {
        return port;
    }

    /** Closes every open client connection (TCP FIN), keeps listening. */
    void dropConnections() {
        for (Conn c : conns) {
            c.close();
        }
    }

    /** Every open connection stops reading and writing but stays open: a half-open link. */
    void goSilent() {
        for (Conn c : conns) {
            c.silent = true;
        }
    }

    /** Writes raw AMI text (whole blocks, each ending in a blank line) to every open connection. */
    void inject(String blocks) {
        for (Conn c : conns) {
            c.write(blocks);
        }
    }

    /** How many TCP connections were accepted so far. */
    int connectionCount() {
        return connectionCount.get();
    }

    /** Every action received so far, on all connections, in order. */
    List<ClientAction> actions() {
        return List.copyOf(actions);
    }

    List<ClientAction> actions(String name) {
        List<ClientAction> out = new ArrayList<>();
        for (ClientAction a : actions) {
            if (a.name().equalsIgnoreCase(name)) {
                out.add(a);
            }
        }
        return out;
    }

    /** True once the newest connection has streamed its whole script. */
    boolean scriptFinished() {
        Conn last = conns.isEmpty() ? null : conns.get(conns.size() - 1);
        return last != null && last.scriptDone;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "FakeAmiServer[" + traceName + " on 127.0.0.1:" + port + "]";
    }

    // ---- per connection -----------------------------------------------------------------------

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket socket = s.accept();
                Conn c = new Conn(connectionCount.incrementAndGet(), socket);
                conns.add(c);
                c.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Conn {
        final int number;
        final Socket socket;
        final OutputStream out;
        final Object lock = new Object();
        /** Recorded lab ids bound to this client's ActionIDs. Guarded by lock. */
        final Map<String, String> bound = new HashMap<>();
        /** Per expected action name, the recorded lab ids not yet bound, in order. Guarded by lock. */
        final Map<String, Deque<String>> unbound = new HashMap<>();
        volatile boolean silent;
        volatile boolean closed;
        volatile boolean scriptDone;
        boolean streaming;

        Conn(int number, Socket socket) throws IOException {
            this.number = number;
            this.socket = socket;
            this.out = socket.getOutputStream();
            labActions.forEach((lab, action) -> {
                if (!lab.equals("lab-1") && expecting.contains(action.toLowerCase(Locale.ROOT))) {
                    unbound.computeIfAbsent(action.toLowerCase(Locale.ROOT), k -> new ArrayDeque<>()).add(lab);
                }
            });
        }

        void start() {
            Thread reader = new Thread(this::readLoop, "fake-ami-conn-" + number);
            reader.setDaemon(true);
            reader.start();
            write(banner);
        }

        void readLoop() {
            try {
                InputStream in = socket.getInputStream();
                Map<String, String> headers = new LinkedHashMap<>();
                List<String> lines = new ArrayList<>();
                StringBuilder line = new StringBuilder();
                int b;
                while (!closed && (b = in.read()) >= 0) {
                    while (silent && !closed) {
                        TimeUnit.MILLISECONDS.sleep(20);
                    }
                    if (b == '\n') {
                        String l = line.toString();
                        line.setLength(0);
                        if (l.endsWith("\r")) {
                            l = l.substring(0, l.length() - 1);
                        }
                        if (l.isEmpty()) {
                            if (!headers.isEmpty()) {
                                handle(headers, lines);
                                headers = new LinkedHashMap<>();
                                lines = new ArrayList<>();
                            }
                        } else {
                            lines.add(l);
                            int colon = l.indexOf(':');
                            if (colon > 0) {
                                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                        l.substring(colon + 1).trim());
                            }
                        }
                    } else {
                        line.append((char) b);
                    }
                }
            } catch (IOException e) {
                // closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        void handle(Map<String, String> headers, List<String> lines) {
            String name = headers.getOrDefault("action", "");
            String id = headers.getOrDefault("actionid", "");
            String lower = name.toLowerCase(Locale.ROOT);
            ClientAction action = new ClientAction(number, name, id, Map.copyOf(headers), List.copyOf(lines));
            actions.add(action);
            Responder custom = responders.get(lower);
            if (custom != null) {
                write(custom.apply(id, action));
                return;
            }
            switch (lower) {
                case "challenge":
                    write("Response: Success\r\nActionID: " + id + "\r\nChallenge: " + CHALLENGE + "\r\n\r\n");
                    return;
                case "login":
                    login(id, headers);
                    return;
                case "logoff":
                    write("Response: Goodbye\r\nActionID: " + id + "\r\nMessage: Thanks for all the fish.\r\n\r\n");
                    close();
                    return;
                default:
                    break;
            }
            synchronized (lock) {
                Deque<String> recorded = unbound.get(lower);
                if (recorded != null && !recorded.isEmpty()) {
                    bound.put(recorded.removeFirst(), id);
                    lock.notifyAll();
                    return; // the stream sends the recorded answer when it gets there
                }
            }
            switch (lower) {
                case "ping":
                    write("Response: Success\r\nActionID: " + id + "\r\nPing: Pong\r\nTimestamp: "
                            + System.currentTimeMillis() / 1000 + ".000000\r\n\r\n");
                    break;
                case "coresettings":
                    write(String.format(CORE_SETTINGS, id));
                    break;
                case "coreshowchannels":
                    write(String.format(EMPTY_CHANNELS, id));
                    break;
                case "bridgelist":
                    write(String.format(EMPTY_BRIDGES, id));
                    break;
                default:
                    write("Response: Error\r\nActionID: " + id + "\r\nMessage: Invalid/unknown command: " + name
                            + ". Use Action: ListCommands to show available commands.\r\n\r\n");
            }
        }

        /** Checks the MD5 key (or a plain Secret) against the lab user, then answers as recorded. */
        void login(String id, Map<String, String> headers) {
            boolean recordedOk = loginAnswer.startsWith("Response: Success");
            boolean credentialsOk = username.equals(headers.get("username"))
                    && (md5(CHALLENGE + secret).equals(headers.get("key")) || secret.equals(headers.get("secret")));
            if (recordedOk && credentialsOk) {
                write(rewrite(loginAnswer, "lab-1", id));
                synchronized (lock) {
                    if (!streaming) {
                        streaming = true;
                        Thread pump = new Thread(this::stream, "fake-ami-stream-" + number);
                        pump.setDaemon(true);
                        pump.start();
                    }
                }
            } else {
                write(recordedOk ? String.format(AUTH_FAILED, id) : rewrite(loginAnswer, "lab-1", id));
                Thread closer = new Thread(() -> {
                    sleep(failedLoginCloseDelay);
                    close();
                }, "fake-ami-close-" + number);
                closer.setDaemon(true);
                closer.start();
            }
        }

        /** Streams the recording after the Login answer. */
        void stream() {
            for (String block : script) {
                if (closed) {
                    return;
                }
                Matcher m = LAB_ACTION_ID.matcher(block);
                if (!m.find()) {
                    write(block);
                    continue;
                }
                String lab = m.group(1);
                String clientId = awaitBinding(lab);
                if (clientId != null) {
                    write(rewrite(block, lab, clientId));
                }
            }
            scriptDone = true;
        }

        /** The client's ActionID for a recorded lab id; waits for expected actions; null: leave it out. */
        String awaitBinding(String lab) {
            String action = labActions.getOrDefault(lab, "");
            long deadline = System.nanoTime() + EXPECT_WAIT.toNanos();
            synchronized (lock) {
                while (true) {
                    String id = bound.get(lab);
                    if (id != null) {
                        return id;
                    }
                    Deque<String> waiting = unbound.get(action.toLowerCase(Locale.ROOT));
                    if (waiting == null || !waiting.contains(lab) || closed) {
                        return null;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        waiting.remove(lab);
                        return null;
                    }
                    try {
                        lock.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
        }

        void write(String text) {
            while (silent && !closed) {
                sleep(Duration.ofMillis(20));
            }
            synchronized (out) {
                if (closed) {
                    return;
                }
                try {
                    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    close();
                }
            }
        }

        void close() {
            closed = true;
            synchronized (lock) {
                lock.notifyAll();
            }
            closeQuietly(socket);
            conns.remove(this);
        }
    }

    // ---- trace parsing ------------------------------------------------------------------------

    /** Splits at each {@code \r\n\r\n}, which stays with its block: concatenated, the blocks are the input. */
    static List<String> splitBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf("\r\n\r\n", start);
            if (end < 0) {
                blocks.add(text.substring(start));
                break;
            }
            blocks.add(text.substring(start, end + 4));
            start = end + 4;
        }
        return blocks;
    }

    /** lab-N → action name, from the {@code .sent} file. */
    private static Map<String, String> parseSent(String sent) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String block : splitBlocks(sent)) {
            String action = null;
            String id = null;
            for (String l : block.split("\r\n")) {
                if (l.regionMatches(true, 0, "Action:", 0, 7)) {
                    action = l.substring(7).trim();
                } else if (l.regionMatches(true, 0, "ActionID:", 0, 9)) {
                    id = l.substring(9).trim();
                }
            }
            if (id != null) {
                out.put(id, action == null ? "" : action);
            }
        }
        return out;
    }

    private static String rewrite(String block, String lab, String clientId) {
        return block.replace("ActionID: " + lab + CRLF, "ActionID: " + clientId + CRLF);
    }

    static String resource(String name) {
        try (InputStream in = FakeAmiServer.class.getResourceAsStream("/traces/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no trace " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
