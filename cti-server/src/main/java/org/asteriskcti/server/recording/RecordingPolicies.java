package org.asteriskcti.server.recording;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/** Each tenant's recording policy and the queues that override it (immutable, safe from any thread). */
public final class RecordingPolicies {

    private final Map<TenantId, RecordingPolicy> tenants;
    private final Map<QueueId, QueueRule> queues;

    private record QueueRule(TenantId tenant, RecordingPolicy policy) {}

    private RecordingPolicies(Map<TenantId, RecordingPolicy> tenants, Map<QueueId, QueueRule> queues) {
        this.tenants = Map.copyOf(tenants);
        this.queues = Map.copyOf(queues);
    }

    public static RecordingPolicies from(CtiConfig config) {
        Map<TenantId, RecordingPolicy> tenants = new HashMap<>();
        config.tenants().forEach(t -> tenants.put(TenantId.of(t.id()), of(t.recording())));
        Map<QueueId, QueueRule> queues = new HashMap<>();
        config.queues().forEach(q -> q.recording().ifPresent(p ->
                queues.put(QueueId.of(q.id()), new QueueRule(TenantId.of(q.tenant()), of(p)))));
        return new RecordingPolicies(tenants, queues);
    }

    /** For tests: tenants' policies, and queue overrides as queue → (tenant, policy). */
    public static RecordingPolicies of(Map<TenantId, RecordingPolicy> tenants,
            Map<QueueId, Map.Entry<TenantId, RecordingPolicy>> queues) {
        Map<QueueId, QueueRule> q = new HashMap<>();
        queues.forEach((id, e) -> q.put(id, new QueueRule(e.getKey(), e.getValue())));
        return new RecordingPolicies(tenants, q);
    }

    /**
     * The queue's policy when it overrides its tenant's (a queue of another tenant does not count), else the
     * tenant's; NEVER for a tenant not configured.
     */
    public RecordingPolicy policyFor(TenantId tenant, Optional<QueueId> queue) {
        if (queue.isPresent()) {
            QueueRule r = queues.get(queue.get());
            if (r != null && r.tenant().equals(tenant)) {
                return r.policy();
            }
        }
        return tenants.getOrDefault(tenant, RecordingPolicy.NEVER);
    }

    private static RecordingPolicy of(CtiConfig.RecordingPolicy p) {
        return switch (p) {
            case ALWAYS -> RecordingPolicy.ALWAYS;
            case ON_DEMAND -> RecordingPolicy.ON_DEMAND;
            case NEVER -> RecordingPolicy.NEVER;
        };
    }
}
