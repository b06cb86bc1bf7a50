package org.asteriskcti.server.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/**
 * One ended call as one agent saw it. Times are kept to the microsecond, the precision both databases
 * store, so that an entry read back after a restart equals the one recorded.
 *
 * @param direction       from the agent's point of view (see {@link HistoryEntries})
 * @param number          the other party's number; empty when unknown
 * @param name            the other party's name; empty when unknown
 * @param startedAt       when the call reached the agent (their first leg was created)
 * @param answeredAt      when the agent was connected; null when never
 * @param endedAt         when the agent's part ended (their last leg hung up)
 * @param talkSeconds     whole seconds from {@code answeredAt} to {@code endedAt}; 0 when never answered
 * @param callDisposition the call's own outcome (never MERGED: merged calls are not history)
 * @param queue           the queue the call came through; null when none
 * @param recordings      ids of the call's recordings (see {@link RecordingLinks}); empty when none
 */
public record HistoryEntry(CallId call, TenantId tenant, AgentId agent, Direction direction, String number, String name,
        Instant startedAt, Instant answeredAt, Instant endedAt, long talkSeconds, AgentDisposition disposition,
        Disposition callDisposition, String queue, List<String> recordings) {

    public HistoryEntry {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(callDisposition, "callDisposition");
        number = number == null ? "" : number;
        name = name == null ? "" : name;
        startedAt = micros(Objects.requireNonNull(startedAt, "startedAt"));
        answeredAt = answeredAt == null ? null : micros(answeredAt);
        endedAt = micros(Objects.requireNonNull(endedAt, "endedAt"));
        if (talkSeconds < 0) {
            throw new IllegalArgumentException("talkSeconds must not be negative, got " + talkSeconds);
        }
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }
}
