package org.asteriskcti.server.asterisk.ari;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ARI events WebSocket ({@code /ari/events?app=<app>&subscribeAll=<bool>}, basic auth in a header)
 * connected and hands translated events to the sink, in arrival order.
 *
 * <p>On every open: {@code LinkStateChanged(UP)}, then a resync ({@code GET /applications/{app}},
 * {@code GET /channels}, {@code GET /bridges}, in parallel) emitted as one {@code ResyncSnapshot}, then the events
 * that arrived meanwhile, in order. The snapshot keeps what the app sees events for: channels in its
 * {@code channel_ids} or on one of its subscribed {@code endpoint_ids}, bridges in its {@code bridge_ids}
 * (everything with {@code subscribeAll}).
 * Asterisk replays nothing after a reconnect (ari-12), hence the snapshot.
 *
 * <p>On close, error, failed resync or heartbeat timeout: {@code LinkStateChanged(DOWN, reason)} once per outage,
 * and reconnect with exponential backoff and jitter. While Asterisk stays unreachable the log gets one WARN when
 * the outage starts and at most one more per minute; single attempts go to DEBUG.
 *
 * <p>{@code ApplicationReplaced}: another connection took our app. Asterisk does not close this socket (it just
 * goes silent), so we close it, report DOWN "replaced by another connection", and reconnect only after
 * {@code reconnectMax}.
 *
 * <p>Heartbeat: a WebSocket ping every {@code heartbeatInterval}; no frame and no pong for
 * {@code heartbeatTimeout} means the link is dead (half-open TCP) and it is dropped and reconnected.
 *
 * <p>Threads: all state lives on one private scheduler thread; the WebSocket listener only hands frames to it.
 * The sink is called on that thread and must not block. Do not call {@link #close()} from the sink.
 *
 * <p>Why {@code java.net.http.WebSocket} rather than Netty: one client for REST and events, no event loop group
 * to own, and ping/pong, partial-frame reassembly and flow control come with the JDK.
 */
public final class AriEventsConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AriEventsConnector.class);

    /** The DOWN detail after {@code ApplicationReplaced}. */
    public static final String REPLACED_REASON = "replaced by another connection";

    /** While Asterisk stays down: at most one log line per window after the first. */
    static final Duration DOWN_LOG_WINDOW = Duration.ofMinutes(1);

    /** Events buffered during a resync; more means the resync is stuck, and the link is restarted. */
    static final int MAX_BUFFERED_DURING_RESYNC = 10_000;

    private static final byte[] PING_PAYLOAD = "cti".getBytes(StandardCharsets.US_ASCII);

    /** The link's lifecycle; every transition runs on the connector thread and is logged at DEBUG. */
    enum Phase {
        /** Built, {@link #start()} not called yet. */
        NEW,
        /** WebSocket handshake under way. */
        CONNECTING,
        /** Open; UP reported; REST snapshot under way; incoming events are buffered. */
        RESYNCING,
        /** Snapshot emitted; events flow straight to the sink. */
        LIVE,
        /** Down; a reconnect is scheduled. */
        WAITING,
        /** {@link #close()}d; final. */
        CLOSED
    }

    /** Counters for metrics and tests. */
    public record Stats(long connectAttempts, long connections, long framesReceived, long duplicateFrames,
            long malformedFrames, long ignoredFrames, long unrecognizedFrames) {}

    private final AriSettings settings;
    private final AriClient client;
    private final AsteriskEventSink sink;
    private final Clock clock;
    private final AriTranslator translator;
    private final Backoff backoff;
    private final ScheduledThreadPoolExecutor loop;
    private final URI eventsUri;

    // ---- confined to the loop thread
    private Phase phase = Phase.NEW;
    private Session session;
    private LinkState reported;
    private final List<AsteriskEvent> buffered = new ArrayList<>();
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> heartbeatTask;
    private Outage outage;
    private long sessionSeq;

    // ---- readable from any thread
    private volatile Phase publishedPhase = Phase.NEW;
    private final AtomicLong connectAttempts = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();

    public AriEventsConnector(AriClient client, AsteriskEventSink sink, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = client.settings();
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.translator = new AriTranslator(clock);
        this.backoff = new Backoff(settings.reconnectMin(), settings.reconnectMax(), new Random());
        this.eventsUri = settings.eventsUri();
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ari-events-" + settings.app());
            t.setDaemon(true);
            return t;
        });
        this.loop.setRemoveOnCancelPolicy(true);
    }

    /** Starts connecting (in the background); returns at once. */
    public void start() {
        post(() -> {
            if (phase == Phase.NEW) {
                log.info("ARI events: connecting to {} as user {}", eventsUri, settings.username());
                connect();
            }
        });
    }

    /** True while the socket is open and the resync is done. */
    public boolean isLive() {
        return publishedPhase == Phase.LIVE;
    }

    public Stats stats() {
        return new Stats(connectAttempts.get(), connections.get(), frames.get(), translator.duplicateFrames(),
                translator.malformedFrames(), translator.ignoredFrames(), translator.unrecognizedFrames());
    }

    public URI eventsUri() {
        return eventsUri;
    }

    /** Closes the socket (a normal WebSocket close), reports DOWN if it was up, stops reconnecting. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (post(() -> {
            shutdownOnLoop();
            done.complete(null);
        })) {
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("ARI events: close did not finish cleanly: {}", e.toString());
            }
        }
        loop.shutdown();
    }

    // ---------------------------------------------------------------- state machine (loop thread)

    private void enter(Phase next) {
        if (phase != next) {
            log.debug("ARI events link {} -> {}", phase, next);
            phase = next;
            publishedPhase = next;
        }
    }

    private void connect() {
        reconnectTask = null;
        if (phase == Phase.CLOSED) {
            return;
        }
        enter(Phase.CONNECTING);
        Session s = new Session(++sessionSeq);
        session = s;
        connectAttempts.incrementAndGet();
        CompletableFuture<WebSocket> opening;
        try {
            opening = client.httpClient().newWebSocketBuilder()
                    .header("Authorization", client.authorizationHeader())
                    .connectTimeout(settings.requestTimeout())
                    .buildAsync(eventsUri, s);
        } catch (RuntimeException e) {
            connectFailed(s, e);
            return;
        }
        opening.whenComplete((ws, err) -> {
            if (err != null) {
                post(() -> connectFailed(s, err));
            }
        });
    }

    private void opened(Session s) {
        if (s != session || phase != Phase.CONNECTING) {
            abort(s);
            return;
        }
        connections.incrementAndGet();
        translator.resetDedupWindow();
        buffered.clear();
        backoff.reset();
        if (outage != null) {
            log.info("ARI events connected again to {} after {} ms down ({} failed attempt(s))", eventsUri,
                    outage.millis(), outage.attempts);
            outage = null;
        } else {
            log.info("ARI events connected to {}", eventsUri);
        }
        enter(Phase.RESYNCING);
        report(LinkState.UP, "connected to " + eventsUri);
        startHeartbeat(s);
        CompletableFuture<AriApplication> app = client.getApplication(settings.app());
        CompletableFuture<List<ChannelSnapshot>> channels = client.listChannels();
        CompletableFuture<List<BridgeSnapshot>> bridges = client.listBridges();
        CompletableFuture.allOf(app, channels, bridges)
                .whenComplete((v, err) -> post(() -> resynced(s, app, channels, bridges, err)));
    }

    private void resynced(Session s, CompletableFuture<AriApplication> app,
            CompletableFuture<List<ChannelSnapshot>> channels, CompletableFuture<List<BridgeSnapshot>> bridges,
            Throwable err) {
        if (s != session || phase != Phase.RESYNCING) {
            return;
        }
        if (err != null) {
            AriException ari = AriException.unwrap(err);
            String why = ari != null ? ari.getMessage() : AriClient.describe(err);
            log.warn("ARI events: resync after connect failed ({}); dropping the link and retrying", why);
            outage = new Outage(System.nanoTime());
            dropSession(s, "resync failed: " + why, null);
            return;
        }
        AriApplication application = app.join();
        List<ChannelSnapshot> keptChannels = new ArrayList<>();
        List<BridgeSnapshot> keptBridges = new ArrayList<>();
        Set<ChannelId> ourChannels = new HashSet<>(application.channelIds());
        Set<String> ourEndpoints = new HashSet<>(application.endpointIds());
        Set<BridgeId> ourBridges = new HashSet<>(application.bridgeIds());
        for (ChannelSnapshot c : channels.join()) {
            if (settings.subscribeAll() || ourChannels.contains(c.id()) || ourEndpoints.contains(c.device())) {
                keptChannels.add(c);
            }
        }
        for (BridgeSnapshot b : bridges.join()) {
            if (settings.subscribeAll() || ourBridges.contains(b.id())) {
                keptBridges.add(b);
            }
        }
        List<AsteriskEvent> meanwhile = new ArrayList<>(buffered);
        buffered.clear();
        enter(Phase.LIVE);
        log.info("ARI events: resync done, {} channel(s) and {} bridge(s) of app {}; {} event(s) from meanwhile",
                keptChannels.size(), keptBridges.size(), settings.app(), meanwhile.size());
        emit(new ResyncSnapshot(linkMeta(), keptChannels, keptBridges));
        for (AsteriskEvent e : meanwhile) {
            emit(e);
        }
    }

    private void frame(Session s, String text, Instant receivedAt, long receivedNanos) {
        if (s != session) {
            return;
        }
        frames.incrementAndGet();
        AriFrame f = translator.parse(text, receivedAt, receivedNanos);
        if (f == null) {
            return;
        }
        if ("ApplicationReplaced".equals(f.type())) {
            replaced(s);
            return;
        }
        if (translator.isDuplicate(f)) {
            return;
        }
        Optional<AsteriskEvent> event = translator.toEvent(f);
        if (event.isEmpty()) {
            return;
        }
        if (phase == Phase.LIVE) {
            emit(event.get());
        } else if (phase == Phase.RESYNCING) {
            if (buffered.size() >= MAX_BUFFERED_DURING_RESYNC) {
                log.warn("ARI events: {} events arrived during the resync; restarting the link",
                        MAX_BUFFERED_DURING_RESYNC);
                outage = new Outage(System.nanoTime());
                dropSession(s, "resync too slow", null);
                return;
            }
            buffered.add(event.get());
        }
    }

    private void replaced(Session s) {
        log.warn("ARI events: app '{}' was taken over by another events connection (ApplicationReplaced). "
                + "Asterisk keeps this socket open but silent, so it is closed here; reconnecting in {} s, "
                + "which takes the app back. Two active CTI servers need distinct app names.",
                settings.app(), settings.reconnectMax().toMillis() / 1000.0);
        outage = null;
        dropSession(s, REPLACED_REASON, settings.reconnectMax());
    }

    /** The remote side closed, or the socket failed. */
    private void lost(Session s, String reason) {
        if (s != session) {
            return;
        }
        if (phase == Phase.CONNECTING) {
            connectFailed(s, new IllegalStateException(reason));
            return;
        }
        log.warn("ARI events link lost ({}); reconnecting with backoff {}..{} ms", reason,
                settings.reconnectMin().toMillis(), settings.reconnectMax().toMillis());
        outage = new Outage(System.nanoTime());
        cancelHeartbeat();
        session = null;
        buffered.clear();
        abort(s);
        report(LinkState.DOWN, reason);
        scheduleReconnect(backoff.next());
    }

    private void connectFailed(Session s, Throwable err) {
        if (s != session) {
            return;
        }
        session = null;
        abort(s);
        String why = describeConnectError(err);
        long now = System.nanoTime();
        if (outage == null) {
            outage = new Outage(now);
            outage.attempts = 1;
            log.warn("ARI events: cannot connect to {} ({}); retrying with backoff {}..{} ms, one log line a "
                    + "minute while it stays down", eventsUri, why, settings.reconnectMin().toMillis(),
                    settings.reconnectMax().toMillis());
        } else {
            outage.attempts++;
            if (now - outage.lastLogNanos >= DOWN_LOG_WINDOW.toNanos()) {
                outage.lastLogNanos = now;
                log.warn("ARI events: still cannot connect to {} after {} attempt(s) in {} s ({})", eventsUri,
                        outage.attempts, outage.millis() / 1000, why);
            } else {
                log.debug("ARI events: attempt {} failed ({})", outage.attempts, why);
            }
        }
        report(LinkState.DOWN, "cannot connect: " + why);
        scheduleReconnect(backoff.next());
    }

    private void heartbeat(Session s) {
        if (s != session) {
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.lastInboundNanos);
        if (silentMs >= settings.heartbeatTimeout().toMillis()) {
            log.warn("ARI events link silent for {} ms (no frame, no pong); treating it as dead and reconnecting",
                    silentMs);
            outage = new Outage(System.nanoTime());
            cancelHeartbeat();
            session = null;
            buffered.clear();
            abort(s);
            report(LinkState.DOWN, "heartbeat timeout: nothing received for " + silentMs + " ms");
            scheduleReconnect(backoff.next());
            return;
        }
        WebSocket ws = s.ws;
        if (ws != null) {
            try {
                ws.sendPing(ByteBuffer.wrap(PING_PAYLOAD)).exceptionally(e -> null);
            } catch (RuntimeException e) {
                log.debug("ARI events: ping not sent: {}", e.toString());
            }
        }
    }

    /** We end this connection ourselves (replaced, failed resync): a normal close, then reconnect later. */
    private void dropSession(Session s, String reason, Duration delay) {
        cancelHeartbeat();
        session = null;
        buffered.clear();
        closeGracefully(s, reason);
        report(LinkState.DOWN, reason);
        scheduleReconnect(delay != null ? delay : backoff.next());
    }

    private void scheduleReconnect(Duration delay) {
        if (phase == Phase.CLOSED) {
            return;
        }
        enter(Phase.WAITING);
        log.debug("ARI events: reconnect in {} ms", delay.toMillis());
        reconnectTask = loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void shutdownOnLoop() {
        if (phase == Phase.CLOSED) {
            return;
        }
        enter(Phase.CLOSED);
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
        cancelHeartbeat();
        if (session != null) {
            closeGracefully(session, "CTI shutting down");
            session = null;
        }
        buffered.clear();
        if (reported == LinkState.UP) {
            report(LinkState.DOWN, "connector closed");
        }
        log.info("ARI events: closed");
    }

    private void startHeartbeat(Session s) {
        cancelHeartbeat();
        long period = settings.heartbeatInterval().toMillis();
        heartbeatTask = loop.scheduleAtFixedRate(() -> heartbeat(s), period, period, TimeUnit.MILLISECONDS);
    }

    private void cancelHeartbeat() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
    }

    /** LinkStateChanged only on a change: one DOWN per outage, however many attempts fail. */
    private void report(LinkState state, String detail) {
        if (reported == state) {
            return;
        }
        reported = state;
        emit(new LinkStateChanged(linkMeta(), state, detail));
    }

    private void emit(AsteriskEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("ARI events: the sink failed on {}; continuing", event.getClass().getSimpleName(), e);
        }
    }

    private EventMeta linkMeta() {
        return new EventMeta(Source.ARI, null, clock.instant(), System.nanoTime());
    }

    private static void closeGracefully(Session s, String reason) {
        WebSocket ws = s.ws;
        if (ws == null) {
            return;
        }
        String r = reason.length() > 100 ? reason.substring(0, 100) : reason;
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, r)
                    .orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((w, e) -> ws.abort());
        } catch (RuntimeException e) {
            ws.abort();
        }
    }

    private static void abort(Session s) {
        WebSocket ws = s.ws;
        if (ws != null) {
            ws.abort();
        }
    }

    private boolean post(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("ARI events: internal error; continuing", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static String describeConnectError(Throwable err) {
        Throwable t = err;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof WebSocketHandshakeException) {
            int status = ((WebSocketHandshakeException) t).getResponse().statusCode();
            return "handshake refused with HTTP " + status + (status == 401 ? " (check the ARI user and password)"
                    : status == 400 ? " (check the app name)" : "");
        }
        return AriClient.describe(t);
    }

    /** One stretch of "down": for the rate-limited log. */
    private static final class Outage {
        final long startedNanos;
        long lastLogNanos;
        int attempts;

        Outage(long now) {
            this.startedNanos = now;
            this.lastLogNanos = now;
        }

        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }
    }

    /** One connection attempt and, once open, its socket. Listener calls come one at a time. */
    private final class Session implements WebSocket.Listener {
        final long id;
        volatile WebSocket ws;
        volatile long lastInboundNanos = System.nanoTime();
        private final StringBuilder partial = new StringBuilder();

        Session(long id) {
            this.id = id;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            lastInboundNanos = System.nanoTime();
            if (!post(() -> opened(this))) {
                webSocket.abort();
                return;
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastInboundNanos = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                Instant at = clock.instant();
                long nanos = System.nanoTime();
                post(() -> frame(this, text, at, nanos));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            lastInboundNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastInboundNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastInboundNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            String why = statusCode == WebSocket.NORMAL_CLOSURE || reason != null && !reason.isEmpty()
                    ? "closed by Asterisk (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"
                    : "connection dropped without a close frame (" + statusCode + ")";
            post(() -> lost(this, why));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            String why = "connection error: " + AriClient.describe(error);
            post(() -> lost(this, why));
        }

        @Override
        public String toString() {
            return "ari-session-" + id;
        }
    }
}
