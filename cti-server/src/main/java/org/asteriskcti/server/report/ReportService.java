package org.asteriskcti.server.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.EntryEvent;
import org.asteriskcti.server.acd.stats.QueueStatistics.Thresholds;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reports: checks what is asked against the tenant (its queues, agents, DIDs: anything else, another
 * tenant's included, is {@code report.unknown}), reads the stored log through {@link ReportSource} and
 * computes the rows with {@link ReportCalculator}, all on {@code executor} — never on the domain loop,
 * which the database must not block.
 */
public final class ReportService {

    private static final Logger log = LoggerFactory.getLogger(ReportService.class);

    /** How far before {@code from} the DID report looks for the {@code Entered} of visits still going on then. */
    public static final Duration DID_LOOKBACK = Duration.ofDays(1);

    /** What reports know of one tenant, from the configuration. */
    public record Scope(TenantId tenant, ZoneId zone, Map<QueueId, Thresholds> queues, Set<AgentId> agents,
            Set<String> dids) {
        public Scope {
            queues = Map.copyOf(queues);
            agents = Set.copyOf(agents);
            dids = Set.copyOf(dids);
        }

        /** A queue's thresholds; one no longer configured (still in old events) gets the queue defaults. */
        Thresholds thresholds(QueueId q) {
            Thresholds t = queues.get(q);
            return t != null ? t : DEFAULT_THRESHOLDS.apply(q);
        }
    }

    private static final Function<QueueId, Thresholds> DEFAULT_THRESHOLDS =
            q -> Thresholds.of(QueueDefinition.builder(q, TenantId.of("none")).build());

    /** A report's answer: the request it answers, the tenant's zone and the rows of its kind. */
    public record Result(ReportRequest request, TenantId tenant, ZoneId zone, List<QueueRow> queueRows,
            List<AgentRow> agentRows, Usage usage, Duration computeTime) {}

    private final ReportSource source;
    private final Map<TenantId, Scope> scopes;
    private final ReportRequest.Limits limits;
    private final Executor executor;
    private final Clock clock;

    public ReportService(ReportSource source, Collection<Scope> scopes, ReportRequest.Limits limits, Executor executor,
            Clock clock) {
        this.source = source;
        Map<TenantId, Scope> m = new LinkedHashMap<>();
        scopes.forEach(s -> m.put(s.tenant(), s));
        this.scopes = Map.copyOf(m);
        this.limits = limits;
        this.executor = executor;
        this.clock = clock;
    }

    /** Every tenant's scope from the configuration. */
    public static List<Scope> scopes(CtiConfig config) {
        AcdConfig acd = AcdConfig.from(config);
        List<Scope> out = new ArrayList<>();
        for (CtiConfig.Tenant t : config.tenants()) {
            TenantId id = TenantId.of(t.id());
            Map<QueueId, Thresholds> queues = new LinkedHashMap<>();
            acd.queues().stream().filter(q -> q.tenant().equals(id)).forEach(q -> queues.put(q.id(), Thresholds.of(q)));
            Set<AgentId> agents = new LinkedHashSet<>();
            config.agents().stream().filter(a -> a.tenant().equals(t.id())).forEach(a -> agents.add(AgentId.of(a.id())));
            out.add(new Scope(id, t.timeZone(), queues, agents, Set.copyOf(t.dids())));
        }
        return out;
    }

    public ReportRequest.Limits limits() {
        return limits;
    }

    /** The tenant's time zone (UTC for a tenant the configuration does not have). */
    public ZoneId zoneOf(TenantId tenant) {
        Scope s = scopes.get(tenant);
        return s == null ? ZoneId.of("UTC") : s.zone();
    }

    /**
     * Runs {@code request} for {@code tenant} on the reports' executor. Fails with a {@link ReportException}
     * (unknown queue, agent or DID) or a storage error.
     */
    public CompletableFuture<Result> run(TenantId tenant, ReportRequest request) {
        Scope scope = scopes.get(tenant);
        if (scope == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no tenant " + tenant));
        }
        try {
            check(scope, request);
        } catch (ReportException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> compute(scope, request), executor);
    }

    private static void check(Scope scope, ReportRequest r) {
        if (r.filter().isEmpty()) {
            return;
        }
        String v = r.filter().get();
        boolean known = switch (r.kind()) {
            case QUEUES -> scope.queues().containsKey(QueueId.of(v));
            case AGENTS -> scope.agents().contains(AgentId.of(v));
            case DIDS -> scope.dids().contains(v) || v.equals(ReportCalculator.UNKNOWN_DID);
            case USAGE -> false;
        };
        if (!known) {
            throw ReportException.unknown(r.kind().filterParameter(), v);
        }
    }

    /** The report, computed now on the calling thread (blocking on the database). */
    public Result compute(Scope scope, ReportRequest r) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Buckets buckets = r.interval().buckets(r.from(), r.to(), scope.zone());
        List<QueueEvent> events = source.events(scope.tenant(), r.from(), r.to());
        List<QueueRow> queueRows = List.of();
        List<AgentRow> agentRows = List.of();
        Usage usage = null;
        switch (r.kind()) {
            case QUEUES -> queueRows = ReportCalculator.queues(events, buckets,
                    r.filter().map(q -> (Collection<QueueId>) List.of(QueueId.of(q))).orElseGet(() -> queuesOf(scope, events)),
                    scope::thresholds);
            case DIDS -> {
                List<QueueEvent> withLookback = new ArrayList<>(
                        source.entered(scope.tenant(), r.from().minus(DID_LOOKBACK), r.from()));
                withLookback.addAll(events);
                queueRows = ReportCalculator.dids(withLookback, buckets, r.filter(), scope::thresholds);
            }
            case AGENTS -> {
                Collection<AgentId> agents = r.filter().map(a -> (Collection<AgentId>) List.of(AgentId.of(a)))
                        .orElseGet(() -> agentsOf(scope, events));
                agentRows = ReportCalculator.agents(events, lastStates(scope, agents, r.from()), buckets, agents, now);
            }
            case USAGE -> {
                Collection<AgentId> agents = agentsOf(scope, events);
                List<AgentRow> a = ReportCalculator.agents(events, lastStates(scope, agents, r.from()), buckets, agents, now);
                List<QueueRow> q = ReportCalculator.queues(events, buckets, queuesOf(scope, events), scope::thresholds);
                usage = ReportCalculator.usage(a, q);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.info("report {} of {} {} .. {} ({}): {} events, {} rows in {} ms", r.kind().path(), scope.tenant(),
                r.from(), r.to(), r.interval().wire(), events.size(), queueRows.size() + agentRows.size(), took.toMillis());
        return new Result(r, scope.tenant(), scope.zone(), queueRows, agentRows, usage, took);
    }

    private Map<AgentId, AgentStateInterval> lastStates(Scope scope, Collection<AgentId> agents, Instant before) {
        return source.lastStates(scope.tenant(), agents, before);
    }

    /** The tenant's configured queues and any other of its queues with events in the range. */
    private static Collection<QueueId> queuesOf(Scope scope, List<QueueEvent> events) {
        Set<QueueId> out = new LinkedHashSet<>(scope.queues().keySet());
        for (QueueEvent e : events) {
            if (e instanceof EntryEvent ee) {
                out.add(ee.queue());
            }
        }
        return out;
    }

    /** The tenant's configured agents and any other of its agents with events in the range. */
    private static Collection<AgentId> agentsOf(Scope scope, List<QueueEvent> events) {
        Set<AgentId> out = new LinkedHashSet<>(scope.agents());
        for (QueueEvent e : events) {
            if (e instanceof AgentStateInterval s) {
                out.add(s.agent());
            } else if (e instanceof QueueEvent.Completed c) {
                out.add(c.agent());
            }
        }
        return out;
    }

    /** For tests and logs: the scope of {@code tenant}. */
    public Optional<Scope> scope(TenantId tenant) {
        return Optional.ofNullable(scopes.get(tenant));
    }
}
