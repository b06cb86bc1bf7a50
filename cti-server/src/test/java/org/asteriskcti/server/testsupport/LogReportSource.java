package org.asteriskcti.server.testsupport;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.report.ReportSource;

/**
 * Reports read straight from an in-memory {@link QueueEventLog} (copied on its domain loop), for tests that
 * run the reports API without a database. The production source is {@code JdbcReportSource}; both answer
 * the same questions, with the tenant of a queue event taken from its queue as the stored rows have it.
 */
public final class LogReportSource implements ReportSource {

    private final DomainLoop loop;
    private final QueueEventLog log;
    private final Function<QueueId, TenantId> tenantOf;

    public LogReportSource(DomainLoop loop, QueueEventLog log, Function<QueueId, TenantId> tenantOf) {
        this.loop = loop;
        this.log = log;
        this.tenantOf = tenantOf;
    }

    private List<QueueEvent> all() {
        try {
            return loop.call(() -> List.copyOf(log.events())).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the statistics log failed", e);
        }
    }

    private TenantId tenant(QueueEvent e) {
        if (e instanceof QueueEvent.AgentStateInterval a) {
            return a.tenant();
        }
        if (e instanceof QueueEvent.Entered en) {
            return en.tenant();
        }
        return tenantOf.apply(((QueueEvent.EntryEvent) e).queue());
    }

    @Override
    public List<QueueEvent> events(TenantId tenant, Instant from, Instant to) {
        return all().stream().filter(e -> tenant.equals(tenant(e)) && !e.at().isBefore(from) && e.at().isBefore(to)).toList();
    }

    @Override
    public List<QueueEvent.Entered> entered(TenantId tenant, Instant from, Instant to) {
        return events(tenant, from, to).stream().filter(QueueEvent.Entered.class::isInstance)
                .map(QueueEvent.Entered.class::cast).toList();
    }

    @Override
    public Map<AgentId, QueueEvent.AgentStateInterval> lastStates(TenantId tenant, Collection<AgentId> agents, Instant before) {
        Map<AgentId, QueueEvent.AgentStateInterval> last = new HashMap<>();
        for (QueueEvent e : events(tenant, Instant.EPOCH, before)) {
            if (e instanceof QueueEvent.AgentStateInterval a && agents.contains(a.agent())) {
                last.put(a.agent(), a);
            }
        }
        return last;
    }
}
