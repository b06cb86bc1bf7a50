package org.asteriskcti.server.acd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;

/**
 * Decides which waiting callers are offered to which READY agents. Pure and deterministic: the same
 * inputs always give the same offers, in the same order; no clock, no state.
 *
 * <p>Callers are served in one order across all queues ({@link QueueOrder}): higher priority first,
 * then earlier original arrival, then earlier enqueue. Each caller, in turn, gets the best READY agent left who can take
 * them: same tenant, serving the queue, every required skill at its level, the language. "Best" is
 * the queue's {@link Strategy}; the last tie-break is always the agent id. Each agent gets at most
 * one offer.
 *
 * <p>Rounds: an agent who did not take a caller (no answer, busy, rejected) is in that caller's
 * {@code declined} set and is passed over for them while anyone else can take them. This is done in
 * two passes: first every caller is matched only with agents who have not declined them, so an agent
 * who declined one caller is given another caller when there is one; then callers still unmatched may
 * go back to an agent who declined them, which starts a new round for that caller
 * ({@link Offer#newRound()}).
 */
public final class Distributor {

    /**
     * A READY agent.
     *
     * @param idleSince when they last became READY (see {@code Agent.idleSince()})
     */
    public record Candidate(AgentProfile profile, Instant idleSince, int callsToday) {
        public Candidate {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(idleSince, "idleSince");
        }

        public AgentId agent() {
            return profile.id();
        }
    }

    /** A caller waiting for an agent. {@code requirements} already include the queue's. */
    public record Waiting(EntryId entry, QueueId queue, int priority, Instant arrivedAt, long seq,
            Requirements requirements, Set<AgentId> declined) implements QueueOrder {
        public Waiting {
            declined = Set.copyOf(declined);
        }
    }

    /** Offer {@code entry} to {@code agent}; {@code newRound}: the agent had declined it before. */
    public record Offer(EntryId entry, AgentId agent, boolean newRound) {}

    private Distributor() {}

    public static List<Offer> decide(Map<QueueId, QueueDefinition> queues, List<Waiting> waiting, List<Candidate> ready) {
        List<Waiting> order = waiting.stream().filter(w -> queues.containsKey(w.queue())).sorted(QueueOrder.ORDER).toList();
        List<Candidate> free = new ArrayList<>(ready);
        List<Offer> offers = new ArrayList<>();
        Set<EntryId> served = new TreeSet<>();
        for (boolean secondPass : new boolean[] {false, true}) {
            for (Waiting w : order) {
                if (served.contains(w.entry())) {
                    continue;
                }
                QueueDefinition q = queues.get(w.queue());
                Optional<Candidate> best = free.stream()
                        .filter(c -> canTake(q, w.requirements(), c.profile()))
                        .filter(c -> secondPass == w.declined().contains(c.agent()))
                        .min(preference(q.strategy(), w.requirements()));
                if (best.isPresent()) {
                    offers.add(new Offer(w.entry(), best.get().agent(), secondPass));
                    free.remove(best.get());
                    served.add(w.entry());
                }
            }
        }
        return offers;
    }

    /** Whether an agent may be offered callers of {@code queue} with these requirements, whatever their state. */
    public static boolean canTake(QueueDefinition queue, Requirements requirements, AgentProfile agent) {
        return agent.serves(queue.id(), queue.tenant()) && requirements.matches(agent.skills()) && requirements.admits(agent.id());
    }

    /** The strategy's order of preference among candidates: the first is offered. */
    public static Comparator<Candidate> preference(Strategy strategy, Requirements requirements) {
        Comparator<Candidate> longestIdle = Comparator.comparing(Candidate::idleSince);
        Comparator<Candidate> primary = switch (strategy) {
            case LONGEST_IDLE -> longestIdle;
            case LEAST_CALLS -> Comparator.comparingInt(Candidate::callsToday).thenComparing(longestIdle);
            case SKILLS -> Comparator.comparingInt((Candidate c) -> -requirements.score(c.profile().skills()))
                    .thenComparing(longestIdle);
        };
        return primary.thenComparing(Candidate::agent);
    }
}
