package org.asteriskcti.server.acd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.OfferOutcome;
import org.asteriskcti.server.acd.stats.QueueEvent.OverflowReason;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.acd.stats.QueueStatistics;
import org.asteriskcti.server.agent.Agent;
import org.asteriskcti.server.agent.AgentError;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentStateChanged;
import org.asteriskcti.server.agent.AgentStateException;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.RequestedState;
import org.asteriskcti.server.agent.RingFailure;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD: owns the agents, the queues and the callers in them, on the domain loop. Every public
 * method is an input and must be called on the loop; each runs to completion without blocking, and
 * its consequences go out through the {@link AcdPort} (commands, then events) and into the
 * {@link QueueEventLog}. Timers (ring timeout, max wait, wrap-up end, position announcements) are
 * {@link DomainLoop#schedule} timers, cancelled as soon as what they guard is over.
 *
 * <p>After every input the {@link Distributor} is asked for offers: each moves one caller WAITING →
 * OFFERING and one agent READY → RESERVED, starts the ring timer and asks the port to ring.
 *
 * <p>Two kinds of input, two ways of failing: commands from agents and supervisors (login, ready,
 * force...) and from the edge on the caller's behalf ({@link #enqueue}, {@link #requestCallback})
 * are refused with a typed exception ({@link AgentStateException}, {@link AcdException}) and change
 * nothing. Facts from Asterisk about legs the ACD no longer expects (an agent leg answering just
 * after its ring timed out, a hangup after the caller already left) are normal races: they are
 * logged in one line and ignored, since the ACD has already told the port to undo them.
 */
public final class AcdService {

    private static final Logger log = LoggerFactory.getLogger(AcdService.class);

    private final DomainLoop loop;
    private final Clock clock;
    private final AcdPort port;
    private final QueueEventLog events;
    private final Duration waitEstimateCap;
    private final HandleTimes handleTimes;
    private final java.util.function.Function<TenantId, java.time.ZoneId> zoneOf;
    private final Map<QueueId, QueueDefinition> queues = new LinkedHashMap<>();
    private final Map<AgentId, Agent> agents = new TreeMap<>();
    private final org.asteriskcti.server.agent.NotReadyReasons notReadyReasons;

    /** Entries WAITING, OFFERING or CONNECTED; final ones are dropped. */
    private final Map<EntryId, QueueEntry> entries = new LinkedHashMap<>();
    private final Map<ChannelId, QueueEntry> byCaller = new HashMap<>();
    /** The entry an agent is being offered (RESERVED) or talking to (CONNECTED). */
    private final Map<AgentId, QueueEntry> agentEntry = new HashMap<>();
    /** Calls that ended whose wrap-up is not over: the Completed event waits for the wrap-up time. */
    private final Map<AgentId, Handled> wrapping = new HashMap<>();

    private final Timers<EntryId> ringTimers = new Timers<>();
    private final Timers<EntryId> maxWaitTimers = new Timers<>();
    private final Timers<EntryId> announceTimers = new Timers<>();
    private final Timers<AgentId> wrapUpTimers = new Timers<>();

    private long entrySeq;
    private boolean distributing;
    private boolean distributeAgain;

    private record Handled(QueueId queue, EntryId entry, Duration talk, Duration hold) {}

    public AcdService(DomainLoop loop, AcdPort port, QueueEventLog events, AcdConfig config) {
        this.loop = loop;
        // One instant per input: every event an input causes is logged at the same time, in order.
        this.clock = loop.taskClock();
        this.port = port;
        this.events = events;
        this.waitEstimateCap = config.waitEstimateCap();
        this.handleTimes = new HandleTimes(config.handleTimeWindow());
        this.zoneOf = config::zoneOf;
        this.notReadyReasons = config.notReadyReasons();
        for (QueueDefinition q : config.queues()) {
            if (queues.put(q.id(), q) != null) {
                throw invalid("queue '" + q.id() + "' is defined twice");
            }
        }
        queues.values().forEach(this::checkOverflowChain);
        for (AgentProfile p : config.agents()) {
            for (QueueId q : p.queues()) {
                QueueDefinition def = queues.get(q);
                if (def == null || !def.tenant().equals(p.tenant())) {
                    throw invalid("agent '" + p.id() + "' serves queue '" + q + "', which tenant '" + p.tenant() + "' does not have");
                }
            }
            Agent a = new Agent(p, config.zoneOf(p.tenant()), config.notReadyReasons().forTenant(p.tenant()), clock,
                    this::agentChanged);
            if (agents.put(p.id(), a) != null) {
                throw invalid("agent '" + p.id() + "' is defined twice");
            }
        }
        // A log restored after a restart: wait estimates go on from the handle times stored before it.
        for (QueueEvent e : events.events()) {
            if (e instanceof QueueEvent.Completed c && queues.containsKey(c.queue())) {
                handleTimes.record(c.queue(), c.handleTime());
            }
        }
    }

    private void checkOverflowChain(QueueDefinition start) {
        Set<QueueId> seen = new HashSet<>();
        seen.add(start.id());
        QueueDefinition q = start;
        while (q.overflow().orElse(null) instanceof OverflowTarget.ToQueue to) {
            QueueDefinition target = queues.get(to.queue());
            if (target == null || !target.tenant().equals(q.tenant())) {
                throw invalid("queue '" + q.id() + "' overflows to '" + to.queue() + "', which tenant '" + q.tenant() + "' does not have");
            }
            if (!seen.add(target.id())) {
                throw invalid("queue '" + start.id() + "' overflows in a circle back to '" + target.id() + "'");
            }
            q = target;
        }
    }

    private static AcdException invalid(String message) {
        return new AcdException(AcdError.INVALID_CONFIG, message);
    }

    // ---- inputs: callers ------------------------------------------------------------------------------

    /**
     * Puts a caller in a queue. A queue already at its max size sends them straight to its overflow
     * target; so does a max wait already over (a caller restored after a long outage).
     *
     * @return the new entry's id
     */
    public EntryId enqueue(EnqueueRequest request) {
        loop.assertInLoop();
        QueueDefinition q = queueOf(request.queue());
        if (byCaller.containsKey(request.caller())) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "caller " + request.caller() + " is already in queue "
                    + byCaller.get(request.caller()).queueId(), Map.of("caller", request.caller().value()));
        }
        EntryId id = admit(request, q);
        distribute();
        return id;
    }

    /**
     * A caller who waited in a queue before a CTI restart, rebuilt from what their channel remembers:
     * back in line under their old entry id with their original arrival time (so at their old place),
     * not counted as a newly offered call. Restore callers in their old order.
     */
    public EntryId restoreWaiting(EnqueueRequest request, EntryId original) {
        loop.assertInLoop();
        requireRestorable(request, original);
        EntryId id = admit(request, queueOf(request.queue()), original);
        distribute();
        return id;
    }

    /**
     * A call connected to an agent before a CTI restart and still up on Asterisk: the entry is CONNECTED
     * again (since {@code connectedAt}, so its talk time is whole) and the agent, logged out by the
     * restart, is ON_CALL with it. Nothing goes into the statistics log: its Entered and Answered
     * events were written before the restart; the Completed event follows as usual.
     */
    public void restoreConnected(EnqueueRequest request, EntryId original, AgentId agent, Instant connectedAt) {
        loop.assertInLoop();
        requireRestorable(request, original);
        QueueDefinition q = queueOf(request.queue());
        Agent a = agentOf(agent);
        if (agentEntry.containsKey(agent)) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "agent " + agent + " already has entry "
                    + agentEntry.get(agent).id(), Map.of("agent", agent.value()));
        }
        a.restoreOnCall();
        QueueEntry e = new QueueEntry(original, q, request, ++entrySeq, request.enqueuedAt(), clock);
        entries.put(e.id(), e);
        byCaller.put(e.caller(), e);
        port.entryChanged(new EntryChanged(e.view(), null, clock.instant()));
        port.entryChanged(e.offer(agent));
        agentEntry.put(agent, e);
        port.entryChanged(e.connect(connectedAt));
        log.info("entry {} restored CONNECTED to agent {} (since {})", e.id(), agent, connectedAt);
    }

    private void requireRestorable(EnqueueRequest request, EntryId original) {
        if (request.origin() != EntryOrigin.RESTORED) {
            throw new IllegalArgumentException("a restored entry needs origin RESTORED, not " + request.origin());
        }
        if (byCaller.containsKey(request.caller())) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "caller " + request.caller() + " is already in queue "
                    + byCaller.get(request.caller()).queueId(), Map.of("caller", request.caller().value()));
        }
        if (entries.containsKey(original)) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "entry " + original + " already exists",
                    Map.of("entry", original.value()));
        }
    }

    /** The caller's channel hung up: abandoned while waiting or ringing, or the end of a connected call. */
    public void callerHungUp(ChannelId caller) {
        loop.assertInLoop();
        QueueEntry e = byCaller.get(caller);
        if (e == null) {
            log.info("caller {} hung up outside any queue; ignored", caller);
            return;
        }
        switch (e.state()) {
            case WAITING -> abandon(e);
            case OFFERING -> {
                AgentId ringing = e.agent();
                abandon(e);
                port.cancelRing(e.view(), ringing);
                agentOf(ringing).offerCancelled();
            }
            case CONNECTED -> callEnded(e);
            default -> throw new IllegalStateException("final entry still tracked: " + e);
        }
        distribute();
    }

    /**
     * The waiting caller asked to be called back, keeping their place: their phone call's entry ends
     * (CALLBACK_REQUESTED, only while WAITING) and a callback entry under {@code callback} (a channel id
     * standing for the customer, who has no channel while they wait) takes its place with the same
     * arrival time and priority, without max wait or announcements. When an agent answers it, the port
     * dials the customer ({@link #callbackDialled}).
     *
     * @return the callback entry
     */
    public EntryId requestCallback(ChannelId caller, ChannelId callback) {
        loop.assertInLoop();
        QueueEntry e = byCaller.get(caller);
        if (e == null) {
            throw new AcdException(AcdError.UNKNOWN_ENTRY, "caller " + caller + " is not in a queue", Map.of("caller", caller.value()));
        }
        if (byCaller.containsKey(callback)) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "callback " + callback + " is already queued",
                    Map.of("caller", callback.value()));
        }
        Instant now = clock.instant();
        port.entryChanged(e.callback());
        forget(e);
        events.append(new QueueEvent.CallbackRequested(now, e.queueId(), e.id(), e.waited(now)));
        EntryId id = admit(e.request().forCaller(callback).toQueue(e.queueId()).withOrigin(EntryOrigin.CALLBACK), e.queue());
        distribute();
        return id;
    }

    /**
     * After a restart: callback entries still open in the statistics log (entered, not yet answered or
     * ended) are put back in line at their old place. They have no channel to remember them by; the log
     * is their memory.
     *
     * @return the callback ids (as given to {@link #requestCallback}) back in line, in queue order
     */
    public List<ChannelId> restoreCallbacks() {
        loop.assertInLoop();
        Map<EntryId, QueueEvent.Entered> open = new LinkedHashMap<>();
        for (QueueEvent e : events.events()) {
            if (e instanceof QueueEvent.Entered en) {
                if (en.origin() == EntryOrigin.CALLBACK) {
                    open.put(en.entry(), en);
                }
            } else if (e instanceof QueueEvent.Answered || e instanceof QueueEvent.Abandoned
                    || e instanceof QueueEvent.Overflowed || e instanceof QueueEvent.CallbackRequested
                    || e instanceof QueueEvent.Completed) {
                open.remove(((QueueEvent.EntryEvent) e).entry());
            }
        }
        List<ChannelId> restored = new java.util.ArrayList<>();
        open.values().stream().sorted(java.util.Comparator.comparing(QueueEvent.Entered::arrivedAt)).forEach(en -> {
            if (entries.containsKey(en.entry()) || byCaller.containsKey(en.caller()) || !queues.containsKey(en.queue())) {
                return;
            }
            admit(new EnqueueRequest(en.caller(), en.queue(), en.priority(), Map.of(), Optional.empty(), en.arrivedAt(),
                    EntryOrigin.CALLBACK), queues.get(en.queue()), en.entry());
            restored.add(en.caller());
        });
        if (!restored.isEmpty()) {
            log.info("{} callbacks back in line after a restart: {}", restored.size(), restored);
        }
        distribute();
        return restored;
    }

    /** How dialling the customer of a callback entry (CONNECTED to its agent) went; recorded as is. */
    public void callbackDialled(EntryId entry, QueueEvent.CallbackOutcome outcome) {
        loop.assertInLoop();
        QueueEntry e = entries.get(entry);
        if (e == null || e.state() != EntryState.CONNECTED || e.request().origin() != EntryOrigin.CALLBACK) {
            log.info("callback outcome {} for entry {} that is not a connected callback; ignored", outcome, entry);
            return;
        }
        log.info("entry {}: callback to the customer for agent {}: {}", entry, e.agent(), outcome);
        events.append(new QueueEvent.CallbackDialled(clock.instant(), e.queueId(), entry, e.agent(), outcome));
    }

    /** The connected caller was put on hold or taken off it (hold time is part of handle time). */
    public void holdChanged(EntryId entry, boolean onHold) {
        loop.assertInLoop();
        QueueEntry e = entries.get(entry);
        if (e == null || e.state() != EntryState.CONNECTED) {
            log.info("hold {} for entry {} not connected; ignored", onHold ? "on" : "off", entry);
            return;
        }
        e.hold(onHold);
    }

    // ---- inputs: the agent's leg ------------------------------------------------------------------------

    /** The agent answered the offer: connect them. */
    public void agentLegAnswered(EntryId entry, AgentId agent) {
        loop.assertInLoop();
        QueueEntry e = offering(entry, agent, "answered");
        if (e == null) {
            return;
        }
        stopTimers(e);
        Instant now = clock.instant();
        port.entryChanged(e.connect());
        agentOf(agent).answered();
        events.append(new QueueEvent.Answered(now, e.queueId(), e.id(), agent, e.waited(now)));
        port.bridge(e.view(), agent);
        distribute();
    }

    /** The offer did not reach the agent: the caller waits for the next agent; the agent's state follows {@code failure}. */
    public void agentLegFailed(EntryId entry, AgentId agent, RingFailure failure) {
        loop.assertInLoop();
        QueueEntry e = offering(entry, agent, "failed (" + failure + ")");
        if (e == null) {
            return;
        }
        releaseOffer(e, OfferOutcome.valueOf(failure.name()), false);
        agentOf(agent).offerFailed(failure);
        distribute();
    }

    /** The agent's leg of a connected call hung up: the call is over; wrap-up starts. */
    public void agentLegHungUp(EntryId entry, AgentId agent) {
        loop.assertInLoop();
        QueueEntry e = entries.get(entry);
        if (e == null || e.state() != EntryState.CONNECTED || !agent.equals(e.agent())) {
            log.info("agent {} leg of entry {} hung up, but they are not connected to it; ignored", agent, entry);
            return;
        }
        callEnded(e);
        distribute();
    }

    // ---- inputs: agents and supervisors -----------------------------------------------------------------

    /**
     * Pickup: {@code agent} takes a caller who waits in a queue or rings at another agent. A ringing
     * offer is withdrawn from the other agent (their phone stops; they stay READY in their idle place)
     * and the caller is offered to {@code agent} at once, ahead of the queue's order and whatever their
     * skills. The picking agent must be READY or NOT_READY (a not-ready agent keeps their reason for
     * after the call).
     *
     * @throws AcdException {@code acd.unknown_entry} for no such caller in the agent's tenant (or one no
     *                      longer waiting or ringing), {@code acd.already_queued} when the agent already
     *                      has a caller
     * @throws org.asteriskcti.server.agent.AgentStateException when the agent's state does not allow it
     */
    public void pickup(EntryId entry, AgentId agent) {
        loop.assertInLoop();
        QueueEntry e = entries.get(entry);
        Agent a = agentOf(agent);
        if (e == null || !e.queue().tenant().equals(a.tenant())
                || (e.state() != EntryState.WAITING && e.state() != EntryState.OFFERING)
                || e.request().origin() == EntryOrigin.CALLBACK) {
            throw new AcdException(AcdError.UNKNOWN_ENTRY, "no caller " + entry + " waiting or ringing in this tenant",
                    Map.of("entry", entry.value()));
        }
        if (agent.equals(e.agent())) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "the caller already rings at agent " + agent,
                    Map.of("agent", agent.value()));
        }
        if (agentEntry.containsKey(agent)) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "agent " + agent + " already has caller "
                    + agentEntry.get(agent).id(), Map.of("agent", agent.value()));
        }
        a.reserveForPickup(); // refuses before anything changes
        if (e.state() == EntryState.OFFERING) {
            AgentId other = e.agent();
            log.info("entry {}: agent {} picks it up from agent {}", e.id(), agent, other);
            releaseOffer(e, OfferOutcome.WITHDRAWN, true);
            agentOf(other).offerCancelled();
        } else {
            log.info("entry {}: agent {} picks it up from queue {}", e.id(), agent, e.queueId());
        }
        if (e.state() != EntryState.WAITING) {
            // Overflowed while being released (max wait over): nothing to pick up any more.
            a.offerCancelled();
            throw new AcdException(AcdError.UNKNOWN_ENTRY, "caller " + entry + " left the queue", Map.of("entry", entry.value()));
        }
        offer(e, a, false, true);
        distribute();
    }

    /**
     * The agent {@code queue}'s distributor would take for a caller now (READY, free, serving the queue
     * and meeting its needs; the queue's strategy decides, longest idle by default), other than
     * {@code except}: the target of an attended transfer to a queue, which the transferring agent talks
     * to first. Only the queue's tenant's agents; empty when nobody is free.
     */
    public Optional<AgentId> agentForConsultation(QueueId queue, TenantId tenant, AgentId except) {
        loop.assertInLoop();
        QueueDefinition q = queues.get(queue);
        if (q == null || !q.tenant().equals(tenant)) {
            return Optional.empty();
        }
        return agents.values().stream()
                .filter(a -> a.state() == AgentState.READY && !agentEntry.containsKey(a.id()) && !a.id().equals(except)
                        && Distributor.canTake(q, q.requirements(), a.profile()))
                .map(a -> new Distributor.Candidate(a.profile(), a.idleSince(), a.callsHandledToday()))
                .sorted(Distributor.preference(q.strategy(), q.requirements()))
                .map(Distributor.Candidate::agent)
                .findFirst();
    }

    /** The oldest caller waiting in {@code queue} (pickup from a queue), if any. */
    public Optional<EntryId> oldestWaiting(QueueId queue) {
        loop.assertInLoop();
        return entries.values().stream().filter(e -> e.queueId().equals(queue) && e.state() == EntryState.WAITING
                && e.request().origin() != EntryOrigin.CALLBACK).min(java.util.Comparator.comparing(QueueEntry::arrivedAt))
                .map(QueueEntry::id);
    }

    /** The caller ringing at {@code agent} now, if any. */
    public Optional<EntryId> ringingAt(AgentId agent) {
        loop.assertInLoop();
        QueueEntry e = agentEntry.get(agent);
        return e != null && e.state() == EntryState.OFFERING ? Optional.of(e.id()) : Optional.empty();
    }

    /** The caller being offered to {@code agent} (OFFERING) or talking to them (CONNECTED), if any. */
    public Optional<EntryView> currentEntry(AgentId agent) {
        loop.assertInLoop();
        return Optional.ofNullable(agentEntry.get(agent)).map(QueueEntry::view);
    }

    /** The not-ready reasons {@code tenant}'s agents and supervisors may choose from, sorted by code. */
    public List<NotReadyReason> notReadyReasons(TenantId tenant) {
        return notReadyReasons.forTenant(tenant).stream()
                .sorted(java.util.Comparator.comparing(NotReadyReason::code)).toList();
    }

    /** LOGGED_OUT → READY (when asked and the phone is online) or NOT_READY. */
    public void agentLogin(AgentId agent, boolean ready) {
        loop.assertInLoop();
        agentOf(agent).login(ready);
        distribute();
    }

    public void agentLogout(AgentId agent) {
        agentRequest(agent, RequestedState.LOGGED_OUT);
    }

    public void agentReady(AgentId agent) {
        agentRequest(agent, RequestedState.READY);
    }

    public void agentNotReady(AgentId agent, NotReadyReason reason) {
        agentRequest(agent, RequestedState.notReady(reason));
    }

    private void agentRequest(AgentId agent, RequestedState target) {
        loop.assertInLoop();
        agentOf(agent).request(target);
        distribute();
    }

    public void endWrapUp(AgentId agent) {
        loop.assertInLoop();
        agentOf(agent).endWrapUp();
        distribute();
    }

    /** @return the new end of the agent's wrap-up */
    public Instant extendWrapUp(AgentId agent, Duration extra) {
        loop.assertInLoop();
        Agent a = agentOf(agent);
        Instant end = a.extendWrapUp(extra);
        wrapUpTimers.set(agent, Duration.between(clock.instant(), end), () -> wrapUpTimerFired(agent));
        return end;
    }

    public void phoneOnline(AgentId agent) {
        loop.assertInLoop();
        agentOf(agent).phoneOnline();
    }

    public void phoneOffline(AgentId agent) {
        loop.assertInLoop();
        agentOf(agent).phoneOffline();
        distribute();
    }

    /**
     * After a restart (which starts every agent logged out): each agent still logged out here is put
     * back as the statistics log last shows them — logged in READY (as READY, RESERVED, ON_CALL,
     * WRAP_UP or ON_OTHER then: their call and wrap-up are over or were given back already), or
     * NOT_READY with the reason they had chosen. Call it once the phones' states are known, after
     * calls in progress were restored. Agents who were logged out stay so.
     */
    public void restoreAgentStates() {
        loop.assertInLoop();
        Map<AgentId, QueueEvent.AgentStateInterval> last = new HashMap<>();
        Map<AgentId, Integer> completedToday = new HashMap<>();
        Instant now = clock.instant();
        for (QueueEvent e : events.events()) {
            if (e instanceof QueueEvent.AgentStateInterval s) {
                last.put(s.agent(), s);
            } else if (e instanceof QueueEvent.Completed c && agents.containsKey(c.agent())) {
                java.time.ZoneId zone = zoneOf.apply(agents.get(c.agent()).tenant());
                if (java.time.LocalDate.ofInstant(c.at(), zone).equals(java.time.LocalDate.ofInstant(now, zone))) {
                    completedToday.merge(c.agent(), 1, Integer::sum);
                }
            }
        }
        // Least-calls stays fair across the restart: today's handled calls from the log.
        completedToday.forEach((agent, n) -> agents.get(agent).restoreCallsHandledToday(n));
        for (QueueEvent.AgentStateInterval s : last.values()) {
            Agent a = agents.get(s.agent());
            if (a == null || a.state() != AgentState.LOGGED_OUT || s.to() == AgentState.LOGGED_OUT) {
                continue;
            }
            try {
                if (s.to() == AgentState.NOT_READY) {
                    a.login(false);
                    if (s.reason() != null && !s.reason().equals(NotReadyReason.LOGIN)) {
                        a.request(RequestedState.notReady(s.reason()));
                    }
                } else {
                    a.login(true);
                }
                log.info("agent {} restored after a restart: was {}{}, now {}", s.agent(), s.to(),
                        s.reason() == null ? "" : "(" + s.reason() + ")", a.state());
            } catch (AgentStateException e) {
                // e.g. a reason set by the ACD itself (no answer), not one the agent may choose: NOT_READY(login)
                log.info("agent {} restored after a restart as {} ({})", s.agent(), a.state(), e.getMessage());
            }
        }
        distribute();
    }

    /** A call the ACD did not place is up on the agent's phone. */
    public void otherCallStarted(AgentId agent) {
        loop.assertInLoop();
        agentOf(agent).otherCallStarted();
        distribute();
    }

    public void otherCallEnded(AgentId agent) {
        loop.assertInLoop();
        agentOf(agent).otherCallEnded();
        distribute();
    }

    /** A supervisor of {@code supervisorTenant} forces an agent of the same tenant READY, NOT_READY or out. */
    public void supervisorForce(UserId supervisor, TenantId supervisorTenant, AgentId agent, RequestedState target) {
        loop.assertInLoop();
        Agent a = agentOf(agent);
        if (!a.tenant().equals(supervisorTenant)) {
            throw new AgentStateException(AgentError.OTHER_TENANT, agent, "supervisor " + supervisor + " of tenant "
                    + supervisorTenant + " cannot act on an agent of another tenant");
        }
        a.force(target, supervisor);
        distribute();
    }

    // ---- queries ----------------------------------------------------------------------------------------

    public AgentView agent(AgentId agent) {
        loop.assertInLoop();
        return agentOf(agent).view();
    }

    public List<AgentView> agents(TenantId tenant) {
        loop.assertInLoop();
        return agents.values().stream().filter(a -> a.tenant().equals(tenant)).map(Agent::view).toList();
    }

    public Optional<EntryView> entry(EntryId entry) {
        loop.assertInLoop();
        return Optional.ofNullable(entries.get(entry)).map(QueueEntry::view);
    }

    public Optional<EntryView> entryOf(ChannelId caller) {
        loop.assertInLoop();
        return Optional.ofNullable(byCaller.get(caller)).map(QueueEntry::view);
    }

    public Collection<QueueDefinition> queues() {
        return List.copyOf(queues.values());
    }

    /** The callers in a queue (WAITING or OFFERING) in queue order, with position and estimated wait. */
    public List<WaitingCaller> waiting(QueueId queue) {
        loop.assertInLoop();
        QueueDefinition q = queueOf(queue);
        List<QueueEntry> inQueue = inQueue(queue).sorted(QueueOrder.ORDER).toList();
        Duration aht = averageHandleTime(queue);
        int staffed = staffed(queue);
        return java.util.stream.IntStream.range(0, inQueue.size())
                .mapToObj(i -> new WaitingCaller(inQueue.get(i).view(), i + 1,
                        WaitEstimate.estimate(i + 1, aht, staffed, waitEstimateCap)))
                .toList();
    }

    /** Agents logged in (any state but LOGGED_OUT) who can take this queue's callers. */
    public int staffed(QueueId queue) {
        loop.assertInLoop();
        QueueDefinition q = queueOf(queue);
        return (int) agents.values().stream()
                .filter(a -> a.state().loggedIn() && Distributor.canTake(q, q.requirements(), a.profile()))
                .count();
    }

    /** The queue's moving-average handle time (see {@link HandleTimes}). */
    public Duration averageHandleTime(QueueId queue) {
        loop.assertInLoop();
        return handleTimes.average(queue, queueOf(queue).defaultHandleTime());
    }

    /**
     * Today's figures of a queue (offered, answered, abandoned, service level, ASA, AHT...) from the
     * statistics log: from midnight in the queue's tenant's time zone until now.
     */
    public QueueStatistics.PeriodFigures today(QueueId queue) {
        loop.assertInLoop();
        QueueDefinition q = queueOf(queue);
        Instant now = clock.instant();
        Instant midnight = java.time.LocalDate.ofInstant(now, zoneOf.apply(q.tenant())).atStartOfDay(zoneOf.apply(q.tenant())).toInstant();
        return QueueStatistics.period(events.events(), queue, midnight, now.plusNanos(1), QueueStatistics.Thresholds.of(q));
    }

    /** Real-time figures of a queue from the statistics log; agents are those who can take its callers. */
    public QueueStatistics.RealTimeFigures realTime(QueueId queue) {
        loop.assertInLoop();
        QueueDefinition q = queueOf(queue);
        Set<AgentId> members = agents.values().stream()
                .filter(a -> Distributor.canTake(q, q.requirements(), a.profile()))
                .map(Agent::id).collect(Collectors.toSet());
        // Only this run's events: after a restart callers and agents are rebuilt afresh, not carried over.
        return QueueStatistics.realTime(events.sinceStart(), queue, members, clock.instant());
    }

    /** A queue's figures for events in {@code [from, to)} from the statistics log, with its own thresholds. */
    public QueueStatistics.PeriodFigures period(QueueId queue, Instant from, Instant to) {
        loop.assertInLoop();
        return QueueStatistics.period(events.events(), queue, from, to, QueueStatistics.Thresholds.of(queueOf(queue)));
    }

    // ---- entries ----------------------------------------------------------------------------------------

    private EntryId admit(EnqueueRequest request, QueueDefinition q) {
        return admit(request, q, null);
    }

    /** @param original the entry's id before a CTI restart (kept, so stored events stay joined); else null */
    private EntryId admit(EnqueueRequest request, QueueDefinition q, EntryId original) {
        Instant now = clock.instant();
        long seq = ++entrySeq;
        // A restored caller's max wait keeps running from their original arrival; anyone else's starts now.
        Instant enteredAt = request.origin() == EntryOrigin.RESTORED ? request.enqueuedAt() : now;
        QueueEntry e = new QueueEntry(original != null ? original : newEntryId(request.caller()), q, request, seq,
                enteredAt, clock);
        entries.put(e.id(), e);
        byCaller.put(e.caller(), e);
        log.info("entry {} queue={} entered: origin={} priority={} arrived={}", e.id(), q.id(), request.origin(),
                request.priority(), request.enqueuedAt());
        events.append(new QueueEvent.Entered(now, q.id(), q.tenant(), e.id(), e.caller(), e.arrivedAt(),
                request.origin(), request.priority(), request.did().orElse(null)));
        port.entryChanged(new EntryChanged(e.view(), null, now));
        if (request.origin() == EntryOrigin.CALLBACK) {
            return e.id(); // already had their place: no size check, no max wait, nobody to announce to
        }
        if (q.maxSize() > 0 && inQueue(q.id()).count() > q.maxSize()) {
            overflow(e, OverflowReason.QUEUE_FULL);
            return e.id();
        }
        if (!q.maxWait().isZero()) {
            Duration left = Duration.between(now, enteredAt.plus(q.maxWait()));
            if (left.isNegative() || left.isZero()) {
                overflow(e, OverflowReason.MAX_WAIT);
                return e.id();
            }
            maxWaitTimers.set(e.id(), left, () -> maxWaitReached(e.id()));
        }
        if (!q.announcePeriod().isZero()) {
            announceTimers.set(e.id(), q.announcePeriod(), () -> announce(e.id()));
        }
        return e.id();
    }

    private EntryId newEntryId(ChannelId caller) {
        EntryId id = EntryId.of(caller.value() + "/" + entrySeq);
        while (entries.containsKey(id)) { // only after a restart restored entries with the old process's numbers
            id = EntryId.of(caller.value() + "/" + ++entrySeq);
        }
        return id;
    }

    private void abandon(QueueEntry e) {
        Instant now = clock.instant();
        port.entryChanged(e.abandon());
        forget(e);
        Duration wait = e.waited(now);
        events.append(new QueueEvent.Abandoned(now, e.queueId(), e.id(), wait, e.view().abandonedWhileRinging(),
                QueueStatistics.isShortAbandon(wait, e.queue().shortAbandonThreshold())));
    }

    private void overflow(QueueEntry e, OverflowReason reason) {
        Instant now = clock.instant();
        OverflowTarget target = e.queue().overflow().orElseThrow();
        port.entryChanged(e.overflow());
        forget(e);
        events.append(new QueueEvent.Overflowed(now, e.queueId(), e.id(), e.waited(now), target, reason));
        port.overflow(e.view(), target);
        if (target instanceof OverflowTarget.ToQueue to) {
            admit(e.request().toQueue(to.queue()).anyAgent().withOrigin(EntryOrigin.OVERFLOW), queues.get(to.queue()));
        }
    }

    private void callEnded(QueueEntry e) {
        Instant now = clock.instant();
        AgentId agent = e.agent();
        port.entryChanged(e.complete());
        forget(e);
        Duration hold = e.held();
        Handled handled = new Handled(e.queueId(), e.id(), Duration.between(e.connectedAt(), now).minus(hold), hold);
        Agent a = agentOf(agent);
        if (a.state() == AgentState.ON_CALL) {
            wrapping.put(agent, handled);
            a.callEnded(e.queue().wrapUp(), e.queue().maxWrapUp());
        } else {
            // A supervisor logged the agent out during the call: no wrap-up.
            complete(agent, handled, Duration.ZERO);
        }
    }

    /** OFFERING → WAITING: the agent will not take this caller; overflow now if max wait passed meanwhile. */
    private void releaseOffer(QueueEntry e, OfferOutcome outcome, boolean cancelRing) {
        AgentId agent = e.agent();
        ringTimers.cancel(e.id());
        agentEntry.remove(agent);
        if (cancelRing) {
            port.cancelRing(e.view(), agent);
        }
        port.entryChanged(e.requeue());
        events.append(new QueueEvent.OfferEnded(clock.instant(), e.queueId(), e.id(), agent, outcome));
        if (e.overdue()) {
            maxWaitTimers.cancel(e.id());
            overflow(e, OverflowReason.MAX_WAIT);
        }
    }

    /** The entry is offered to {@code agent}, or null (logged) when it is not: a late report from the edge. */
    private QueueEntry offering(EntryId entry, AgentId agent, String what) {
        QueueEntry e = entries.get(entry);
        if (e == null || e.state() != EntryState.OFFERING || !agent.equals(e.agent())) {
            log.info("agent {} leg for entry {} {}, but it is not being offered to them ({}); ignored", agent, entry,
                    what, e == null ? "entry gone" : e.state() + " " + e.agent());
            return null;
        }
        return e;
    }

    private void stopTimers(QueueEntry e) {
        ringTimers.cancel(e.id());
        maxWaitTimers.cancel(e.id());
        announceTimers.cancel(e.id());
    }

    /** The entry reached a final state: no more timers, no more lookups. */
    private void forget(QueueEntry e) {
        stopTimers(e);
        entries.remove(e.id());
        byCaller.remove(e.caller(), e);
        if (e.agent() != null) {
            agentEntry.remove(e.agent(), e);
        }
    }

    private java.util.stream.Stream<QueueEntry> inQueue(QueueId queue) {
        return entries.values().stream().filter(o -> o.queueId().equals(queue) && o.state().inQueue());
    }

    // ---- timers -----------------------------------------------------------------------------------------

    private void ringTimedOut(EntryId entry, AgentId agent) {
        QueueEntry e = offering(entry, agent, "rang out");
        if (e == null) {
            return;
        }
        log.info("entry {}: agent {} did not answer within {}s", entry, agent, e.queue().ringTimeout().toSeconds());
        releaseOffer(e, OfferOutcome.NO_ANSWER, true);
        agentOf(agent).offerFailed(RingFailure.NO_ANSWER);
        distribute();
    }

    private void maxWaitReached(EntryId entry) {
        QueueEntry e = entries.get(entry);
        if (e == null) {
            return;
        }
        if (e.state() == EntryState.WAITING) {
            overflow(e, OverflowReason.MAX_WAIT);
            distribute();
        } else if (e.state() == EntryState.OFFERING) {
            log.info("entry {}: max wait reached while agent {} rings; overflows unless they answer", entry, e.agent());
            e.markOverdue();
        }
    }

    private void announce(EntryId entry) {
        QueueEntry e = entries.get(entry);
        if (e == null || !e.state().inQueue()) {
            return;
        }
        if (e.state() == EntryState.WAITING) {
            WaitingCaller w = waiting(e.queueId()).stream().filter(c -> c.entry().id().equals(entry)).findFirst().orElseThrow();
            // No wait is promised when nobody is staffed or the estimate reached the cap: it would not be credible.
            boolean credible = staffed(e.queueId()) > 0 && w.estimatedWait().compareTo(waitEstimateCap) < 0;
            port.playPosition(w.entry(), w.position(), credible ? w.estimatedWait() : Duration.ZERO);
        }
        announceTimers.set(entry, e.queue().announcePeriod(), () -> announce(entry));
    }

    private void wrapUpTimerFired(AgentId agent) {
        agentOf(agent).wrapUpTimerFired();
        distribute();
    }

    // ---- agents -----------------------------------------------------------------------------------------

    /** Every agent transition: log it, publish it, and keep the entries and timers in step. */
    private void agentChanged(AgentStateChanged c) {
        AgentId agent = c.agent();
        events.append(new QueueEvent.AgentStateInterval(c.at(), agent, c.tenant(), c.from(), c.to(), c.reason(),
                c.cause().kind(), c.inFromState()));
        port.agentStateChanged(c);
        if (c.from() == AgentState.RESERVED && c.to() != AgentState.ON_CALL) {
            QueueEntry e = agentEntry.get(agent);
            if (e != null && e.state() == EntryState.OFFERING) {
                // The agent went not ready, logged out or lost their phone while it rang.
                releaseOffer(e, OfferOutcome.WITHDRAWN, true);
            }
        }
        if (c.from() == AgentState.WRAP_UP) {
            wrapUpTimers.cancel(agent);
            complete(agent, wrapping.remove(agent), c.inFromState());
        } else if (c.from() == AgentState.ON_CALL && c.to() != AgentState.WRAP_UP) {
            complete(agent, wrapping.remove(agent), Duration.ZERO);
        }
        if (c.to() == AgentState.WRAP_UP) {
            Instant end = agentOf(agent).wrapUpEndsAt();
            wrapUpTimers.set(agent, Duration.between(c.at(), end), () -> wrapUpTimerFired(agent));
        }
    }

    /** The agent is done with a call, wrap-up included: the Completed event and a handle-time sample. */
    private void complete(AgentId agent, Handled h, Duration wrapUp) {
        if (h == null) {
            return;
        }
        QueueEvent.Completed done = new QueueEvent.Completed(clock.instant(), h.queue(), h.entry(), agent, h.talk(),
                h.hold(), wrapUp);
        events.append(done);
        handleTimes.record(h.queue(), done.handleTime());
    }

    private Agent agentOf(AgentId agent) {
        Agent a = agents.get(agent);
        if (a == null) {
            throw new AgentStateException(AgentError.UNKNOWN_AGENT, agent, "no such agent");
        }
        return a;
    }

    private QueueDefinition queueOf(QueueId queue) {
        QueueDefinition q = queues.get(queue);
        if (q == null) {
            throw new AcdException(AcdError.UNKNOWN_QUEUE, "no such queue: " + queue, Map.of("queue", queue.value()));
        }
        return q;
    }

    // ---- distribution -----------------------------------------------------------------------------------

    private void distribute() {
        if (distributing) {
            distributeAgain = true;
            return;
        }
        distributing = true;
        try {
            do {
                distributeAgain = false;
                offerAll();
            } while (distributeAgain);
        } finally {
            distributing = false;
        }
    }

    private void offerAll() {
        List<Distributor.Waiting> waiting = entries.values().stream()
                .filter(e -> e.state() == EntryState.WAITING)
                .map(e -> new Distributor.Waiting(e.id(), e.queueId(), e.priority(), e.arrivedAt(), e.seq(),
                        e.requirements(), e.declined()))
                .toList();
        if (waiting.isEmpty()) {
            return;
        }
        // An agent still tied to a connected call (logged out by a supervisor mid-call, then back) is not offered.
        List<Distributor.Candidate> ready = agents.values().stream()
                .filter(a -> a.state() == AgentState.READY && !agentEntry.containsKey(a.id()))
                .map(a -> new Distributor.Candidate(a.profile(), a.idleSince(), a.callsHandledToday()))
                .toList();
        if (ready.isEmpty()) {
            return;
        }
        for (Distributor.Offer o : Distributor.decide(queues, waiting, ready)) {
            QueueEntry e = entries.get(o.entry());
            Agent a = agents.get(o.agent());
            if (e == null || e.state() != EntryState.WAITING || a.state() != AgentState.READY) {
                distributeAgain = true;
                continue;
            }
            offer(e, a, o.newRound());
        }
    }

    private void offer(QueueEntry e, Agent a, boolean newRound) {
        offer(e, a, newRound, false);
    }

    private void offer(QueueEntry e, Agent a, boolean newRound, boolean pickup) {
        if (newRound) {
            log.info("entry {}: every agent who can take it has declined it; new round", e.id());
            e.startNewRound();
        }
        port.entryChanged(e.offer(a.id()));
        agentEntry.put(a.id(), e);
        if (!pickup) {
            a.reserve();
        }
        Duration ring = e.queue().ringTimeout();
        EntryId entry = e.id();
        AgentId agent = a.id();
        ringTimers.set(entry, ring, () -> ringTimedOut(entry, agent));
        events.append(new QueueEvent.Offered(clock.instant(), e.queueId(), entry, agent, e.attempts()));
        port.ringAgent(e.view(), agent, ring);
    }

    /** Timers by key: setting one replaces (cancels) the previous; a fired timer forgets itself. */
    private final class Timers<K> {
        private final Map<K, DomainLoop.Cancellable> byKey = new HashMap<>();

        void set(K key, Duration delay, Runnable task) {
            cancel(key);
            DomainLoop.Cancellable[] self = new DomainLoop.Cancellable[1];
            self[0] = loop.schedule(() -> {
                byKey.remove(key, self[0]);
                task.run();
            }, delay);
            byKey.put(key, self[0]);
        }

        void cancel(K key) {
            DomainLoop.Cancellable c = byKey.remove(key);
            if (c != null) {
                c.cancel();
            }
        }
    }
}
