package org.asteriskcti.server.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.CallView.LegView;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.tenant.TenantDirectory;

/**
 * Turns an ended call into one history entry per agent involved (connected in it, or one of its legs
 * was the agent's phone), each from that agent's point of view. A pure function of the call and the
 * directory.
 *
 * <p>The call's originating leg is the one whose channel is the Linkedid (as in {@code Call}); the
 * agent on it placed the call. From an agent's point of view:
 * <ul>
 *   <li><b>direction</b>: an INTERNAL call (agent to agent) is INTERNAL for everyone; the agent who
 *       placed an OUTBOUND call has OUTBOUND; everyone else was offered the call on their phone: INBOUND
 *       (a customer calling in, or a colleague's outbound call transferred to them).</li>
 *   <li><b>the other party</b>: on an internal call the other agent (for the one who placed it, the
 *       first other agent who was connected, else the first rung), by extension (the resource of their
 *       phone, {@code PJSIP/1002} → 1002) and configured name. Otherwise the outside party: the caller
 *       of an inbound call (its caller id); the number dialled of an outbound call (the originating
 *       leg's extension; its name from that leg's connected line, which the answering side updates,
 *       when it names the same number).</li>
 *   <li><b>times</b>: started when the agent's first leg was created; answered, for an agent who was
 *       connected, at the later of their leg's answer and the call's first connection (the one who
 *       placed a call picks up before the far end answers); ended when their last leg ended. Talk is
 *       whole seconds between the two.</li>
 *   <li><b>disposition</b>: ANSWERED when connected; otherwise MISSED for an agent whose phone was
 *       offered the call and UNANSWERED for the one who placed it.</li>
 * </ul>
 * Only agents of the call's tenant get an entry: another tenant's phone on the call (a direct dial
 * across tenants) is not shown this tenant's caller, as it is not shown the call itself.
 */
public final class HistoryEntries {

    private HistoryEntries() {}

    /** The other party of a call, from one agent's point of view. */
    private record Party(String number, String name) {}

    /**
     * The entries of an ended call, in the order its agents appear (connected first); none for a call
     * not ended, of no tenant, or MERGED into another. {@code recordings} is asked only when there is
     * an entry to make.
     */
    public static List<HistoryEntry> of(CallView call, TenantDirectory directory, RecordingLinks recordings) {
        if (call.tenant() == null || call.endedAt() == null || call.disposition() == null) {
            return List.of();
        }
        Disposition callDisposition = Disposition.valueOf(call.disposition());
        if (callDisposition == Disposition.MERGED) {
            return List.of();
        }
        TenantId tenant = TenantId.of(call.tenant());
        Direction callDirection = call.direction() == null ? Direction.INBOUND : Direction.valueOf(call.direction());
        LegView origin = origin(call);
        Set<String> agents = new LinkedHashSet<>(call.agents());
        for (LegView l : call.legs()) {
            if (l.agent() != null) {
                agents.add(l.agent());
            }
        }
        List<HistoryEntry> out = new ArrayList<>();
        List<String> recordingIds = null;
        for (String id : agents) {
            AgentId agent = AgentId.of(id);
            Optional<TenantDirectory.Agent> known = directory.agent(agent);
            if (known.isEmpty() || !known.get().tenant().equals(tenant)) {
                continue;
            }
            boolean placedIt = origin != null && id.equals(origin.agent());
            boolean connected = call.agents().contains(id);
            List<LegView> mine = call.legs().stream().filter(l -> id.equals(l.agent())).toList();

            Direction direction = callDirection == Direction.INTERNAL ? Direction.INTERNAL
                    : placedIt && callDirection == Direction.OUTBOUND ? Direction.OUTBOUND : Direction.INBOUND;
            Party other = callDirection == Direction.INTERNAL ? otherAgent(call, origin, id, placedIt, directory)
                    : callDirection == Direction.OUTBOUND ? dialledParty(call, origin)
                    : new Party(call.callerNumber(), call.callerName());

            Instant started = mine.stream().map(LegView::createdAt).filter(t -> t != null).min(Instant::compareTo)
                    .orElse(call.startedAt());
            Instant ended = mine.stream().map(LegView::endedAt).filter(t -> t != null).max(Instant::compareTo)
                    .orElse(call.endedAt());
            Instant answered = null;
            if (connected) {
                Instant legAnswer = mine.stream().map(LegView::answeredAt).filter(t -> t != null)
                        .min(Instant::compareTo).orElse(null);
                answered = later(legAnswer, call.connectedAt());
                if (answered == null) {
                    answered = started;
                }
                if (answered.isAfter(ended)) {
                    answered = ended;
                }
            }
            if (recordingIds == null) {
                recordingIds = recordings.recordingsOf(tenant, CallId.of(call.callId()));
            }
            long talk = answered == null ? 0 : Math.max(0, Duration.between(answered, ended).toSeconds());
            AgentDisposition disposition = connected ? AgentDisposition.ANSWERED
                    : placedIt ? AgentDisposition.UNANSWERED : AgentDisposition.MISSED;
            out.add(new HistoryEntry(CallId.of(call.callId()), tenant, agent, direction, other.number(), other.name(), started,
                    answered, ended, talk, disposition, callDisposition, call.queue(), recordingIds));
        }
        return out;
    }

    /** The leg that started the call: the one whose channel id is the Linkedid, else the oldest. */
    private static LegView origin(CallView call) {
        for (LegView l : call.legs()) {
            if (l.channelId().equals(call.callId())) {
                return l;
            }
        }
        return call.legs().isEmpty() ? null : call.legs().get(0);
    }

    /** Internal: the other agent, by extension and configured name. */
    private static Party otherAgent(CallView call, LegView origin, String me, boolean placedIt,
            TenantDirectory directory) {
        LegView other = null;
        if (placedIt) {
            for (LegView l : call.legs()) {
                if (l.agent() != null && !l.agent().equals(me) && (other == null
                        || call.agents().contains(l.agent()) && !call.agents().contains(other.agent()))) {
                    other = l;
                }
            }
        } else if (origin != null && origin.agent() != null && !origin.agent().equals(me)) {
            other = origin;
        }
        if (other == null) {
            return new Party(call.callerNumber(), call.callerName());
        }
        Optional<TenantDirectory.Agent> a = directory.agent(AgentId.of(other.agent()));
        String device = a.map(TenantDirectory.Agent::device).orElse(other.device());
        return new Party(extension(device), a.map(TenantDirectory.Agent::name).orElse(other.callerName()));
    }

    /**
     * Outbound: the number dialled. A leg originated on the agent's phone (click-to-dial) has no
     * extension of its own until it enters the dialplan: then the first outside leg's caller id, which
     * a dialled channel carries as the callee's.
     */
    private static Party dialledParty(CallView call, LegView origin) {
        LegView outside = call.legs().stream().filter(l -> l.agent() == null).findFirst().orElse(null);
        String number = call.dialled();
        if (number == null || number.isBlank() || "s".equals(number)) {
            number = outside == null ? "" : outside.callerNumber();
        }
        String name = "";
        if (origin != null && number.equals(origin.connectedNumber()) && origin.connectedName() != null) {
            name = origin.connectedName();
        } else if (outside != null && number.equals(outside.callerNumber()) && outside.callerName() != null) {
            name = outside.callerName();
        }
        return new Party(number, name);
    }

    private static String extension(String device) {
        int slash = device.indexOf('/');
        return slash < 0 ? device : device.substring(slash + 1);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }
}
