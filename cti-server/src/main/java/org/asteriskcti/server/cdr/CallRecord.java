package org.asteriskcti.server.cdr;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One call's detail record: everything known about a call (one Linkedid) of a tenant once it is over.
 * Times are kept to the microsecond (what both databases store), so that a record read back equals the
 * one written. Durations are whole seconds, defined in docs/reports.md ("Call detail records").
 *
 * @param answeredAt    when two of its legs were first connected; null when never
 * @param did           the DID the caller dialled; null when the call did not come in on one
 * @param ivr           the IVR path; null when the call went through no flow
 * @param queues        the caller's queue visits, in order
 * @param agents        agent ids in the order they were first connected to the call
 * @param chain         transfers and conference joins, in order
 * @param recordings    the call's recording ids
 * @param voicemail     the id of the message the caller left; null when none
 * @param surveyOutcome ANSWERED, NO_RESPONSE, HUNG_UP, INTERRUPTED; null when no survey was offered
 * @param surveyScore   1..5 when the survey was answered, else 0
 * @param complete      false when the call was not seen from its start (begun before this server process,
 *                      first seen at a resync or while the model was stale): what happened before (rings,
 *                      holds, queue visits) is missing from it
 */
public record CallRecord(CallId call, TenantId tenant, Direction direction, Instant startedAt, Instant answeredAt,
        Instant endedAt, String callerNumber, String callerName, String calledNumber, String did, IvrPath ivr,
        List<QueueVisit> queues, long waitSeconds, long ringSeconds, long talkSeconds, long holdSeconds,
        long wrapUpSeconds, List<String> agents, List<ChainLink> chain, List<String> recordings, String voicemail,
        String surveyOutcome, int surveyScore, CdrDisposition disposition, boolean complete, List<LegRecord> legs) {

    public CallRecord {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(disposition, "disposition");
        startedAt = micros(Objects.requireNonNull(startedAt, "startedAt"));
        answeredAt = micros(answeredAt);
        endedAt = micros(Objects.requireNonNull(endedAt, "endedAt"));
        callerNumber = callerNumber == null ? "" : callerNumber;
        callerName = callerName == null ? "" : callerName;
        calledNumber = calledNumber == null ? "" : calledNumber;
        queues = List.copyOf(queues);
        agents = List.copyOf(agents);
        chain = List.copyOf(chain);
        recordings = List.copyOf(recordings);
        legs = List.copyOf(legs);
        if (waitSeconds < 0 || ringSeconds < 0 || talkSeconds < 0 || holdSeconds < 0 || wrapUpSeconds < 0) {
            throw new IllegalArgumentException("durations must not be negative: call " + call);
        }
    }

    /** An IVR flow the caller went through and the keys they pressed in it. */
    public record IvrPath(String flow, String language, String region, List<Choice> choices) {
        public IvrPath {
            choices = List.copyOf(choices);
        }
    }

    /** A key pressed at an IVR node. */
    public record Choice(String node, String key) {}

    /**
     * One visit of the caller to a queue.
     *
     * @param outcome ANSWERED, ABANDONED, SHORT_ABANDON, OVERFLOWED, CALLBACK, or WAITING when the visit had no
     *                end in this process (a restart)
     * @param agent   the agent who answered; null when none
     */
    public record QueueVisit(String queue, String entry, Instant enteredAt, String outcome, long waitedSeconds,
            String agent) {
        public QueueVisit {
            enteredAt = micros(enteredAt);
        }
    }

    /**
     * One link of the call's chain.
     *
     * @param kind      BLIND or ATTENDED (a transfer by call control), CONFERENCE (a party joined a call that
     *                  already had two), or the kind Asterisk reported for a transfer made on a phone
     * @param fromAgent the agent who made it; null when unknown (a phone's own transfer, a conference join)
     * @param to        where it went: {@code agent:agent-1002}, {@code queue:support}, a number, or the joining
     *                  party's agent id or number
     */
    public record ChainLink(String kind, String fromAgent, String to, Instant at) {
        public ChainLink {
            at = micros(at);
        }
    }

    /**
     * One channel of the call.
     *
     * @param role  ORIGIN (the leg that started the call), AGENT (an agent's phone), PARTY (anyone else)
     * @param cause the Q.850 hangup cause; null when unknown
     */
    public record LegRecord(String channel, String endpoint, String role, String agent, Instant createdAt,
            Instant answeredAt, Instant endedAt, Integer cause) {
        public LegRecord {
            createdAt = micros(createdAt);
            answeredAt = micros(answeredAt);
            endedAt = micros(endedAt);
        }
    }

    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
