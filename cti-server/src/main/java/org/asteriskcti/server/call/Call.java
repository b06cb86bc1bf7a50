package org.asteriskcti.server.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/** A call: the legs sharing one Linkedid. Mutable, owned by the domain loop; clients get {@link CallView}s. */
public final class Call {

    /** One transfer the call went through. */
    public record Transfer(String kind, String target, Instant at) {}

    final CallId id;
    TenantId tenant;
    CallState state = CallState.STARTED;
    Direction direction;
    final Instant startedAt;
    Instant connectedAt;
    Instant endedAt;
    Disposition disposition;
    CallId mergedInto;
    final List<Leg> legs = new ArrayList<>();
    /** Devices that were connected in this call, in the order they first were. */
    final Set<String> connectedDevices = new LinkedHashSet<>();
    final Set<AgentId> agents = new LinkedHashSet<>();
    final List<Transfer> transfers = new ArrayList<>();
    /** The bridge in which the call last became CONNECTED. */
    org.asteriskcti.server.domain.BridgeId connectedBridge;
    String queue;
    Integer queueWaitSeconds;
    Integer ringSeconds;
    Instant ringStartedAt;
    String conference;
    String recordingState;
    String recordingFile;
    long version;
    /** What clients were last shown (version 0), to publish only visible changes. */
    CallView lastPublished;

    Call(CallId id, Instant startedAt) {
        this.id = id;
        this.startedAt = startedAt;
    }

    public CallId id() {
        return id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public CallState state() {
        return state;
    }

    public Disposition disposition() {
        return disposition;
    }

    public List<Leg> legs() {
        return List.copyOf(legs);
    }

    public List<String> connectedDevices() {
        return List.copyOf(connectedDevices);
    }

    public Integer ringSeconds() {
        return ringSeconds;
    }

    public List<Transfer> transfers() {
        return List.copyOf(transfers);
    }

    public String conference() {
        return conference;
    }

    public String queue() {
        return queue;
    }

    public String recordingState() {
        return recordingState;
    }

    public Direction direction() {
        return direction;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    /** The leg that started the call: the one whose channel id is the Linkedid, else the oldest. */
    Leg originatingLeg() {
        for (Leg l : legs) {
            if (l.id.value().equals(id.value())) {
                return l;
            }
        }
        return legs.isEmpty() ? null : legs.get(0);
    }

    public CallView view() {
        List<CallView.LegView> legViews = new ArrayList<>();
        for (Leg l : legs) {
            legViews.add(new CallView.LegView(l.id.value(), l.snapshot.name(), l.snapshot.device(),
                    l.snapshot.state().text(), l.snapshot.caller().number(), l.snapshot.caller().name(),
                    l.snapshot.connected().number(), l.snapshot.connected().name(),
                    l.agent == null ? null : l.agent.value(), l.onHold, l.bridge == null ? null : l.bridge.value(),
                    l.createdAt, l.answeredAt, l.endedAt, l.hangupCause));
        }
        Leg origin = originatingLeg();
        String callerNumber = origin == null ? "" : origin.snapshot.caller().number();
        String callerName = origin == null ? "" : origin.snapshot.caller().name();
        String dialled = origin == null ? "" : origin.snapshot.exten();
        Long talkSeconds = null;
        if (connectedAt != null) {
            Instant end = endedAt != null ? endedAt : null;
            talkSeconds = end == null ? null : Duration.between(connectedAt, end).toSeconds();
        }
        List<String> agentIds = new ArrayList<>();
        agents.forEach(a -> agentIds.add(a.value()));
        List<CallView.TransferView> tv = new ArrayList<>();
        transfers.forEach(t -> tv.add(new CallView.TransferView(t.kind(), t.target(), t.at())));
        return new CallView(id.value(), tenant == null ? null : tenant.value(), state.name(),
                direction == null ? null : direction.name(), callerNumber, callerName, dialled, startedAt,
                connectedAt, endedAt, disposition == null ? null : disposition.name(),
                mergedInto == null ? null : mergedInto.value(), queue, queueWaitSeconds, ringSeconds, talkSeconds,
                List.copyOf(agentIds), List.copyOf(connectedDevices), conference, recordingState, recordingFile,
                List.copyOf(tv), List.copyOf(legViews), version);
    }
}
