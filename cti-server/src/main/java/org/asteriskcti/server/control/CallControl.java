package org.asteriskcti.server.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskCommands.BridgeKind;
import org.asteriskcti.server.asterisk.AsteriskCommands.HangupCause;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.control.Conversation.Blind;
import org.asteriskcti.server.control.Conversation.Consultation;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call control on ARI: every agent call is a {@link Conversation} (one mixing bridge; parties come and
 * go). Runs on the domain loop; Asterisk requests of one conversation go out in order, and their
 * failures come back onto the loop.
 *
 * <p>The building blocks, all traced on Asterisk 22:
 * <ul>
 *   <li>a party joins by being originated into our application with {@code appArgs ctl,<conversation>}
 *       (its StasisStart = answered, then it is added to the bridge);</li>
 *   <li>hold takes a party out of the bridge and plays it music on hold; unhold stops the music and puts
 *       it back (nothing of the call reaches a held party, and nothing of it reaches the call);</li>
 *   <li>mute stops a party's audio into the bridge ({@code mute?direction=in});</li>
 *   <li>a party leaves by hanging up its channel.</li>
 * </ul>
 * The rule that ends a conversation ({@link #settle}): no party left; or one party left and nobody
 * being dialled; unless a transfer is still ringing for a held customer. The party left is hung up,
 * except the customer of an ACD call whose queue has a post-call survey when an agent was the last to
 * leave: they are handed to the {@link Surveys}, still in our application.
 */
public final class CallControl {

    private static final Logger log = LoggerFactory.getLogger(CallControl.class);

    /** Stasis argument of every leg we dial for a conversation: {@code ctl,<conversation id>}. */
    public static final String APP_ARG = "ctl";
    /** On every leg we dial: the conversation it belongs to. */
    public static final String CONVERSATION_VAR = "CTI_CONVERSATION";
    public static final String TENANT_VAR = "CTI_TENANT";
    /** On every party's channel: {@code <role>} or {@code <role>,<agent id>} (for a rebuild after a restart). */
    public static final String PARTY_VAR = "CTI_PARTY";
    private static final String DTMF = "[0-9*#A-Da-d,]{1,40}";
    /** Set by the post-call survey on a customer it took ({@code survey.SurveyService#SURVEY_VAR}). */
    static final String SURVEY_VAR = "CTI_SURVEY";

    /** Told after every change of a conversation (including its end). */
    public interface Listener {
        void conversationChanged(Conversation c);
    }

    /** Where the customer of an ACD call goes when the agent hangs up and the call's queue has a survey. */
    public interface Surveys {
        /** Whether {@code queue} has a post-call survey. */
        boolean offers(QueueId queue);

        /**
         * The customer's channel (out of the call, still in our application) is the survey's now.
         * {@code ready} completes when call control's requests for the call are done (its bridge destroyed).
         */
        void take(ChannelId customer, TenantId tenant, QueueId queue, EntryId entry, AgentId agent,
                CompletableFuture<Void> ready);

        Surveys NONE = new Surveys() {
            @Override
            public boolean offers(QueueId queue) {
                return false;
            }

            @Override
            public void take(ChannelId customer, TenantId tenant, QueueId queue, EntryId entry, AgentId agent,
                    CompletableFuture<Void> ready) {
                throw new IllegalStateException("no surveys");
            }
        };
    }

    /** What call control needs of the ACD. */
    public interface Acd {
        /**
         * The customer of a conversation is transferred into {@code queue}, keeping their first arrival.
         * An ACD call's connected entry ends first (the agent goes to wrap-up).
         *
         * @throws RuntimeException when the ACD refuses (the message names why)
         */
        void transferIn(ChannelId customer, Party party, TenantId tenant, QueueId queue, Instant arrival);

        /**
         * The agent of {@code queue} who would take a caller now (by the queue's strategy), other than
         * {@code except}: the target of an attended transfer to a queue. Empty when nobody is free.
         */
        default Optional<AgentId> agentForConsultation(QueueId queue, TenantId tenant, AgentId except) {
            return Optional.empty();
        }

        /**
         * An ACD call ({@code entry}, the caller's answered visit to {@code queue}) was transferred by
         * {@code agent} to {@code target}: the transfer is done (see {@code QueueEvent.Transferred}).
         */
        default void transferred(Instant at, QueueId queue, EntryId entry, AgentId agent,
                org.asteriskcti.server.acd.stats.QueueEvent.TransferKind kind, String target) {}
    }

    /** Tells the ACD a transfer of {@code c} is done, when {@code c} is an ACD call. */
    private void transferDone(Conversation c, AgentId agent, org.asteriskcti.server.acd.stats.QueueEvent.TransferKind kind,
            String target) {
        if (c.queue().isPresent() && c.entry().isPresent()) {
            acd.transferred(loop.clock().instant(), c.queue().get(), c.entry().get(), agent, kind, target);
        }
    }

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final DialPlan dialPlan;
    private final Listener listener;
    private final Acd acd;
    private final String prefix;
    private final Duration ringTimeout;
    private final String mohClass;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final String callPrefix;

    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private final Map<ChannelId, Conversation> byChannel = new HashMap<>();
    private final Map<AgentId, Conversation> byAgent = new HashMap<>();
    /** Told after the listener, e.g. {@link Supervision} following the calls it monitors. */
    private final List<Listener> watchers = new ArrayList<>();
    private Surveys surveys = Surveys.NONE;

    /**
     * @param bootId      makes this process's leg and bridge ids unique across restarts
     * @param ringTimeout how long a dialled party may ring
     */
    public CallControl(DomainLoop loop, AsteriskCommands asterisk, DialPlan dialPlan, Listener listener, Acd acd,
            String bootId, Duration ringTimeout, String mohClass) {
        this.loop = loop;
        this.asterisk = asterisk;
        this.dialPlan = dialPlan;
        this.listener = listener;
        this.acd = acd;
        this.prefix = "ctl-" + bootId + "-";
        this.callPrefix = "call-" + bootId + "-";
        this.ringTimeout = ringTimeout;
        this.mohClass = mohClass;
    }

    /** From now on customers of ACD calls whose queue has a survey go to {@code surveys} when the agent hangs up. */
    public void offerSurveys(Surveys surveys) {
        this.surveys = java.util.Objects.requireNonNull(surveys, "surveys");
    }

    /** Also tells {@code watcher} of every change of a conversation (after the listener). */
    public void watch(Listener watcher) {
        watchers.add(watcher);
    }

    // ---- queries ------------------------------------------------------------------------------------------

    /** The agent's current conversation, if any. */
    public Optional<Conversation> of(AgentId agent) {
        return Optional.ofNullable(byAgent.get(agent));
    }

    public Optional<Conversation> byId(String id) {
        return Optional.ofNullable(conversations.get(id));
    }

    public Optional<Conversation> ofChannel(ChannelId channel) {
        return Optional.ofNullable(byChannel.get(channel));
    }

    public List<Conversation> all(TenantId tenant) {
        return conversations.values().stream().filter(c -> c.tenant().equals(tenant)).toList();
    }

    public int size() {
        return conversations.size();
    }

    private Conversation require(AgentId agent) {
        Conversation c = byAgent.get(agent);
        if (c == null) {
            throw new ControlException(ControlException.NO_CALL, 409, "agent " + agent.value() + " is on no call",
                    Map.of("agent", agent.value()));
        }
        return c;
    }

    private Participant legOf(Conversation c, AgentId agent) {
        return c.agentLeg(agent).orElseThrow(() -> new ControlException(ControlException.NO_CALL, 409,
                "agent " + agent.value() + " is on no call", Map.of("agent", agent.value())));
    }

    // ---- the ACD hands its connected calls over ---------------------------------------------------------

    /**
     * An ACD call was just bridged by the ACD ({@code ready} completes when its requests are done):
     * from now on it is a conversation like any other. {@code entry} is the caller's visit to
     * {@code queue} that was answered (the post-call survey is that call's).
     */
    public Conversation adoptAcd(BridgeId bridge, TenantId tenant, QueueId queue, EntryId entry, Instant arrival,
            ChannelId customer, Party customerParty, ChannelId agentLeg, AgentId agent, CompletableFuture<Void> ready) {
        loop.assertInLoop();
        Instant now = loop.clock().instant();
        Conversation c = new Conversation(bridge.value(), tenant, bridge, Conversation.Origin.ACD, now, queue, entry, arrival);
        c.chain = ready.handle((x, e) -> null);
        Conversation old = byChannel.get(customer);
        if (old != null) {
            // The customer came back through a queue after a transfer: they left the old conversation.
            old.party(customer).ifPresent(p -> leave(old, p, -1));
        }
        c.add(new Participant(customer, Role.CUSTOMER, null, customerParty.number(), customerParty.name(), PartyState.CONNECTED, now));
        c.add(new Participant(agentLeg, Role.AGENT, agent, null, null, PartyState.CONNECTED, now));
        c.talked = true;
        register(c);
        byChannel.put(customer, c);
        byChannel.put(agentLeg, c);
        byAgent.put(agent, c);
        log.info("conversation {}: ACD call of queue {} between {} and agent {} ({})", c.id(), queue, customer, agent, agentLeg);
        // Marked for a rebuild after a CTI restart (once the ACD's own marks are no longer the whole story).
        mark(c, customer, Role.CUSTOMER, null);
        mark(c, agentLeg, Role.AGENT, agent);
        changed(c);
        return c;
    }

    private void mark(Conversation c, ChannelId channel, Role role, AgentId agent) {
        step(c, "mark " + channel, () -> asterisk.setVariable(channel, CONVERSATION_VAR, c.id()));
        step(c, "mark " + channel + " as " + role, () -> asterisk.setVariable(channel, PARTY_VAR, partyValue(role, agent)));
    }

    static String partyValue(Role role, AgentId agent) {
        return agent == null ? role.name() : role.name() + "," + agent.value();
    }

    private void register(Conversation c) {
        conversations.put(c.id(), c);
    }

    // ---- click-to-dial ----------------------------------------------------------------------------------

    /**
     * The agent's phone rings first; when the agent answers, {@code number} is dialled. Completes when
     * Asterisk accepted the first leg.
     */
    public CompletableFuture<Conversation> dial(TenantId tenant, AgentId agent, String number) {
        loop.assertInLoop();
        if (byAgent.containsKey(agent)) {
            throw new ControlException(ControlException.AGENT_BUSY, 409, "agent " + agent.value() + " is already on a call ("
                    + byAgent.get(agent).id() + ")", Map.of("agent", agent.value()));
        }
        DialPlan.Target target = dialPlan.resolve(tenant, number, false);
        String endpoint = dialPlan.endpointOf(tenant, agent);
        if (endpoint == null) {
            throw new ControlException(ControlException.NO_PHONE, 409, "agent " + agent.value() + " has no phone",
                    Map.of("agent", agent.value()));
        }
        String id = callPrefix + calls.incrementAndGet();
        Instant now = loop.clock().instant();
        Conversation c = new Conversation(id, tenant, BridgeId.of(id), Conversation.Origin.DIAL, now, null, now);
        register(c);
        c.pendingDial = target;
        step(c, "create bridge", () -> asterisk.createBridge(c.bridge(), BridgeKind.MIXING));
        // The agent's phone shows whom it is about to call.
        Participant leg = originate(c, Role.AGENT, agent, endpoint, target.number(), "", null,
                display(target.number(), target.label()));
        byAgent.put(agent, c);
        log.info("conversation {}: agent {} dials {} ({}): ringing the agent at {} first", id, agent, target.label(),
                target.kind(), endpoint);
        changed(c);
        return leg.originated.thenApply(x -> c);
    }

    // ---- per-call commands --------------------------------------------------------------------------------

    /** The agent leaves the call (their leg is hung up); the rest follows the conversation's rules. */
    public CompletableFuture<Conversation> hangup(AgentId agent) {
        Conversation c = require(agent);
        Participant leg = legOf(c, agent);
        return request(c, "hang up " + leg.channel(), () -> asterisk.hangup(leg.channel(), HangupCause.NORMAL));
    }

    /** The other party of a two-party call is held (music, out of the bridge). */
    public CompletableFuture<Conversation> hold(AgentId agent) {
        Conversation c = require(agent);
        Participant other = onlyOther(c, agent, "hold");
        if (other.state() == PartyState.HELD) {
            return CompletableFuture.completedFuture(c); // already: the same outcome
        }
        if (other.state() != PartyState.CONNECTED) {
            throw notPossible("hold", "the other party is " + other.state());
        }
        CompletableFuture<Void> held = holdParty(c, other);
        changed(c); // desktops and wallboards see the held party at once, before the command's reply
        return held.thenApply(x -> c);
    }

    public CompletableFuture<Conversation> unhold(AgentId agent) {
        Conversation c = require(agent);
        if (c.consultation() != null) {
            throw new ControlException(ControlException.TRANSFER_IN_PROGRESS, 409,
                    "a transfer is in progress: swap, cancel, complete or conference it");
        }
        List<Participant> held = c.active().stream().filter(p -> p.state() == PartyState.HELD).toList();
        if (held.isEmpty()) {
            return CompletableFuture.completedFuture(c);
        }
        CompletableFuture<Void> back = CompletableFuture.allOf(held.stream().map(p -> unholdParty(c, p))
                .toArray(CompletableFuture[]::new));
        changed(c);
        return back.thenApply(x -> c);
    }

    /** The agent's own microphone: nobody in the call hears them while muted. */
    public CompletableFuture<Conversation> mute(AgentId agent, boolean muted) {
        Conversation c = require(agent);
        return muteParty(c, legOf(c, agent), muted);
    }

    /** A participant's audio into the conference (supervisor or the agent in the call). */
    public CompletableFuture<Conversation> muteParticipant(Conversation c, ChannelId party, boolean muted) {
        Participant p = c.party(party).filter(x -> x.state() != PartyState.GONE).orElseThrow(() -> unknownParty(party));
        return muteParty(c, p, muted);
    }

    private CompletableFuture<Conversation> muteParty(Conversation c, Participant p, boolean muted) {
        if (p.muted() == muted) {
            return CompletableFuture.completedFuture(c);
        }
        return request(c, (muted ? "mute " : "unmute ") + p.channel(),
                () -> muted ? asterisk.muteInput(p.channel()) : asterisk.unmuteInput(p.channel()))
                .thenApplyAsync(x -> {
                    p.muted(muted);
                    c.touch();
                    changed(c);
                    return c;
                }, loop);
    }

    /** DTMF to the other parties (e.g. an external IVR the agent navigates). */
    public CompletableFuture<Conversation> dtmf(AgentId agent, String digits) {
        if (digits == null || !digits.matches(DTMF)) {
            throw new ControlException(ControlException.INVALID_NUMBER, 400, "digits must be 1 to 40 of 0-9 * # A-D and ',' (pause), got '"
                    + digits + "'", Map.of("digits", String.valueOf(digits)));
        }
        Conversation c = require(agent);
        List<Participant> others = c.active().stream().filter(p -> p.state() == PartyState.CONNECTED && !agent.equals(p.agent()))
                .toList();
        if (others.isEmpty()) {
            throw notPossible("send DTMF", "nobody else is connected");
        }
        return CompletableFuture.allOf(others.stream().map(p -> request(c, "dtmf to " + p.channel(),
                () -> asterisk.sendDtmf(p.channel(), digits.toUpperCase()))).toArray(CompletableFuture[]::new)).thenApply(x -> c);
    }

    // ---- transfers ------------------------------------------------------------------------------------------

    /**
     * Blind: the agent leaves at once; the customer hears music while the target rings and is connected
     * when it answers. A queue target puts the customer into that queue with their first arrival. If the
     * target fails, the transferring agent is rung back once.
     */
    public CompletableFuture<Conversation> blindTransfer(AgentId agent, String target) {
        Conversation c = require(agent);
        Participant leg = legOf(c, agent);
        busyTransfer(c);
        Participant customer = onlyOther(c, agent, "transfer");
        DialPlan.Target t = dialPlan.resolve(c.tenant(), target, true);
        if (agent.equals(t.agent())) {
            throw new ControlException(ControlException.INVALID_TARGET, 400, "an agent cannot transfer a call to themselves");
        }
        if (t.kind() == DialPlan.Kind.QUEUE) {
            log.info("conversation {}: agent {} transfers {} to queue {}", c.id(), agent, customer.channel(), t.queue());
            try {
                acd.transferIn(customer.channel(), new Party(customer.number(), customer.name()), c.tenant(), t.queue(), c.arrival());
            } catch (ControlException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ControlException(ControlException.INVALID_TARGET, 409, "queue " + t.queue().value() + " refused the call: "
                        + e.getMessage(), Map.of("target", target));
            }
            transferDone(c, agent, org.asteriskcti.server.acd.stats.QueueEvent.TransferKind.BLIND, t.label());
            leave(c, customer, -1);
            return request(c, "agent leaves", () -> asterisk.hangup(leg.channel(), HangupCause.NORMAL));
        }
        log.info("conversation {}: agent {} blind-transfers {} to {}", c.id(), agent, customer.channel(), t.label());
        CompletableFuture<Void> held = customer.state() == PartyState.CONNECTED ? holdParty(c, customer) : done();
        Participant p = originate(c, Role.THIRD_PARTY, t.agent(), t.endpoint(), t.number(), "", customer.channel(),
                callerIdOf(customer));
        c.blind(new Blind(agent, dialPlan.endpointOf(c.tenant(), agent), p.channel(), t.label(), false));
        request(c, "agent leaves", () -> asterisk.hangup(leg.channel(), HangupCause.NORMAL));
        changed(c);
        return held.thenCombine(p.originated, (a, b) -> c);
    }

    /** Attended: the customer is held and the target rung; the agent talks to it first. */
    public CompletableFuture<Conversation> consult(AgentId agent, String target) {
        Conversation c = require(agent);
        Participant leg = legOf(c, agent);
        busyTransfer(c);
        Participant customer = onlyOther(c, agent, "transfer");
        DialPlan.Target t = dialPlan.resolve(c.tenant(), target, true);
        if (t.kind() == DialPlan.Kind.QUEUE) {
            // Consulting a queue: the agent its distributor would pick now is rung, and talked to first.
            QueueId queue = t.queue();
            AgentId chosen = acd.agentForConsultation(queue, c.tenant(), agent).orElseThrow(() -> new ControlException(
                    ControlException.NO_AGENT, 409, "nobody in queue " + queue.value() + " is free to take the call now",
                    Map.of("target", target)));
            log.info("conversation {}: consulting queue {}: its next agent is {}", c.id(), queue.value(), chosen);
            t = dialPlan.resolve(c.tenant(), "agent:" + chosen.value(), false);
        }
        if (agent.equals(t.agent())) {
            throw new ControlException(ControlException.INVALID_TARGET, 400, "an agent cannot consult themselves");
        }
        CompletableFuture<Void> held = customer.state() == PartyState.CONNECTED ? holdParty(c, customer) : done();
        Participant p = originate(c, Role.THIRD_PARTY, t.agent(), t.endpoint(), t.number(), "", leg.channel(),
                callerIdOf(customer));
        c.consultation(new Consultation(agent, leg.channel(), p.channel(), t.label()));
        log.info("conversation {}: agent {} consults {} ({}), customer {} held", c.id(), agent, t.label(), p.channel(), customer.channel());
        changed(c);
        return held.thenCombine(p.originated, (a, b) -> c);
    }

    /** Talk to the other one: the customer and the target change places (held / connected). */
    public CompletableFuture<Conversation> swap(AgentId agent) {
        Conversation c = require(agent);
        Consultation k = consultation(c, agent);
        if (k.state == TransferState.RINGING_TARGET) {
            throw notPossible("swap", "the target has not answered yet");
        }
        Participant target = c.party(k.target).orElseThrow();
        List<Participant> customers = heldOrConnectedOthers(c, agent, k.target);
        if (k.state == TransferState.TALKING_TO_TARGET) {
            k.go(TransferState.TALKING_TO_CUSTOMER);
            CompletableFuture<Void> a = holdParty(c, target);
            customers.forEach(p -> unholdParty(c, p));
            changed(c);
            return a.thenApply(x -> c);
        }
        k.go(TransferState.TALKING_TO_TARGET);
        customers.forEach(p -> holdParty(c, p));
        CompletableFuture<Void> b = unholdParty(c, target);
        changed(c);
        return b.thenApply(x -> c);
    }

    /** The customer goes to the target; the agent leaves (and goes to wrap-up for an ACD call). */
    public CompletableFuture<Conversation> completeTransfer(AgentId agent) {
        Conversation c = require(agent);
        Consultation k = consultation(c, agent);
        Participant leg = legOf(c, agent);
        if (k.state == TransferState.RINGING_TARGET) {
            // Completing before the answer: the customer is handed over when the target answers.
            k.completeOnAnswer = true;
        } else {
            c.consultation(null);
            c.active().stream().filter(p -> p.state() == PartyState.HELD).forEach(p -> unholdParty(c, p));
            transferDone(c, k.agent, org.asteriskcti.server.acd.stats.QueueEvent.TransferKind.ATTENDED, k.targetLabel);
        }
        log.info("conversation {}: agent {} completes the transfer to {}", c.id(), agent, k.targetLabel);
        changed(c);
        return request(c, "agent leaves", () -> asterisk.hangup(leg.channel(), HangupCause.NORMAL));
    }

    /** Back to the customer: the target is hung up. */
    public CompletableFuture<Conversation> cancelTransfer(AgentId agent) {
        Conversation c = require(agent);
        Consultation k = consultation(c, agent);
        c.consultation(null);
        log.info("conversation {}: agent {} cancels the transfer to {}", c.id(), agent, k.targetLabel);
        c.party(k.target).ifPresent(t -> hangupParty(c, t));
        c.active().stream().filter(p -> p.state() == PartyState.HELD && !p.channel().equals(k.target))
                .forEach(p -> unholdParty(c, p));
        changed(c);
        return c.chain.thenApply(x -> c);
    }

    /** All three talk together; the consultation becomes a conference. */
    public CompletableFuture<Conversation> conferenceIn(AgentId agent) {
        Conversation c = require(agent);
        Consultation k = consultation(c, agent);
        if (k.state == TransferState.RINGING_TARGET) {
            throw notPossible("conference", "the target has not answered yet");
        }
        c.consultation(null);
        log.info("conversation {}: agent {} joins everyone with {}", c.id(), agent, k.targetLabel);
        c.active().stream().filter(p -> p.state() == PartyState.HELD).forEach(p -> unholdParty(c, p));
        changed(c);
        return c.chain.thenApply(x -> c);
    }

    // ---- conference ---------------------------------------------------------------------------------------

    /** Dials a party straight into the call (everyone hears it ring in; they talk when it answers). */
    public CompletableFuture<Conversation> addParty(AgentId agent, String target) {
        Conversation c = require(agent);
        Participant leg = legOf(c, agent);
        busyTransfer(c);
        DialPlan.Target t = dialPlan.resolve(c.tenant(), target, false);
        if (t.agent() != null && c.agentLeg(t.agent()).isPresent()) {
            throw new ControlException(ControlException.INVALID_TARGET, 409, t.label() + " is already in the call");
        }
        Participant p = originate(c, Role.THIRD_PARTY, t.agent(), t.endpoint(), t.number(), "", leg.channel(),
                callerIdOf(c.active().stream().filter(x -> x.role() == Role.CUSTOMER).findFirst().orElse(leg)));
        log.info("conversation {}: agent {} adds {} ({})", c.id(), agent, t.label(), p.channel());
        changed(c);
        return p.originated.thenApply(x -> c);
    }

    /** Removes a participant (hangs up its channel). */
    public CompletableFuture<Conversation> kick(Conversation c, ChannelId party) {
        Participant p = c.party(party).filter(x -> x.state() != PartyState.GONE).orElseThrow(() -> unknownParty(party));
        log.info("conversation {}: {} is removed", c.id(), p);
        return request(c, "kick " + party, () -> asterisk.hangup(p.channel(), HangupCause.NORMAL));
    }

    // ---- pickup ---------------------------------------------------------------------------------------------

    /**
     * Agent {@code by} takes a leg that rings at agent {@code ringing} for a conversation (a transfer
     * target, a colleague being dialled, a conference invitation): that phone stops ringing and
     * {@code by}'s rings instead, in the same place of the conversation. (ACD offers are picked up in the
     * ACD, which re-offers the caller.)
     */
    public CompletableFuture<Conversation> pickupRinging(AgentId ringing, AgentId by) {
        Conversation c = byAgent.get(ringing);
        Participant p = c == null ? null : c.agentLeg(ringing).filter(x -> x.state() == PartyState.DIALLING).orElse(null);
        if (p == null || (c.pendingDial != null && p.role() == Role.AGENT)) {
            throw new ControlException(ControlException.NOT_WAITING, 409, "nothing rings at agent " + ringing.value()
                    + " that can be picked up", Map.of("agent", ringing.value()));
        }
        if (byAgent.containsKey(by)) {
            throw new ControlException(ControlException.AGENT_BUSY, 409, "agent " + by.value() + " is already on a call",
                    Map.of("agent", by.value()));
        }
        String endpoint = dialPlan.endpointOf(c.tenant(), by);
        if (endpoint == null) {
            throw new ControlException(ControlException.NO_PHONE, 409, "agent " + by.value() + " has no phone",
                    Map.of("agent", by.value()));
        }
        ChannelId originator = c.active().stream().filter(Participant::present).map(Participant::channel).findFirst().orElse(null);
        Participant q = originate(c, p.role(), by, endpoint, p.number(), p.name(), originator, null);
        Consultation k = c.consultation();
        if (k != null && k.target.equals(p.channel())) {
            k.target = q.channel();
        }
        Blind b = c.blind();
        if (b != null && b.target().equals(p.channel())) {
            c.blind(new Blind(b.agent(), b.agentEndpoint(), q.channel(), b.targetLabel(), b.recalled()));
        }
        log.info("conversation {}: agent {} picks up the leg ringing at agent {} ({} -> {})", c.id(), by, ringing,
                p.channel(), q.channel());
        hangupParty(c, p); // out of the maps first: its hangup is not a failed target
        changed(c);
        return q.originated.thenApply(x -> c);
    }

    // ---- supervision (driven by Supervision) --------------------------------------------------------------

    /**
     * Moves a supervisor's phone leg into the conversation's bridge, after the conversation's pending
     * requests. Completes when Asterisk did it; the party appears with {@link #supervisorJoined}.
     */
    CompletableFuture<Void> bridgeSupervisor(Conversation c, ChannelId phone) {
        loop.assertInLoop();
        CompletableFuture<Void> r = c.chain.thenCompose(x -> asterisk.addToBridge(c.bridge(), phone));
        c.chain = r.handle((x, e) -> null);
        return r;
    }

    /** The supervisor's phone is in the bridge: a {@link Role#SUPERVISOR} party everyone hears (barge). */
    void supervisorJoined(Conversation c, ChannelId phone, String number, String name) {
        loop.assertInLoop();
        if (c.ended() || c.party(phone).filter(p -> p.state() != PartyState.GONE).isPresent()) {
            return;
        }
        c.add(new Participant(phone, Role.SUPERVISOR, null, number, name, PartyState.CONNECTED, loop.clock().instant()));
        byChannel.put(phone, c);
        log.info("conversation {}: supervisor {} barges in ({})", c.id(), name, phone);
        changed(c);
    }

    /**
     * The supervisor's phone left the bridge (back to listening, or the session ended); it is not hung up
     * here. A mute given to it as a party is lifted: whispering needs its voice.
     */
    void supervisorLeft(Conversation c, ChannelId phone) {
        loop.assertInLoop();
        Participant p = c.party(phone).filter(x -> x.role() == Role.SUPERVISOR && x.state() != PartyState.GONE).orElse(null);
        if (p == null) {
            return;
        }
        if (p.muted()) {
            p.muted(false);
            step(c, "unmute " + phone, () -> asterisk.unmuteInput(phone));
        }
        p.go(PartyState.GONE, loop.clock().instant());
        byChannel.remove(phone, c);
        c.touch();
        changed(c);
    }

    // ---- events -------------------------------------------------------------------------------------------

    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.StasisStarted s) {
            if (!s.args().isEmpty() && APP_ARG.equals(s.args().get(0))) {
                answered(s.channel().id());
            }
        } else if (event instanceof AsteriskEvent.ChannelHungUp h) {
            gone(h.channel(), h.cause());
        } else if (event instanceof AsteriskEvent.StasisEnded s) {
            gone(s.channel(), -1);
        } else if (event instanceof AsteriskEvent.ResyncSnapshot r && r.meta().source() == org.asteriskcti.server.asterisk.Source.ARI) {
            resync(r);
        }
    }

    /**
     * After every ARI (re)connect, Asterisk's truth: parties whose channels went meanwhile leave their
     * conversations; channels marked as parties of a conversation we do not know (a CTI restart) are
     * taken back: in the conversation's bridge = CONNECTED, up elsewhere = HELD, still ringing = hung
     * up (a dial attempt cannot be resumed).
     */
    private void resync(AsteriskEvent.ResyncSnapshot r) {
        Map<ChannelId, org.asteriskcti.server.asterisk.ChannelSnapshot> listed = new HashMap<>();
        r.channels().forEach(ch -> listed.put(ch.id(), ch));
        java.util.Set<ChannelId> known = new java.util.HashSet<>(byChannel.keySet());
        for (Conversation c : List.copyOf(conversations.values())) {
            for (Participant p : c.active()) {
                if (!listed.containsKey(p.channel()) && !c.ended()) {
                    log.info("conversation {}: {} went while ARI was down", c.id(), p.channel());
                    leave(c, p, 16);
                }
            }
        }
        Map<ChannelId, BridgeId> bridgeOf = new HashMap<>();
        for (org.asteriskcti.server.asterisk.BridgeSnapshot b : r.bridges()) {
            b.channels().forEach(ch -> bridgeOf.put(ch, b.id()));
        }
        List<Conversation> restored = new ArrayList<>();
        Instant now = loop.clock().instant();
        for (org.asteriskcti.server.asterisk.ChannelSnapshot ch : r.channels()) {
            String id = ch.var(CONVERSATION_VAR);
            String party = ch.var(PARTY_VAR);
            String tenant = ch.var(TENANT_VAR);
            if (id == null || id.isBlank() || party == null || party.isBlank() || known.contains(ch.id())
                    || byChannel.containsKey(ch.id())) {
                continue;
            }
            String survey = ch.var(SURVEY_VAR);
            if (survey != null && !survey.isBlank()) {
                continue; // out of its call already: the survey's (it ends those it does not know)
            }
            if (ch.state() != org.asteriskcti.server.asterisk.ChannelState.UP) {
                log.info("channel {} of conversation {} was still ringing when the CTI went; hanging up", ch.id(), id);
                asterisk.hangup(ch.id(), HangupCause.NORMAL).exceptionally(e -> null);
                continue;
            }
            Conversation c = conversations.get(id);
            if (c == null) {
                if (tenant == null || tenant.isBlank()) {
                    log.warn("channel {} of conversation {} has no tenant; leaving it alone", ch.id(), id);
                    continue;
                }
                c = new Conversation(id, TenantId.of(tenant), BridgeId.of(id), id.startsWith("acd-mix-")
                        ? Conversation.Origin.ACD : Conversation.Origin.DIAL, ch.createdAt() != null ? ch.createdAt() : now, null, null);
                c.talked = true;
                register(c);
                restored.add(c);
            }
            String[] roleAgent = party.split(",", 2);
            Role role;
            try {
                role = Role.valueOf(roleAgent[0]);
            } catch (IllegalArgumentException e) {
                log.warn("channel {}: unknown {} '{}'; leaving it alone", ch.id(), PARTY_VAR, party);
                continue;
            }
            AgentId agent = roleAgent.length > 1 && !roleAgent[1].isBlank() ? AgentId.of(roleAgent[1]) : null;
            boolean inBridge = c.bridge().equals(bridgeOf.get(ch.id()));
            Participant p = c.add(new Participant(ch.id(), role, agent, role == Role.AGENT ? "" : ch.caller().number(),
                    role == Role.AGENT ? "" : ch.caller().name(), PartyState.CONNECTED, now));
            if (!inBridge) {
                p.go(PartyState.HELD, now);
            }
            byChannel.put(ch.id(), c);
            if (agent != null) {
                byAgent.put(agent, c);
            }
            log.info("conversation {}: {} taken back after a restart ({})", c.id(), ch.id(), p.state());
            if (!restored.contains(c)) {
                restored.add(c);
            }
        }
        for (Conversation c : restored) {
            settle(c, null);
            changed(c);
        }
    }

    private void answered(ChannelId channel) {
        Conversation c = byChannel.get(channel);
        Participant p = c == null ? null : c.party(channel).orElse(null);
        if (p == null || c.ended() || p.state() != PartyState.DIALLING) {
            log.info("leg {} answered, but no conversation waits for it; hanging up", channel);
            asterisk.hangup(channel, HangupCause.NORMAL).exceptionally(e -> null);
            return;
        }
        Instant now = loop.clock().instant();
        p.go(PartyState.CONNECTED, now);
        c.talked |= c.active().stream().filter(Participant::present).count() >= 2;
        Consultation k = c.consultation();
        Blind b = c.blind();
        if (k != null && k.target.equals(channel)) {
            if (k.completeOnAnswer) {
                c.consultation(null);
                step(c, "target joins", () -> asterisk.addToBridge(c.bridge(), channel));
                c.active().stream().filter(x -> x.state() == PartyState.HELD).forEach(x -> unholdParty(c, x));
                transferDone(c, k.agent, org.asteriskcti.server.acd.stats.QueueEvent.TransferKind.ATTENDED, k.targetLabel);
            } else {
                k.go(TransferState.TALKING_TO_TARGET);
                step(c, "target joins", () -> asterisk.addToBridge(c.bridge(), channel));
            }
        } else if (b != null && b.target().equals(channel)) {
            c.blind(null);
            if (!b.recalled()) {
                transferDone(c, b.agent(), org.asteriskcti.server.acd.stats.QueueEvent.TransferKind.BLIND, b.targetLabel());
            }
            step(c, "transfer target joins", () -> asterisk.addToBridge(c.bridge(), channel));
            c.active().stream().filter(x -> x.state() == PartyState.HELD).forEach(x -> unholdParty(c, x));
        } else {
            step(c, "join bridge", () -> asterisk.addToBridge(c.bridge(), channel));
            DialPlan.Target next = c.pendingDial;
            if (next != null && p.role() == Role.AGENT) {
                c.pendingDial = null;
                log.info("conversation {}: agent answered; dialling {}", c.id(), next.label());
                originate(c, Role.CUSTOMER, next.agent(), next.endpoint(), next.number(), "", channel,
                        next.kind() == DialPlan.Kind.EXTERNAL ? dialPlan.callerIdFor(c.tenant()) : null);
            }
        }
        changed(c);
    }

    private void gone(ChannelId channel, int cause) {
        Conversation c = byChannel.get(channel);
        if (c == null) {
            return;
        }
        Participant p = c.party(channel).orElse(null);
        if (p == null || p.state() == PartyState.GONE) {
            return;
        }
        leave(c, p, cause);
    }

    /** A party is out of the conversation (hung up, failed, or moved to a queue). */
    private void leave(Conversation c, Participant p, int cause) {
        boolean wasDialling = p.state() == PartyState.DIALLING;
        p.go(PartyState.GONE, loop.clock().instant());
        p.cause(cause);
        byChannel.remove(p.channel(), c);
        if (p.agent() != null) {
            byAgent.remove(p.agent(), c);
        }
        c.touch();
        if (c.pendingDial != null && p.role() == Role.AGENT) {
            c.pendingDial = null;
            c.why = "agent's phone: " + causeText(cause);
        } else if (wasDialling && p.role() == Role.CUSTOMER && !c.talked) {
            c.why = causeText(cause);
        }
        Consultation k = c.consultation();
        if (k != null && k.target.equals(p.channel())) {
            c.consultation(null);
            if (k.completeOnAnswer) {
                log.info("conversation {}: transfer target {} {} after the agent left", c.id(), k.targetLabel, wasDialling ? "failed" : "hung up");
            } else {
                log.info("conversation {}: transfer target {} {}; agent {} gets the customer back", c.id(), k.targetLabel,
                        wasDialling ? "failed (" + causeText(cause) + ")" : "hung up", k.agent);
                c.active().stream().filter(x -> x.state() == PartyState.HELD).forEach(x -> unholdParty(c, x));
            }
        } else if (k != null && k.agentLeg.equals(p.channel())) {
            if (k.state == TransferState.RINGING_TARGET) {
                k.completeOnAnswer = true; // the agent hung up first: hand over on answer
            } else {
                c.consultation(null); // the agent hung up: transfer complete
                c.active().stream().filter(x -> x.state() == PartyState.HELD).forEach(x -> unholdParty(c, x));
                transferDone(c, k.agent, org.asteriskcti.server.acd.stats.QueueEvent.TransferKind.ATTENDED, k.targetLabel);
            }
        }
        Blind b = c.blind();
        if (b != null && b.target().equals(p.channel())) {
            c.blind(null);
            if (!b.recalled() && b.agentEndpoint() != null && c.active().stream().anyMatch(x -> x.state() == PartyState.HELD)) {
                log.info("conversation {}: transfer to {} failed ({}); ringing agent {} back", c.id(), b.targetLabel(),
                        causeText(cause), b.agent());
                Participant held = c.active().stream().filter(x -> x.state() == PartyState.HELD).findFirst().orElseThrow();
                Participant back = originate(c, Role.AGENT, b.agent(), b.agentEndpoint(), "", "", held.channel(),
                        callerIdOf(held));
                c.blind(new Blind(b.agent(), b.agentEndpoint(), back.channel(), "agent:" + b.agent().value() + " (recall)", true));
                byAgent.putIfAbsent(b.agent(), c);
            } else {
                log.info("conversation {}: transfer to {} failed ({})", c.id(), b.targetLabel(), causeText(cause));
            }
        }
        settle(c, p);
        changed(c);
    }

    /**
     * Ends the conversation when nobody could still talk to anybody; {@code left} is the party whose
     * leaving was the last change (null: none, e.g. a rebuild after a restart).
     */
    private void settle(Conversation c, Participant left) {
        if (c.ended()) {
            return;
        }
        int present = 0;
        int dialling = 0;
        boolean everConnected = false;
        for (Participant p : c.parties()) {
            if (p.role() == Role.SUPERVISOR) {
                continue; // a barging supervisor never keeps a call going on their own
            }
            if (p.present()) {
                present++;
            } else if (p.state() == PartyState.DIALLING) {
                dialling++;
            }
            everConnected |= p.joinedAt() != null;
        }
        boolean pending = c.consultation() != null || c.blind() != null || c.pendingDial != null;
        boolean over;
        if (pending) {
            over = present == 0 && !(c.pendingDial != null && dialling > 0);
        } else if (!everConnected) {
            over = dialling == 0;
        } else {
            over = present == 0 || (present == 1 && dialling == 0);
        }
        if (!over) {
            return;
        }
        c.end(c.talked ? Conversation.End.COMPLETED : Conversation.End.FAILED,
                c.talked ? null : c.why != null ? c.why : "nobody answered");
        conversations.remove(c.id(), c);
        Participant surveyed = surveyed(c, left);
        for (Participant p : c.active()) {
            if (p != surveyed) {
                hangupParty(c, p);
            }
        }
        c.consultation(null);
        c.blind(null);
        BridgeId bridge = c.bridge();
        if (surveyed != null) {
            boolean held = surveyed.state() == PartyState.HELD;
            releaseParty(c, surveyed);
            if (held) {
                step(c, "stop music to " + surveyed.channel(), () -> asterisk.stopMusic(surveyed.channel()));
            }
        }
        CompletableFuture<Void> destroyed = c.chain.thenCompose(x -> asterisk.destroyBridge(bridge)).exceptionally(e -> null);
        if (surveyed != null) {
            QueueId queue = c.queue().orElseThrow();
            EntryId entry = c.entry().orElseThrow();
            log.info("conversation {}: agent {} hung up last; customer {} goes to queue {}'s survey", c.id(), left.agent(),
                    surveyed.channel(), queue);
            try {
                surveys.take(surveyed.channel(), c.tenant(), queue, entry, left.agent(), destroyed);
            } catch (RuntimeException e) {
                log.warn("conversation {}: the survey refused customer {} ({}); hanging up", c.id(), surveyed.channel(),
                        e.toString());
                asterisk.hangup(surveyed.channel(), HangupCause.NORMAL).exceptionally(x -> null);
            }
        }
    }

    /**
     * The party kept on the line for a post-call survey as the conversation ends, or null: the customer of
     * an ACD call (its queue and entry known) whose queue has a survey, when an agent was the last to leave
     * and the customer is the only party still there (connected or held).
     */
    private Participant surveyed(Conversation c, Participant left) {
        if (left == null || left.agent() == null || left.state() != PartyState.GONE || left.joinedAt() == null
                || c.origin() != Conversation.Origin.ACD || c.queue().isEmpty() || c.entry().isEmpty() || !c.talked
                || !surveys.offers(c.queue().get())) {
            return null;
        }
        List<Participant> remaining = c.active().stream().filter(p -> p.role() != Role.SUPERVISOR).toList();
        if (remaining.size() != 1) {
            return null;
        }
        Participant p = remaining.get(0);
        return p.role() == Role.CUSTOMER && p.present() ? p : null;
    }

    /** Out of the conversation without being hung up (its channel is someone else's now). */
    private void releaseParty(Conversation c, Participant p) {
        p.go(PartyState.GONE, loop.clock().instant());
        byChannel.remove(p.channel(), c);
        c.touch();
    }

    private void hangupParty(Conversation c, Participant p) {
        if (p.state() == PartyState.GONE) {
            return;
        }
        p.go(PartyState.GONE, loop.clock().instant());
        byChannel.remove(p.channel(), c);
        if (p.agent() != null) {
            byAgent.remove(p.agent(), c);
        }
        c.touch();
        asterisk.hangup(p.channel(), HangupCause.NORMAL).whenCompleteAsync((x, err) -> {
            if (err != null && !notFound(err)) {
                log.warn("conversation {}: could not hang up {}: {}", c.id(), p.channel(), describe(err));
            }
        }, loop);
    }

    // ---- building blocks ----------------------------------------------------------------------------------

    private Participant originate(Conversation c, Role role, AgentId agent, String endpoint, String number, String name,
            ChannelId originator, String callerId) {
        ChannelId id = ChannelId.of(prefix + seq.incrementAndGet());
        Participant p = c.add(new Participant(id, role, agent, number, name, PartyState.DIALLING, loop.clock().instant()));
        byChannel.put(id, c);
        if (agent != null) {
            byAgent.putIfAbsent(agent, c);
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put(CONVERSATION_VAR, c.id());
        vars.put(TENANT_VAR, c.tenant().value());
        vars.put(PARTY_VAR, partyValue(role, agent));
        AsteriskCommands.Originate o = new AsteriskCommands.Originate(id, endpoint, List.of(APP_ARG, c.id()), originator,
                callerId, ringTimeout, vars);
        log.info("conversation {}: dialling {} as {} ({})", c.id(), endpoint, role, id);
        CompletableFuture<Void> r = c.chain.thenCompose(x -> asterisk.originate(o));
        c.chain = r.handle((x, e) -> null);
        p.originated = r.handle((x, err) -> {
            if (err == null) {
                return null;
            }
            throw new CompletionException(new ControlException(ControlException.ASTERISK_FAILED, 502,
                    "Asterisk could not dial " + number + ": " + describe(err)));
        });
        r.whenCompleteAsync((x, err) -> {
            if (err != null && p.state() == PartyState.DIALLING) {
                log.warn("conversation {}: could not dial {}: {}", c.id(), endpoint, describe(err));
                leave(c, p, -1);
            }
        }, loop);
        return p;
    }

    private CompletableFuture<Void> holdParty(Conversation c, Participant p) {
        if (p.state() != PartyState.CONNECTED) {
            return done();
        }
        p.go(PartyState.HELD, loop.clock().instant());
        c.touch();
        step(c, "take " + p.channel() + " out of the bridge", () -> asterisk.removeFromBridge(c.bridge(), p.channel()));
        return step(c, "music on hold to " + p.channel(), () -> asterisk.startMusic(p.channel(), mohClass));
    }

    private CompletableFuture<Void> unholdParty(Conversation c, Participant p) {
        if (p.state() != PartyState.HELD) {
            return done();
        }
        p.go(PartyState.CONNECTED, loop.clock().instant());
        c.touch();
        step(c, "stop music to " + p.channel(), () -> asterisk.stopMusic(p.channel()));
        return step(c, "put " + p.channel() + " back into the bridge", () -> asterisk.addToBridge(c.bridge(), p.channel()));
    }

    /** Runs {@code op} after the conversation's previous requests; a failure is logged, the chain goes on. */
    private CompletableFuture<Void> step(Conversation c, String what, Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> r = c.chain.thenCompose(x -> op.get());
        c.chain = r.handle((x, e) -> null);
        r.whenCompleteAsync((x, err) -> {
            if (err != null) {
                if (notFound(err)) {
                    log.info("conversation {}: {}: gone", c.id(), what);
                } else {
                    log.warn("conversation {}: {} failed: {}", c.id(), what, describe(err));
                }
            }
        }, loop);
        return r.exceptionally(e -> null);
    }

    /** A command's request: its failure is the command's failure ({@code call.asterisk_failed}). */
    private CompletableFuture<Conversation> request(Conversation c, String what, Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> r = c.chain.thenCompose(x -> op.get());
        c.chain = r.handle((x, e) -> null);
        return r.handle((x, err) -> {
            if (err == null) {
                return c;
            }
            if (notFound(err)) {
                return c; // the channel went meanwhile: the outcome the command wanted
            }
            throw new CompletionException(new ControlException(ControlException.ASTERISK_FAILED, 502,
                    what + " failed: " + describe(err)));
        });
    }

    private void changed(Conversation c) {
        try {
            listener.conversationChanged(c);
        } catch (RuntimeException e) {
            log.error("conversation listener failed for {}", c.id(), e);
        }
        for (Listener w : watchers) {
            try {
                w.conversationChanged(c);
            } catch (RuntimeException e) {
                log.error("conversation watcher failed for {}", c.id(), e);
            }
        }
    }

    // ---- checks -------------------------------------------------------------------------------------------

    private void busyTransfer(Conversation c) {
        if (c.consultation() != null || c.blind() != null) {
            throw new ControlException(ControlException.TRANSFER_IN_PROGRESS, 409, "a transfer is already in progress on this call");
        }
        if (c.pendingDial != null) {
            throw notPossible("transfer", "the call is still being set up");
        }
    }

    private Consultation consultation(Conversation c, AgentId agent) {
        Consultation k = c.consultation();
        if (k == null || !k.agent.equals(agent)) {
            throw new ControlException(ControlException.NO_TRANSFER, 409, "no attended transfer of agent " + agent.value()
                    + " is in progress", Map.of("agent", agent.value()));
        }
        return k;
    }

    /** The one other party of a two-party call. */
    private Participant onlyOther(Conversation c, AgentId agent, String what) {
        List<Participant> others = new ArrayList<>();
        for (Participant p : c.active()) {
            if (!agent.equals(p.agent()) && p.role() != Role.SUPERVISOR) {
                others.add(p);
            }
        }
        if (others.size() != 1) {
            throw notPossible(what, others.isEmpty() ? "nobody else is on the call"
                    : "the call has " + (others.size() + 1) + " parties (use the conference commands)");
        }
        Participant p = others.get(0);
        if (p.state() == PartyState.DIALLING) {
            throw notPossible(what, "the other party has not answered yet");
        }
        return p;
    }

    private static List<Participant> heldOrConnectedOthers(Conversation c, AgentId agent, ChannelId except) {
        return c.active().stream().filter(p -> !agent.equals(p.agent()) && !p.channel().equals(except) && p.present()
                && p.role() != Role.SUPERVISOR).toList();
    }

    private static ControlException notPossible(String what, String why) {
        return new ControlException(ControlException.NOT_POSSIBLE, 409, "cannot " + what + ": " + why);
    }

    private static ControlException unknownParty(ChannelId party) {
        return new ControlException(ControlException.UNKNOWN_PARTY, 404, "no participant '" + party.value() + "' in this call",
                Map.of("participant", party.value()));
    }

    private static String display(String number, String label) {
        return "\"" + label.replace("\"", "") + "\" <" + number.replaceAll("[^0-9+*#]", "") + ">";
    }

    private static String callerIdOf(Participant p) {
        if (p.number().isEmpty()) {
            return null;
        }
        return p.name().isEmpty() ? "<" + p.number() + ">" : "\"" + p.name().replace("\"", "") + "\" <" + p.number() + ">";
    }

    static String causeText(int cause) {
        return switch (cause) {
            case 16 -> "normal clearing";
            case 17 -> "busy";
            case 18, 19 -> "no answer";
            case 21 -> "rejected";
            case 1, 3, 28 -> "number unreachable";
            case -1 -> "failed";
            default -> "cause " + cause;
        };
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    static boolean notFound(Throwable err) {
        return AriException.isNotFound(err);
    }

    static String describe(Throwable err) {
        return AriException.describeFailure(err);
    }
}
