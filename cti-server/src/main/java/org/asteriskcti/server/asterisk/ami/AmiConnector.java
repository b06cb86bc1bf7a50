package org.asteriskcti.server.asterisk.ami;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ami.wire.BlindTransferAction;
import org.asteriskcti.server.asterisk.ami.wire.BridgeListAction;
import org.asteriskcti.server.asterisk.ami.wire.BridgeListCompleteEvent;
import org.asteriskcti.server.asterisk.ami.wire.BridgeListItemEvent;
import org.asteriskcti.server.asterisk.ami.wire.MixMonitorMuteEvent;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.CoreShowChannelsCompleteEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.ShutdownEvent;
import org.asteriskjava.manager.response.GetVarResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMI edge: keeps one logged-in asterisk-java {@code ManagerConnection} (not its Live API) to one
 * Asterisk, translates what it reads into {@link AsteriskEvent}s for the {@link AsteriskEventSink},
 * and sends typed {@link AmiCommands}.
 *
 * <p>Link lifecycle, as the sink sees it:
 * <pre>
 *   LinkStateChanged(UP) → ResyncSnapshot → live events ... → LinkStateChanged(DOWN, reason) → (backoff)
 *   → LinkStateChanged(UP) → ResyncSnapshot → ...
 * </pre>
 * DOWN comes once per outage (also when the very first attempt fails, e.g. a wrong secret), however
 * many attempts fail. Events read between login and the end of the resync (CoreShowChannels +
 * BridgeList) are held back and delivered, in order, right after the snapshot. Nothing of a session
 * reaches the sink after its DOWN.
 *
 * <p>Threads: the supervisor connects, backs off, pings and times out; a writer thread does every
 * socket write (so no caller ever blocks on a slow or half-open socket); a replies thread completes
 * command futures; asterisk-java's reader and event pump (one of each per TCP session) read and
 * dispatch. Translation runs on the event pump and only enqueues into the sink.
 */
public final class AmiConnector implements AmiCommands, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiConnector.class);

    private final AmiSettings settings;
    private final AsteriskEventSink sink;
    private final Clock clock;
    private final AmiMetrics metrics;
    private final AmiTranslator translator = new AmiTranslator();

    private final ScheduledExecutorService supervisor;
    private final ExecutorService writer;
    private final ExecutorService replies;

    /** Orders everything that goes into the sink; guards the fields below it. */
    private final Object emitLock = new Object();
    private Session current;
    private boolean downReported;
    private volatile LinkState state = LinkState.DOWN;

    private final AtomicLong sessionNumbers = new AtomicLong();
    private final AtomicLong originateRefs = new AtomicLong();
    /** Failed attempts since the last completed resync: a link that logs in but cannot resync backs off too. */
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean started;
    private volatile boolean closed;

    public AmiConnector(AmiSettings settings, AsteriskEventSink sink, Clock clock) {
        this(settings, sink, clock, AmiMetrics.NONE);
    }

    public AmiConnector(AmiSettings settings, AsteriskEventSink sink, Clock clock, AmiMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        String name = "ami-" + settings.address();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon(name + "-supervisor"));
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
        this.supervisor = scheduler;
        this.writer = Executors.newSingleThreadExecutor(daemon(name + "-writer"));
        this.replies = Executors.newSingleThreadExecutor(daemon(name + "-replies"));
    }

    /** Starts connecting in the background; returns at once. Idempotent. */
    public void start() {
        if (closed) {
            throw new IllegalStateException("AmiConnector is closed");
        }
        synchronized (emitLock) {
            if (started) {
                return;
            }
            started = true;
        }
        log.info("AMI connecting to {} as {} (events: {})", settings.address(), settings.username(),
                settings.eventMask());
        supervisor.execute(this::attempt);
    }

    /** UP from login until the link is lost (the resync may still be running). */
    public LinkState state() {
        return state;
    }

    /** AMI events dropped so far (noise or not mapped), by AMI event name. */
    public Map<String, Long> droppedEvents() {
        return translator.droppedCounts();
    }

    /** Emits DOWN if the link was up, logs off, stops all threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Session s;
        synchronized (emitLock) {
            s = current;
        }
        if (s != null) {
            lost(s, "connector closed", false);
            try {
                writer.submit(() -> {
                    try {
                        s.connection.logoff();
                    } catch (RuntimeException e) {
                        s.connection.forceClose();
                    }
                }).get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                s.connection.forceClose();
            }
        }
        // Not shutdownNow: an interrupted login leaves asterisk-java logging errors; a login in
        // progress ends within connectTimeout and then finds the connector closed.
        supervisor.shutdown();
        writer.shutdown();
        replies.shutdown();
        log.info("AMI connector for {} closed", settings.address());
    }

    // ---- connecting -----------------------------------------------------------------------------

    /** One connect + login attempt, on the supervisor thread. */
    private void attempt() {
        if (closed) {
            return;
        }
        Session s = new Session(sessionNumbers.incrementAndGet());
        String failure;
        try {
            s.connection.login(settings.eventMask());
            failure = null;
        } catch (AuthenticationFailedException e) {
            failure = authFailure(e);
        } catch (TimeoutException e) {
            failure = "no AMI banner within " + millis(settings.connectTimeout());
        } catch (IOException e) {
            failure = ioFailure(e);
        } catch (RuntimeException e) {
            failure = "login failed: " + e;
        }
        if (failure == null) {
            failure = loggedIn(s);
        }
        if (failure != null) {
            s.connection.forceClose();
            attemptFailed(failure);
        }
    }

    /** Null when the session is live; otherwise why not. */
    private String loggedIn(Session s) {
        synchronized (emitLock) {
            if (closed) {
                return "connector closed";
            }
            if (s.dead) {
                return "connection lost right after login";
            }
            current = s;
            s.live = true;
            state = LinkState.UP;
            downReported = false;
            emit(new LinkStateChanged(meta(), LinkState.UP, "logged in to " + settings.address() + " as "
                    + settings.username() + " (" + s.connection.getProtocolIdentifier() + ")"));
        }
        log.info("AMI link up: {} ({}); resync started", settings.address(), s.connection.getProtocolIdentifier());
        metrics.linkUp();
        try {
            startResync(s);
            s.pingTask = supervisor.scheduleWithFixedDelay(() -> keepalive(s), settings.pingInterval().toMillis(),
                    settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // close() ran meanwhile; it has ended the session
        }
        return null;
    }

    private void attemptFailed(String reason) {
        int attempt = failures.incrementAndGet();
        Duration delay = backoff(attempt);
        boolean reportDown;
        synchronized (emitLock) {
            reportDown = !downReported && !closed;
            if (reportDown) {
                downReported = true;
                state = LinkState.DOWN;
                emit(new LinkStateChanged(meta(), LinkState.DOWN, reason));
            }
        }
        if (reportDown) {
            metrics.linkDown(reason);
        }
        if (closed) {
            return;
        }
        log.warn("AMI {} attempt {} failed: {}; next attempt in {}", settings.address(), attempt, reason,
                millis(delay));
        metrics.connectAttemptFailed(reason, delay);
        schedule(this::attempt, delay);
    }

    /**
     * Exponential backoff with jitter: attempt n waits between half and all of
     * {@code min * 2^(n-1)}, never below {@code reconnectMin} nor above {@code reconnectMax}.
     */
    Duration backoff(int attempt) {
        long min = settings.reconnectMin().toMillis();
        long max = settings.reconnectMax().toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = min > (max >> shift) ? max : Math.min(max, min << shift);
        long floor = Math.max(min, ceiling / 2);
        long delay = floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1);
        return Duration.ofMillis(delay);
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            supervisor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    // ---- the live session -----------------------------------------------------------------------

    /** Events from asterisk-java's event pump (one thread per TCP session). */
    private void onManagerEvent(Session s, ManagerEvent event) {
        if (event instanceof ShutdownEvent) {
            ShutdownEvent e = (ShutdownEvent) event;
            s.closeReason = "Asterisk shut down (" + e.getShutdown() + ", restart=" + e.getRestart() + ")";
        }
        if (event instanceof ResponseEvent && ((ResponseEvent) event).getInternalActionId() != null
                && !(event instanceof OriginateResponseEvent)) {
            return; // a list item answering one of our actions: handled by that action's callback
        }
        EventMeta meta = AmiTranslator.meta(event, clock.instant(), System.nanoTime());
        AsteriskEvent translated = translator.translate(event, meta).orElse(null);
        if (translated == null) {
            if (!AmiTranslator.isSynthetic(event)) {
                metrics.eventDropped(AmiTranslator.amiName(event));
            }
            return;
        }
        synchronized (emitLock) {
            if (s.dead) {
                return;
            }
            if (s.resyncing) {
                s.buffer.add(translated);
                return;
            }
            emit(translated);
        }
    }

    private void startResync(Session s) {
        s.resyncStartNanos = System.nanoTime();
        s.resyncTimeout = supervisor.schedule(() -> closeSession(s, "resync did not finish within "
                + millis(settings.actionTimeout())), settings.actionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        sendList(s, new CoreShowChannelsAction(), CoreShowChannelsCompleteEvent.class, r -> channelsListed(s, r));
        sendList(s, new BridgeListAction(), BridgeListCompleteEvent.class, r -> bridgesListed(s, r));
    }

    private void sendList(Session s, EventGeneratingAction action, Class<? extends ResponseEvent> complete,
            Consumer<ResponseEvents> onAnswer) {
        execute(writer, () -> {
            try {
                s.connection.sendEventGeneratingAction(action, r -> {
                    if (r.getResponse() instanceof ManagerError) {
                        onAnswer.accept(r);
                    } else if (r.getEvents().stream().anyMatch(complete::isInstance)) {
                        onAnswer.accept(r);
                    } // else: the link dropped mid-list; the loss is handled by lost()
                });
            } catch (IOException | RuntimeException e) {
                closeSession(s, action.getAction() + " not sent: " + e.getMessage());
            }
        });
    }

    /** On the event pump, when CoreShowChannelsComplete (or an Error) arrived. */
    private void channelsListed(Session s, ResponseEvents answer) {
        if (answer.getResponse() instanceof ManagerError) {
            execute(supervisor, () -> closeSession(s, "CoreShowChannels refused: "
                    + answer.getResponse().getMessage()));
            return;
        }
        List<ChannelSnapshot> channels = new ArrayList<>();
        Map<ChannelId, BridgeId> bridgeOf = new LinkedHashMap<>();
        for (ResponseEvent e : answer.getEvents()) {
            if (e instanceof CoreShowChannelEvent) {
                CoreShowChannelEvent item = (CoreShowChannelEvent) e;
                ChannelSnapshot channel = AmiTranslator.channel(item);
                if (channel != null) {
                    channels.add(channel);
                    BridgeId bridge = AmiTranslator.bridgeId(item.getBridgeid());
                    if (bridge != null) {
                        bridgeOf.put(channel.id(), bridge);
                    }
                }
            }
        }
        synchronized (emitLock) {
            s.channels = channels;
            s.bridgeOf = bridgeOf;
            finishResyncIfComplete(s);
        }
    }

    /** On the event pump, when BridgeListComplete (or an Error) arrived. */
    private void bridgesListed(Session s, ResponseEvents answer) {
        List<BridgeListItemEvent> items = new ArrayList<>();
        if (answer.getResponse() instanceof ManagerError) {
            log.warn("AMI BridgeList refused ({}); bridges are taken from CoreShowChannels' BridgeId only",
                    answer.getResponse().getMessage());
        } else {
            for (ResponseEvent e : answer.getEvents()) {
                if (e instanceof BridgeListItemEvent) {
                    items.add((BridgeListItemEvent) e);
                }
            }
        }
        synchronized (emitLock) {
            s.bridgeItems = items;
            finishResyncIfComplete(s);
        }
    }

    /** Under emitLock: once both lists are in, the snapshot then the held-back events. */
    private void finishResyncIfComplete(Session s) {
        if (s.dead || !s.live || !s.resyncing || s.channels == null || s.bridgeItems == null) {
            return;
        }
        Map<BridgeId, List<ChannelId>> members = new LinkedHashMap<>();
        s.bridgeOf.forEach((channel, bridge) -> members.computeIfAbsent(bridge, b -> new ArrayList<>()).add(channel));
        List<BridgeSnapshot> bridges = new ArrayList<>();
        for (BridgeListItemEvent item : s.bridgeItems) {
            BridgeId id = AmiTranslator.bridgeId(item.getBridgeUniqueid());
            if (id != null) {
                bridges.add(AmiTranslator.bridge(item, members.getOrDefault(id, List.of())));
                members.remove(id);
            }
        }
        // Bridges a channel named but BridgeList did not (created in between, or BridgeList refused).
        members.forEach((id, channels) -> bridges.add(new BridgeSnapshot(id, "", "", "", "", channels)));

        emit(new ResyncSnapshot(meta(), s.channels, bridges));
        int buffered = s.buffer.size();
        for (AsteriskEvent e : s.buffer) {
            emit(e);
        }
        s.buffer.clear();
        s.resyncing = false;
        failures.set(0);
        if (s.resyncTimeout != null) {
            s.resyncTimeout.cancel(false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - s.resyncStartNanos);
        log.info("AMI resync done: {} channels, {} bridges, {} events held back, {}", s.channels.size(),
                bridges.size(), buffered, millis(took));
        metrics.resyncCompleted(s.channels.size(), bridges.size(), buffered, took);
    }

    /** Every pingInterval: a ping; no answer within pingTimeout closes the link. */
    private void keepalive(Session s) {
        if (s.dead) {
            return;
        }
        if (s.pingOutstanding != null && !s.pingOutstanding.isDone()) {
            return; // its own timeout check is pending
        }
        long sentNanos = System.nanoTime();
        CompletableFuture<Void> pong = send(s, new PingAction(), r -> null);
        s.pingOutstanding = pong;
        schedule(() -> {
            if (!pong.isDone()) {
                closeSession(s, "no answer to Ping within " + millis(settings.pingTimeout())
                        + " (half-open TCP or Asterisk stuck)");
            }
        }, settings.pingTimeout());
        pong.whenComplete((ok, error) -> {
            if (error instanceof AmiActionException) {
                log.debug("AMI ping refused after {} ms: {}", (System.nanoTime() - sentNanos) / 1_000_000,
                        error.getMessage());
            }
        });
    }

    /** Closes a session we gave up on (ping or resync timeout, send failure). */
    private void closeSession(Session s, String reason) {
        if (s.dead) {
            return;
        }
        s.closeReason = reason;
        s.connection.forceClose();
        lost(s, reason, true);
    }

    /**
     * The session ended (any thread). First call wins: DOWN once, pending work cancelled, and a
     * reconnect after {@code reconnectMin} (with jitter) unless the connector is closing.
     */
    private void lost(Session s, String socketReason, boolean reconnect) {
        String reason = s.closeReason != null ? s.closeReason : socketReason;
        boolean wasLive;
        boolean resynced;
        synchronized (emitLock) {
            if (s.dead) {
                return;
            }
            s.dead = true;
            wasLive = s.live;
            resynced = !s.resyncing;
            s.live = false;
            s.buffer.clear();
            if (current == s) {
                current = null;
            }
            if (wasLive) {
                state = LinkState.DOWN;
                if (!downReported) {
                    downReported = true;
                    emit(new LinkStateChanged(meta(), LinkState.DOWN, reason));
                }
            }
        }
        if (s.pingTask != null) {
            s.pingTask.cancel(false);
        }
        if (s.resyncTimeout != null) {
            s.resyncTimeout.cancel(false);
        }
        if (!wasLive) {
            return;
        }
        metrics.linkDown(reason);
        if (reconnect && !closed) {
            // A healthy link is looked for again at once; one that never finished its resync backs off.
            Duration delay = backoff(resynced ? 1 : failures.incrementAndGet());
            log.warn("AMI link down: {} ({}); reconnecting in {}", settings.address(), reason, millis(delay));
            schedule(this::attempt, delay);
        } else {
            log.info("AMI link down: {} ({})", settings.address(), reason);
        }
    }

    // ---- commands -------------------------------------------------------------------------------

    @Override
    public CompletableFuture<String> originate(OriginateRequest request) {
        Objects.requireNonNull(request, "request");
        String ref = request.actionRef() != null ? request.actionRef() : "cti-orig-" + originateRefs.incrementAndGet();
        OriginateAction action = new OriginateAction();
        try {
            action.setActionId(ref);
            action.setChannel(header("channel", request.channel()));
            action.setContext(header("context", request.context()));
            action.setExten(header("exten", request.exten()));
            action.setPriority(request.priority());
            action.setTimeout(request.timeout().toMillis());
            action.setAsync(Boolean.TRUE);
            if (request.callerId() != null) {
                action.setCallerId(header("callerId", request.callerId()));
            }
            if (request.channelId() != null) {
                action.setChannelId(header("channelId", request.channelId().value()));
            }
            if (request.otherChannelId() != null) {
                action.setOtherChannelId(header("otherChannelId", request.otherChannelId().value()));
            }
            if (!request.variables().isEmpty()) {
                Map<String, String> vars = new LinkedHashMap<>();
                request.variables().forEach((k, v) -> vars.put(header("variable name", k), header("variable " + k, v)));
                action.setVariables(vars);
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(action, r -> ref);
    }

    @Override
    public CompletableFuture<Void> hangup(ChannelId channel, int cause) {
        return send(() -> new HangupAction(channel.value(), cause), r -> null);
    }

    @Override
    public CompletableFuture<Void> redirect(ChannelId channel, String context, String exten, int priority) {
        return send(() -> new RedirectAction(channel.value(), header("context", context), header("exten", exten),
                priority), r -> null);
    }

    @Override
    public CompletableFuture<Void> blindTransfer(ChannelId channel, String context, String exten) {
        return send(() -> new BlindTransferAction(channel.value(), header("context", context),
                header("exten", exten)), r -> null);
    }

    @Override
    public CompletableFuture<Void> setVariable(ChannelId channel, String name, String value) {
        return send(() -> new SetVarAction(channel.value(), header("variable name", name), header("value", value)),
                r -> null);
    }

    @Override
    public CompletableFuture<String> getVariable(ChannelId channel, String name) {
        return send(() -> new GetVarAction(channel.value(), header("variable name", name)), r -> {
            String value = r instanceof GetVarResponse ? ((GetVarResponse) r).getValue() : r.getAttribute("value");
            return value == null ? "" : value;
        });
    }

    @Override
    public CompletableFuture<Void> ping() {
        return send(new PingAction(), r -> null);
    }

    /**
     * Any asterisk-java action, for this package (the typed commands and tests): completes with the
     * response, or fails like the typed commands.
     */
    CompletableFuture<ManagerResponse> sendAction(ManagerAction action) {
        return send(action, r -> r);
    }

    private <R> CompletableFuture<R> send(Supplier<ManagerAction> build,
            Function<ManagerResponse, R> onSuccess) {
        ManagerAction action;
        try {
            action = build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(action, onSuccess);
    }

    private <R> CompletableFuture<R> send(ManagerAction action, Function<ManagerResponse, R> onSuccess) {
        Session s;
        synchronized (emitLock) {
            s = current;
        }
        if (s == null || closed) {
            return CompletableFuture.failedFuture(new AmiNotConnectedException(
                    action.getAction() + " not sent: AMI link to " + settings.address() + " is down"));
        }
        return send(s, action, onSuccess);
    }

    private <R> CompletableFuture<R> send(Session s, ManagerAction action, Function<ManagerResponse, R> onSuccess) {
        CompletableFuture<R> result = new CompletableFuture<>();
        String name = action.getAction();
        long start = System.nanoTime();
        ScheduledFuture<?> timeout;
        try {
            timeout = supervisor.schedule(() -> {
                if (result.completeExceptionally(new AmiActionException(name, "no answer within "
                        + millis(settings.actionTimeout())))) {
                    metrics.actionCompleted(name, false, Duration.ofNanos(System.nanoTime() - start));
                }
            }, settings.actionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new AmiNotConnectedException(name + " not sent: connector closed"));
        }
        result.whenComplete((r, e) -> timeout.cancel(false));
        boolean queued = execute(writer, () -> {
            try {
                s.connection.sendAction(action, response -> execute(replies,
                        () -> complete(result, name, response, onSuccess, start)));
            } catch (IOException | IllegalStateException e) {
                result.completeExceptionally(new AmiNotConnectedException(name + " not sent: " + e.getMessage()));
                execute(supervisor, () -> closeSession(s, name + " could not be written: " + e.getMessage()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        if (!queued) {
            result.completeExceptionally(new AmiNotConnectedException(name + " not sent: connector closed"));
        }
        return result;
    }

    private <R> void complete(CompletableFuture<R> result, String action, ManagerResponse response,
            Function<ManagerResponse, R> onSuccess, long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        if (response == null) {
            result.completeExceptionally(new AmiNotConnectedException(
                    action + ": AMI link lost before the answer arrived"));
        } else if (response instanceof ManagerError) {
            String message = response.getMessage() == null ? "Error" : response.getMessage().trim();
            if (result.completeExceptionally(new AmiActionException(action, message))) {
                metrics.actionCompleted(action, false, took);
            }
        } else {
            try {
                if (result.complete(onSuccess.apply(response))) {
                    metrics.actionCompleted(action, true, took);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Under emitLock. A sink that throws is logged, never allowed to break the edge. */
    private void emit(AsteriskEvent event) {
        try {
            sink.accept(event);
            metrics.eventTranslated(event.getClass().getSimpleName());
        } catch (RuntimeException e) {
            log.error("AMI event sink failed on {}", event.getClass().getSimpleName(), e);
        }
    }

    private EventMeta meta() {
        return new EventMeta(Source.AMI, null, clock.instant(), System.nanoTime());
    }

    /** AMI headers are lines: a CR or LF in a value would inject headers. */
    private static String header(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " must not contain CR or LF");
        }
        return value;
    }

    private static boolean execute(ExecutorService executor, Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private String authFailure(AuthenticationFailedException e) {
        Throwable cause = e.getCause();
        String detail = e.getMessage();
        if (cause != null && cause.getMessage() != null) {
            detail = detail + ": " + cause.getMessage();
        }
        return "authentication failed for user '" + settings.username() + "' (" + detail + ")";
    }

    private String ioFailure(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "connect timed out after " + millis(settings.connectTimeout());
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + settings.host();
        }
        return "connection error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One TCP session: created per attempt, dead after its DOWN. */
    private final class Session {
        final long number;
        final CtiManagerConnection connection;

        // guarded by emitLock
        boolean live;
        boolean dead;
        boolean resyncing = true;
        final List<AsteriskEvent> buffer = new ArrayList<>();
        List<ChannelSnapshot> channels;
        Map<ChannelId, BridgeId> bridgeOf;
        List<BridgeListItemEvent> bridgeItems;

        volatile String closeReason;
        volatile long resyncStartNanos;
        volatile ScheduledFuture<?> pingTask;
        volatile ScheduledFuture<?> resyncTimeout;
        volatile CompletableFuture<Void> pingOutstanding;

        Session(long number) {
            this.number = number;
            this.connection = new CtiManagerConnection(settings, why -> lost(this, why, true));
            connection.registerUserEventClass(BridgeListItemEvent.class);
            connection.registerUserEventClass(BridgeListCompleteEvent.class);
            connection.registerUserEventClass(MixMonitorMuteEvent.class);
            connection.addEventListener(event -> onManagerEvent(this, event));
        }

        @Override
        public String toString() {
            return "AMI session " + number;
        }
    }
}
