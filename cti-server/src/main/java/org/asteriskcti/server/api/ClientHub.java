package org.asteriskcti.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.ClientMessage;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Json;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.CloseCodes;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.Welcome;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client API's stream side: sessions, subscriptions and fan-out of model changes. Runs on the
 * domain loop only.
 *
 * <p>Every frame on a session's stream has the next {@code seq} (1, 2, 3, ... without gaps). The
 * session keeps its last {@code replay-buffer} frames; a client that reconnects with
 * {@code resume=<session>&last_seq=<n>} gets exactly the frames after n, or, when n has already left
 * the buffer, fresh snapshots of its topics. A connection that cannot keep up (not writable) is not
 * written to; its frames wait in the buffer and are sent when it drains. One whose backlog outgrows
 * the buffer is closed with {@link CloseCodes#SLOW_CONSUMER} and resumes with a snapshot. Nothing
 * here ever waits for a client.
 */
public final class ClientHub implements CallModelListener {

    private static final Logger log = LoggerFactory.getLogger(ClientHub.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DomainLoop loop;
    private final CallModel model;
    private final TenantDirectory directory;
    private final CtiConfig.ClientApi config;
    private final CtiMetrics metrics;
    private final ObjectMapper json = Json.mapper();
    private final TopicAccess access;
    private final Map<String, ClientSession> sessions = new LinkedHashMap<>();
    private final Map<ClientConnection, ClientSession> byConnection = new HashMap<>();
    /** The ACD's client API; null while the server runs without the ACD. Set once, before clients connect. */
    private volatile AcdApi acd;
    /** The call history's client API; null while the server runs without it. Set once, before clients connect. */
    private volatile HistoryApi history;
    private volatile ControlApi control;

    public ClientHub(DomainLoop loop, CallModel model, TenantDirectory directory, CtiConfig.ClientApi config,
            CtiMetrics metrics) {
        this.loop = loop;
        this.model = model;
        this.directory = directory;
        this.config = config;
        this.metrics = metrics;
        this.access = new TopicAccess(directory, queue -> {
            AcdApi a = acd;
            return a == null ? java.util.Optional.empty() : a.queueTenant(queue);
        });
    }

    /** Turns on the ACD parts of the API: agent commands, {@code queue:<id>} topics, ACD state in agent views. */
    public void acd(AcdApi acdApi) {
        this.acd = acdApi;
    }

    /** The ACD's client API, or null when the server runs without the ACD. */
    /** Call control's API (null: call control is off). */
    public void control(ControlApi controlApi) {
        this.control = controlApi;
    }

    public ControlApi control() {
        return control;
    }

    /**
     * A call-control command from a WebSocket: the reply (data: the conversation after it) or the error
     * is sent when the command's outcome is known; the events it caused precede it on the stream.
     */
    public void callCommand(ClientConnection conn, org.asteriskcti.protocol.CallCommand cmd) {
        loop.assertInLoop();
        ClientSession session = byConnection.get(conn);
        if (session == null) {
            return;
        }
        ControlApi c = control;
        if (c == null) {
            sendError(conn, cmd.id(), new ErrorBody(Protocol.Errors.CALL_CONTROL_DISABLED, 404,
                    "this server runs without call control (ARI is off)", Map.of()));
            return;
        }
        c.execute(session.principal, cmd).whenCompleteAsync((outcome, err) -> {
            ClientConnection now = session.connection;
            if (now == null) {
                return;
            }
            if (err != null) {
                sendError(now, cmd.id(), new ErrorBody(Protocol.Errors.INTERNAL, 500, "internal error", Map.of()));
            } else if (outcome instanceof ErrorBody e) {
                sendError(now, cmd.id(), e);
            } else {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("v", Protocol.VERSION);
                r.put("type", Protocol.Type.REPLY);
                r.put("id", cmd.id() == null ? "" : cmd.id());
                r.put("ok", true);
                r.put("data", outcome);
                now.send(write(r));
            }
        }, loop);
    }

    public AcdApi acd() {
        return acd;
    }

    /** Turns on call history: the {@code history} list in {@code agent:<id>} snapshots, REST .../history. */
    public void history(HistoryApi historyApi) {
        this.history = historyApi;
    }

    /** The call history's client API, or null when the server runs without it. */
    HistoryApi history() {
        return history;
    }

    /** Call recordings' part of the API (REST /api/v1/recordings); null while the server keeps none. */
    private volatile RecordingApi recordings;

    /** Turns on the REST routes of recordings. Set once, before clients connect. */
    public void recordings(RecordingApi recordingApi) {
        this.recordings = recordingApi;
    }

    public RecordingApi recordings() {
        return recordings;
    }

    /** The IVR's part of the API (REST /api/v1/ivr/...); null while the server runs no flows. */
    private volatile IvrApi ivr;

    /** Turns on the REST routes of the IVR. Set once, before clients connect. */
    public void ivr(IvrApi ivrApi) {
        this.ivr = ivrApi;
    }

    public IvrApi ivr() {
        return ivr;
    }

    /** Voicemail's part of the API (REST /api/v1/voicemail); null while the server keeps none. */
    private volatile VoicemailApi voicemail;

    /** Turns on the REST routes of voicemail. Set once, before clients connect. */
    public void voicemail(VoicemailApi voicemailApi) {
        this.voicemail = voicemailApi;
    }

    public VoicemailApi voicemail() {
        return voicemail;
    }

    /** Reports' part of the API (REST /api/v1/reports/...); null while the server has none. */
    private volatile ReportsApi reports;

    /** Turns on the REST routes of reports. Set once, before clients connect. */
    public void reports(ReportsApi reportsApi) {
        this.reports = reportsApi;
    }

    public ReportsApi reports() {
        return reports;
    }

    /** Call detail records' part of the API (REST /api/v1/call-records); null while the server has none. */
    private volatile CallRecordsApi callRecords;

    /** Turns on the REST routes of call detail records. Set once, before clients connect. */
    public void callRecords(CallRecordsApi api) {
        this.callRecords = api;
    }

    public CallRecordsApi callRecords() {
        return callRecords;
    }

    // ---- connection lifecycle (called on the domain loop) ------------------------------------------

    /**
     * A client connected with a verified token. Resumes {@code resumeId} when asked and possible,
     * otherwise opens a new session.
     */
    public void connected(ClientConnection conn, Principal principal, String resumeId, Long lastSeq) {
        loop.assertInLoop();
        String resumeResult = null;
        ClientSession session = null;
        if (resumeId != null) {
            ClientSession old = sessions.get(resumeId);
            if (old == null) {
                resumeResult = "unknown_session";
            } else if (!old.principal.user().equals(principal.user()) || !old.principal.tenant().equals(principal.tenant())) {
                resumeResult = "not_yours";
            } else {
                session = old;
                resumeResult = lastSeq != null && old.canReplayFrom(lastSeq) ? "replay" : "snapshot";
            }
        }
        boolean resumed = session != null;
        if (session == null) {
            session = new ClientSession(newSessionId(), principal, config.replayBuffer());
            session.topics.add(Topics.SYSTEM);
            sessions.put(session.id, session);
            metrics.sessions(sessions.size());
        }
        if (session.connection != null) {
            ClientConnection previous = session.connection;
            byConnection.remove(previous);
            previous.close(CloseCodes.SESSION_TAKEN_OVER, "session resumed on another connection");
        }
        if (session.expiry != null) {
            session.expiry.cancel();
            session.expiry = null;
        }
        session.connection = conn;
        session.detachedAt = null;
        session.connectionGeneration++;
        byConnection.put(conn, session);

        long replayFrom = "replay".equals(resumeResult) ? lastSeq : session.seq();
        Welcome welcome = new Welcome(Protocol.Type.WELCOME, Protocol.VERSION, session.id, resumed, resumeResult,
                replayFrom, List.copyOf(session.topics), principal.info(), loop.clock().instant(),
                config.heartbeatInterval().toMillis());
        conn.send(write(welcome));
        session.lastSent = replayFrom;
        if ("replay".equals(resumeResult)) {
            int n = drain(session);
            metrics.replayed(n);
            log.info("session {} of {} resumed from seq {}: {} events replayed", session.id, principal.user(), lastSeq, n);
        } else {
            if (resumed) {
                log.info("session {} of {} resumed from seq {} beyond the buffer: snapshots follow", session.id,
                        principal.user(), lastSeq);
            }
            for (String topic : session.topics) {
                appendSnapshot(session, topic);
            }
        }
    }

    /** The connection closed (any reason). The session waits {@code session-grace} for a resume. */
    public void disconnected(ClientConnection conn) {
        loop.assertInLoop();
        ClientSession session = byConnection.remove(conn);
        if (session == null || session.connection != conn) {
            return;
        }
        session.connection = null;
        session.detachedAt = loop.clock().instant();
        long generation = session.connectionGeneration;
        session.expiry = loop.schedule(() -> expire(session, generation), config.sessionGrace());
    }

    private void expire(ClientSession session, long generation) {
        if (session.connection == null && session.connectionGeneration == generation && sessions.get(session.id) == session) {
            sessions.remove(session.id);
            metrics.sessions(sessions.size());
            log.debug("session {} expired unresumed", session.id);
        }
    }

    /** Netty says the connection drained below its low watermark: send what is waiting. */
    public void writable(ClientConnection conn) {
        loop.assertInLoop();
        ClientSession session = byConnection.get(conn);
        if (session != null) {
            drain(session);
        }
    }

    /** Closes every connection whose token has expired. Called periodically. */
    public void closeExpired() {
        Instant now = loop.clock().instant();
        for (ClientSession s : List.copyOf(byConnection.values())) {
            if (!now.isBefore(s.principal.tokenExpiresAt()) && s.connection != null) {
                s.connection.close(CloseCodes.TOKEN_EXPIRED, "token expired");
            }
        }
    }

    // ---- client messages ---------------------------------------------------------------------------

    /** A well-formed client message (the transport already rejected malformed frames). */
    public void message(ClientConnection conn, ClientMessage msg) {
        loop.assertInLoop();
        ClientSession session = byConnection.get(conn);
        if (session == null) {
            return;
        }
        switch (msg.type()) {
            case Protocol.Type.PING -> conn.send(write(Map.of("v", Protocol.VERSION, "type", Protocol.Type.PONG,
                    "id", msg.id() == null ? "" : msg.id(), "server_time", loop.clock().instant())));
            case Protocol.Type.SUBSCRIBE -> subscribe(session, msg);
            case Protocol.Type.UNSUBSCRIBE -> unsubscribe(session, msg);
            case Protocol.Type.AGENT_LOGIN, Protocol.Type.AGENT_LOGOUT, Protocol.Type.AGENT_READY,
                    Protocol.Type.AGENT_NOT_READY, Protocol.Type.AGENT_WRAP_UP_END, Protocol.Type.AGENT_WRAP_UP_EXTEND,
                    Protocol.Type.AGENT_FORCE -> agentCommand(session, msg);
            default -> sendError(conn, msg.id(), new ErrorBody(Protocol.Errors.UNKNOWN_TYPE, 400,
                    "unknown message type '" + msg.type() + "'", Map.of("type", String.valueOf(msg.type()))));
        }
    }

    private void subscribe(ClientSession session, ClientMessage msg) {
        List<String> wanted = msg.topics();
        for (String topic : wanted) {
            TopicAccess.Refusal refusal = access.check(session.principal, topic);
            if (refusal != null) {
                sendError(session.connection, msg.id(), new ErrorBody(refusal.errorId(), refusal.status(),
                        refusal.message(), Map.of("topic", String.valueOf(topic))));
                return;
            }
        }
        List<String> added = new ArrayList<>();
        for (String topic : wanted) {
            if (session.topics.add(topic)) {
                added.add(topic);
            }
        }
        reply(session, msg.id());
        for (String topic : added) {
            appendSnapshot(session, topic);
        }
    }

    private void unsubscribe(ClientSession session, ClientMessage msg) {
        for (String topic : msg.topics()) {
            if (!Topics.SYSTEM.equals(topic)) {
                session.topics.remove(topic);
            }
        }
        reply(session, msg.id());
    }

    /** An agent command: the events it causes go on the stream, then the reply (or error) follows. */
    private void agentCommand(ClientSession session, ClientMessage msg) {
        AcdApi a = acd;
        if (a == null) {
            sendError(session.connection, msg.id(), acdDisabled());
            return;
        }
        AgentInfo agent;
        try {
            agent = a.execute(session.principal, msg);
        } catch (ApiException e) {
            sendError(session.connection, msg.id(), e.body());
            return;
        }
        if (session.connection == null) {
            return;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("v", Protocol.VERSION);
        r.put("type", Protocol.Type.REPLY);
        r.put("id", msg.id() == null ? "" : msg.id());
        r.put("ok", true);
        r.put("data", agent);
        session.connection.send(write(r));
    }

    static ErrorBody acdDisabled() {
        return new ErrorBody(Protocol.Errors.ACD_DISABLED, 404, "this server runs without the ACD", Map.of());
    }

    private void reply(ClientSession session, String id) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("v", Protocol.VERSION);
        r.put("type", Protocol.Type.REPLY);
        r.put("id", id == null ? "" : id);
        r.put("ok", true);
        r.put("topics", List.copyOf(session.topics));
        session.connection.send(write(r));
    }

    void sendError(ClientConnection conn, String id, ErrorBody error) {
        if (conn == null) {
            return;
        }
        conn.send(errorFrame(id, error));
    }

    String errorFrame(String id, ErrorBody error) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("v", Protocol.VERSION);
        e.put("type", Protocol.Type.ERROR);
        if (id != null) {
            e.put("id", id);
        }
        e.put("error", error);
        return write(e);
    }

    // ---- model changes -> stream -------------------------------------------------------------------

    @Override
    public void callChanged(CallView call, EventMeta cause) {
        TenantId tenant = TenantId.of(call.tenant());
        List<String> topics = new ArrayList<>();
        topics.add(Topics.CALLS);
        for (String agent : call.agents()) {
            topics.add(Topics.AGENT_PREFIX + agent);
        }
        for (CallView.LegView leg : call.legs()) {
            if (leg.agent() != null && !topics.contains(Topics.AGENT_PREFIX + leg.agent())) {
                topics.add(Topics.AGENT_PREFIX + leg.agent());
            }
        }
        String event = "ENDED".equals(call.state()) ? Protocol.Events.CALL_ENDED : Protocol.Events.CALL_UPDATED;
        publish(tenant, topics, event, call, cause);
    }

    @Override
    public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {
        publish(agent.tenant(), List.of(Topics.AGENTS, Topics.AGENT_PREFIX + agent.id()), Protocol.Events.AGENT_UPDATED,
                agentInfo(agent, state), cause);
    }

    /** The agent's ACD state changed: {@code agent.updated} with the same shape as for a phone change. */
    void agentChanged(TenantDirectory.Agent agent, EventMeta cause) {
        publish(agent.tenant(), List.of(Topics.AGENTS, Topics.AGENT_PREFIX + agent.id()), Protocol.Events.AGENT_UPDATED,
                agentInfo(agent), cause);
    }

    @Override
    public void syncChanged(SyncStatus status) {
        for (TenantDirectory.Tenant t : directory.tenants()) {
            publish(t.id(), List.of(Topics.SYSTEM), Protocol.Events.SYNC, syncView(status), null);
        }
    }

    /** Serialises once, then appends to every session of the tenant subscribed to one of the topics. */
    void publish(TenantId tenant, List<String> topics, String event, Object data, EventMeta cause) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("v", Protocol.VERSION);
        body.put("type", Protocol.Type.EVENT);
        body.put("event", event);
        body.put("topics", topics);
        body.put("at", cause != null ? cause.bestTime() : loop.clock().instant());
        body.put("data", data);
        StreamBody text = StreamBody.of(write(body));
        metrics.eventOut();
        if (cause != null) {
            metrics.eventAge(Duration.between(cause.bestTime(), loop.clock().instant()));
        }
        for (ClientSession s : sessions.values()) {
            if (!s.principal.tenant().equals(tenant) || !intersects(s.topics, topics)) {
                continue;
            }
            append(s, text);
        }
    }

    private static boolean intersects(Set<String> subscribed, List<String> topics) {
        for (String t : topics) {
            if (subscribed.contains(t)) {
                return true;
            }
        }
        return false;
    }

    private void appendSnapshot(ClientSession session, String topic) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("v", Protocol.VERSION);
        body.put("type", Protocol.Type.SNAPSHOT);
        body.put("topic", topic);
        body.put("at", loop.clock().instant());
        body.put("data", snapshot(session.principal, topic));
        append(session, StreamBody.of(write(body)));
    }

    private Object snapshot(Principal p, String topic) {
        TenantId tenant = p.tenant();
        if (topic.equals(Topics.SYSTEM)) {
            return syncView(model.syncStatus());
        }
        if (topic.equals(Topics.CALLS)) {
            ControlApi c = control;
            RecordingApi r = recordings;
            return Map.of("calls", model.activeCalls(tenant), "conversations", c == null ? List.of() : c.conversations(p),
                    "monitors", c == null ? List.of() : c.monitors(p), "recordings", r == null ? List.of() : r.activeOf(tenant));
        }
        if (topic.equals(Topics.AGENTS)) {
            return Map.of("agents", agents(tenant));
        }
        if (topic.startsWith(Topics.AGENT_PREFIX)) {
            AgentId id = AgentId.of(topic.substring(Topics.AGENT_PREFIX.length()));
            TenantDirectory.Agent a = directory.agent(id).orElseThrow();
            List<CallView> calls = new ArrayList<>();
            for (CallView c : model.activeCalls(tenant)) {
                if (c.involves(id.value())) {
                    calls.add(c);
                }
            }
            ControlApi c = control;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("agent", agentInfo(a));
            data.put("calls", calls);
            data.put("conversations", c == null ? List.of() : c.conversationsOf(id));
            HistoryApi h = history;
            if (h != null) {
                data.put("history", h.snapshot(id));
            }
            RecordingApi r = recordings;
            data.put("recordings", r == null ? List.of() : r.activeOf(id));
            AcdApi acdApi = acd;
            if (acdApi != null) {
                // What queue.call.offered/answered told a desktop, for one that comes back from snapshots.
                acdApi.currentCall(id).ifPresent(qc -> data.put("queue_call", qc));
                data.put("not_ready_reasons", acdApi.notReadyReasons(tenant));
            }
            return data;
        }
        if (topic.startsWith(Topics.QUEUE_PREFIX)) {
            // TopicAccess let it through: the ACD is on and the queue is the user's tenant's.
            AcdApi a = acd;
            return a == null ? Map.of() : a.queue(p, topic.substring(Topics.QUEUE_PREFIX.length()));
        }
        return Map.of();
    }

    /**
     * One agent of the user's tenant as clients see it.
     *
     * @throws ApiException {@code agent.unknown}, for another tenant's agent too
     */
    AgentInfo agent(Principal p, String id) {
        return (id == null || id.isBlank() ? java.util.Optional.<TenantDirectory.Agent>empty()
                : directory.agent(AgentId.of(id))).filter(a -> a.tenant().equals(p.tenant())).map(this::agentInfo)
                .orElseThrow(() -> new ApiException(AcdApi.unknownAgent(id)));
    }

    /** The agents of a tenant as clients see them (the {@code agents} snapshot and REST alike). */
    List<AgentInfo> agents(TenantId tenant) {
        List<AgentInfo> agents = new ArrayList<>();
        for (TenantDirectory.Agent a : directory.agents()) {
            if (a.tenant().equals(tenant)) {
                agents.add(agentInfo(a));
            }
        }
        return agents;
    }

    /** An agent as clients see it (stream and REST alike): the phone and, with the ACD, its ACD state. */
    AgentInfo agentInfo(TenantDirectory.Agent a) {
        return agentInfo(a, model.phone(a.id()));
    }

    private AgentInfo agentInfo(TenantDirectory.Agent a, PhoneState phone) {
        AcdApi acdApi = acd;
        return new AgentInfo(a.id().value(), a.name(), a.device(), phone.name(),
                acdApi == null ? null : acdApi.acdAgent(a.id()));
    }

    private static Map<String, Object> syncView(SyncStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.label());
        m.put("ami", s.ami().name());
        m.put("ari", s.ari().name());
        return m;
    }

    private void append(ClientSession s, StreamBody body) {
        s.append(body);
        if (s.connection == null) {
            return;
        }
        if (s.seq() - s.lastSent > s.capacity()) {
            slowConsumer(s);
            return;
        }
        drain(s);
    }

    /** Writes waiting frames while the connection is writable; returns how many were written. */
    private int drain(ClientSession s) {
        ClientConnection conn = s.connection;
        if (conn == null) {
            return 0;
        }
        if (s.lastSent < s.firstBuffered() - 1) {
            slowConsumer(s);
            return 0;
        }
        int n = 0;
        while (s.lastSent < s.seq() && conn.isWritable()) {
            long next = s.lastSent + 1;
            conn.sendStream(next, s.body(next));
            s.lastSent = next;
            n++;
        }
        if (n > 0) {
            metrics.framesOut(n);
        }
        return n;
    }

    private void slowConsumer(ClientSession s) {
        ClientConnection conn = s.connection;
        metrics.slowConsumer();
        log.warn("session {} of {} ({}): client too slow, {} frames behind; closing with {}", s.id,
                s.principal.user(), conn.remoteAddress(), s.seq() - s.lastSent, CloseCodes.SLOW_CONSUMER);
        byConnection.remove(conn);
        s.connection = null;
        s.detachedAt = loop.clock().instant();
        long generation = s.connectionGeneration;
        s.expiry = loop.schedule(() -> expire(s, generation), config.sessionGrace());
        conn.close(CloseCodes.SLOW_CONSUMER, "too slow: resume to get a snapshot");
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int connectionCount() {
        return byConnection.size();
    }

    /** Closes all connections (server shutdown). */
    public void closeAll() {
        for (ClientConnection c : List.copyOf(byConnection.keySet())) {
            c.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    private static String newSessionId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "s-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
