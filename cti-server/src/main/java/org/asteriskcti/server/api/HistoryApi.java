package org.asteriskcti.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asteriskcti.protocol.CallHistoryEntry;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.history.CallHistory;
import org.asteriskcti.server.history.HistoryEntry;
import org.asteriskcti.server.history.HistoryListener;
import org.asteriskcti.server.history.RecordingLinks;
import org.asteriskcti.server.tenant.TenantDirectory;

/**
 * The call history's side of the client API: the {@code history} list in the {@code agent:<id>}
 * snapshot, {@code history.added} on {@code agent:<id>} as calls end, and REST
 * {@code GET /api/v1/agents/{id}/history?limit=N}. Runs on the domain loop.
 *
 * <p>Access is the agent topic's: an agent user sees only their own agent's history; supervisors and
 * admins any agent of their tenant; another tenant's agent is refused exactly like one that does not
 * exist ({@code agent.unknown}).
 */
public final class HistoryApi implements HistoryListener {

    private final DomainLoop loop;
    private final CallHistory history;
    private final ClientHub hub;
    private final TenantDirectory directory;

    /** Give it to the hub ({@link ClientHub#history(HistoryApi)}) and to the history as its listener. */
    public HistoryApi(DomainLoop loop, CallHistory history, ClientHub hub, TenantDirectory directory) {
        this.loop = loop;
        this.history = history;
        this.hub = hub;
        this.directory = directory;
    }

    /** A new entry: {@code history.added} to whoever follows the agent's topic (their tenant only). */
    @Override
    public void added(HistoryEntry e) {
        hub.publish(e.tenant(), List.of(Topics.AGENT_PREFIX + e.agent().value()), Protocol.Events.HISTORY_ADDED,
                entry(e), null);
    }

    /** The agent's whole kept history, newest first, for the {@code agent:<id>} snapshot (access already checked). */
    List<CallHistoryEntry> snapshot(AgentId agent) {
        return entries(history.recent(agent, history.perAgent()));
    }

    /**
     * REST: the agent's newest {@code limit} entries (all kept when absent).
     *
     * @throws ApiException {@code history.invalid_request} (limit not a whole number in 1..per-agent),
     *                      {@code agent.unknown} (another tenant's agent too), {@code auth.forbidden}
     *                      (an agent user naming another agent)
     */
    Map<String, Object> history(Principal user, String agentId, String limitParam) {
        loop.assertInLoop();
        // The parameter first: checking it tells nothing about the agent named.
        int limit = limit(limitParam);
        TenantDirectory.Agent agent = (agentId == null || agentId.isBlank() ? java.util.Optional.<TenantDirectory.Agent>empty()
                : directory.agent(AgentId.of(agentId))).filter(a -> a.tenant().equals(user.tenant()))
                .orElseThrow(() -> new ApiException(AcdApi.unknownAgent(agentId)));
        if (!user.supervises() && !agent.id().equals(user.agent())) {
            throw new ApiException(Protocol.Errors.FORBIDDEN, 403, "agents may see only their own agent's history",
                    Map.of());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agent.id().value());
        body.put("limit", limit);
        body.put("entries", entries(history.recent(agent.id(), limit)));
        return body;
    }

    private int limit(String param) {
        int max = history.perAgent();
        if (param == null) {
            return max;
        }
        String p = param.trim();
        int n;
        try {
            n = p.matches("\\d{1,9}") ? Integer.parseInt(p) : -1;
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw new ApiException(Protocol.Errors.HISTORY_INVALID_REQUEST, 400,
                    "query parameter 'limit' must be a whole number from 1 to " + max + ", got '" + param + "'",
                    Map.of("parameter", "limit", "min", 1, "max", max));
        }
        return n;
    }

    private static List<CallHistoryEntry> entries(List<HistoryEntry> list) {
        List<CallHistoryEntry> out = new ArrayList<>(list.size());
        list.forEach(e -> out.add(entry(e)));
        return out;
    }

    static CallHistoryEntry entry(HistoryEntry e) {
        List<CallHistoryEntry.Recording> recordings = new ArrayList<>();
        for (String id : e.recordings()) {
            recordings.add(new CallHistoryEntry.Recording(id, RecordingLinks.url(id)));
        }
        return new CallHistoryEntry(e.call().value(), e.tenant().value(), e.agent().value(), e.direction().name(),
                e.number(), e.name(), e.startedAt(), e.answeredAt(), e.endedAt(), e.talkSeconds(),
                e.disposition().name(), e.callDisposition().name(), e.queue(), recordings);
    }
}
