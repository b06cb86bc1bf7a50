package org.asteriskcti.server.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskCommands.BridgeKind;
import org.asteriskcti.server.asterisk.AsteriskCommands.HangupCause;
import org.asteriskcti.server.asterisk.AsteriskCommands.SnoopMode;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervisors listen to, whisper to and barge into their tenant's calls from their own phone, on ARI.
 * Runs on the domain loop, beside {@link CallControl} (whose conversations it monitors).
 *
 * <p>A {@link MonitorSession}: the supervisor's phone is originated into our application with
 * {@code appArgs sup,<session>}; when it answers it joins the session's own mixing bridge
 * {@code sup-<session>}, and then, by mode:
 * <ul>
 *   <li>LISTEN / WHISPER: a snoop channel on the agent's leg ({@code POST /channels/{id}/snoop}, spy both;
 *       WHISPER also whisper out: the agent hears the supervisor, nobody else does) enters our application
 *       with {@code appArgs snoop,<session>} and is added to the session's bridge;</li>
 *   <li>BARGE: the phone moves into the conversation's bridge as a {@link Role#SUPERVISOR} party; the snoop
 *       is hung up.</li>
 * </ul>
 * Switching mode within a session makes the new path before breaking the old one: LISTEN ↔ WHISPER is a
 * new snoop, then the old one is hung up; BARGE → LISTEN / WHISPER a new snoop, then the phone back into
 * its own bridge. One switch is done at a time; a mode asked for meanwhile is applied after it.
 * The session ends (the phone and the snoop hung up, the bridge destroyed) when the supervisor stops it or
 * hangs up, when their phone does not answer, when the call ends or the monitored agent leaves it, and when
 * Asterisk cannot do what the first mode needs.
 */
public final class Supervision {

    private static final Logger log = LoggerFactory.getLogger(Supervision.class);

    /** Stasis arguments of the supervisor's phone leg: {@code sup,<session>}. */
    public static final String PHONE_ARG = "sup";
    /** Stasis arguments of a snoop channel: {@code snoop,<session>}. */
    public static final String SNOOP_ARG = "snoop";
    /** On the supervisor's phone leg: the session it belongs to. */
    public static final String SESSION_VAR = "CTI_MONITOR";
    /** Our session, phone and snoop ids start with this; channels left from an earlier run are hung up. */
    static final String ID_PREFIX = "mon-";
    static final String BRIDGE_PREFIX = "sup-";
    /**
     * A snoop hung up by itself ends its session after this: its agent's leg usually went at the same
     * moment (Asterisk may report the snoop first), and then the session ends saying the agent left.
     */
    static final Duration SNOOP_LOSS_GRACE = Duration.ofMillis(500);

    /** Told after every change of a session (including its end). */
    public interface Listener {
        void monitorChanged(MonitorSession s);
    }

    /**
     * Who asks (the API checked they are a supervisor or admin).
     *
     * @param ownAgent the user's own agent, or null: nobody monitors their own call
     */
    public record Supervisor(UserId user, TenantId tenant, AgentId ownAgent) {}

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final CallControl control;
    private final DialPlan dialPlan;
    private final Listener listener;
    private final String prefix;
    private final Duration ringTimeout;
    private long seq;

    private final Map<String, MonitorSession> sessions = new LinkedHashMap<>();
    private final Map<UserId, MonitorSession> bySupervisor = new HashMap<>();
    /** Phone legs and snoop channels (in the bridge or asked for) of running sessions. */
    private final Map<ChannelId, MonitorSession> byChannel = new HashMap<>();

    /**
     * @param bootId      makes this process's session ids unique across restarts
     * @param ringTimeout how long the supervisor's phone may ring
     */
    public Supervision(DomainLoop loop, AsteriskCommands asterisk, CallControl control, DialPlan dialPlan, Listener listener,
            String bootId, Duration ringTimeout) {
        this.loop = loop;
        this.asterisk = asterisk;
        this.control = control;
        this.dialPlan = dialPlan;
        this.listener = listener;
        this.prefix = ID_PREFIX + bootId + "-";
        this.ringTimeout = ringTimeout;
        control.watch(this::conversationChanged);
    }

    // ---- queries ------------------------------------------------------------------------------------------

    /** The supervisor's running session, if any. */
    public Optional<MonitorSession> of(UserId supervisor) {
        return Optional.ofNullable(bySupervisor.get(supervisor));
    }

    public Optional<MonitorSession> byId(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** The tenant's running sessions. */
    public List<MonitorSession> all(TenantId tenant) {
        return sessions.values().stream().filter(s -> s.tenant().equals(tenant)).toList();
    }

    // ---- commands -----------------------------------------------------------------------------------------

    /**
     * Starts monitoring an agent of {@code c} in {@code mode} (the supervisor's phone rings; completes when
     * Asterisk accepted that), or, when the supervisor already monitors that call, switches the session to
     * {@code mode} (completes when Asterisk accepted the switch's first request; the switch is done when the
     * session is ACTIVE again).
     *
     * @param agent    the agent to monitor; null: the call's only agent
     * @param endpoint the phone to ring (one of the tenant's); null: the one configured for the user
     * @throws ControlException call.unknown (another tenant's call too), monitor.in_progress, call.not_possible,
     *                          call.unknown_party, call.no_phone, call.invalid_target
     */
    public CompletableFuture<MonitorSession> monitor(Supervisor who, Conversation c, AgentId agent, MonitorMode mode,
            String endpoint) {
        loop.assertInLoop();
        if (!c.tenant().equals(who.tenant()) || c.ended()) {
            // Another tenant's call reads exactly like one that does not exist.
            throw new ControlException(ControlException.UNKNOWN_CALL, 404, "no call '" + c.id() + "'", Map.of("call", c.id()));
        }
        MonitorSession running = bySupervisor.get(who.user());
        if (running != null) {
            if (running.conversation() != c || (agent != null && !agent.equals(running.agent()))) {
                throw new ControlException(ControlException.MONITOR_IN_PROGRESS, 409, "you are already monitoring agent "
                        + running.agent().value() + " on call " + running.conversation().id() + ": stop that first",
                        Map.of("call", running.conversation().id(), "monitor", running.id()));
            }
            return switchMode(running, mode);
        }
        Participant leg = legToMonitor(c, agent);
        if (leg.agent().equals(who.ownAgent())) {
            throw notPossible("this is your own call");
        }
        String phone = phoneFor(who, endpoint);
        if (phone.equals(dialPlan.endpointOf(c.tenant(), leg.agent()))) {
            throw notPossible("your phone " + phone + " is agent " + leg.agent().value() + "'s phone, which is on this call");
        }
        String id = prefix + (++seq);
        MonitorSession s = new MonitorSession(id, who.user(), who.tenant(), phone, c, leg.agent(), leg.channel(),
                ChannelId.of(id + "-phone"), BridgeId.of(BRIDGE_PREFIX + id), mode, now());
        sessions.put(id, s);
        bySupervisor.put(who.user(), s);
        byChannel.put(s.phone(), s);
        String agentPhone = dialPlan.endpointOf(c.tenant(), leg.agent());
        String callerId = "\"Monitor " + leg.agent().value().replace("\"", "") + "\""
                + (agentPhone == null ? "" : " <" + agentPhone.substring(agentPhone.indexOf('/') + 1) + ">");
        AsteriskCommands.Originate o = new AsteriskCommands.Originate(s.phone(), phone, List.of(PHONE_ARG, id), null,
                callerId, ringTimeout, Map.of(SESSION_VAR, id, CallControl.TENANT_VAR, c.tenant().value()));
        log.info("monitor {}: {} monitors agent {} ({}) on call {} ({}): ringing {}", id, who.user(), leg.agent(),
                leg.channel(), c.id(), mode, phone);
        CompletableFuture<Void> r = request(s, () -> asterisk.originate(o));
        changed(s);
        return r.handleAsync((x, err) -> {
            if (err == null) {
                return s;
            }
            String why = "Asterisk could not ring " + phone + ": " + CallControl.describe(err);
            end(s, why, s.phone());
            throw failed(s, why);
        }, loop);
    }

    /**
     * Ends the supervisor's session (of {@code call}, when given): phone and snoop hung up, bridge destroyed.
     *
     * @throws ControlException monitor.none when there is no such session
     */
    public CompletableFuture<MonitorSession> stop(UserId supervisor, String call) {
        loop.assertInLoop();
        MonitorSession s = bySupervisor.get(supervisor);
        if (s == null || (call != null && !call.equals(s.conversation().id()))) {
            throw new ControlException(ControlException.MONITOR_NONE, 409, call == null ? "you are monitoring no call"
                    : "you are not monitoring call '" + call + "'", call == null ? Map.of() : Map.of("call", call));
        }
        end(s, "stopped by " + supervisor.value(), null);
        return s.chain.thenApply(x -> s);
    }

    private CompletableFuture<MonitorSession> switchMode(MonitorSession s, MonitorMode mode) {
        if (s.mode() == mode) {
            return CompletableFuture.completedFuture(s); // already asked: the same outcome
        }
        log.info("monitor {}: {} switches to {}", s.id(), s.supervisor(), mode);
        s.mode(mode);
        CompletableFuture<Void> r = CompletableFuture.completedFuture(null);
        if (s.state() == MonitorState.ACTIVE) {
            s.go(MonitorState.SWITCHING, now());
            r = apply(s);
        }
        // RINGING_SUPERVISOR: applied when they answer; CONNECTING / SWITCHING: after the step under way.
        changed(s);
        return r.thenApply(x -> s);
    }

    // ---- the modes ----------------------------------------------------------------------------------------

    /** Sets up the session's mode; the phone is up and nothing else is under way. */
    private CompletableFuture<Void> apply(MonitorSession s) {
        return s.mode() == MonitorMode.BARGE ? barge(s) : snoop(s, s.mode());
    }

    /** A new snoop channel on the agent's leg; it joins the session's bridge at its StasisStart. */
    private CompletableFuture<Void> snoop(MonitorSession s, MonitorMode mode) {
        ChannelId id = ChannelId.of(s.id() + "-snoop-" + (++s.snoops));
        s.pendingSnoop = id;
        s.pendingMode = mode;
        byChannel.put(id, s);
        SnoopMode how = mode == MonitorMode.WHISPER ? SnoopMode.WHISPER : SnoopMode.LISTEN;
        log.info("monitor {}: snoop {} on {} ({})", s.id(), id, s.agentLeg(), how);
        CompletableFuture<Void> r = request(s, () -> asterisk.snoop(s.agentLeg(), id, how, List.of(SNOOP_ARG, s.id())));
        return r.handleAsync((x, err) -> {
            if (err == null) {
                return null;
            }
            String why = "Asterisk could not " + (mode == MonitorMode.WHISPER ? "let you whisper to" : "let you listen to")
                    + " agent " + s.agent().value() + ": " + CallControl.describe(err);
            if (!s.ended() && id.equals(s.pendingSnoop)) {
                switchFailed(s, why);
            }
            throw failed(s, why);
        }, loop);
    }

    private void snoopStarted(ChannelId channel) {
        MonitorSession s = byChannel.get(channel);
        if (s == null || s.ended() || !channel.equals(s.pendingSnoop)) {
            if (s != null) {
                byChannel.remove(channel, s);
            }
            if (channel.value().startsWith(ID_PREFIX)) {
                log.info("snoop {} entered, but no monitoring session waits for it; hanging up", channel);
                asterisk.hangup(channel, HangupCause.NORMAL).exceptionally(e -> null);
            }
            return;
        }
        ChannelId old = s.snoop;
        s.snoop = channel;
        s.effective = s.pendingMode;
        s.pendingSnoop = null;
        s.pendingMode = null;
        step(s, "snoop " + channel + " joins " + s.bridge(), () -> asterisk.addToBridge(s.bridge(), channel));
        if (s.barged) {
            s.barged = false;
            step(s, "phone back into " + s.bridge(), () -> asterisk.addToBridge(s.bridge(), s.phone()));
            control.supervisorLeft(s.conversation(), s.phone());
        }
        if (old != null) {
            byChannel.remove(old, s);
            step(s, "hang up the previous snoop " + old, () -> asterisk.hangup(old, HangupCause.NORMAL));
        }
        settled(s);
    }

    /** The phone moves into the conversation's bridge; once there the snoop goes. */
    private CompletableFuture<Void> barge(MonitorSession s) {
        Conversation c = s.conversation();
        log.info("monitor {}: {} barges into call {}", s.id(), s.supervisor(), c.id());
        // After the session's own requests (the phone must be in its bridge before it is moved out of it).
        CompletableFuture<Void> r = s.chain.thenComposeAsync(x -> control.bridgeSupervisor(c, s.phone()), loop);
        s.chain = r.handle((x, e) -> null);
        return r.handleAsync((x, err) -> {
            if (s.ended()) {
                return null;
            }
            if (err != null) {
                String why = "Asterisk could not bring you into call " + c.id() + ": " + CallControl.describe(err);
                switchFailed(s, why);
                throw failed(s, why);
            }
            if (c.ended()) {
                return null; // the session ends with the call
            }
            s.barged = true;
            s.effective = MonitorMode.BARGE;
            String number = s.endpoint().substring(s.endpoint().indexOf('/') + 1);
            control.supervisorJoined(c, s.phone(), number, s.supervisor().value());
            ChannelId old = s.snoop;
            if (old != null) {
                s.snoop = null;
                byChannel.remove(old, s);
                step(s, "hang up snoop " + old, () -> asterisk.hangup(old, HangupCause.NORMAL));
            }
            settled(s);
            return null;
        }, loop);
    }

    /** The mode asked for is up: ACTIVE, or on to the next one asked for meanwhile. */
    private void settled(MonitorSession s) {
        if (s.ended()) {
            return;
        }
        s.go(MonitorState.ACTIVE, now());
        if (s.mode() != s.effective) {
            s.go(MonitorState.SWITCHING, now());
            apply(s).exceptionally(e -> null); // a failure is on the session (back to the mode in effect)
        }
        changed(s);
    }

    /** The step under way failed: back to the mode in effect, or the end when there is none yet. */
    private void switchFailed(MonitorSession s, String why) {
        if (s.ended()) {
            return;
        }
        if (s.pendingSnoop != null) {
            byChannel.remove(s.pendingSnoop, s);
            s.pendingSnoop = null;
            s.pendingMode = null;
        }
        if (s.effective == null) {
            end(s, why, null);
            return;
        }
        log.warn("monitor {}: {}; staying in {}", s.id(), why, s.effective);
        s.mode(s.effective);
        s.go(MonitorState.ACTIVE, now());
        changed(s);
    }

    // ---- the end ------------------------------------------------------------------------------------------

    /** Ends the session: everything of it is hung up (but {@code gone}, already gone) and its bridge destroyed. */
    private void end(MonitorSession s, String why, ChannelId gone) {
        if (s.ended()) {
            return;
        }
        boolean bridged = s.state() != MonitorState.RINGING_SUPERVISOR;
        s.reason(why);
        s.go(MonitorState.ENDED, now());
        sessions.remove(s.id(), s);
        bySupervisor.remove(s.supervisor(), s);
        byChannel.values().removeIf(x -> x == s);
        if (s.barged) {
            s.barged = false;
            control.supervisorLeft(s.conversation(), s.phone());
        }
        List<ChannelId> channels = new ArrayList<>();
        channels.add(s.phone());
        if (s.snoop != null) {
            channels.add(s.snoop);
        }
        if (s.pendingSnoop != null) {
            channels.add(s.pendingSnoop);
        }
        s.snoop = null;
        s.pendingSnoop = null;
        s.pendingMode = null;
        for (ChannelId ch : channels) {
            if (!ch.equals(gone)) {
                step(s, "hang up " + ch, () -> asterisk.hangup(ch, HangupCause.NORMAL));
            }
        }
        if (bridged) {
            step(s, "destroy " + s.bridge(), () -> asterisk.destroyBridge(s.bridge()));
        }
        changed(s);
    }

    /** A conversation changed: its sessions end with it, or when their agent left it. */
    private void conversationChanged(Conversation c) {
        if (sessions.isEmpty()) {
            return;
        }
        for (MonitorSession s : List.copyOf(sessions.values())) {
            if (s.conversation() != c) {
                continue;
            }
            if (c.ended()) {
                end(s, "the call ended", null);
            } else if (agentLeft(s)) {
                end(s, "agent " + s.agent().value() + " left the call", null);
            }
        }
    }

    private static boolean agentLeft(MonitorSession s) {
        Conversation c = s.conversation();
        return c.ended() || c.party(s.agentLeg()).map(p -> p.state() == PartyState.GONE).orElse(true);
    }

    // ---- events -------------------------------------------------------------------------------------------

    /** Every Asterisk event, on the loop, after call control has seen it. */
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.StasisStarted s) {
            if (s.args().isEmpty()) {
                return;
            }
            if (PHONE_ARG.equals(s.args().get(0))) {
                phoneAnswered(s.channel().id());
            } else if (SNOOP_ARG.equals(s.args().get(0))) {
                snoopStarted(s.channel().id());
            }
        } else if (event instanceof AsteriskEvent.ChannelHungUp h) {
            gone(h.channel(), h.cause());
        } else if (event instanceof AsteriskEvent.StasisEnded e) {
            gone(e.channel(), -1);
        } else if (event instanceof AsteriskEvent.ResyncSnapshot r && r.meta().source() == Source.ARI) {
            resync(r);
        }
    }

    private void phoneAnswered(ChannelId channel) {
        MonitorSession s = byChannel.get(channel);
        if (s == null || !channel.equals(s.phone()) || s.state() != MonitorState.RINGING_SUPERVISOR) {
            if (channel.value().startsWith(ID_PREFIX)) {
                log.info("supervisor leg {} answered, but no monitoring session waits for it; hanging up", channel);
                asterisk.hangup(channel, HangupCause.NORMAL).exceptionally(e -> null);
            }
            return;
        }
        s.go(MonitorState.CONNECTING, now());
        request(s, () -> asterisk.createBridge(s.bridge(), BridgeKind.MIXING)).whenCompleteAsync((x, err) -> {
            if (err != null) {
                end(s, "Asterisk could not create the bridge " + s.bridge() + ": " + CallControl.describe(err), null);
            }
        }, loop);
        step(s, "phone joins " + s.bridge(), () -> asterisk.addToBridge(s.bridge(), s.phone()));
        apply(s).exceptionally(e -> null); // a failure ends the session (nothing to fall back to)
        changed(s);
    }

    private void gone(ChannelId channel, int cause) {
        MonitorSession s = byChannel.get(channel);
        if (s == null || s.ended()) {
            return;
        }
        if (channel.equals(s.phone())) {
            end(s, s.state() == MonitorState.RINGING_SUPERVISOR
                    ? "the supervisor's phone " + s.endpoint() + ": " + CallControl.causeText(cause)
                    : "the supervisor hung up", channel);
            return;
        }
        byChannel.remove(channel, s);
        if (channel.equals(s.snoop)) {
            s.snoop = null;
            if (agentLeft(s)) {
                end(s, "agent " + s.agent().value() + " left the call", channel);
                return;
            }
            loop.schedule(() -> {
                if (!s.ended() && s.snoop == null && s.pendingSnoop == null && !s.barged) {
                    end(s, "the listening channel " + channel + " was hung up", null);
                }
            }, SNOOP_LOSS_GRACE);
        } else if (channel.equals(s.pendingSnoop)) {
            switchFailed(s, "the listening channel " + channel + " was hung up before it was used");
        }
    }

    /** After an ARI (re)connect: what went while we were away ends its session; leftovers of an earlier run go. */
    private void resync(AsteriskEvent.ResyncSnapshot r) {
        Set<ChannelId> up = new HashSet<>();
        for (ChannelSnapshot ch : r.channels()) {
            up.add(ch.id());
        }
        for (MonitorSession s : List.copyOf(sessions.values())) {
            if (!up.contains(s.phone())) {
                end(s, "the supervisor's phone leg went while Asterisk was not connected", s.phone());
            } else if (s.snoop != null && !up.contains(s.snoop)) {
                ChannelId snoop = s.snoop;
                s.snoop = null;
                end(s, "the listening channel went while Asterisk was not connected", snoop);
            }
        }
        for (ChannelSnapshot ch : r.channels()) {
            if (ch.id().value().startsWith(ID_PREFIX) && !byChannel.containsKey(ch.id())) {
                log.info("monitoring channel {} is left from an earlier run; hanging up", ch.id());
                asterisk.hangup(ch.id(), HangupCause.NORMAL).exceptionally(e -> null);
            }
        }
        Set<BridgeId> ours = new HashSet<>();
        sessions.values().forEach(s -> ours.add(s.bridge()));
        for (BridgeSnapshot b : r.bridges()) {
            if (b.id().value().startsWith(BRIDGE_PREFIX + ID_PREFIX) && !ours.contains(b.id())) {
                log.info("monitoring bridge {} is left from an earlier run; destroying it", b.id());
                asterisk.destroyBridge(b.id()).exceptionally(e -> null);
            }
        }
    }

    // ---- building blocks ----------------------------------------------------------------------------------

    /** The agent leg to monitor: the one named, else the call's only agent; it must have answered. */
    private static Participant legToMonitor(Conversation c, AgentId agent) {
        List<Participant> agents = c.active().stream().filter(p -> p.agent() != null && p.role() != Role.SUPERVISOR).toList();
        Participant leg;
        if (agent != null) {
            leg = agents.stream().filter(p -> p.agent().equals(agent)).reduce((a, b) -> b.present() ? b : a).orElseThrow(() ->
                    new ControlException(ControlException.UNKNOWN_PARTY, 404, "agent " + agent.value() + " is not on call " + c.id(),
                            Map.of("agent", agent.value(), "call", c.id())));
        } else {
            List<Participant> present = agents.stream().filter(Participant::present).toList();
            if (present.size() == 1) {
                leg = present.get(0);
            } else if (present.size() > 1) {
                throw notPossible("the call has several agents (" + String.join(", ", present.stream().map(p -> p.agent().value())
                        .distinct().toList()) + "): name one in 'agent'");
            } else if (!agents.isEmpty()) {
                leg = agents.get(0);
            } else {
                throw notPossible("no agent is on this call");
            }
        }
        if (!leg.present()) {
            throw notPossible("agent " + leg.agent().value() + " has not answered yet");
        }
        return leg;
    }

    /** The phone to ring: the one asked for (the tenant's), else the user's own. */
    private String phoneFor(Supervisor who, String asked) {
        if (asked != null && !asked.isBlank()) {
            String phone = dialPlan.phoneOf(who.tenant(), asked);
            if (phone == null) {
                throw new ControlException(ControlException.INVALID_TARGET, 400, "'" + asked + "' is not one of your tenant's phones",
                        Map.of("endpoint", asked));
            }
            return phone;
        }
        String phone = dialPlan.phoneOfUser(who.tenant(), who.user().value());
        if (phone == null) {
            throw new ControlException(ControlException.NO_PHONE, 409, "user " + who.user().value()
                    + " has no phone: configure users[].endpoint or name one of the tenant's phones in 'endpoint'",
                    Map.of("user", who.user().value()));
        }
        return phone;
    }

    /** Runs {@code op} after the session's previous requests; its failure is the result's (the chain goes on). */
    private CompletableFuture<Void> request(MonitorSession s, Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> r = s.chain.thenCompose(x -> op.get());
        s.chain = r.handle((x, e) -> null);
        return r;
    }

    /** Runs {@code op} after the session's previous requests; a failure is logged (a gone channel quietly). */
    private void step(MonitorSession s, String what, Supplier<CompletableFuture<Void>> op) {
        request(s, op).whenCompleteAsync((x, err) -> {
            if (err == null) {
                return;
            }
            if (CallControl.notFound(err)) {
                log.debug("monitor {}: {}: gone", s.id(), what);
            } else {
                log.warn("monitor {}: {} failed: {}", s.id(), what, CallControl.describe(err));
            }
        }, loop);
    }

    private static CompletionException failed(MonitorSession s, String why) {
        return new CompletionException(new ControlException(ControlException.ASTERISK_FAILED, 502, why, Map.of("monitor", s.id())));
    }

    private static ControlException notPossible(String why) {
        return new ControlException(ControlException.NOT_POSSIBLE, 409, "cannot monitor: " + why);
    }

    private void changed(MonitorSession s) {
        try {
            listener.monitorChanged(s);
        } catch (RuntimeException e) {
            log.error("monitor listener failed for {}", s.id(), e);
        }
    }

    private Instant now() {
        return loop.clock().instant();
    }
}
