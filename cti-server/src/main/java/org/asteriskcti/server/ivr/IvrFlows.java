package org.asteriskcti.server.ivr;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IVR flows in force, and their reload. The catalog is owned by the domain loop; a reload reads and
 * checks one tenant's files off the loop, then swaps that tenant's flows in on it. Callers already in a
 * flow keep the version they started with ({@link IvrSession} holds its {@link Flow}); new callers get the
 * new one. A reload with any problem — a file that does not load, or a route of the tenant naming a flow
 * that would be gone — changes nothing and names every problem.
 */
public final class IvrFlows {

    private static final Logger log = LoggerFactory.getLogger(IvrFlows.class);

    /** A route of a tenant that names a flow ({@code tenants[].routes[].flow}). */
    public record FlowRoute(String did, FlowId flow) {}

    /** How one flow changed in a reload. */
    public enum Change { ADDED, CHANGED, UNCHANGED, REMOVED }

    public record FlowChange(FlowId flow, Optional<String> version, Optional<String> previousVersion, Change change) {}

    /** What a reload did. */
    public record Reloaded(TenantId tenant, List<FlowChange> flows) {}

    /** The reload changed nothing: these are the problems, each with file and line where there is one. */
    public static final class Refused extends Exception {
        private final List<IvrError> errors;

        Refused(List<IvrError> errors) {
            super(errors.size() + " problem(s): " + errors);
            this.errors = List.copyOf(errors);
        }

        public List<IvrError> errors() {
            return errors;
        }
    }

    private final DomainLoop loop;
    private final Optional<Path> dir;
    private final Function<TenantId, ZoneId> zones;
    private final Function<TenantId, List<FlowRoute>> routes;
    private IvrCatalog catalog;

    /**
     * @param dir    {@code ivr.dir}; without one there is nothing to reload
     * @param routes each tenant's routes that name a flow (they must find it after a reload)
     */
    public IvrFlows(DomainLoop loop, Optional<Path> dir, Function<TenantId, ZoneId> zones,
            Function<TenantId, List<FlowRoute>> routes, IvrCatalog initial) {
        this.loop = loop;
        this.dir = dir;
        this.zones = zones;
        this.routes = routes;
        this.catalog = Objects.requireNonNull(initial, "initial");
    }

    /** The flows in force (on the domain loop). */
    public IvrCatalog current() {
        return catalog;
    }

    public Optional<Path> dir() {
        return dir;
    }

    /**
     * Reads {@code tenant}'s directory again (on the calling thread, not the loop) and, when every file
     * loads and every route of the tenant still finds its flow, puts the new flows in force on the loop.
     *
     * @return what changed; failed with {@link Refused} naming every problem (the flows in force are
     *         unchanged), or {@link IllegalStateException} when the server has no {@code ivr.dir}
     */
    public java.util.concurrent.CompletableFuture<Reloaded> reload(TenantId tenant) {
        if (dir.isEmpty()) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("ivr.dir is not set: there are no IVR flows to reload"));
        }
        Map<FlowId, Flow> fresh;
        try {
            fresh = FlowLoader.loadTenant(dir.get(), tenant, zones.apply(tenant));
        } catch (IvrLoadException e) {
            log.warn("ivr reload of tenant {} refused: {}", tenant, e.getMessage());
            return java.util.concurrent.CompletableFuture.failedFuture(new Refused(e.errors()));
        }
        List<IvrError> problems = new ArrayList<>();
        for (FlowRoute r : routes.apply(tenant)) {
            if (!fresh.containsKey(r.flow())) {
                problems.add(new IvrError(tenant.value() + "/" + r.flow().value() + ".yaml", 0, Optional.empty(),
                        "DID " + r.did() + " is routed to flow '" + r.flow().value()
                                + "' (tenants[].routes), which this reload would remove"));
            }
        }
        if (!problems.isEmpty()) {
            log.warn("ivr reload of tenant {} refused: {}", tenant, problems);
            return java.util.concurrent.CompletableFuture.failedFuture(new Refused(problems));
        }
        return loop.call(() -> swap(tenant, fresh));
    }

    private Reloaded swap(TenantId tenant, Map<FlowId, Flow> fresh) {
        IvrCatalog before = catalog;
        List<FlowChange> changes = new ArrayList<>();
        TreeSet<FlowId> ids = new TreeSet<>(fresh.keySet());
        before.flows(tenant).forEach(f -> ids.add(f.id()));
        for (FlowId id : ids) {
            Optional<String> was = before.flow(tenant, id).map(Flow::version);
            Optional<String> now = Optional.ofNullable(fresh.get(id)).map(Flow::version);
            Change c = was.isEmpty() ? Change.ADDED : now.isEmpty() ? Change.REMOVED
                    : was.equals(now) ? Change.UNCHANGED : Change.CHANGED;
            changes.add(new FlowChange(id, now, was, c));
        }
        catalog = before.withTenant(tenant, fresh);
        log.info("ivr flows of tenant {} reloaded: {}", tenant, changes);
        return new Reloaded(tenant, changes);
    }
}
