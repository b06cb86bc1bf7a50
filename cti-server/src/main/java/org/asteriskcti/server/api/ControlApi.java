package org.asteriskcti.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.asteriskcti.protocol.CallCommand;
import org.asteriskcti.protocol.ConversationInfo;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.MonitorInfo;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.Protocol.Type;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.ControlException;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.control.MonitorMode;
import org.asteriskcti.server.control.MonitorSession;
import org.asteriskcti.server.control.Participant;
import org.asteriskcti.server.control.Supervision;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call control's side of the client API, for both transports: {@link #execute} runs one
 * {@link CallCommand} for a user (same checks, results and error ids over WebSocket and REST) and
 * {@link #conversationChanged} publishes {@code conversation.updated} / {@code conversation.ended}.
 *
 * <p>Idempotency: every command carries the client's {@code command_id}. The first outcome of a
 * (user, command_id) is kept for {@link #COMMAND_MEMORY} (the last {@link #MAX_COMMANDS} commands); a
 * retry gets the same outcome (the same future) and nothing is done twice. The same id with another
 * command is refused with {@code command.id_reused}.
 *
 * <p>Tenancy and rights: agent users act for their own agent only; supervisors and admins for any
 * agent of their tenant (and must name it). Conference commands name a conversation: agents only one
 * they are in, supervisors any of their tenant. Another tenant's agent or conversation is refused exactly
 * like one that does not exist.
 *
 * <p>Supervision ({@code call.monitor.*}, supervisors and admins only): the reply's data is the monitoring
 * session ({@link MonitorInfo}); {@code monitor.updated} / {@code monitor.ended} go to the tenant's
 * {@code calls} topic only (supervisors): the monitored agent is not told.
 */
public final class ControlApi implements CallControl.Listener, Supervision.Listener {

    private static final Logger log = LoggerFactory.getLogger(ControlApi.class);

    public static final Duration COMMAND_MEMORY = Duration.ofMinutes(15);
    public static final int MAX_COMMANDS = 10_000;

    private final DomainLoop loop;
    private final ClientHub hub;
    private final TenantDirectory directory;
    private CallControl control;
    private org.asteriskcti.server.acd.AcdService acd;
    private org.asteriskcti.server.recording.CallRecorder recorder;
    private Supervision supervision;

    private record Key(String user, String commandId) {}

    private record Done(CallCommand command, CompletableFuture<Object> outcome, Instant at) {}

    private final LinkedHashMap<Key, Done> ledger = new LinkedHashMap<>();

    public ControlApi(DomainLoop loop, ClientHub hub, TenantDirectory directory) {
        this.loop = loop;
        this.hub = hub;
        this.directory = directory;
    }

    /** The ACD, for picking up its callers (set once at wiring; null: only call-control legs can be picked up). */
    public void attachAcd(org.asteriskcti.server.acd.AcdService acd) {
        this.acd = acd;
    }

    /** Recording of conversations (set once at wiring; null: the call.record.* commands are refused). */
    public void attachRecorder(org.asteriskcti.server.recording.CallRecorder recorder) {
        this.recorder = recorder;
    }

    /** Set once at wiring (the service and this listener need each other). */
    public void attach(CallControl control) {
        this.control = control;
    }

    /** Set once at wiring, after {@link #attach(CallControl)}. */
    public void attach(Supervision supervision) {
        this.supervision = supervision;
    }

    // ---- reading a command ----------------------------------------------------------------------------

    /**
     * Reads a command's fields (WebSocket frame or REST body); a pure function.
     *
     * @throws ApiException {@code protocol.missing_field} naming the field that is missing or of the wrong kind
     */
    static CallCommand readCommand(String type, String id, JsonNode body) {
        JsonNode b = body == null || body.isNull() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : body;
        if (!b.isNull() && !b.isObject()) {
            throw missing("the body must be a JSON object");
        }
        String commandId = text(b, "command_id");
        if (commandId == null || commandId.isBlank() || commandId.length() > 128) {
            throw missing("field 'command_id' (text, 1-128 characters, unique per command) is required for " + type);
        }
        CallCommand c = new CallCommand(type, id, commandId, text(b, "agent"), text(b, "call"), text(b, "number"),
                text(b, "target"), text(b, "digits"), text(b, "participant"), bool(b, "muted"), text(b, "reason"),
                text(b, "endpoint"));
        switch (type) {
            case Type.CALL_DIAL -> need(c.number(), "number", type);
            case Type.CALL_TRANSFER_BLIND, Type.CALL_TRANSFER_ATTENDED, Type.CALL_CONFERENCE_ADD, Type.CALL_PICKUP ->
                    need(c.target(), "target", type);
            case Type.CALL_DTMF -> need(c.digits(), "digits", type);
            case Type.CALL_CONFERENCE_KICK -> {
                need(c.call(), "call", type);
                need(c.participant(), "participant", type);
            }
            case Type.CALL_CONFERENCE_MUTE -> {
                need(c.call(), "call", type);
                need(c.participant(), "participant", type);
                if (c.muted() == null) {
                    throw missing("field 'muted' (true or false) is required for " + type);
                }
            }
            case Type.CALL_CONFERENCE_LIST, Type.CALL_MONITOR_LISTEN, Type.CALL_MONITOR_WHISPER, Type.CALL_MONITOR_BARGE ->
                    need(c.call(), "call", type);
            default -> { }
        }
        return c;
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw missing("field '" + field + "' must be text");
        }
        return v.asText();
    }

    private static Boolean bool(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw missing("field '" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static void need(String v, String field, String type) {
        if (v == null || v.isBlank()) {
            throw missing("field '" + field + "' (text) is required for " + type);
        }
    }

    private static ApiException missing(String message) {
        return new ApiException(Protocol.Errors.MISSING_FIELD, 400, message, Map.of());
    }

    // ---- executing ------------------------------------------------------------------------------------

    /**
     * Runs {@code cmd} for {@code user} on the loop. Completes with the conversation after it
     * ({@link ConversationInfo}, or for {@code call.conference.list} the same) or with an {@link ErrorBody}
     * (a refusal is a normal outcome, not a failed future).
     */
    public CompletableFuture<Object> execute(Principal user, CallCommand cmd) {
        loop.assertInLoop();
        expire();
        Key key = new Key(user.tenant().value() + "/" + user.user().value(), cmd.commandId());
        Done before = ledger.get(key);
        CallCommand fingerprint = new CallCommand(cmd.type(), null, cmd.commandId(), cmd.agent(), cmd.call(), cmd.number(),
                cmd.target(), cmd.digits(), cmd.participant(), cmd.muted(), cmd.reason(), cmd.endpoint());
        if (before != null) {
            if (!before.command().equals(fingerprint)) {
                return CompletableFuture.completedFuture(new ErrorBody(Protocol.Errors.COMMAND_ID_REUSED, 409,
                        "command_id '" + cmd.commandId() + "' was already used for another command (" + before.command().type() + ")",
                        Map.of("command_id", cmd.commandId())));
            }
            log.info("command {} of {} repeated: answering with its first outcome", cmd.commandId(), user.user());
            return before.outcome();
        }
        CompletableFuture<Object> outcome;
        try {
            outcome = (cmd.type().equals(Type.CALL_PICKUP) ? pickup(user, cmd)
                    : cmd.type().startsWith("call.record.") ? record(user, cmd)
                    : run(user, cmd).thenApply(c -> (Object) c))
                    .handle((c, err) -> err == null ? c : errorOf(err));
        } catch (ApiException e) {
            outcome = CompletableFuture.completedFuture(e.body());
        } catch (ControlException e) {
            outcome = CompletableFuture.completedFuture(body(e));
        } catch (org.asteriskcti.server.acd.AcdException e) {
            outcome = CompletableFuture.completedFuture(new ErrorBody(e.errorId(), e.status(), e.getMessage(), e.details()));
        } catch (org.asteriskcti.server.agent.AgentStateException e) {
            outcome = CompletableFuture.completedFuture(new ErrorBody(e.errorId(), e.status(), e.getMessage(), e.details()));
        }
        ledger.put(key, new Done(fingerprint, outcome, loop.clock().instant()));
        while (ledger.size() > MAX_COMMANDS) {
            Iterator<Key> it = ledger.keySet().iterator();
            it.next();
            it.remove();
        }
        return outcome;
    }

    private void expire() {
        Instant cutoff = loop.clock().instant().minus(COMMAND_MEMORY);
        Iterator<Done> it = ledger.values().iterator();
        while (it.hasNext() && it.next().at().isBefore(cutoff)) {
            it.remove();
        }
    }

    private CompletableFuture<?> run(Principal user, CallCommand cmd) {
        CallControl cc = control;
        if (cc == null) {
            throw new ApiException(Protocol.Errors.CALL_CONTROL_DISABLED, 404, "this server runs without call control (ARI is off)", Map.of());
        }
        if (Type.MONITOR_COMMANDS.contains(cmd.type())) {
            return monitor(user, cmd);
        }
        CompletableFuture<Conversation> r = switch (cmd.type()) {
            case Type.CALL_DIAL -> cc.dial(user.tenant(), agentFor(user, cmd), cmd.number());
            case Type.CALL_HANGUP -> cc.hangup(agentFor(user, cmd));
            case Type.CALL_HOLD -> cc.hold(agentFor(user, cmd));
            case Type.CALL_UNHOLD -> cc.unhold(agentFor(user, cmd));
            case Type.CALL_MUTE -> cc.mute(agentFor(user, cmd), true);
            case Type.CALL_UNMUTE -> cc.mute(agentFor(user, cmd), false);
            case Type.CALL_DTMF -> cc.dtmf(agentFor(user, cmd), cmd.digits());
            case Type.CALL_TRANSFER_BLIND -> cc.blindTransfer(agentFor(user, cmd), cmd.target());
            case Type.CALL_TRANSFER_ATTENDED -> cc.consult(agentFor(user, cmd), cmd.target());
            case Type.CALL_TRANSFER_SWAP -> cc.swap(agentFor(user, cmd));
            case Type.CALL_TRANSFER_COMPLETE -> cc.completeTransfer(agentFor(user, cmd));
            case Type.CALL_TRANSFER_CANCEL -> cc.cancelTransfer(agentFor(user, cmd));
            case Type.CALL_TRANSFER_CONFERENCE -> cc.conferenceIn(agentFor(user, cmd));
            case Type.CALL_CONFERENCE_ADD -> cc.addParty(agentFor(user, cmd), cmd.target());
            case Type.CALL_CONFERENCE_KICK -> cc.kick(conversationFor(user, cmd.call()), ChannelId.of(cmd.participant()));
            case Type.CALL_CONFERENCE_MUTE -> cc.muteParticipant(conversationFor(user, cmd.call()),
                    ChannelId.of(cmd.participant()), cmd.muted());
            case Type.CALL_CONFERENCE_LIST -> CompletableFuture.completedFuture(conversationFor(user, cmd.call()));
            default -> throw new ApiException(Protocol.Errors.UNKNOWN_TYPE, 400, "unknown call command '" + cmd.type() + "'",
                    Map.of("type", cmd.type()));
        };
        log.info("{} {} for {} (command {})", cmd.type(), cmd.agent() == null ? "" : cmd.agent(), user.user().value(), cmd.commandId());
        // Views are taken on the loop, after the command's requests went out.
        return r.thenApplyAsync(ControlApi::view, loop);
    }

    /**
     * {@code call.pickup}: the agent takes {@code target}: {@code agent:<id>} (whatever rings at that agent:
     * an ACD offer or a call-control leg), {@code queue:<id>} (its oldest waiting caller) or
     * {@code entry:<id>} (one ACD caller). The agent's phone rings for it; the reply says what was taken.
     */
    private CompletableFuture<Object> pickup(Principal user, CallCommand cmd) {
        AgentId by = agentFor(user, cmd);
        String t = cmd.target().trim();
        org.asteriskcti.server.acd.AcdService a = acd;
        if (t.startsWith("agent:")) {
            AgentId ringing = AgentId.of(t.substring(6));
            if (directory.agent(ringing).filter(x -> x.tenant().equals(user.tenant())).isEmpty()) {
                throw new ControlException(ControlException.NOT_WAITING, 404, "nothing rings at agent " + ringing.value()
                        + " that can be picked up", Map.of("target", t));
            }
            java.util.Optional<org.asteriskcti.server.acd.EntryId> offer = a == null ? java.util.Optional.empty() : a.ringingAt(ringing);
            if (offer.isPresent()) {
                return acdPickup(a, offer.get(), by);
            }
            if (control == null) {
                throw new ApiException(Protocol.Errors.CALL_CONTROL_DISABLED, 404, "this server runs without call control", Map.of());
            }
            return control.pickupRinging(ringing, by).thenApplyAsync(c -> (Object) view(c), loop);
        }
        if (a == null) {
            throw new ApiException(Protocol.Errors.ACD_DISABLED, 404, "this server runs without the ACD", Map.of());
        }
        if (t.startsWith("queue:")) {
            org.asteriskcti.server.domain.QueueId q = org.asteriskcti.server.domain.QueueId.of(t.substring(6));
            boolean ours = a.queues().stream().anyMatch(d -> d.id().equals(q) && d.tenant().equals(user.tenant()));
            org.asteriskcti.server.acd.EntryId oldest = ours ? a.oldestWaiting(q).orElse(null) : null;
            if (oldest == null) {
                throw new ControlException(ControlException.NOT_WAITING, 404, "nobody waits in queue " + q.value(), Map.of("target", t));
            }
            return acdPickup(a, oldest, by);
        }
        if (t.startsWith("entry:")) {
            return acdPickup(a, org.asteriskcti.server.acd.EntryId.of(t.substring(6)), by);
        }
        throw new ControlException(ControlException.INVALID_TARGET, 400, "target must be agent:<id>, queue:<id> or entry:<id>, got '"
                + t + "'", Map.of("target", t));
    }

    private static CompletableFuture<Object> acdPickup(org.asteriskcti.server.acd.AcdService a, org.asteriskcti.server.acd.EntryId entry,
            AgentId by) {
        try {
            a.pickup(entry, by);
        } catch (org.asteriskcti.server.acd.AcdException e) {
            if (e.error() == org.asteriskcti.server.acd.AcdError.UNKNOWN_ENTRY) {
                throw new ControlException(ControlException.NOT_WAITING, 404, e.getMessage(), e.details());
            }
            throw e;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("entry", entry.value());
        r.put("agent", by.value());
        r.put("state", "RINGING");
        return CompletableFuture.completedFuture(r);
    }

    /**
     * {@code call.record.*} on the agent's call (or, naming {@code call}, any call the user may act on).
     * Reply data: the recording (RecordingInfo).
     */
    private CompletableFuture<Object> record(Principal user, CallCommand cmd) {
        org.asteriskcti.server.recording.CallRecorder r = recorder;
        if (r == null || control == null) {
            throw new ApiException(Protocol.Errors.CALL_CONTROL_DISABLED, 404, "this server runs without call recording", Map.of());
        }
        Conversation c = cmd.call() != null ? conversationFor(user, cmd.call()) : control.of(agentFor(user, cmd)).orElseThrow(() ->
                new ControlException(ControlException.NO_CALL, 409, "agent " + agentFor(user, cmd).value() + " is on no call"));
        String by = user.user().value();
        CompletableFuture<org.asteriskcti.server.recording.RecordingView> f;
        try {
            f = switch (cmd.type()) {
                case Type.CALL_RECORD_START -> r.start(c, by);
                case Type.CALL_RECORD_STOP -> r.stop(c, by);
                case Type.CALL_RECORD_PAUSE -> r.pause(c, by, cmd.reason());
                case Type.CALL_RECORD_RESUME -> r.resume(c, by);
                default -> throw new ApiException(Protocol.Errors.UNKNOWN_TYPE, 400, "unknown call command '" + cmd.type() + "'",
                        Map.of("type", cmd.type()));
            };
        } catch (org.asteriskcti.server.recording.RecordingException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.thenApply(v -> (Object) RecordingApi.info(v));
    }

    /** {@code call.monitor.*}: supervisors and admins, on their tenant's calls. */
    private CompletableFuture<MonitorInfo> monitor(Principal user, CallCommand cmd) {
        if (!user.supervises()) {
            throw new ApiException(Protocol.Errors.FORBIDDEN, 403, "only supervisors and admins may listen to, whisper to or barge into calls",
                    Map.of());
        }
        Supervision sv = supervision;
        if (sv == null) {
            throw new ApiException(Protocol.Errors.CALL_CONTROL_DISABLED, 404, "this server runs without supervision", Map.of());
        }
        CompletableFuture<MonitorSession> r;
        if (cmd.type().equals(Type.CALL_MONITOR_STOP)) {
            r = sv.stop(user.user(), cmd.call());
        } else {
            MonitorMode mode = switch (cmd.type()) {
                case Type.CALL_MONITOR_WHISPER -> MonitorMode.WHISPER;
                case Type.CALL_MONITOR_BARGE -> MonitorMode.BARGE;
                default -> MonitorMode.LISTEN;
            };
            Conversation c = conversationFor(user, cmd.call());
            AgentId agent = cmd.agent() == null ? null : AgentId.of(cmd.agent());
            r = sv.monitor(new Supervision.Supervisor(user.user(), user.tenant(), user.agent()), c, agent, mode, cmd.endpoint());
        }
        log.info("{} {} for {} (command {})", cmd.type(), cmd.call() == null ? "" : cmd.call(), user.user().value(), cmd.commandId());
        return r.thenApplyAsync(ControlApi::view, loop);
    }

    /** The agent the command acts for, checked against the user's rights. */
    private AgentId agentFor(Principal user, CallCommand cmd) {
        if (!user.supervises()) {
            if (user.agent() == null) {
                throw new ApiException(Protocol.Errors.FORBIDDEN, 403, "user " + user.user().value() + " is not an agent", Map.of());
            }
            if (cmd.agent() != null && !cmd.agent().equals(user.agent().value())) {
                throw new ApiException(Protocol.Errors.FORBIDDEN, 403, "an agent may only control their own calls",
                        Map.of("agent", cmd.agent()));
            }
            return user.agent();
        }
        String id = cmd.agent() != null ? cmd.agent() : user.agent() == null ? null : user.agent().value();
        if (id == null) {
            throw new ApiException(Protocol.Errors.MISSING_FIELD, 400, "field 'agent' is required: name the agent whose call this is",
                    Map.of());
        }
        AgentId a = AgentId.of(id);
        if (directory.agent(a).filter(x -> x.tenant().equals(user.tenant())).isEmpty()) {
            throw new ApiException(Protocol.Errors.AGENT_UNKNOWN, 404, "no agent '" + id + "'", Map.of("agent", id));
        }
        return a;
    }

    private Conversation conversationFor(Principal user, String id) {
        Conversation c = control.byId(id).filter(x -> x.tenant().equals(user.tenant())).orElseThrow(() ->
                new ControlException(ControlException.UNKNOWN_CALL, 404, "no call '" + id + "'", Map.of("call", id)));
        if (!user.supervises() && (user.agent() == null || c.agentLeg(user.agent()).isEmpty())) {
            // Not theirs: exactly like a call that does not exist.
            throw new ControlException(ControlException.UNKNOWN_CALL, 404, "no call '" + id + "'", Map.of("call", id));
        }
        return c;
    }

    private static Object errorOf(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (t instanceof ControlException e) {
            return body(e);
        }
        if (t instanceof ApiException e) {
            return e.body();
        }
        org.asteriskcti.server.recording.RecordingException re = org.asteriskcti.server.recording.RecordingException.unwrap(err);
        if (re != null) {
            return new ErrorBody(re.errorId(), re.status(), re.reason(), re.details());
        }
        log.error("call command failed", t);
        return new ErrorBody(Protocol.Errors.INTERNAL, 500, "internal error", Map.of());
    }

    static ErrorBody body(ControlException e) {
        return new ErrorBody(e.errorId(), e.status(), e.getMessage(), e.details());
    }

    // ---- queries --------------------------------------------------------------------------------------

    /** The conversations a user may see: supervisors all of the tenant's, agents their own. */
    List<ConversationInfo> conversations(Principal user) {
        loop.assertInLoop();
        if (control == null) {
            return List.of();
        }
        List<ConversationInfo> out = new ArrayList<>();
        for (Conversation c : control.all(user.tenant())) {
            if (user.supervises() || (user.agent() != null && c.agentLeg(user.agent()).isPresent())) {
                out.add(view(c));
            }
        }
        return out;
    }

    /** Conversations the agent is in (the agent:<id> snapshot). */
    List<ConversationInfo> conversationsOf(AgentId agent) {
        loop.assertInLoop();
        return control == null ? List.of() : control.of(agent).map(c -> List.of(view(c))).orElse(List.of());
    }

    /** The tenant's running monitoring sessions (the calls snapshot; supervisors only). */
    List<MonitorInfo> monitors(Principal user) {
        loop.assertInLoop();
        Supervision sv = supervision;
        if (sv == null || !user.supervises()) {
            return List.of();
        }
        return sv.all(user.tenant()).stream().map(ControlApi::view).toList();
    }

    // ---- events ---------------------------------------------------------------------------------------

    @Override
    public void monitorChanged(MonitorSession s) {
        hub.publish(s.tenant(), List.of(Topics.CALLS), s.ended() ? Protocol.Events.MONITOR_ENDED : Protocol.Events.MONITOR_UPDATED,
                view(s), null);
    }

    public static MonitorInfo view(MonitorSession s) {
        return new MonitorInfo(s.id(), s.tenant().value(), s.supervisor().value(), s.endpoint(), s.conversation().id(),
                s.agent().value(), s.mode().name(), s.state().name(), s.reason(), s.startedAt(), s.endedAt(), s.version());
    }

    @Override
    public void conversationChanged(Conversation c) {
        Set<String> topics = new LinkedHashSet<>();
        topics.add(Topics.CALLS);
        for (Participant p : c.parties()) {
            if (p.agent() != null) {
                topics.add(Topics.AGENT_PREFIX + p.agent().value());
            }
        }
        hub.publish(c.tenant(), List.copyOf(topics), c.ended() ? Protocol.Events.CONVERSATION_ENDED
                : Protocol.Events.CONVERSATION_UPDATED, view(c), null);
    }

    public static ConversationInfo view(Conversation c) {
        List<ConversationInfo.PartyInfo> parties = new ArrayList<>();
        for (Participant p : c.parties()) {
            parties.add(new ConversationInfo.PartyInfo(p.channel().value(), p.role().name(),
                    p.agent() == null ? null : p.agent().value(), p.number(), p.name(), p.state().name(), p.muted(),
                    p.joinedAt(), p.cause() >= 0 ? p.cause() : null));
        }
        ConversationInfo.Transfer transfer = c.transferState().map(s -> new ConversationInfo.Transfer(s,
                c.transferTarget().orElse(null))).orElse(null);
        return new ConversationInfo(c.id(), c.tenant().value(), c.origin().name(), c.ended() ? "ENDED" : "ACTIVE",
                c.end().map(Enum::name).orElse(null), c.failure(), c.queue().map(q -> q.value()).orElse(null),
                c.startedAt(), transfer, parties, c.version());
    }

    static boolean isCommand(String type) {
        return Type.CALL_COMMANDS.contains(Objects.requireNonNull(type));
    }
}
