package org.asteriskcti.server.ivr;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.asteriskcti.server.domain.TenantId;

/**
 * Every tenant's validated flows, immutable. A reload builds a new catalog and the owner swaps it in;
 * sessions already running keep the {@link Flow} they started with.
 */
public final class IvrCatalog {

    private final Map<TenantId, Map<FlowId, Flow>> flows;

    public IvrCatalog(Map<TenantId, Map<FlowId, Flow>> flows) {
        Map<TenantId, Map<FlowId, Flow>> copy = new TreeMap<>();
        flows.forEach((t, f) -> copy.put(t, Collections.unmodifiableMap(new TreeMap<>(f))));
        this.flows = Collections.unmodifiableMap(copy);
    }

    public static IvrCatalog empty() {
        return new IvrCatalog(Map.of());
    }

    public Optional<Flow> flow(TenantId tenant, FlowId id) {
        return Optional.ofNullable(flows.getOrDefault(tenant, Map.of()).get(id));
    }

    public List<Flow> flows(TenantId tenant) {
        return List.copyOf(flows.getOrDefault(tenant, Map.of()).values());
    }

    /** This catalog with {@code tenant}'s flows replaced (a reload of that tenant). */
    public IvrCatalog withTenant(TenantId tenant, Map<FlowId, Flow> tenantFlows) {
        Map<TenantId, Map<FlowId, Flow>> copy = new TreeMap<>(flows);
        copy.put(tenant, tenantFlows);
        return new IvrCatalog(copy);
    }

    public int size() {
        return flows.values().stream().mapToInt(Map::size).sum();
    }
}
