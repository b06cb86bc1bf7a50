package org.asteriskcti.server.storage;

import static org.asteriskcti.server.storage.SqlErrors.describe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.report.ReportSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports' reads of the statistics log ({@code queue_event}): by tenant and time, using the indexes
 * {@code queue_event_tenant_occurred_at} and {@code queue_event_tenant_agent_occurred_at} (V5). Blocking;
 * for the reports' worker threads.
 */
public final class JdbcReportSource implements ReportSource {

    private static final Logger log = LoggerFactory.getLogger(JdbcReportSource.class);

    private final DataSource dataSource;
    private final QueueEventJson json = new QueueEventJson();

    public JdbcReportSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<QueueEvent> events(TenantId tenant, Instant from, Instant to) {
        return select(tenant, from, to, null);
    }

    @Override
    public List<QueueEvent.Entered> entered(TenantId tenant, Instant from, Instant to) {
        return select(tenant, from, to, "Entered").stream().map(QueueEvent.Entered.class::cast).toList();
    }

    /** The tenant's events (of {@code type}, when given) with {@code from <= at < to}, in time order. */
    private List<QueueEvent> select(TenantId tenant, Instant from, Instant to, String type) {
        if (!from.isBefore(to)) {
            return List.of();
        }
        // The column is the time rounded down to the microsecond: select generously, then exactly.
        String sql = "SELECT id, event_type, payload FROM queue_event WHERE tenant_id = ? AND occurred_at >= ? "
                + "AND occurred_at <= ?" + (type != null ? " AND event_type = ?" : "") + " ORDER BY occurred_at, id";
        List<QueueEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with the fetch size only in a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                ps.setString(1, tenant.value());
                ps.setObject(2, column(from));
                ps.setObject(3, column(to));
                if (type != null) {
                    ps.setString(4, type);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        QueueEvent e = read(rs.getLong(1), rs.getString(2), rs.getString(3));
                        if (e != null && !e.at().isBefore(from) && e.at().isBefore(to)) {
                            out.add(e);
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read queue events of " + tenant + " " + from + " .. " + to + ": "
                    + describe(e), e);
        }
        out.sort(Comparator.comparing(QueueEvent::at)); // stable: exact times within one microsecond
        return out;
    }

    @Override
    public Map<AgentId, AgentStateInterval> lastStates(TenantId tenant, Collection<AgentId> agents, Instant before) {
        String sql = "SELECT id, event_type, payload FROM queue_event WHERE tenant_id = ? AND agent_id = ? "
                + "AND event_type = 'AgentStateInterval' AND occurred_at < ? ORDER BY occurred_at DESC, id DESC LIMIT 1";
        Map<AgentId, AgentStateInterval> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (AgentId a : agents) {
                ps.setString(1, tenant.value());
                ps.setString(2, a.value());
                ps.setObject(3, column(before));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && read(rs.getLong(1), rs.getString(2), rs.getString(3)) instanceof AgentStateInterval s) {
                        out.put(a, s);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the agents' states of " + tenant + " before " + before + ": "
                    + describe(e), e);
        }
        return out;
    }

    private QueueEvent read(long id, String type, String payload) {
        try {
            return json.read(type, payload);
        } catch (IllegalArgumentException e) {
            log.error("queue event id {} cannot be read and is left out of the report ({})", id, e.getMessage());
            return null;
        }
    }

    private static OffsetDateTime column(Instant at) {
        return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
