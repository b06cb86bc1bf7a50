package org.asteriskcti.server.api;

import java.util.Optional;
import java.util.function.Function;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.tenant.TenantDirectory;

/**
 * Who may subscribe to what. Everything is inside the user's own tenant; a topic naming another
 * tenant's agent is refused exactly like one naming no agent at all, so nothing leaks.
 */
final class TopicAccess {

    /** Null when allowed; otherwise the error to send. */
    record Refusal(String errorId, int status, String message) {}

    private final TenantDirectory directory;
    private final Function<String, Optional<TenantId>> queueTenant;

    /** @param queueTenant a queue's tenant; empty for no such queue (or no ACD) */
    TopicAccess(TenantDirectory directory, Function<String, Optional<TenantId>> queueTenant) {
        this.directory = directory;
        this.queueTenant = queueTenant;
    }

    Refusal check(Principal p, String topic) {
        if (topic == null || topic.isBlank()) {
            return new Refusal(Protocol.Errors.TOPIC_UNKNOWN, 400, "empty topic");
        }
        if (topic.equals(Topics.SYSTEM) || topic.equals(Topics.AGENTS)) {
            return null;
        }
        if (topic.equals(Topics.CALLS)) {
            return p.supervises() ? null
                    : new Refusal(Protocol.Errors.TOPIC_DENIED, 403, "topic 'calls' is for supervisors; agents subscribe to their own agent:<id>");
        }
        if (topic.startsWith(Topics.AGENT_PREFIX)) {
            String id = topic.substring(Topics.AGENT_PREFIX.length());
            boolean inTenant = !id.isBlank() && directory.agent(AgentId.of(id))
                    .filter(a -> a.tenant().equals(p.tenant())).isPresent();
            if (!inTenant) {
                return new Refusal(Protocol.Errors.TOPIC_DENIED, 403, "no agent '" + id + "' in your tenant");
            }
            if (!p.supervises() && !AgentId.of(id).equals(p.agent())) {
                return new Refusal(Protocol.Errors.TOPIC_DENIED, 403, "agents may subscribe only to their own agent topic");
            }
            return null;
        }
        if (topic.startsWith(Topics.QUEUE_PREFIX)) {
            String id = topic.substring(Topics.QUEUE_PREFIX.length());
            // Any user of the tenant may watch its queues (wallboards); another tenant's is refused like none.
            if (queueTenant.apply(id).filter(p.tenant()::equals).isEmpty()) {
                return new Refusal(Protocol.Errors.TOPIC_DENIED, 403, "no queue '" + id + "' in your tenant");
            }
            return null;
        }
        return new Refusal(Protocol.Errors.TOPIC_UNKNOWN, 400,
                "unknown topic '" + topic + "' (known: system, calls, agents, agent:<id>, queue:<id>)");
    }
}
