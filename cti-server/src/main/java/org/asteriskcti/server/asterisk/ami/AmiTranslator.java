package org.asteriskcti.server.asterisk.ami;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeDestroyed;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeEntered;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeLeft;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgesMerged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelHungUp;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelVarSet;
import org.asteriskcti.server.asterisk.AsteriskEvent.ConferenceChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DeviceStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived;
import org.asteriskcti.server.asterisk.AsteriskEvent.EndpointStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.HangupRequested;
import org.asteriskcti.server.asterisk.AsteriskEvent.HoldChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.OriginateFinished;
import org.asteriskcti.server.asterisk.AsteriskEvent.QueueActivity;
import org.asteriskcti.server.asterisk.AsteriskEvent.RecordingChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.TransferCompleted;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.ConferenceChange;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.QueueActivityKind;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.TransferKind;
import org.asteriskcti.server.asterisk.ami.wire.BridgeListItemEvent;
import org.asteriskcti.server.asterisk.ami.wire.MixMonitorMuteEvent;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskjava.manager.event.AbstractBridgeEvent;
import org.asteriskjava.manager.event.AbstractChannelEvent;
import org.asteriskjava.manager.event.AgentCalledEvent;
import org.asteriskjava.manager.event.AgentCompleteEvent;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.AgentRingNoAnswerEvent;
import org.asteriskjava.manager.event.AttendedTransferEvent;
import org.asteriskjava.manager.event.BlindTransferEvent;
import org.asteriskjava.manager.event.BridgeCreateEvent;
import org.asteriskjava.manager.event.BridgeDestroyEvent;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.BridgeMergeEvent;
import org.asteriskjava.manager.event.ConfbridgeEndEvent;
import org.asteriskjava.manager.event.ConfbridgeJoinEvent;
import org.asteriskjava.manager.event.ConfbridgeLeaveEvent;
import org.asteriskjava.manager.event.ConfbridgeStartEvent;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.ContactStatusEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DialEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.DtmfEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HangupRequestEvent;
import org.asteriskjava.manager.event.HoldEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.MeetMeEndEvent;
import org.asteriskjava.manager.event.MeetMeJoinEvent;
import org.asteriskjava.manager.event.MeetMeLeaveEvent;
import org.asteriskjava.manager.event.MixMonitorStartEvent;
import org.asteriskjava.manager.event.MixMonitorStopEvent;
import org.asteriskjava.manager.event.NewCallerIdEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewConnectedLineEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.PeerStatusEvent;
import org.asteriskjava.manager.event.ProtocolIdentifierReceivedEvent;
import org.asteriskjava.manager.event.QueueCallerAbandonEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueCallerLeaveEvent;
import org.asteriskjava.manager.event.QueueEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import org.asteriskjava.manager.event.UnholdEvent;
import org.asteriskjava.manager.event.VarSetEvent;

/**
 * asterisk-java {@link ManagerEvent}s to {@link AsteriskEvent} records: one small handler per AMI
 * event type, looked up by the event's exact class. Pure: no state besides drop counters, no domain
 * logic. Anything without a handler is dropped and counted (AMI noise is not worth an
 * {@code Unrecognized}).
 *
 * <p>Faithful to the wire: Uniqueids stay opaque strings, {@code <unknown>} becomes empty, and the
 * AMI numbers keep Asterisk's meaning (Q.850 causes, seconds).
 */
final class AmiTranslator {

    /** Prefix of the channel variables the CTI keeps on channels; other VarSets are noise. */
    static final String CTI_VARIABLE_PREFIX = "CTI_";

    /**
     * Not Asterisk's events: asterisk-java's connection pseudo-events and the legacy events it
     * synthesises from real ones (Link/Unlink from BridgeEnter, Dial from DialBegin, MeetMe* from
     * Confbridge*). Ignored without counting, so the drop counters only show what Asterisk sent.
     */
    private static final Set<Class<?>> SYNTHETIC = Set.of(ConnectEvent.class, DisconnectEvent.class,
            ProtocolIdentifierReceivedEvent.class, BridgeEvent.class, DialEvent.class, MeetMeJoinEvent.class,
            MeetMeLeaveEvent.class, MeetMeEndEvent.class);

    private final Map<Class<? extends ManagerEvent>, BiFunction<ManagerEvent, EventMeta, AsteriskEvent>> handlers =
            new HashMap<>();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();

    AmiTranslator() {
        on(NewChannelEvent.class, (e, m) -> upsert(m, e, e.getLinkedid(), e.getLanguage()));
        on(NewStateEvent.class, (e, m) -> upsert(m, e, e.getLinkedId(), e.getLanguage()));
        on(NewCallerIdEvent.class, (e, m) -> upsert(m, e, e.getLinkedId(), e.getLanguage()));
        on(NewConnectedLineEvent.class, (e, m) -> channelUpsert(m, e, e.getUniqueId(), e.getChannel(),
                e.getLinkedId(), e.getAccountCode(), e.getLanguage()));
        on(HangupRequestEvent.class, (e, m) -> hangupRequested(m, e.getUniqueId(), false, e.getCause()));
        on(SoftHangupRequestEvent.class, (e, m) -> hangupRequested(m, e.getUniqueId(), true, e.getCause()));
        on(HangupEvent.class, this::hungUp);
        on(DialBeginEvent.class, (e, m) -> dialStarted(m, e));
        on(DialEndEvent.class, (e, m) -> dialEnded(m, e));
        on(BridgeCreateEvent.class, (e, m) -> bridge(e) == null ? null : new BridgeUpserted(m, bridge(e)));
        on(BridgeEnterEvent.class, (e, m) -> bridgeMember(m, e, e.getUniqueId(), true));
        on(BridgeLeaveEvent.class, (e, m) -> bridgeMember(m, e, e.getUniqueId(), false));
        on(BridgeDestroyEvent.class, (e, m) -> bridgeId(e.getBridgeUniqueId()) == null ? null
                : new BridgeDestroyed(m, bridgeId(e.getBridgeUniqueId())));
        on(BridgeMergeEvent.class, this::bridgesMerged);
        on(HoldEvent.class, (e, m) -> hold(m, e.getUniqueId(), true, e.getMusicClass()));
        on(UnholdEvent.class, (e, m) -> hold(m, e.getUniqueId(), false, null));
        on(BlindTransferEvent.class, this::blindTransfer);
        on(AttendedTransferEvent.class, this::attendedTransfer);
        on(MixMonitorStartEvent.class, (e, m) -> recording(m, e.getUniqueId(), RecordingState.STARTED));
        on(MixMonitorStopEvent.class, (e, m) -> recording(m, e.getUniqueId(), RecordingState.STOPPED));
        on(MixMonitorMuteEvent.class, (e, m) -> recording(m, e.getUniqueId(),
                "1".equals(trim(e.getState())) ? RecordingState.MUTED : RecordingState.UNMUTED));
        on(ConfbridgeStartEvent.class, (e, m) -> conference(m, e.getConference(), null, ConferenceChange.STARTED));
        on(ConfbridgeJoinEvent.class, (e, m) -> conference(m, e.getConference(), e.getUniqueId(),
                ConferenceChange.JOINED));
        on(ConfbridgeLeaveEvent.class, (e, m) -> conference(m, e.getConference(), e.getUniqueId(),
                ConferenceChange.LEFT));
        on(ConfbridgeEndEvent.class, (e, m) -> conference(m, e.getConference(), null, ConferenceChange.ENDED));
        on(DeviceStateChangeEvent.class, (e, m) -> blank(e.getDevice()) ? null
                : new DeviceStateChanged(m, e.getDevice(), DeviceState.parse(e.getState())));
        on(ContactStatusEvent.class, this::contactStatus);
        on(PeerStatusEvent.class, this::peerStatus);
        on(DtmfEndEvent.class, this::dtmf);
        on(QueueCallerJoinEvent.class, (e, m) -> queueCaller(m, e, QueueActivityKind.CALLER_JOINED, null));
        on(QueueCallerLeaveEvent.class, (e, m) -> queueCaller(m, e, QueueActivityKind.CALLER_LEFT, null));
        on(QueueCallerAbandonEvent.class, (e, m) -> queueCaller(m, e, QueueActivityKind.CALLER_ABANDONED,
                e.getHoldTime()));
        on(AgentCalledEvent.class, (e, m) -> agent(m, e.getQueue(), e.getUniqueId(), QueueActivityKind.AGENT_CALLED,
                e.getInterface(), e.getDestUniqueId(), null, null, null, null));
        on(AgentConnectEvent.class, (e, m) -> agent(m, e.getQueue(), e.getUniqueId(),
                QueueActivityKind.AGENT_CONNECTED, e.getInterface(), e.getDestUniqueId(), seconds(e.getHoldTime()),
                seconds(e.getRingtime()), null, null));
        on(AgentCompleteEvent.class, (e, m) -> agent(m, e.getQueue(), e.getUniqueId(),
                QueueActivityKind.AGENT_COMPLETED, e.getInterface(), e.getDestUniqueId(), seconds(e.getHoldTime()),
                null, seconds(e.getTalkTime()), e.getReason()));
        on(AgentRingNoAnswerEvent.class, (e, m) -> agent(m, e.getQueue(), e.getUniqueId(),
                QueueActivityKind.AGENT_RING_NO_ANSWER, e.getInterface(), e.getDestUniqueId(), null,
                seconds(e.getRingtime()), null, null));
        on(OriginateResponseEvent.class, this::originateFinished);
        on(VarSetEvent.class, this::varSet);
    }

    private <T extends ManagerEvent> void on(Class<T> type, BiFunction<T, EventMeta, AsteriskEvent> handler) {
        handlers.put(type, (e, m) -> handler.apply(type.cast(e), m));
    }

    /**
     * The translation, or empty when the event is noise (no handler, or a handler that finds nothing
     * for the CTI in it: a non-CTI VarSet, DTMF sent to the phone, an event without the ids its record
     * needs) or synthetic. Every empty result except synthetic ones is counted under the event's name.
     */
    Optional<AsteriskEvent> translate(ManagerEvent event, EventMeta meta) {
        if (SYNTHETIC.contains(event.getClass())) {
            return Optional.empty();
        }
        BiFunction<ManagerEvent, EventMeta, AsteriskEvent> handler = handlers.get(event.getClass());
        AsteriskEvent translated = handler == null ? null : handler.apply(event, meta);
        if (translated == null) {
            countDrop(amiName(event));
        }
        return Optional.ofNullable(translated);
    }

    /** Is this one of asterisk-java's own events rather than something Asterisk sent? */
    static boolean isSynthetic(ManagerEvent event) {
        return SYNTHETIC.contains(event.getClass());
    }

    /** Meta for an AMI event: Asterisk's {@code Timestamp:} (timestampevents=yes) when present. */
    static EventMeta meta(ManagerEvent event, Instant receivedAt, long receivedNanos) {
        return new EventMeta(Source.AMI, asteriskTime(event.getTimestamp()), receivedAt, receivedNanos);
    }

    /** AMI {@code Timestamp: 1795422387.931610} (seconds.micros) as an Instant; null stays null. */
    static Instant asteriskTime(Double timestamp) {
        if (timestamp == null || timestamp.isNaN() || timestamp.isInfinite()) {
            return null;
        }
        long seconds = (long) Math.floor(timestamp);
        long micros = Math.round((timestamp - seconds) * 1_000_000d);
        if (micros >= 1_000_000) {
            seconds++;
            micros -= 1_000_000;
        }
        return Instant.ofEpochSecond(seconds, micros * 1_000);
    }

    /** Drops so far, by event name (asterisk-java's class name without "Event"); a sorted copy. */
    Map<String, Long> droppedCounts() {
        Map<String, Long> copy = new TreeMap<>();
        dropped.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    private void countDrop(String name) {
        dropped.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** {@code NewChannelEvent} → {@code NewChannel}: asterisk-java's class name without "Event". */
    static String amiName(ManagerEvent event) {
        String name = event.getClass().getSimpleName();
        return name.endsWith("Event") ? name.substring(0, name.length() - "Event".length()) : name;
    }

    // ---- resync lists -------------------------------------------------------------------------

    /** One CoreShowChannel list item as a snapshot; null when it has no Uniqueid. */
    static ChannelSnapshot channel(CoreShowChannelEvent e) {
        ChannelId id = channelId(e.getUniqueid());
        if (id == null) {
            return null;
        }
        return new ChannelSnapshot(id, e.getChannel(), state(e), new Party(e.getCallerIdNum(), e.getCallerIdName()),
                new Party(e.getConnectedLineNum(), e.getConnectedLineName()), trim(e.getLinkedid()), e.getContext(),
                e.getExten(), e.getAccountcode(), e.getLanguage(), null);
    }

    /** One BridgeListItem as a snapshot with the members found in CoreShowChannel's BridgeId; null without id. */
    static BridgeSnapshot bridge(BridgeListItemEvent e, List<ChannelId> members) {
        BridgeId id = bridgeId(e.getBridgeUniqueid());
        if (id == null) {
            return null;
        }
        return new BridgeSnapshot(id, e.getBridgeType(), e.getBridgeTechnology(), e.getBridgeCreator(),
                e.getBridgeName(), members);
    }

    // ---- handlers -----------------------------------------------------------------------------

    private static AsteriskEvent upsert(EventMeta m, AbstractChannelEvent e, String linkedId, String language) {
        return channelUpsert(m, e, e.getUniqueId(), e.getChannel(), linkedId, e.getAccountCode(), language);
    }

    private static AsteriskEvent channelUpsert(EventMeta m, ManagerEvent e, String uniqueId, String name,
            String linkedId, String accountCode, String language) {
        ChannelId id = channelId(uniqueId);
        if (id == null) {
            return null;
        }
        return new ChannelUpserted(m, new ChannelSnapshot(id, name, state(e),
                new Party(e.getCallerIdNum(), e.getCallerIdName()),
                new Party(e.getConnectedLineNum(), e.getConnectedLineName()), trim(linkedId), e.getContext(),
                e.getExten(), accountCode, language, null));
    }

    private static AsteriskEvent hangupRequested(EventMeta m, String uniqueId, boolean soft, Integer cause) {
        ChannelId id = channelId(uniqueId);
        return id == null ? null : new HangupRequested(m, id, soft, cause);
    }

    /**
     * asterisk-java turns the value {@code Unknown} into null, and {@code Unknown} is exactly what
     * Asterisk writes as Cause-txt for cause 0 or any cause it has no text for (02:
     * {@code Cause: 0 / Cause-txt: Unknown}); so a missing text beside a cause is put back as that.
     */
    private AsteriskEvent hungUp(HangupEvent e, EventMeta m) {
        ChannelId id = channelId(e.getUniqueId());
        if (id == null) {
            return null;
        }
        String text = e.getCauseTxt() != null ? e.getCauseTxt().trim() : e.getCause() != null ? "Unknown" : "";
        return new ChannelHungUp(m, id, e.getCause() == null ? 0 : e.getCause(), text);
    }

    /** The caller is absent (null) for an originated leg: DialBegin then has only Dest* headers. */
    private static AsteriskEvent dialStarted(EventMeta m, DialBeginEvent e) {
        ChannelId peer = channelId(e.getDestUniqueId());
        return peer == null ? null : new DialStarted(m, channelId(e.getUniqueId()), peer, nullToEmpty(e.getDialString()));
    }

    private static AsteriskEvent dialEnded(EventMeta m, DialEndEvent e) {
        ChannelId peer = channelId(e.getDestUniqueId());
        return peer == null ? null : new DialEnded(m, channelId(e.getUniqueId()), peer, nullToEmpty(e.getDialStatus()));
    }

    private static BridgeSnapshot bridge(AbstractBridgeEvent e) {
        BridgeId id = bridgeId(e.getBridgeUniqueId());
        return id == null ? null
                : new BridgeSnapshot(id, e.getBridgeType(), e.getBridgeTechnology(), e.getBridgeCreator(),
                        e.getBridgeName(), List.of());
    }

    private static AsteriskEvent bridgeMember(EventMeta m, AbstractBridgeEvent e, String uniqueId, boolean entered) {
        BridgeSnapshot bridge = bridge(e);
        ChannelId channel = channelId(uniqueId);
        if (bridge == null || channel == null) {
            return null;
        }
        return entered ? new BridgeEntered(m, bridge, channel) : new BridgeLeft(m, bridge, channel);
    }

    private AsteriskEvent bridgesMerged(BridgeMergeEvent e, EventMeta m) {
        BridgeId from = bridgeId(e.getFromBridgeUniqueId());
        BridgeId to = bridgeId(e.getToBridgeUniqueId());
        return from == null || to == null ? null : new BridgesMerged(m, from, to);
    }

    private static AsteriskEvent hold(EventMeta m, String uniqueId, boolean onHold, String musicClass) {
        ChannelId id = channelId(uniqueId);
        return id == null ? null : new HoldChanged(m, id, onHold, trim(musicClass));
    }

    /** {@code IsExternal: Yes} when AMI/ARI asked for it (03a); the target is {@code Extension@Context}. */
    private AsteriskEvent blindTransfer(BlindTransferEvent e, EventMeta m) {
        ChannelId transferer = channelId(e.getTransfererUniqueId());
        ChannelId transferee = channelId(e.getTransfereeUniqueId());
        if (transferer == null && transferee == null) {
            return null;
        }
        return new TransferCompleted(m, TransferKind.BLIND, transferer, transferee, trim(e.getContext()),
                trim(e.getExtension()), null, success(e.getResult()), yes(e.getIsexternal()));
    }

    /**
     * Orig/Second transferer can be one channel (AMI Atxfer, 03c) and the TransferTarget fields can be
     * absent (DestType Bridge after a merge): the target then stays null, never guessed from the
     * second transferer.
     */
    private AsteriskEvent attendedTransfer(AttendedTransferEvent e, EventMeta m) {
        ChannelId transferer = channelId(e.getOrigTransfererUniqueid());
        ChannelId transferee = channelId(e.getTransfereeUniqueid());
        if (transferer == null && transferee == null) {
            return null;
        }
        return new TransferCompleted(m, TransferKind.ATTENDED, transferer, transferee, null, null,
                channelId(e.getTransferTargetUniqueID()), success(e.getResult()), yes(e.getIsexternal()));
    }

    /**
     * AMI MixMonitor events carry neither a recording id nor the file: the recording is named by the
     * channel's Uniqueid and the file stays null (the caller that started it knows the file).
     */
    private static AsteriskEvent recording(EventMeta m, String uniqueId, RecordingState state) {
        ChannelId id = channelId(uniqueId);
        return id == null ? null : new RecordingChanged(m, id.value(), id, null, state, null, null);
    }

    private static AsteriskEvent conference(EventMeta m, String conference, String uniqueId, ConferenceChange change) {
        if (blank(conference)) {
            return null;
        }
        ChannelId channel = channelId(uniqueId);
        if (channel == null && (change == ConferenceChange.JOINED || change == ConferenceChange.LEFT)) {
            return null;
        }
        return new ConferenceChanged(m, conference, channel, change);
    }

    /**
     * PJSIP ContactStatus, per contact: Created/Reachable/NonQualified/Updated mean reachable,
     * Unreachable/Removed mean not; Unknown says nothing and is dropped.
     */
    private AsteriskEvent contactStatus(ContactStatusEvent e, EventMeta m) {
        if (blank(e.getEndpointName()) || e.getContactStatus() == null) {
            return null;
        }
        Boolean online;
        switch (e.getContactStatus().trim().toLowerCase(Locale.ROOT)) {
            case "created":
            case "reachable":
            case "nonqualified":
            case "updated":
                online = Boolean.TRUE;
                break;
            case "unreachable":
            case "removed":
                online = Boolean.FALSE;
                break;
            default:
                online = null;
        }
        return online == null ? null : new EndpointStateChanged(m, "PJSIP/" + e.getEndpointName().trim(), online);
    }

    /** PeerStatus ({@code Peer: PJSIP/1001}): Registered/Reachable/Lagged online; Unregistered/Unreachable/Rejected not. */
    private AsteriskEvent peerStatus(PeerStatusEvent e, EventMeta m) {
        if (blank(e.getPeer()) || e.getPeerStatus() == null) {
            return null;
        }
        Boolean online;
        switch (e.getPeerStatus().trim().toLowerCase(Locale.ROOT)) {
            case "registered":
            case "reachable":
            case "lagged":
                online = Boolean.TRUE;
                break;
            case "unregistered":
            case "unreachable":
            case "rejected":
                online = Boolean.FALSE;
                break;
            default:
                online = null;
        }
        return online == null ? null : new EndpointStateChanged(m, e.getPeer().trim(), online);
    }

    /** Only digits the phone sent ({@code Direction: Received}); DTMF Asterisk plays out is not a fact about the caller. */
    private AsteriskEvent dtmf(DtmfEndEvent e, EventMeta m) {
        if (!"received".equalsIgnoreCase(trim(e.getDirection()))) {
            return null;
        }
        ChannelId id = channelId(e.getUniqueId());
        String digit = trim(e.getDigit());
        if (id == null || digit == null || digit.length() != 1) {
            return null;
        }
        return new DtmfReceived(m, id, digit.charAt(0), e.getDurationMs() == null ? 0 : e.getDurationMs());
    }

    private static AsteriskEvent queueCaller(EventMeta m, QueueEvent e, QueueActivityKind kind, Integer holdSeconds) {
        ChannelId caller = channelId(e.getUniqueId());
        if (caller == null || blank(e.getQueue())) {
            return null;
        }
        return new QueueActivity(m, e.getQueue(), caller, kind, null, null, holdSeconds, null, null, null);
    }

    /** {@code member} is the member's Interface ({@code PJSIP/1001}), its stable name; MemberName is display text. */
    private static AsteriskEvent agent(EventMeta m, String queue, String callerUniqueId, QueueActivityKind kind,
            String memberInterface, String memberUniqueId, Integer hold, Integer ring, Integer talk, String reason) {
        ChannelId caller = channelId(callerUniqueId);
        if (caller == null || blank(queue)) {
            return null;
        }
        return new QueueActivity(m, queue, caller, kind, trim(memberInterface), channelId(memberUniqueId), hold, ring,
                talk, trim(reason));
    }

    /**
     * {@code actionRef} is the user part of our ActionID (asterisk-java strips its own prefix).
     * {@code Reason} is Asterisk's control frame number, named here: 4 answered, 5 busy, 8 congestion,
     * 3 no-answer, 1 hangup, 0 failed (no such channel/extension); other numbers stay numbers.
     */
    private AsteriskEvent originateFinished(OriginateResponseEvent e, EventMeta m) {
        boolean success = "success".equalsIgnoreCase(trim(e.getResponse()));
        return new OriginateFinished(m, trim(e.getActionId()), channelId(e.getUniqueId()), success,
                originateReason(e.getReason()));
    }

    static String originateReason(Integer reason) {
        if (reason == null) {
            return "";
        }
        switch (reason) {
            case 0:
                return "failed";
            case 1:
                return "hangup";
            case 3:
                return "no-answer";
            case 4:
                return "answered";
            case 5:
                return "busy";
            case 8:
                return "congestion";
            default:
                return Integer.toString(reason);
        }
    }

    /** Only {@code CTI_*} variables: everything else (BRIDGEPEER, RTPAUDIOQOS...) is noise. */
    private AsteriskEvent varSet(VarSetEvent e, EventMeta m) {
        String name = trim(e.getVariable());
        if (name == null || !name.startsWith(CTI_VARIABLE_PREFIX)) {
            return null;
        }
        ChannelId id = channelId(e.getUniqueId());
        return id == null ? null : new ChannelVarSet(m, id, name, nullToEmpty(e.getValue()));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static ChannelState state(ManagerEvent e) {
        if (e.getChannelState() != null) {
            return ChannelState.fromCode(e.getChannelState());
        }
        return ChannelState.parse(e.getChannelStateDesc());
    }

    static ChannelId channelId(String uniqueId) {
        String v = trim(uniqueId);
        return v == null ? null : ChannelId.of(v);
    }

    static BridgeId bridgeId(String bridgeUniqueId) {
        String v = trim(bridgeUniqueId);
        return v == null ? null : BridgeId.of(v);
    }

    private static Integer seconds(Long value) {
        if (value == null) {
            return null;
        }
        return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, value);
    }

    private static boolean success(String result) {
        return result == null || "success".equalsIgnoreCase(result.trim());
    }

    private static boolean yes(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("yes") || v.equals("true") || v.equals("1");
    }

    /** Null for null or blank; otherwise trimmed. */
    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
