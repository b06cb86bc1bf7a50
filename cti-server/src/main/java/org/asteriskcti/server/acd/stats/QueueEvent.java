package org.asteriskcti.server.acd.stats;

import java.time.Duration;
import java.time.Instant;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.TransitionCause;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One fact in the ACD's own append-only statistics log. Every figure {@link QueueStatistics} reports
 * is computed from these alone. Waits are measured from the caller's original arrival.
 */
public sealed interface QueueEvent {

    Instant at();

    /** An event about one caller's visit to one queue. */
    sealed interface EntryEvent extends QueueEvent {
        QueueId queue();

        EntryId entry();
    }

    /**
     * The caller entered the queue ({@code arrivedAt}: original arrival; {@code at}: entering this queue).
     *
     * @param did the number the caller dialled that routed them here (directly or through an IVR flow); null
     *            for every visit that did not start with a call to a DID: transfers, overflows, callbacks,
     *            entries restored after a CTI restart (their first visit has it), and events stored before
     *            this field existed (read back as null)
     */
    record Entered(Instant at, QueueId queue, TenantId tenant, EntryId entry, ChannelId caller, Instant arrivedAt,
            EntryOrigin origin, int priority, String did) implements EntryEvent {

        /** A visit without a DID. */
        public Entered(Instant at, QueueId queue, TenantId tenant, EntryId entry, ChannelId caller, Instant arrivedAt,
                EntryOrigin origin, int priority) {
            this(at, queue, tenant, entry, caller, arrivedAt, origin, priority, null);
        }
    }

    record Offered(Instant at, QueueId queue, EntryId entry, AgentId agent, int attempt) implements EntryEvent {}

    /** An offer ended without an answer (the caller stays in the queue). */
    record OfferEnded(Instant at, QueueId queue, EntryId entry, AgentId agent, OfferOutcome outcome) implements EntryEvent {}

    record Answered(Instant at, QueueId queue, EntryId entry, AgentId agent, Duration waited) implements EntryEvent {}

    /** The caller hung up while in the queue; {@code shortAbandon} as judged by the queue's threshold then. */
    record Abandoned(Instant at, QueueId queue, EntryId entry, Duration waited, boolean whileRinging,
            boolean shortAbandon) implements EntryEvent {}

    record Overflowed(Instant at, QueueId queue, EntryId entry, Duration waited, OverflowTarget target,
            OverflowReason reason) implements EntryEvent {}

    record CallbackRequested(Instant at, QueueId queue, EntryId entry, Duration waited) implements EntryEvent {}

    /** The customer of a callback entry was dialled for the agent who took it; how that went. */
    record CallbackDialled(Instant at, QueueId queue, EntryId entry, AgentId agent, CallbackOutcome outcome)
            implements EntryEvent {}

    /**
     * An agent handed the caller of this (answered) visit on: logged by call control when the transfer is
     * done — a blind transfer when the target answers (to a queue: when the caller is put into it), an
     * attended one when the agent completes it with the target on the line, or hangs up while talking to
     * it, or when the target answers after the agent completed early. Failed, cancelled and recalled
     * transfers log nothing.
     *
     * @param agent  the transferring agent
     * @param target what the caller went to, as call control names it ({@code agent:agent-1002},
     *               {@code queue:support}, a number)
     */
    record Transferred(Instant at, QueueId queue, EntryId entry, AgentId agent, TransferKind kind, String target)
            implements EntryEvent {}

    enum TransferKind {
        BLIND,
        ATTENDED
    }

    /** The agent finished the call including wrap-up; {@code talk} excludes {@code hold}. */
    record Completed(Instant at, QueueId queue, EntryId entry, AgentId agent, Duration talk, Duration hold,
            Duration wrapUp) implements EntryEvent {

        public Duration handleTime() {
            return talk.plus(hold).plus(wrapUp);
        }
    }

    /**
     * The post-call satisfaction survey of one call ended: logged once per survey, when its outcome is
     * known (the key pressed, the last try timed out, the caller hung up, or a CTI restart cut it short).
     * One event carries the whole survey, so that offered and answered are counted from the same events
     * and the response rate of any period is at most 1.
     *
     * @param entry  the caller's visit to {@code queue} that the agent answered (the call the score is for)
     * @param agent  the agent whose hang-up started the survey (after a transfer: the last agent)
     * @param score  1..5 when {@code outcome} is ANSWERED; 0 otherwise
     */
    record SurveyEnded(Instant at, QueueId queue, EntryId entry, AgentId agent, SurveyOutcome outcome, int score)
            implements EntryEvent {
        public SurveyEnded {
            java.util.Objects.requireNonNull(outcome, "outcome");
            if (outcome == SurveyOutcome.ANSWERED ? score < 1 || score > 5 : score != 0) {
                throw new IllegalArgumentException("survey score must be 1..5 when ANSWERED and 0 otherwise, got "
                        + outcome + " " + score);
            }
        }
    }

    /** An agent changed state; {@code inFromState} is the length of the interval that ends here. */
    record AgentStateInterval(Instant at, AgentId agent, TenantId tenant, AgentState from, AgentState to,
            NotReadyReason reason, TransitionCause cause, Duration inFromState) implements QueueEvent {}

    enum OfferOutcome {
        NO_ANSWER,
        BUSY,
        REJECTED,
        FAILED,
        /** The agent went not ready, logged out or lost their phone while it rang. */
        WITHDRAWN
    }

    enum CallbackOutcome {
        /** The customer answered and is connected to the agent. */
        ANSWERED,
        BUSY,
        NO_ANSWER,
        /** Asterisk could not dial the number. */
        FAILED,
        /** The agent hung up before the customer answered. */
        CANCELLED
    }

    enum SurveyOutcome {
        /** The caller pressed 1..5. */
        ANSWERED,
        /** Every try timed out or got a key other than 1..5. */
        NO_RESPONSE,
        /** The caller hung up before answering. */
        HUNG_UP,
        /** The CTI restarted during the survey; the caller was hung up when it came back. */
        INTERRUPTED
    }

    enum OverflowReason {
        MAX_WAIT,
        QUEUE_FULL
    }
}
