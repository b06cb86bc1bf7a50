package org.asteriskcti.server.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each agent's call history: their last {@code history.per-agent} calls, newest first. Follows the
 * call model: when a call ends (not merged into another), every agent involved gets one entry, from
 * their point of view ({@link HistoryEntries}); it is handed to the store (which writes it off the
 * loop) and to the listener (the client API publishes {@code history.added}).
 *
 * <p>Runs on the domain loop only, except the constructor, which takes what the store kept from the
 * previous run. An entry is never shown outside its agent's tenant: restored entries whose agent is
 * gone or now belongs to another tenant are left out, and only agents of a call's tenant get entries.
 */
public final class CallHistory implements CallModelListener {

    private static final Logger log = LoggerFactory.getLogger(CallHistory.class);

    private final DomainLoop loop;
    private final TenantDirectory directory;
    private final int perAgent;
    private final CallHistoryStore store;
    private final RecordingLinks recordings;
    /** Newest first, at most {@link #perAgent} per agent. */
    private final Map<AgentId, Deque<HistoryEntry>> byAgent = new HashMap<>();
    private HistoryListener listener = HistoryListener.NONE;

    /**
     * @param perAgent the most entries kept per agent (1..1000, {@code history.per-agent})
     * @param restored what the store kept ({@link CallHistoryStore#loadLatest}), oldest first
     */
    public CallHistory(DomainLoop loop, TenantDirectory directory, int perAgent, CallHistoryStore store,
            RecordingLinks recordings, List<HistoryEntry> restored) {
        if (perAgent < 1) {
            throw new IllegalArgumentException("perAgent must be at least 1, got " + perAgent);
        }
        this.loop = loop;
        this.directory = directory;
        this.perAgent = perAgent;
        this.store = store;
        this.recordings = recordings;
        int dropped = 0;
        for (HistoryEntry e : restored) {
            if (!inItsTenant(e.agent(), e.tenant())) {
                dropped++;
                continue;
            }
            keep(e);
        }
        if (dropped > 0) {
            log.info("call history: {} stored entries left out: their agent is no longer configured in that tenant",
                    dropped);
        }
        log.info("call history: {} entries of {} agents restored (at most {} per agent)", restored.size() - dropped,
                byAgent.size(), perAgent);
    }

    /** Where new entries are announced; set once at wiring, before calls flow. */
    public void listener(HistoryListener listener) {
        this.listener = listener;
    }

    public int perAgent() {
        return perAgent;
    }

    /** The agent's newest entries, newest first, at most {@code limit}. */
    public List<HistoryEntry> recent(AgentId agent, int limit) {
        loop.assertInLoop();
        Deque<HistoryEntry> d = byAgent.get(agent);
        if (d == null || limit < 1) {
            return List.of();
        }
        List<HistoryEntry> out = new ArrayList<>(Math.min(limit, d.size()));
        Iterator<HistoryEntry> it = d.iterator();
        while (out.size() < limit && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    // ---- the call model ----------------------------------------------------------------------------

    /**
     * Called by the model in the middle of its publication: a failure here is logged, never thrown
     * back into the model (which would leave other calls of the same event unpublished).
     */
    @Override
    public void callChanged(CallView call, EventMeta cause) {
        if (!"ENDED".equals(call.state())) {
            return;
        }
        try {
            record(call);
        } catch (RuntimeException e) {
            log.error("call history: recording call {} failed; the model goes on", call.callId(), e);
        }
    }

    @Override
    public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {
        // not history
    }

    @Override
    public void syncChanged(SyncStatus status) {
        // not history
    }

    private void record(CallView call) {
        loop.assertInLoop();
        for (HistoryEntry e : HistoryEntries.of(call, directory, recordings)) {
            if (!keep(e)) {
                log.debug("call history: call {} is already in agent {}'s history", e.call(), e.agent());
                continue;
            }
            log.debug("call history: agent {} {} {} {} {}s", e.agent(), e.direction(), e.number(), e.disposition(),
                    e.talkSeconds());
            store.append(e);
            try {
                listener.added(e);
            } catch (RuntimeException ex) {
                log.error("call history: announcing {} failed", e, ex);
            }
        }
    }

    /** Adds the entry as the agent's newest, dropping the oldest beyond the limit; false if the call is there already. */
    private boolean keep(HistoryEntry e) {
        Deque<HistoryEntry> d = byAgent.computeIfAbsent(e.agent(), a -> new ArrayDeque<>());
        for (HistoryEntry x : d) {
            if (x.call().equals(e.call())) {
                return false;
            }
        }
        d.addFirst(e);
        while (d.size() > perAgent) {
            d.removeLast();
        }
        return true;
    }

    private boolean inItsTenant(AgentId agent, TenantId tenant) {
        Optional<TenantDirectory.Agent> a = directory.agent(agent);
        return a.isPresent() && a.get().tenant().equals(tenant);
    }
}
