package org.asteriskcti.softphone.cti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.CallHistoryEntry;
import org.asteriskcti.protocol.ConversationInfo;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol.Events;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.QueueCall;
import org.asteriskcti.protocol.QueueInfo;
import org.asteriskcti.protocol.RecordingInfo;
import org.asteriskcti.protocol.UserInfo;
import org.asteriskcti.protocol.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's desk as the stream tells it: their agent, the offer or ACD call, their conversations, recordings,
 * call history, every agent of the tenant (live state, for transfers) and the queues. A projection: snapshots
 * replace, events update. Not thread-safe: fed and read on one thread (the delivery executor of {@link CtiClient}).
 * Each applied frame notifies the listeners once.
 */
public final class DeskModel implements StreamListener {

    private static final Logger log = LoggerFactory.getLogger(DeskModel.class);
    private static final ObjectMapper JSON = Json.mapper();
    /** How many history entries are kept (the snapshot brings the newest; events add). */
    static final int HISTORY_LIMIT = 200;

    private final String agentId;
    private final Map<String, Consumer<JsonNode>> handlers = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private UserInfo user;
    private AgentInfo me;
    private final Map<String, AgentInfo> agents = new LinkedHashMap<>();
    private final Map<String, QueueInfo> queues = new LinkedHashMap<>();
    private final Map<String, ConversationInfo> conversations = new LinkedHashMap<>();
    private final Map<String, RecordingInfo> recordings = new LinkedHashMap<>();
    private final List<CallHistoryEntry> history = new ArrayList<>();
    private QueueCall queueCall;
    private List<String> notReadyReasons = List.of();
    private String sync = "unknown";
    private ConnectionStatus status = ConnectionStatus.OFFLINE;
    private String statusDetail = "";

    /** @param agentId the user's agent (null for a user without a seat: no agent:<id> topic) */
    public DeskModel(String agentId) {
        this.agentId = agentId;
        handlers.put(Events.SYNC, d -> sync = d.path("state").asText("unknown"));
        handlers.put(Events.AGENT_UPDATED, d -> agent(read(d, AgentInfo.class)));
        handlers.put(Events.QUEUE_CALL_OFFERED, this::queueCallMine);
        handlers.put(Events.QUEUE_CALL_ANSWERED, this::queueCallMine);
        handlers.put(Events.QUEUE_CALL_REQUEUED, d -> queueCallGone(read(d, QueueCall.class)));
        handlers.put(Events.QUEUE_CALL_ENDED, d -> queueCallEnded(read(d, QueueCall.class)));
        handlers.put(Events.CONVERSATION_UPDATED, d -> conversation(read(d, ConversationInfo.class)));
        handlers.put(Events.CONVERSATION_ENDED, d -> conversations.remove(read(d, ConversationInfo.class).id()));
        handlers.put(Events.HISTORY_ADDED, d -> historyAdded(read(d, CallHistoryEntry.class)));
        handlers.put(Events.QUEUE_STATS, d -> { }); // queues carry their stats in REST; not shown live yet
        for (String e : List.of(Events.RECORDING_STARTED, Events.RECORDING_PAUSED, Events.RECORDING_RESUMED,
                Events.RECORDING_UPDATED)) {
            handlers.put(e, d -> {
                RecordingInfo r = read(d, RecordingInfo.class);
                recordings.put(r.recordingId(), r);
            });
        }
        handlers.put(Events.RECORDING_STOPPED, d -> recordings.remove(read(d, RecordingInfo.class).recordingId()));
    }

    public void addListener(Runnable changed) {
        listeners.add(changed);
    }

    // ---- stream --------------------------------------------------------------------------------------

    @Override
    public void welcome(Welcome w) {
        user = w.user();
        fire();
    }

    @Override
    public void snapshot(String topic, JsonNode data) {
        if (topic.equals(Topics.SYSTEM)) {
            sync = data.path("state").asText("unknown");
        } else if (topic.equals(Topics.AGENTS)) {
            agents.clear();
            for (JsonNode a : data.path("agents")) {
                AgentInfo info = read(a, AgentInfo.class);
                agents.put(info.agentId(), info);
            }
            AgentInfo mine = agentId == null ? null : agents.get(agentId);
            if (mine != null) {
                me = mine;
            }
        } else if (agentId != null && topic.equals(Topics.AGENT_PREFIX + agentId)) {
            me = read(data.path("agent"), AgentInfo.class);
            agents.put(me.agentId(), me);
            conversations.clear();
            for (JsonNode c : data.path("conversations")) {
                conversation(read(c, ConversationInfo.class));
            }
            recordings.clear();
            for (JsonNode r : data.path("recordings")) {
                RecordingInfo info = read(r, RecordingInfo.class);
                recordings.put(info.recordingId(), info);
            }
            if (data.has("history")) {
                history.clear();
                for (JsonNode h : data.path("history")) {
                    history.add(read(h, CallHistoryEntry.class));
                }
            }
            if (data.hasNonNull("queue_call")) {
                // The visit offered to or connected with the agent (what queue.call.offered/answered said).
                queueCall = read(data.get("queue_call"), QueueCall.class);
            } else if (queueCall != null && !"WRAP_UP".equals(acdState())) {
                // No visit now: one that ended is kept only to show during the agent's wrap-up.
                queueCall = null;
            }
            if (data.has("not_ready_reasons")) {
                List<String> r = new ArrayList<>();
                data.get("not_ready_reasons").forEach(x -> r.add(x.asText()));
                notReadyReasons = List.copyOf(r);
            }
        } else if (topic.startsWith(Topics.QUEUE_PREFIX) && data.hasNonNull("queue_id")) {
            QueueInfo q = read(data, QueueInfo.class);
            queues.put(q.queueId(), q);
        }
        fire();
    }

    @Override
    public void event(String event, List<String> topics, JsonNode data) {
        Consumer<JsonNode> h = handlers.get(event);
        if (h == null) {
            log.debug("event {} not used by the desk", event);
            return;
        }
        try {
            h.accept(data);
        } catch (RuntimeException e) {
            log.warn("event {} could not be applied: {}", event, e.toString());
            return;
        }
        fire();
    }

    @Override
    public void status(ConnectionStatus s, String detail) {
        status = s;
        statusDetail = detail == null ? "" : detail;
        fire();
    }

    /** Queues from REST ({@code GET /api/v1/queues}): the transfer picker's queue list. */
    public void queues(Collection<QueueInfo> list) {
        queues.clear();
        for (QueueInfo q : list) {
            queues.put(q.queueId(), q);
        }
        fire();
    }

    // ---- handlers ------------------------------------------------------------------------------------

    private void agent(AgentInfo a) {
        agents.put(a.agentId(), a);
        if (a.agentId().equals(agentId)) {
            me = a;
        }
    }

    private void queueCallMine(JsonNode d) {
        QueueCall c = read(d, QueueCall.class);
        if (agentId != null && agentId.equals(c.agent())) {
            queueCall = c;
        }
    }

    private void queueCallGone(QueueCall c) {
        if (queueCall != null && queueCall.entryId().equals(c.entryId())) {
            queueCall = null;
        }
    }

    /** The visit ended: kept (in its final state) so the screen pop stays readable through wrap-up. */
    private void queueCallEnded(QueueCall c) {
        if (queueCall != null && queueCall.entryId().equals(c.entryId())) {
            queueCall = "CONNECTED".equals(c.previousState()) || "COMPLETED".equals(c.state()) ? c : null;
        }
    }

    private void conversation(ConversationInfo c) {
        if ("ENDED".equals(c.state())) {
            conversations.remove(c.id());
        } else {
            conversations.put(c.id(), c);
        }
    }

    private void historyAdded(CallHistoryEntry e) {
        history.removeIf(h -> h.callId().equals(e.callId()) && h.agentId().equals(e.agentId()));
        history.add(0, e);
        while (history.size() > HISTORY_LIMIT) {
            history.remove(history.size() - 1);
        }
    }

    private void fire() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    private static <T> T read(JsonNode n, Class<T> type) {
        try {
            return JSON.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    // ---- reads ---------------------------------------------------------------------------------------

    public String agentId() {
        return agentId;
    }

    public UserInfo user() {
        return user;
    }

    public Optional<AgentInfo> me() {
        return Optional.ofNullable(me);
    }

    /** The agent's ACD state (LOGGED_OUT, READY, NOT_READY, RESERVED, ON_CALL, WRAP_UP, ON_OTHER) or "UNKNOWN". */
    public String acdState() {
        return me == null || me.acd() == null ? "UNKNOWN" : me.acd().state();
    }

    /** Every agent of the tenant, the user's own included, in the server's order. */
    public List<AgentInfo> agents() {
        return List.copyOf(agents.values());
    }

    public List<QueueInfo> queues() {
        return List.copyOf(queues.values());
    }

    /** The not-ready reasons of the agent's tenant, from the agent:<id> snapshot; empty until one came. */
    public List<String> notReadyReasons() {
        return notReadyReasons;
    }

    /** The ACD visit offered to or connected with the agent, or just ended (for wrap-up); null for none. */
    public Optional<QueueCall> queueCall() {
        return Optional.ofNullable(queueCall);
    }

    public List<ConversationInfo> conversations() {
        return List.copyOf(conversations.values());
    }

    /**
     * The conversation the agent is in: the one holding the ACD caller if there is one, else the newest active one
     * where the agent's party is not gone.
     */
    public Optional<ConversationInfo> currentConversation() {
        ConversationInfo best = null;
        for (ConversationInfo c : conversations.values()) {
            boolean mine = c.parties().stream().anyMatch(p -> agentId != null && agentId.equals(p.agent())
                    && !"GONE".equals(p.state()));
            if (!mine) {
                continue;
            }
            if (queueCall != null && c.parties().stream().anyMatch(p -> p.id().equals(queueCall.caller()))) {
                return Optional.of(c);
            }
            if (best == null || c.startedAt() != null && best.startedAt() != null && c.startedAt().isAfter(best.startedAt())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The running recording (RECORDING or PAUSED) of a call the agent is on, if any. */
    public Optional<RecordingInfo> activeRecording() {
        return recordings.values().stream()
                .filter(r -> agentId != null && r.agents().contains(agentId))
                .filter(r -> "RECORDING".equals(r.state()) || "PAUSED".equals(r.state()) || "STARTING".equals(r.state()))
                .reduce((a, b) -> b);
    }

    /** The agent's call history, newest first. */
    public List<CallHistoryEntry> history() {
        return List.copyOf(history);
    }

    /** The server's model: "synced", or "stale" while it is not a faithful picture of Asterisk. */
    public String sync() {
        return sync;
    }

    public ConnectionStatus status() {
        return status;
    }

    public String statusDetail() {
        return statusDetail;
    }
}
