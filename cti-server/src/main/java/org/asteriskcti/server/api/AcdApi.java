package org.asteriskcti.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.QueueCall;
import org.asteriskcti.protocol.QueueInfo;
import org.asteriskcti.protocol.QueueStats;
import org.asteriskcti.server.acd.AcdException;
import org.asteriskcti.server.acd.AcdListener;
import org.asteriskcti.server.acd.AcdService;
import org.asteriskcti.server.acd.EntryChanged;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryState;
import org.asteriskcti.server.acd.EntryView;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.WaitingCaller;
import org.asteriskcti.server.acd.stats.QueueStatistics;
import org.asteriskcti.server.agent.AgentError;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentStateChanged;
import org.asteriskcti.server.agent.AgentStateException;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.RequestedState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD's side of the client API, one class for both transports:
 * <ul>
 *   <li><b>commands</b>: {@link #execute} runs an agent command ({@code agent.login}, ..., {@code agent.force})
 *       for a user, with the same checks, results and error ids whether it came as a WebSocket message
 *       or a REST request;</li>
 *   <li><b>events</b>: as the {@link AcdListener}, turns agent changes into {@code agent.updated} (the one
 *       agent shape, phone and ACD state together) and queue-entry changes into {@code queue.call.*}
 *       events;</li>
 *   <li><b>statistics</b>: each queue's real-time figures go out as {@code queue.stats} on
 *       {@code queue:<id>} when something changed, at most once per {@link #STATS_INTERVAL} per queue
 *       (the first change at once, later ones collected until the interval is over), and are exported
 *       as Prometheus gauges tagged tenant and queue.</li>
 * </ul>
 * Everything runs on the domain loop, except the gauges, which scrapes read on their own threads from
 * an immutable snapshot the loop replaces, and {@link #readCommand}, which is a pure function.
 *
 * <p>Tenancy: a user only ever sees and names agents and queues of their own tenant. Another tenant's
 * agent or queue is refused with exactly the error (id, status, message) of one that does not exist.
 * An agent user acts only on their own agent; supervisors and admins on any agent of their tenant,
 * and only they may {@code agent.force}. The other commands keep the semantics of the agent's own
 * request whoever sends them (a supervisor helping an agent whose desktop is gone); {@code agent.force}
 * is the supervisor's override (ends wrap-up at once, logs out mid-call, logs in).
 */
public final class AcdApi implements AcdListener {

    private static final Logger log = LoggerFactory.getLogger(AcdApi.class);

    /** The most often a queue's statistics are published. */
    public static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
    /**
     * How often the figures are recomputed without any change, for the gauges and for "today" (which
     * starts again at the tenant's midnight); published only when a figure other than the longest
     * wait changed.
     */
    public static final Duration STATS_REFRESH = Duration.ofSeconds(30);

    private static final List<String> STATES = Arrays.stream(AgentState.values()).map(Enum::name).toList();

    private final DomainLoop loop;
    private final AcdService acd;
    private final ClientHub hub;
    private final TenantDirectory directory;
    private final Clock clock;
    /** Fixed at construction: safe to read from any thread. */
    private final Map<QueueId, QueueFeed> feeds = new LinkedHashMap<>();
    /** Each tenant's agents counted by ACD state (the gauge cti_agents); written on the loop, read by scrapes. */
    private final Map<TenantId, TenantAgents> tenantAgents = new LinkedHashMap<>();
    /** Waits of connected callers, to report the wait (not the talk) when their call completes. */
    private final Map<EntryId, Long> answeredWait = new HashMap<>();

    /** The periodic recomputation; null once closed. */
    private DomainLoop.Cancellable refreshTimer;
    private boolean closed;

    /** The agent of the command being executed, and whether its change has been published already. */
    private AgentId commandAgent;
    private boolean commandPublished;

    /**
     * Registers a gauge set per queue and queues the first computation of the figures on the loop.
     * Give it to the hub ({@link ClientHub#acd(AcdApi)}) and have the ACD's listener calls reach it.
     */
    public AcdApi(DomainLoop loop, AcdService acd, ClientHub hub, TenantDirectory directory, CtiMetrics metrics) {
        this.loop = loop;
        this.acd = acd;
        this.hub = hub;
        this.directory = directory;
        this.clock = loop.clock();
        for (QueueDefinition q : acd.queues()) {
            QueueFeed f = new QueueFeed(q);
            feeds.put(q.id(), f);
            metrics.acdQueue(q.tenant().value(), q.id().value(), STATES, f);
        }
        for (TenantDirectory.Tenant t : directory.tenants()) {
            TenantAgents counts = new TenantAgents();
            tenantAgents.put(t.id(), counts);
            metrics.agents(t.id().value(), STATES, counts::count);
        }
        loop.execute(this::refresh);
    }

    // ---- commands --------------------------------------------------------------------------------

    /**
     * Runs one agent command for {@code user} and returns the agent after it. The events it caused
     * have been published when this returns (so on a WebSocket they precede the reply).
     *
     * @throws ApiException refused: bad field ({@code agent.invalid_request}), unknown agent or another
     *                      tenant's ({@code agent.unknown}), not allowed ({@code auth.forbidden}), or what
     *                      the ACD said (illegal transition, unknown reason, wrap-up limit, ...)
     */
    AgentInfo execute(Principal user, ClientMessage m) {
        loop.assertInLoop();
        String type = m.type();
        if (!Protocol.Type.AGENT_COMMANDS.contains(type)) {
            throw invalid("type", "'" + type + "' is not an agent command");
        }
        // Fields first: checking them tells nothing about the agent named.
        NotReadyReason reason = Protocol.Type.AGENT_NOT_READY.equals(type) ? reason(m) : null;
        Duration extra = Protocol.Type.AGENT_WRAP_UP_EXTEND.equals(type) ? seconds(m) : null;
        RequestedState forced = Protocol.Type.AGENT_FORCE.equals(type) ? forcedState(m) : null;
        TenantDirectory.Agent target = target(user, m.agent());
        if (forced != null && !user.supervises()) {
            throw forbidden("only supervisors and admins may force an agent's state");
        }
        if (!user.supervises() && !target.id().equals(user.agent())) {
            throw forbidden("agents may act only on their own agent");
        }
        AgentId id = target.id();
        commandAgent = id;
        commandPublished = false;
        try {
            switch (type) {
                case Protocol.Type.AGENT_LOGIN -> acd.agentLogin(id, Boolean.TRUE.equals(m.ready()));
                case Protocol.Type.AGENT_LOGOUT -> acd.agentLogout(id);
                case Protocol.Type.AGENT_READY -> acd.agentReady(id);
                case Protocol.Type.AGENT_NOT_READY -> acd.agentNotReady(id, reason);
                case Protocol.Type.AGENT_WRAP_UP_END -> acd.endWrapUp(id);
                case Protocol.Type.AGENT_WRAP_UP_EXTEND -> acd.extendWrapUp(id, extra);
                case Protocol.Type.AGENT_FORCE -> acd.supervisorForce(user.user(), user.tenant(), id, forced);
                default -> throw new IllegalStateException(type);
            }
        } catch (AgentStateException e) {
            log.info("{} by {}: refused: {}", type, user.user(), e.getMessage());
            throw new ApiException(agentError(id, e));
        } catch (AcdException e) {
            log.info("{} by {}: refused: {}", type, user.user(), e.getMessage());
            throw new ApiException(e.errorId(), e.status(), e.getMessage(), e.details());
        } finally {
            commandAgent = null;
        }
        log.info("{} by {} for agent {}: done", type, user.user(), id);
        if (!commandPublished) {
            // No transition, but clients see a change: the state wanted after the call, a later wrap-up end.
            hub.agentChanged(target, null);
        }
        return hub.agentInfo(target);
    }

    /**
     * Reads an agent command's fields from a WebSocket message or a REST body (an empty body reads as
     * no fields). Only the kinds are checked here; which fields a command needs is checked by
     * {@link #execute}, so both transports fail alike.
     *
     * @throws ApiException {@code agent.invalid_request} naming a field of the wrong kind
     */
    static ClientMessage readCommand(String type, String id, JsonNode fields) {
        JsonNode n = fields == null || fields.isNull() || fields.isMissingNode() ? null : fields;
        if (n != null && !n.isObject()) {
            throw invalid("body", "the request body must be a JSON object");
        }
        return ClientMessage.agentCommand(type, id, text(n, "agent")).withReady(bool(n, "ready"))
                .withReason(text(n, "reason")).withSeconds(whole(n, "seconds")).withState(text(n, "state"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field, "field '" + field + "' must be text");
        }
        return v.asText();
    }

    private static Boolean bool(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw invalid(field, "field '" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static Long whole(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(field, "field '" + field + "' must be a whole number");
        }
        return v.asLong();
    }

    private static NotReadyReason reason(ClientMessage m) {
        if (m.reason() == null || m.reason().isBlank()) {
            throw invalid("reason", "field 'reason' (one of your tenant's not-ready reasons) is required");
        }
        return NotReadyReason.of(m.reason());
    }

    private static Duration seconds(ClientMessage m) {
        if (m.seconds() == null || m.seconds() < 1 || m.seconds() > Integer.MAX_VALUE) {
            throw invalid("seconds", "field 'seconds' (a positive whole number) is required");
        }
        return Duration.ofSeconds(m.seconds());
    }

    private static RequestedState forcedState(ClientMessage m) {
        String s = m.state() == null ? "" : m.state().toUpperCase(Locale.ROOT);
        return switch (s) {
            case "READY" -> RequestedState.READY;
            case "NOT_READY" -> RequestedState.notReady(reason(m));
            case "LOGGED_OUT" -> RequestedState.LOGGED_OUT;
            default -> throw invalid("state", "field 'state' must be READY, NOT_READY (with a reason) or LOGGED_OUT");
        };
    }

    /** The agent named (or the user's own), in the user's tenant; another tenant's is refused like none. */
    private TenantDirectory.Agent target(Principal user, String named) {
        String id = named != null ? named : user.agent() == null ? null : user.agent().value();
        if (id == null || id.isBlank()) {
            throw invalid("agent", "field 'agent' is required: you have no agent of your own");
        }
        return directory.agent(AgentId.of(id)).filter(a -> a.tenant().equals(user.tenant()))
                .orElseThrow(() -> new ApiException(unknownAgent(id)));
    }

    /** The one refusal for an agent that is not in the user's tenant, whether it exists elsewhere or not. */
    static ErrorBody unknownAgent(String id) {
        return new ErrorBody(Protocol.Errors.AGENT_UNKNOWN, AgentError.UNKNOWN_AGENT.status(),
                "no agent '" + id + "' in your tenant", Map.of("agent", id));
    }

    private static ErrorBody agentError(AgentId id, AgentStateException e) {
        if (e.error() == AgentError.UNKNOWN_AGENT || e.error() == AgentError.OTHER_TENANT) {
            return unknownAgent(id.value());
        }
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        details.put("agent", id.value());
        return new ErrorBody(e.errorId(), e.status(), e.getMessage(), details);
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(Protocol.Errors.AGENT_INVALID_REQUEST, AgentError.INVALID_REQUEST.status(), message,
                Map.of("field", field));
    }

    private static ApiException forbidden(String message) {
        return new ApiException(Protocol.Errors.FORBIDDEN, 403, message, Map.of());
    }

    // ---- queries ---------------------------------------------------------------------------------

    /** The tenant of a queue, when it exists. Safe from any thread. */
    Optional<TenantId> queueTenant(String queue) {
        if (queue == null || queue.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(feeds.get(QueueId.of(queue))).map(f -> f.queue.tenant());
    }

    /** The queues of the user's tenant with their statistics (no waiting list). */
    List<QueueInfo> queues(Principal user) {
        loop.assertInLoop();
        List<QueueInfo> out = new ArrayList<>();
        for (QueueFeed f : feeds.values()) {
            if (f.queue.tenant().equals(user.tenant())) {
                out.add(new QueueInfo(f.queue.id().value(), f.queue.name(), stats(f.queue), null));
            }
        }
        return out;
    }

    /**
     * One queue of the user's tenant with its statistics and the callers in it, in queue order.
     *
     * @throws ApiException {@code acd.unknown_queue}, for another tenant's queue too
     */
    QueueInfo queue(Principal user, String queue) {
        loop.assertInLoop();
        if (queueTenant(queue).filter(user.tenant()::equals).isEmpty()) {
            throw new ApiException(Protocol.Errors.ACD_UNKNOWN_QUEUE, 404, "no queue '" + queue + "' in your tenant",
                    Map.of("queue", String.valueOf(queue)));
        }
        QueueDefinition q = feeds.get(QueueId.of(queue)).queue;
        Instant now = clock.instant();
        List<QueueInfo.QueuedCaller> waiting = new ArrayList<>();
        for (WaitingCaller w : acd.waiting(q.id())) {
            EntryView e = w.entry();
            waiting.add(new QueueInfo.QueuedCaller(queueCall(e, null, secondsBetween(e.arrivedAt(), now)), w.position(),
                    w.estimatedWait().toSeconds()));
        }
        return new QueueInfo(q.id().value(), q.name(), stats(q), waiting);
    }

    /**
     * The ACD visit offered to or connected with {@code agent} now, for the {@code agent:<id>} snapshot:
     * a desktop that resumed from snapshots shows the ringing call's screen pop as if it had seen
     * {@code queue.call.offered}. {@code previous_state} is null (a snapshot has no change).
     */
    Optional<QueueCall> currentCall(AgentId agent) {
        return acd.currentEntry(agent).map(e -> {
            Long answered = e.state() == EntryState.CONNECTED ? answeredWait.get(e.id()) : null;
            long wait = answered != null ? answered : secondsBetween(e.arrivedAt(), clock.instant());
            return queueCall(e, null, wait);
        });
    }

    /** The codes of the not-ready reasons {@code tenant}'s agents may choose from, sorted. */
    List<String> notReadyReasons(TenantId tenant) {
        return acd.notReadyReasons(tenant).stream().map(NotReadyReason::code).toList();
    }

    /** The ACD side of an agent's view; null for an agent the ACD does not know. */
    AgentInfo.AcdAgent acdAgent(AgentId agent) {
        AgentView v;
        try {
            v = acd.agent(agent);
        } catch (AgentStateException e) {
            return null;
        }
        String next = null;
        String nextReason = null;
        if (v.next() instanceof RequestedState.NotReady nr) {
            next = AgentState.NOT_READY.name();
            nextReason = nr.reason().code();
        } else if (v.next() instanceof RequestedState.Ready) {
            next = AgentState.READY.name();
        } else if (v.next() instanceof RequestedState.LoggedOut) {
            next = AgentState.LOGGED_OUT.name();
        }
        return new AgentInfo.AcdAgent(v.state().name(), v.reason() == null ? null : v.reason().code(), v.since(),
                v.cause() == null ? null : v.cause().kind().name(),
                v.cause() == null || v.cause().supervisor() == null ? null : v.cause().supervisor().value(),
                v.phoneOnline(), v.onOtherCall(), next, nextReason, v.idleSince(), v.callsHandledToday(),
                v.wrapUpEndsAt(), v.wrapUpLimit());
    }

    // ---- ACD changes -> stream -------------------------------------------------------------------

    /**
     * Called by the ACD in the middle of its work, so it only reads (the agent's view, which the agent
     * has already updated) and defers everything else; and a failure here is logged, never thrown
     * back into the ACD half-way through a change.
     */
    @Override
    public void agentStateChanged(AgentStateChanged change) {
        try {
            publishAgentChange(change);
        } catch (RuntimeException e) {
            log.error("publishing {} failed; the ACD goes on", change, e);
        }
    }

    private void publishAgentChange(AgentStateChanged change) {
        if (change.agent().equals(commandAgent)) {
            commandPublished = true;
        }
        countAgents(change.tenant());
        directory.agent(change.agent()).ifPresent(a -> hub.agentChanged(a, null));
        for (QueueFeed f : feeds.values()) {
            if (f.queue.tenant().equals(change.tenant())) {
                changed(f);
            }
        }
    }

    /**
     * Publishes an agent's view again after a change the ACD does not report as a transition (its
     * phone registering: {@code AcdService.phoneOnline}).
     */
    public void agentTouched(AgentId agent) {
        loop.assertInLoop();
        directory.agent(agent).ifPresent(a -> hub.agentChanged(a, null));
    }

    /** Like {@link #agentStateChanged}: publishes, never throws into the ACD. */
    @Override
    public void entryChanged(EntryChanged change) {
        try {
            publishEntryChange(change);
        } catch (RuntimeException e) {
            log.error("publishing {} failed; the ACD goes on", change, e);
        }
    }

    private void publishEntryChange(EntryChanged change) {
        EntryView e = change.entry();
        long wait;
        if (e.state() == EntryState.COMPLETED) {
            Long w = answeredWait.remove(e.id());
            wait = w != null ? w : secondsBetween(e.arrivedAt(), change.at());
        } else {
            wait = secondsBetween(e.arrivedAt(), change.at());
            if (e.state() == EntryState.CONNECTED) {
                answeredWait.put(e.id(), wait);
            } else if (e.state().isFinal()) {
                answeredWait.remove(e.id());
            }
        }
        String queueTopic = Topics.QUEUE_PREFIX + e.queue().value();
        List<String> topics = e.agent() == null ? List.of(queueTopic)
                : List.of(queueTopic, Topics.AGENT_PREFIX + e.agent().value());
        hub.publish(e.tenant(), topics, eventOf(change), queueCall(e, change.from(), wait), null);
        QueueFeed f = feeds.get(e.queue());
        if (f != null) {
            changed(f);
        }
    }

    private static String eventOf(EntryChanged c) {
        EntryState to = c.entry().state();
        if (c.from() == null) {
            return Protocol.Events.QUEUE_CALL_ENTERED;
        }
        if (to.isFinal()) {
            return Protocol.Events.QUEUE_CALL_ENDED;
        }
        return switch (to) {
            case OFFERING -> Protocol.Events.QUEUE_CALL_OFFERED;
            case WAITING -> Protocol.Events.QUEUE_CALL_REQUEUED;
            case CONNECTED -> Protocol.Events.QUEUE_CALL_ANSWERED;
            default -> throw new IllegalStateException("no event for " + c.from() + " -> " + to);
        };
    }

    private static QueueCall queueCall(EntryView e, EntryState from, long waitSeconds) {
        return new QueueCall(e.id().value(), e.queue().value(), e.caller().value(), e.state().name(),
                from == null ? null : from.name(), e.agent() == null ? null : e.agent().value(), e.attempt(),
                e.priority(), e.origin().name(), e.arrivedAt(), e.enteredAt(), e.since(), waitSeconds,
                e.abandonedWhileRinging(), screenPop(e.screenPop()));
    }

    static QueueCall.ScreenPop screenPop(org.asteriskcti.server.acd.ScreenPop p) {
        return new QueueCall.ScreenPop(p.callerNumber(), p.callerName().isEmpty() ? null : p.callerName(),
                p.region().orElse(null), p.language().orElse(null),
                p.choices().stream().map(c -> new QueueCall.Choice(c.node(), c.key())).toList(), p.data());
    }

    private static long secondsBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }

    // ---- statistics ------------------------------------------------------------------------------

    /**
     * Something outside the ACD logged a fact that moves {@code queue}'s figures (a post-call survey
     * ended): published like the ACD's own changes.
     */
    public void statisticsChanged(QueueId queue) {
        loop.assertInLoop();
        QueueFeed f = feeds.get(queue);
        if (f != null) {
            changed(f);
        }
    }

    /** Something that moves a queue's figures happened: publish now or when the interval is over. */
    private void changed(QueueFeed f) {
        if (closed) {
            return;
        }
        f.dirty = true;
        if (!f.flushQueued && f.trailing == null) {
            // After the task that made the change: the ACD may be half-way through a sequence of changes.
            f.flushQueued = true;
            loop.execute(() -> {
                f.flushQueued = false;
                flush(f);
            });
        }
    }

    /** Publishes now, or arms the one timer that publishes when the interval since the last is over. */
    private void flush(QueueFeed f) {
        if (!f.dirty || f.trailing != null) {
            return;
        }
        Instant now = clock.instant();
        Duration since = f.publishedAt == null ? STATS_INTERVAL : Duration.between(f.publishedAt, now);
        if (since.compareTo(STATS_INTERVAL) < 0) {
            // The timer firing is what says the interval is over (the clock is not asked again).
            f.trailing = loop.schedule(() -> {
                f.trailing = null;
                if (f.dirty) {
                    publishStats(f);
                }
            }, STATS_INTERVAL.minus(since));
            return;
        }
        publishStats(f);
    }

    private void publishStats(QueueFeed f) {
        Instant now = clock.instant();
        f.dirty = false;
        f.publishedAt = now;
        QueueStats s = stats(f.queue);
        f.figures = s;
        f.published = s;
        hub.publish(f.queue.tenant(), List.of(Topics.QUEUE_PREFIX + f.queue.id().value()), Protocol.Events.QUEUE_STATS,
                s, null);
    }

    /** Recomputes every queue's figures for the gauges; publishes those whose counts moved (midnight). */
    private void refresh() {
        if (closed) {
            return;
        }
        tenantAgents.keySet().forEach(this::countAgents);
        for (QueueFeed f : feeds.values()) {
            QueueStats s = stats(f.queue);
            f.figures = s;
            if (f.published != null && !withoutTime(s).equals(withoutTime(f.published))) {
                changed(f);
            }
        }
        refreshTimer = loop.schedule(this::refresh, STATS_REFRESH);
    }

    /**
     * Stops the timers (the periodic recomputation, pending statistics), so that a loop shutting down
     * has nothing left to wait for. Call on the loop, before {@code DomainLoop.shutdown()}.
     */
    public void close() {
        loop.assertInLoop();
        closed = true;
        if (refreshTimer != null) {
            refreshTimer.cancel();
            refreshTimer = null;
        }
        for (QueueFeed f : feeds.values()) {
            if (f.trailing != null) {
                f.trailing.cancel();
                f.trailing = null;
            }
            f.dirty = false;
        }
    }

    private static QueueStats withoutTime(QueueStats s) {
        return new QueueStats(s.queueId(), s.name(), null, s.waiting(), 0, s.oldestArrivedAt(), s.staffed(), s.agents(),
                s.today());
    }

    private QueueStats stats(QueueDefinition q) {
        Instant now = clock.instant();
        QueueStatistics.RealTimeFigures rt = acd.realTime(q.id());
        ZoneId zone = directory.tenant(q.tenant()).map(TenantDirectory.Tenant::timeZone).orElse(ZoneOffset.UTC);
        LocalDate day = LocalDate.ofInstant(now, zone);
        Instant from = day.atStartOfDay(zone).toInstant();
        QueueStatistics.PeriodFigures p = acd.period(q.id(), from, day.plusDays(1).atStartOfDay(zone).toInstant());
        Map<String, Integer> agents = new LinkedHashMap<>();
        rt.agentsByState().forEach((state, n) -> agents.put(state.name(), n));
        QueueStats.Today today = new QueueStats.Today(from, p.offered(), p.answered(), p.answeredWithinThreshold(),
                p.abandoned(), p.shortAbandoned(), p.overflowed(), p.callbacks(), p.completed(),
                p.serviceLevel().percent().map(java.math.BigDecimal::doubleValue).orElse(null),
                p.abandonRate().percent().map(java.math.BigDecimal::doubleValue).orElse(null),
                p.averageSpeedOfAnswer().map(AcdApi::seconds).orElse(null),
                p.averageHandleTime().map(AcdApi::seconds).orElse(null), q.serviceLevelThreshold().toSeconds(),
                q.shortAbandonThreshold().toSeconds(), survey(p.surveys()));
        Instant oldest = rt.waiting() == 0 ? null : now.minus(rt.longestCurrentWait());
        return new QueueStats(q.id().value(), q.name(), now, rt.waiting(), rt.longestCurrentWait().toSeconds(), oldest,
                acd.staffed(q.id()), Collections.unmodifiableMap(agents), today);
    }

    private static QueueStats.Survey survey(QueueStatistics.SurveyFigures s) {
        return new QueueStats.Survey(s.offered(), s.answered(),
                s.responseRate().percent().map(java.math.BigDecimal::doubleValue).orElse(null),
                s.csat().percent().map(java.math.BigDecimal::doubleValue).orElse(null),
                s.averageScore().map(java.math.BigDecimal::doubleValue).orElse(null), s.scores());
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /**
     * One queue's publishing state (loop only) and its gauges, which read {@link #figures}: an
     * immutable snapshot the loop replaces.
     */
    private void countAgents(TenantId tenant) {
        TenantAgents counts = tenantAgents.get(tenant);
        if (counts != null) {
            Map<String, Integer> byState = new HashMap<>();
            for (AgentView a : acd.agents(tenant)) {
                byState.merge(a.state().name(), 1, Integer::sum);
            }
            counts.byState = Map.copyOf(byState);
        }
    }

    /** A tenant's agents by ACD state, replaced whole on the loop and read by scrapes from any thread. */
    private static final class TenantAgents {
        volatile Map<String, Integer> byState = Map.of();

        double count(String state) {
            return byState.getOrDefault(state, 0);
        }
    }

    private final class QueueFeed implements CtiMetrics.AcdQueueGauges {
        final QueueDefinition queue;
        boolean dirty;
        boolean flushQueued;
        DomainLoop.Cancellable trailing;
        Instant publishedAt;
        QueueStats published;
        volatile QueueStats figures;

        QueueFeed(QueueDefinition queue) {
            this.queue = queue;
        }

        @Override
        public double waiting() {
            QueueStats s = figures;
            return s == null ? 0 : s.waiting();
        }

        @Override
        public double longestWaitSeconds() {
            QueueStats s = figures;
            if (s == null || s.oldestArrivedAt() == null) {
                return 0;
            }
            return Math.max(0, Duration.between(s.oldestArrivedAt(), clock.instant()).toMillis() / 1000.0);
        }

        @Override
        public double staffed() {
            QueueStats s = figures;
            return s == null ? 0 : s.staffed();
        }

        @Override
        public double agents(String state) {
            QueueStats s = figures;
            return s == null ? 0 : s.agents().getOrDefault(state, 0);
        }

        @Override
        public double offeredToday() {
            QueueStats s = figures;
            return s == null ? 0 : s.today().offered();
        }

        @Override
        public double answeredToday() {
            QueueStats s = figures;
            return s == null ? 0 : s.today().answered();
        }

        @Override
        public double abandonedToday() {
            QueueStats s = figures;
            return s == null ? 0 : s.today().abandoned();
        }

        @Override
        public double serviceLevel() {
            QueueStats s = figures;
            return s == null ? Double.NaN : ratio(s.today().answeredWithinThreshold(), s.today());
        }

        @Override
        public double abandonRate() {
            QueueStats s = figures;
            return s == null ? Double.NaN : ratio(s.today().abandoned(), s.today());
        }

        @Override
        public double asaSeconds() {
            QueueStats s = figures;
            return s == null || s.today().asaSeconds() == null ? Double.NaN : s.today().asaSeconds();
        }

        @Override
        public double ahtSeconds() {
            QueueStats s = figures;
            return s == null || s.today().ahtSeconds() == null ? Double.NaN : s.today().ahtSeconds();
        }

        private static double ratio(int numerator, QueueStats.Today t) {
            int denominator = t.answered() + t.abandoned();
            return denominator == 0 ? Double.NaN : (double) numerator / denominator;
        }
    }
}
