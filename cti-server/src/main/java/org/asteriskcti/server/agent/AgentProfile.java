package org.asteriskcti.server.agent;

import java.util.Objects;
import java.util.Set;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * An agent's configured ACD profile.
 *
 * @param queues the queues the agent serves; empty means every queue of their tenant whose
 *               requirements they meet (skills-based routing without explicit membership)
 */
public record AgentProfile(AgentId id, TenantId tenant, AgentSkills skills, Set<QueueId> queues) {

    public AgentProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(skills, "skills");
        queues = Set.copyOf(queues);
    }

    public static AgentProfile of(String id, String tenant) {
        return new AgentProfile(AgentId.of(id), TenantId.of(tenant), AgentSkills.none(), Set.of());
    }

    public AgentProfile withSkills(AgentSkills skills) {
        return new AgentProfile(id, tenant, skills, queues);
    }

    public AgentProfile withQueues(Set<QueueId> queues) {
        return new AgentProfile(id, tenant, skills, queues);
    }

    /** Whether this agent serves {@code queue} of {@code queueTenant} (before skills are checked). */
    public boolean serves(QueueId queue, TenantId queueTenant) {
        return tenant.equals(queueTenant) && (queues.isEmpty() || queues.contains(queue));
    }
}
