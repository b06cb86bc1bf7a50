package org.asteriskcti.server.acd;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.AgentSkills;
import org.asteriskcti.server.agent.NotReadyReasons;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Everything the ACD is configured with.
 *
 * @param timeZones         each tenant's zone ("calls handled today" restarts at its midnight); UTC when absent
 * @param handleTimeWindow  how many recent calls the average handle time of a queue is taken over
 * @param waitEstimateCap   the longest estimated wait ever announced (see {@link WaitEstimate})
 */
public record AcdConfig(List<QueueDefinition> queues, List<AgentProfile> agents, NotReadyReasons notReadyReasons,
        Map<TenantId, ZoneId> timeZones, int handleTimeWindow, Duration waitEstimateCap) {

    public AcdConfig {
        queues = List.copyOf(queues);
        agents = List.copyOf(agents);
        Objects.requireNonNull(notReadyReasons, "notReadyReasons");
        timeZones = Map.copyOf(timeZones);
        if (handleTimeWindow < 1) {
            throw new IllegalArgumentException("handle-time-window must be at least 1");
        }
        if (waitEstimateCap.isNegative() || waitEstimateCap.isZero()) {
            throw new IllegalArgumentException("wait-estimate-cap must be positive");
        }
    }

    /**
     * The ACD's view of a loaded (already validated) configuration: the {@code acd} section, the
     * queues with {@code acd.queue-defaults} applied, the agents' skills and queues, each tenant's
     * not-ready reasons and time zone.
     */
    public static AcdConfig from(CtiConfig config) {
        List<QueueDefinition> queues = config.queues().stream().map(AcdConfig::queue).toList();
        List<AgentProfile> agents = config.agents().stream().map(a -> new AgentProfile(AgentId.of(a.id()),
                TenantId.of(a.tenant()), new AgentSkills(a.skills(), new HashSet<>(a.languages())),
                Set.copyOf(a.queues().stream().map(QueueId::of).toList()))).toList();
        NotReadyReasons reasons = NotReadyReasons.of(config.acd().notReadyReasons().toArray(String[]::new));
        Map<TenantId, ZoneId> zones = new HashMap<>();
        for (CtiConfig.Tenant t : config.tenants()) {
            zones.put(TenantId.of(t.id()), t.timeZone());
            if (t.notReadyReasons().isPresent()) {
                reasons = reasons.withTenant(TenantId.of(t.id()), t.notReadyReasons().get());
            }
        }
        return new AcdConfig(queues, agents, reasons, zones, config.acd().handleTimeWindow(),
                config.acd().waitEstimateCap());
    }

    private static QueueDefinition queue(CtiConfig.Queue q) {
        CtiConfig.QueueSettings s = q.settings();
        return QueueDefinition.builder(q.id(), q.tenant())
                .name(q.name())
                .strategy(switch (s.strategy()) {
                    case LONGEST_IDLE -> Strategy.LONGEST_IDLE;
                    case LEAST_CALLS -> Strategy.LEAST_CALLS;
                    case SKILLS -> Strategy.SKILLS;
                })
                .requiredSkills(q.skills())
                .language(q.language().orElse(null))
                .maxWait(s.maxWait())
                .overflow(q.overflow().map(AcdConfig::overflow).orElse(null))
                .maxSize(s.maxSize())
                .wrapUp(s.wrapUp())
                .maxWrapUp(s.maxWrapUp())
                .ringTimeout(s.ringTimeout())
                .mohClass(s.mohClass())
                .announcePeriod(s.announcePeriod())
                .serviceLevel(s.serviceLevel())
                .shortAbandon(s.shortAbandon())
                .defaultHandleTime(s.defaultHandleTime())
                .callbackKey(s.callbackKey())
                .build();
    }

    private static OverflowTarget overflow(CtiConfig.Overflow o) {
        return switch (o.kind()) {
            case QUEUE -> new OverflowTarget.ToQueue(QueueId.of(o.target()));
            case VOICEMAIL -> new OverflowTarget.ToVoicemail(o.target());
            case MESSAGE -> new OverflowTarget.HangupWithMessage(o.target());
        };
    }

    public ZoneId zoneOf(TenantId tenant) {
        return timeZones.getOrDefault(tenant, ZoneId.of("UTC"));
    }
}
