package org.asteriskcti.server.tenant;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Who owns what: tenants, their agents' phones (endpoints) and their DIDs. Immutable after start.
 * A channel belongs to a tenant through its device (an agent phone) or the number it dialled (a DID).
 */
public final class TenantDirectory {

    public record Tenant(TenantId id, String name, java.time.ZoneId timeZone) {}

    public record Agent(AgentId id, TenantId tenant, String name, String device) {}

    private final Map<TenantId, Tenant> tenants = new LinkedHashMap<>();
    private final Map<String, TenantId> endpointTenant = new HashMap<>();
    private final Map<String, TenantId> didTenant = new HashMap<>();
    private final Map<String, CtiConfig.Route> didRoute = new HashMap<>();
    private final Map<AgentId, Agent> agents = new LinkedHashMap<>();
    private final Map<String, Agent> agentByDevice = new HashMap<>();

    public TenantDirectory(CtiConfig config) {
        for (CtiConfig.Tenant t : config.tenants()) {
            TenantId id = TenantId.of(t.id());
            tenants.put(id, new Tenant(id, t.name(), t.timeZone()));
            t.endpoints().forEach(e -> endpointTenant.put(e, id));
            t.dids().forEach(d -> didTenant.put(d, id));
            t.routes().forEach(r -> didRoute.put(r.did(), r));
        }
        for (CtiConfig.Agent a : config.agents()) {
            Agent agent = new Agent(AgentId.of(a.id()), TenantId.of(a.tenant()), a.name(), a.endpoint());
            agents.put(agent.id(), agent);
            agentByDevice.put(a.endpoint(), agent);
            endpointTenant.putIfAbsent(resource(a.endpoint()), agent.tenant());
        }
    }

    public Collection<Tenant> tenants() {
        return tenants.values();
    }

    public Optional<Tenant> tenant(TenantId id) {
        return Optional.ofNullable(tenants.get(id));
    }

    public Collection<Agent> agents() {
        return agents.values();
    }

    public Optional<Agent> agent(AgentId id) {
        return Optional.ofNullable(agents.get(id));
    }

    /** The agent whose phone is this device ({@code PJSIP/1001}). */
    public Optional<Agent> agentByDevice(String device) {
        return Optional.ofNullable(agentByDevice.get(device));
    }

    /** The tenant of a device ({@code PJSIP/1001}) through its endpoint. */
    public Optional<TenantId> tenantOfDevice(String device) {
        return Optional.ofNullable(endpointTenant.get(resource(device)));
    }

    /** Where callers to this DID go (tenants[].routes), if it is routed. */
    public Optional<CtiConfig.Route> routeOfDid(String did) {
        return Optional.ofNullable(didRoute.get(did));
    }

    public Optional<TenantId> tenantOfDid(String did) {
        return Optional.ofNullable(didTenant.get(did));
    }

    /** A channel's tenant: its device's owner, else the owner of the number it dialled. */
    public Optional<TenantId> tenantOf(ChannelSnapshot ch) {
        Optional<TenantId> byDevice = tenantOfDevice(ch.device());
        if (byDevice.isPresent()) {
            return byDevice;
        }
        return tenantOfDid(ch.exten());
    }

    private static String resource(String device) {
        int slash = device.indexOf('/');
        return slash < 0 ? device : device.substring(slash + 1);
    }
}
