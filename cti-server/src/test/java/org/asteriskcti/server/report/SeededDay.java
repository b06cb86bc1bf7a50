package org.asteriskcti.server.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * A realistic day of one tenant's statistics log, from a seed: agents logging in (one the evening before,
 * one never logging out), breaks with reasons, a few hundred callers over three queues and four DIDs,
 * offers, answers, short and real abandons, overflows, callbacks, transfers into another queue, wrap-ups,
 * surveys. Each agent's state changes form one consistent chain ({@code inFromState} = time since their
 * previous change). Times have milliseconds. Events come back in time order.
 */
public final class SeededDay {

    public static final List<String> QUEUES = List.of("billing", "sales", "support");
    public static final List<String> DIDS = List.of("700", "701", "702", "703");
    public static final List<String> REASONS = List.of("break", "lunch", "coaching");

    private final Random random;
    private final TenantId tenant;
    private final List<QueueEvent> events = new ArrayList<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private int seq;

    private final class Agent {
        final AgentId id;
        AgentState state = AgentState.LOGGED_OUT;
        NotReadyReason reason;
        Instant since;
        Instant logoutAt;

        Agent(String id) {
            this.id = AgentId.of(id);
        }

        void go(Instant at, AgentState to, NotReadyReason r, TransitionCause cause) {
            Duration in = since == null ? Duration.ZERO : Duration.between(since, at);
            events.add(new QueueEvent.AgentStateInterval(at, id, tenant, state, to, r, cause, in));
            state = to;
            reason = r;
            since = at;
        }
    }

    private record Arrival(Instant at, String queue, Instant arrivedAt, EntryOrigin origin, String did, String caller) {}

    /**
     * @param calls    how many new callers (transfers come on top)
     * @param agentIds the agents, e.g. agent-01...
     */
    public SeededDay(long seed, TenantId tenant, LocalDate day, ZoneId zone, int calls, List<String> agentIds) {
        this.random = new Random(seed);
        this.tenant = tenant;
        Instant start = day.atStartOfDay(zone).toInstant();
        for (int i = 0; i < agentIds.size(); i++) {
            Agent a = new Agent(agentIds.get(i));
            agents.put(agentIds.get(i), a);
            Instant login = i == 0 ? start.minus(Duration.ofHours(2)) // the night shift: logged in the evening before
                    : start.plus(Duration.ofMinutes(7 * 60 + random.nextInt(120))).plusMillis(random.nextInt(1000));
            a.go(login, i % 3 == 0 ? AgentState.NOT_READY : AgentState.READY,
                    i % 3 == 0 ? NotReadyReason.of(REASONS.get(i % REASONS.size())) : null, TransitionCause.LOGIN);
            if (a.state == AgentState.NOT_READY) {
                a.go(login.plusSeconds(60 + random.nextInt(600)), AgentState.READY, null, TransitionCause.AGENT_REQUEST);
            }
            // agent 1 never logs out (counted up to the end of the range); the others in the afternoon or evening
            a.logoutAt = i == 1 ? null : start.plus(Duration.ofHours(15 + random.nextInt(6))).plusSeconds(random.nextInt(3600));
        }
        PriorityQueue<Arrival> arrivals = new PriorityQueue<>(Comparator.comparing(Arrival::at));
        for (int i = 0; i < calls; i++) {
            // most between 08:00 and 18:00 local, a few at night
            long secs = random.nextInt(10) == 0 ? random.nextInt(23 * 3600) : 8 * 3600 + random.nextInt(10 * 3600);
            Instant at = start.plusSeconds(secs).plusMillis(random.nextInt(1000));
            String did = random.nextInt(20) == 0 ? null : DIDS.get(random.nextInt(DIDS.size()));
            arrivals.add(new Arrival(at, QUEUES.get(random.nextInt(QUEUES.size())), at, EntryOrigin.NEW, did, "c" + i));
        }
        while (!arrivals.isEmpty()) {
            serve(arrivals.poll(), arrivals);
        }
        for (Agent a : agents.values()) {
            if (a.logoutAt != null) {
                a.go(a.logoutAt.isAfter(a.since) ? a.logoutAt : a.since.plusSeconds(1), AgentState.LOGGED_OUT, null,
                        TransitionCause.AGENT_REQUEST);
            }
        }
        events.sort(Comparator.comparing(QueueEvent::at));
    }

    private void serve(Arrival c, PriorityQueue<Arrival> arrivals) {
        QueueId q = QueueId.of(c.queue());
        EntryId entry = EntryId.of(c.caller() + "/" + (++seq));
        events.add(new QueueEvent.Entered(c.at(), q, tenant, entry, ChannelId.of(c.caller()), c.arrivedAt(), c.origin(),
                0, c.origin() == EntryOrigin.NEW ? c.did() : null));
        Duration patience = Duration.ofMillis(random.nextInt(8) == 0 ? random.nextInt(5000) : 5_000 + random.nextInt(240_000));
        // the agent free first (READY, logged in until after the call could start)
        Agent best = null;
        Instant bestAt = null;
        for (Agent a : agents.values()) {
            if (a.state != AgentState.READY) {
                continue;
            }
            Instant free = a.since.isAfter(c.at()) ? a.since : c.at();
            if (a.logoutAt != null && !free.isBefore(a.logoutAt.minusSeconds(600))) {
                continue;
            }
            if (bestAt == null || free.isBefore(bestAt)) {
                best = a;
                bestAt = free;
            }
        }
        Instant offerAt = bestAt == null ? null : bestAt.plusMillis(200 + random.nextInt(800));
        Duration ring = Duration.ofMillis(2_000 + random.nextInt(10_000));
        Instant giveUp = c.at().plus(patience);
        int fate = random.nextInt(100);
        if (fate < 4) {
            Instant when = c.at().plusSeconds(30 + random.nextInt(60));
            events.add(new QueueEvent.Overflowed(when, q, entry, Duration.between(c.arrivedAt(), when),
                    new OverflowTarget.ToVoicemail("1000"), QueueEvent.OverflowReason.MAX_WAIT));
            return;
        }
        if (fate < 7) {
            Instant when = c.at().plusSeconds(20 + random.nextInt(60));
            events.add(new QueueEvent.CallbackRequested(when, q, entry, Duration.between(c.arrivedAt(), when)));
            return;
        }
        if (best == null || offerAt.plus(ring).isAfter(giveUp)) {
            boolean ringing = best != null && offerAt.isBefore(giveUp);
            if (ringing) {
                best.go(offerAt, AgentState.RESERVED, null, TransitionCause.OFFERED);
                events.add(new QueueEvent.Offered(offerAt, q, entry, best.id, 1));
                best.go(giveUp, AgentState.READY, null, TransitionCause.OFFER_CANCELLED);
            }
            Duration waited = Duration.between(c.arrivedAt(), giveUp);
            events.add(new QueueEvent.Abandoned(giveUp, q, entry, waited, ringing, waited.compareTo(Duration.ofSeconds(5)) < 0));
            return;
        }
        Agent a = best;
        a.go(offerAt, AgentState.RESERVED, null, TransitionCause.OFFERED);
        events.add(new QueueEvent.Offered(offerAt, q, entry, a.id, 1));
        Instant answered = offerAt.plus(ring);
        a.go(answered, AgentState.ON_CALL, null, TransitionCause.OFFER_ANSWERED);
        events.add(new QueueEvent.Answered(answered, q, entry, a.id, Duration.between(c.arrivedAt(), answered)));
        Duration talk = Duration.ofMillis(30_000 + random.nextInt(600_000));
        Duration hold = random.nextInt(5) == 0 ? Duration.ofMillis(random.nextInt(60_000)) : Duration.ZERO;
        Instant hangup = answered.plus(talk).plus(hold);
        Duration wrap = Duration.ofMillis(random.nextInt(45_000));
        a.go(hangup, AgentState.WRAP_UP, null, TransitionCause.CALL_ENDED);
        Instant done = hangup.plus(wrap);
        events.add(new QueueEvent.Completed(done, q, entry, a.id, talk, hold, wrap));
        if (random.nextInt(10) < 3) {
            int o = random.nextInt(10);
            QueueEvent.SurveyOutcome outcome = o < 6 ? QueueEvent.SurveyOutcome.ANSWERED
                    : o < 8 ? QueueEvent.SurveyOutcome.NO_RESPONSE : QueueEvent.SurveyOutcome.HUNG_UP;
            events.add(new QueueEvent.SurveyEnded(hangup.plusSeconds(15), q, entry, a.id, outcome,
                    outcome == QueueEvent.SurveyOutcome.ANSWERED ? 1 + random.nextInt(5) : 0));
        }
        if (random.nextInt(12) == 0 && c.origin() == EntryOrigin.NEW) {
            // blind transfer into another queue: the caller keeps their first arrival
            String other = QUEUES.get((QUEUES.indexOf(c.queue()) + 1) % QUEUES.size());
            events.add(new QueueEvent.Transferred(hangup, q, entry, a.id, QueueEvent.TransferKind.BLIND, "queue:" + other));
            arrivals.add(new Arrival(hangup, other, c.arrivedAt(), EntryOrigin.TRANSFERRED, null, c.caller()));
        } else if (random.nextInt(15) == 0) {
            // attended transfer to a number: done when the agent hangs up on the target
            events.add(new QueueEvent.Transferred(hangup, q, entry, a.id, QueueEvent.TransferKind.ATTENDED, "0301234567"));
        }
        if (random.nextInt(8) == 0) {
            NotReadyReason r = NotReadyReason.of(REASONS.get(random.nextInt(REASONS.size())));
            a.go(done, AgentState.NOT_READY, r, TransitionCause.WRAP_UP_ENDED);
            if (random.nextBoolean()) {
                NotReadyReason r2 = NotReadyReason.of(REASONS.get(random.nextInt(REASONS.size())));
                a.go(done.plusSeconds(60 + random.nextInt(300)), AgentState.NOT_READY, r2, TransitionCause.AGENT_REQUEST);
            }
            a.go(a.since.plusSeconds(120 + random.nextInt(900)), AgentState.READY, null, TransitionCause.AGENT_REQUEST);
        } else {
            a.go(done, AgentState.READY, null, TransitionCause.WRAP_UP_ENDED);
        }
    }

    public List<QueueEvent> events() {
        return events;
    }
}
