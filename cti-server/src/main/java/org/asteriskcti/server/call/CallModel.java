package org.asteriskcti.server.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
import org.asteriskcti.server.asterisk.AsteriskEvent.EndpointStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.HangupRequested;
import org.asteriskcti.server.asterisk.AsteriskEvent.HoldChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.QueueActivity;
import org.asteriskcti.server.asterisk.AsteriskEvent.RecordingChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.TransferCompleted;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI's picture of calls: channels (legs), bridges and calls, built only from Asterisk's events
 * and rebuilt from its snapshots after every (re)connect. Asterisk is the source of truth; this is a
 * projection. Only the domain loop touches it.
 *
 * <p>Each event type has its own handler (see the constructor). After each event the calls it
 * touched are re-derived ({@link CallState}) and published once.
 */
public final class CallModel {

    private static final Logger log = LoggerFactory.getLogger(CallModel.class);
    private static final int TOMBSTONES = 50_000;
    public static final String VAR_CALL_ID = "CTI_CALL_ID";
    public static final String VAR_TENANT = "CTI_TENANT";

    private final DomainLoop loop;
    private final TenantDirectory directory;
    private final CallModelListener listener;
    private final Map<Class<? extends AsteriskEvent>, Consumer<AsteriskEvent>> handlers = new HashMap<>();

    private final Map<ChannelId, Leg> legs = new HashMap<>();
    private final Map<CallId, Call> calls = new LinkedHashMap<>();
    private final Map<BridgeId, Bridge> bridges = new HashMap<>();
    private final Map<String, Set<ChannelId>> conferences = new HashMap<>();
    private final Map<org.asteriskcti.server.domain.AgentId, PhoneState> phones = new HashMap<>();
    private final Set<ChannelId> tombstones = java.util.Collections.newSetFromMap(
            new LinkedHashMap<ChannelId, Boolean>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<ChannelId, Boolean> eldest) {
                    return size() > TOMBSTONES;
                }
            });
    private final EnumMap<Source, LinkState> links = new EnumMap<>(Source.class);
    private final EnumMap<Source, Boolean> resynced = new EnumMap<>(Source.class);
    private final Set<Source> enabledSources;

    private final Set<Call> dirty = new LinkedHashSet<>();
    private EventMeta current;
    private SyncStatus lastSync;
    private long lateEvents;
    private long unrecognized;

    public CallModel(DomainLoop loop, TenantDirectory directory, CallModelListener listener, Set<Source> enabledSources) {
        this.loop = loop;
        this.directory = directory;
        this.listener = listener;
        this.enabledSources = Set.copyOf(enabledSources);
        for (Source s : Source.values()) {
            links.put(s, LinkState.DOWN);
            resynced.put(s, false);
        }
        on(LinkStateChanged.class, this::onLink);
        on(ResyncSnapshot.class, this::onResync);
        on(ChannelUpserted.class, e -> upsert(e.channel(), e.meta().source()));
        on(HangupRequested.class, this::onHangupRequested);
        on(ChannelHungUp.class, e -> endLeg(e.channel(), e.cause(), e.causeText()));
        on(StasisStarted.class, this::onStasisStart);
        on(StasisEnded.class, this::onStasisEnd);
        on(DialStarted.class, this::onDialStart);
        on(DialEnded.class, this::onDialEnd);
        on(BridgeUpserted.class, e -> upsertBridge(e.bridge()));
        on(BridgeDestroyed.class, this::onBridgeDestroyed);
        on(BridgeEntered.class, this::onBridgeEnter);
        on(BridgeLeft.class, this::onBridgeLeave);
        on(BridgesMerged.class, this::onBridgeMerge);
        on(HoldChanged.class, this::onHold);
        on(TransferCompleted.class, this::onTransfer);
        on(RecordingChanged.class, this::onRecording);
        on(ConferenceChanged.class, this::onConference);
        on(DeviceStateChanged.class, this::onDeviceState);
        on(EndpointStateChanged.class, this::onEndpointState);
        on(ChannelVarSet.class, this::onVarSet);
        on(QueueActivity.class, this::onQueueActivity);
        // Facts the call model does not need; other features subscribe to them.
        on(AsteriskEvent.DtmfReceived.class, e -> { });
        on(AsteriskEvent.PlaybackChanged.class, e -> { });
        on(AsteriskEvent.OriginateFinished.class, e -> { });
        on(AsteriskEvent.Unrecognized.class, e -> unrecognized++);
    }

    @SuppressWarnings("unchecked")
    private <T extends AsteriskEvent> void on(Class<T> type, Consumer<T> handler) {
        handlers.put(type, e -> handler.accept((T) e));
    }

    /** Applies one event. Must run on the domain loop. */
    public void apply(AsteriskEvent event) {
        loop.assertInLoop();
        Consumer<AsteriskEvent> h = handlers.get(event.getClass());
        if (h == null) {
            throw new IllegalStateException("no handler for " + event.getClass().getSimpleName());
        }
        current = event.meta();
        try {
            h.accept(event);
        } finally {
            flush();
            current = null;
        }
    }

    // ---- queries (domain loop only) ----------------------------------------------------------

    public Collection<Call> activeCalls() {
        return List.copyOf(calls.values());
    }

    public List<CallView> activeCalls(TenantId tenant) {
        List<CallView> out = new ArrayList<>();
        for (Call c : calls.values()) {
            if (tenant.equals(c.tenant)) {
                out.add(c.view());
            }
        }
        return out;
    }

    public Optional<Call> call(CallId id) {
        return Optional.ofNullable(calls.get(id));
    }

    public Optional<Leg> leg(ChannelId id) {
        return Optional.ofNullable(legs.get(id));
    }

    public Optional<Bridge> bridge(BridgeId id) {
        return Optional.ofNullable(bridges.get(id));
    }

    public Set<ChannelId> conference(String name) {
        return Set.copyOf(conferences.getOrDefault(name, Set.of()));
    }

    public PhoneState phone(org.asteriskcti.server.domain.AgentId agent) {
        return phones.getOrDefault(agent, PhoneState.UNKNOWN);
    }

    public SyncStatus syncStatus() {
        boolean ami = !enabledSources.contains(Source.AMI) || links.get(Source.AMI) == LinkState.UP && resynced.get(Source.AMI);
        boolean ari = !enabledSources.contains(Source.ARI) || links.get(Source.ARI) == LinkState.UP && resynced.get(Source.ARI);
        return new SyncStatus(ami && ari, links.get(Source.AMI), resynced.get(Source.AMI),
                links.get(Source.ARI), resynced.get(Source.ARI));
    }

    public int activeCallCount() {
        return calls.size();
    }

    public int channelCount() {
        return (int) legs.values().stream().filter(l -> !l.ended()).count();
    }

    public long lateEvents() {
        return lateEvents;
    }

    public long unrecognizedEvents() {
        return unrecognized;
    }

    // ---- links and resync ----------------------------------------------------------------------

    private void onLink(LinkStateChanged e) {
        Source s = e.meta().source();
        links.put(s, e.state());
        if (e.state() == LinkState.DOWN) {
            resynced.put(s, false);
        }
        log.info("{} link {} ({})", s, e.state(), e.detail());
        publishSync();
    }

    private void onResync(ResyncSnapshot e) {
        Source source = e.meta().source();
        Set<ChannelId> listed = new HashSet<>();
        for (ChannelSnapshot ch : e.channels()) {
            listed.add(ch.id());
            Leg leg = upsert(ch, source);
            if (leg != null && source == Source.ARI) {
                leg.inStasis = true;
            }
        }
        // What this source saw before but no longer lists ended while we were not looking.
        for (Leg leg : List.copyOf(legs.values())) {
            if (leg.ended() || listed.contains(leg.id) || !leg.seenBy.contains(source)) {
                continue;
            }
            if (source == Source.ARI && !leg.inStasis) {
                continue; // ARI lists only our application's channels
            }
            endLeg(leg.id, null, "gone while " + source + " was disconnected");
        }
        Set<BridgeId> listedBridges = new HashSet<>();
        for (BridgeSnapshot b : e.bridges()) {
            listedBridges.add(b.id());
            Bridge bridge = upsertBridge(b);
            for (ChannelId member : b.channels()) {
                Leg leg = legs.get(member);
                if (leg != null && !leg.ended()) {
                    bridge.members.add(member);
                    leg.setBridge(b.id());
                    touch(leg);
                }
            }
        }
        if (source == Source.AMI) {
            for (Bridge b : List.copyOf(bridges.values())) {
                if (!listedBridges.contains(b.id)) {
                    removeBridge(b.id);
                }
            }
        }
        resynced.put(source, true);
        log.info("{} resync: {} channels, {} bridges; model has {} active calls", source, e.channels().size(),
                e.bridges().size(), calls.size());
        publishSync();
    }

    private void publishSync() {
        SyncStatus s = syncStatus();
        if (!s.equals(lastSync)) {
            lastSync = s;
            listener.syncChanged(s);
        }
    }

    // ---- channels ----------------------------------------------------------------------------

    private Leg upsert(ChannelSnapshot ch, Source source) {
        if (tombstones.contains(ch.id())) {
            lateEvents++;
            return null;
        }
        Leg leg = legs.get(ch.id());
        if (leg != null && leg.ended()) {
            lateEvents++;
            return null;
        }
        if (leg == null) {
            CallId callId = ch.linkedId() != null && !ch.linkedId().isBlank() ? CallId.of(ch.linkedId()) : CallId.of(ch.id().value());
            Instant created = ch.createdAt() != null ? ch.createdAt() : now();
            leg = new Leg(ch, callId, created);
            leg.agent = directory.agentByDevice(ch.device()).map(TenantDirectory.Agent::id).orElse(null);
            legs.put(ch.id(), leg);
            Call call = calls.computeIfAbsent(callId, id -> new Call(id, now()));
            call.legs.add(leg);
        } else {
            ChannelSnapshot before = leg.snapshot;
            leg.snapshot = merge(before, ch);
            if (ch.linkedId() != null && !ch.linkedId().isBlank() && !ch.linkedId().equals(leg.call.value())) {
                relink(leg, CallId.of(ch.linkedId()));
            }
        }
        leg.seenBy.add(source);
        if (leg.snapshot.state() == ChannelState.UP && leg.answeredAt == null) {
            leg.answeredAt = now();
        }
        touch(leg);
        return leg;
    }

    /** Later events may lack fields the first had (ARI has no Linkedid): keep what we knew. */
    private static ChannelSnapshot merge(ChannelSnapshot old, ChannelSnapshot now) {
        return new ChannelSnapshot(now.id(), now.name().isEmpty() ? old.name() : now.name(), now.state(),
                now.caller(), now.connected(), now.linkedId() != null ? now.linkedId() : old.linkedId(),
                now.context().isEmpty() ? old.context() : now.context(),
                now.exten().isEmpty() ? old.exten() : now.exten(), now.accountCode(),
                now.language().isEmpty() ? old.language() : now.language(),
                now.createdAt() != null ? now.createdAt() : old.createdAt());
    }

    /** Asterisk moved the channel into another call (Linkedid propagation, or our CTI_CALL_ID). */
    private void relink(Leg leg, CallId target) {
        Call from = calls.get(leg.call);
        Call to = calls.computeIfAbsent(target, id -> new Call(id, from != null ? from.startedAt : now()));
        if (from == to) {
            return;
        }
        if (from != null) {
            from.legs.remove(leg);
            if (from.legs.stream().noneMatch(l -> !l.ended())) {
                from.mergedInto = target;
                // Carry what the absorbed call knew.
                to.transfers.addAll(from.transfers);
                to.connectedDevices.addAll(from.connectedDevices);
                to.agents.addAll(from.agents);
                if (to.queue == null) {
                    to.queue = from.queue;
                    to.queueWaitSeconds = from.queueWaitSeconds;
                }
                if (to.tenant == null) {
                    to.tenant = from.tenant;
                }
                to.legs.addAll(from.legs);
                for (Leg l : from.legs) {
                    l.call = target;
                }
                from.legs.clear();
            }
            dirty.add(from);
        }
        leg.call = target;
        to.legs.add(leg);
        log.debug("channel {} moved from call {} to call {}", leg.id, from == null ? "-" : from.id, target);
        touch(leg);
    }

    private void onStasisStart(StasisStarted e) {
        Leg leg = upsert(e.channel(), e.meta().source());
        if (leg != null) {
            leg.inStasis = true;
            active(leg);
        }
    }

    /**
     * The app stops seeing the channel at StasisEnd, and ChannelDestroyed does not always follow: where
     * ARI is our only view of the channel, StasisEnd is its end. Where AMI follows it too (and is up),
     * the channel may live on in the dialplan (a continue): AMI will report its real hangup.
     */
    private void onStasisEnd(StasisEnded e) {
        Leg leg = live(e.channel());
        if (leg == null) {
            lateEvents++;
            return;
        }
        leg.inStasis = false;
        if (leg.seenBy.contains(Source.AMI) && links.get(Source.AMI) == LinkState.UP) {
            touch(leg);
            return;
        }
        endLeg(e.channel(), null, "left Stasis");
    }

    private void onHangupRequested(HangupRequested e) {
        Leg leg = live(e.channel());
        if (leg != null) {
            leg.ending = true;
            if (!e.soft()) {
                leg.farEndHangup = true;
            }
            markPartnersGoingDown(leg);
            touch(leg);
        }
    }

    private void markPartnersGoingDown(Leg leg) {
        if (leg.bridge == null) {
            return;
        }
        Bridge b = bridges.get(leg.bridge);
        if (b == null) {
            return;
        }
        for (ChannelId m : b.members) {
            Leg partner = legs.get(m);
            if (partner != null && partner != leg && !partner.ended()) {
                partner.partnerEnding = true;
                touch(partner);
            }
        }
    }

    /** The leg goes on to something new: it is not being torn down with its old partner. */
    private static void active(Leg leg) {
        leg.partnerEnding = false;
    }

    private void endLeg(ChannelId id, Integer cause, String causeText) {
        Leg leg = legs.get(id);
        if (leg == null || leg.ended()) {
            lateEvents++;
            return;
        }
        markPartnersGoingDown(leg);
        leg.endedAt = now();
        leg.hangupCause = cause;
        leg.hangupCauseText = causeText;
        leg.dialing = false;
        leg.connecting = false;
        if (leg.bridge != null) {
            Bridge b = bridges.get(leg.bridge);
            if (b != null) {
                b.members.remove(id);
            }
        }
        conferences.values().forEach(m -> m.remove(id));
        touch(leg);
    }

    private void onDialStart(DialStarted e) {
        Leg peer = live(e.peer());
        if (peer == null) {
            return;
        }
        peer.dialing = true;
        peer.dialled = true;
        active(peer);
        if (e.caller() != null) {
            Optional.ofNullable(live(e.caller())).ifPresent(CallModel::active);
        }
        Call call = calls.get(peer.call);
        if (call != null && call.ringStartedAt == null) {
            call.ringStartedAt = now();
        }
        touch(peer);
    }

    private void onDialEnd(DialEnded e) {
        Leg peer = legs.get(e.peer());
        if (peer == null) {
            return;
        }
        peer.dialing = false;
        peer.connecting = "ANSWER".equals(e.dialStatus()) && peer.bridge == null && !peer.ended();
        Call call = calls.get(peer.call);
        if (call != null && "ANSWER".equals(e.dialStatus()) && call.ringSeconds == null && call.ringStartedAt != null) {
            call.ringSeconds = (int) Duration.between(call.ringStartedAt, now()).toSeconds();
        }
        touch(peer);
    }

    private void onVarSet(ChannelVarSet e) {
        Leg leg = live(e.channel());
        if (leg == null) {
            return;
        }
        leg.variables.put(e.name(), e.value());
        if (VAR_CALL_ID.equals(e.name()) && leg.snapshot.linkedId() == null && !e.value().isBlank()) {
            relink(leg, CallId.of(e.value()));
        }
        if (VAR_TENANT.equals(e.name()) && !e.value().isBlank()) {
            Call call = calls.get(leg.call);
            TenantId t = TenantId.of(e.value());
            if (call != null && directory.tenant(t).isPresent()) {
                call.tenant = t;
            }
        }
        touch(leg);
    }

    private void onHold(HoldChanged e) {
        Leg leg = live(e.channel());
        if (leg != null) {
            leg.onHold = e.onHold();
            touch(leg);
        }
    }

    // ---- bridges -------------------------------------------------------------------------------

    private Bridge upsertBridge(BridgeSnapshot b) {
        Bridge bridge = bridges.get(b.id());
        if (bridge == null) {
            bridge = new Bridge(b);
            bridges.put(b.id(), bridge);
        } else {
            bridge.snapshot = b;
        }
        return bridge;
    }

    private void onBridgeDestroyed(BridgeDestroyed e) {
        removeBridge(e.bridge());
    }

    private void removeBridge(BridgeId id) {
        Bridge b = bridges.remove(id);
        if (b == null) {
            return;
        }
        for (ChannelId m : b.members) {
            Leg leg = legs.get(m);
            if (leg != null && id.equals(leg.bridge)) {
                leg.setBridge(null);
                touch(leg);
            }
        }
    }

    private void onBridgeEnter(BridgeEntered e) {
        Bridge b = upsertBridge(e.bridge());
        Leg leg = live(e.channel());
        if (leg == null) {
            return; // the invisible MOH announcer, or a channel we never saw
        }
        if (leg.bridge != null && !leg.bridge.equals(b.id)) {
            Bridge old = bridges.get(leg.bridge);
            if (old != null) {
                old.members.remove(leg.id);
                touchMembers(old);
            }
        }
        b.members.add(leg.id);
        leg.setBridge(b.id);
        active(leg);
        // Everyone in the bridge is affected (e.g. the caller's call becomes CONNECTED).
        touchMembers(b);
    }

    private void onBridgeLeave(BridgeLeft e) {
        Bridge b = bridges.get(e.bridge().id());
        Leg leg = legs.get(e.channel());
        if (b != null) {
            b.members.remove(e.channel());
            touchMembers(b);
        }
        if (leg != null && e.bridge().id().equals(leg.bridge)) {
            leg.setBridge(null);
            touch(leg);
        }
    }

    private void onBridgeMerge(BridgesMerged e) {
        Bridge from = bridges.get(e.from());
        Bridge to = bridges.computeIfAbsent(e.to(), id -> new Bridge(BridgeSnapshot.ofId(id)));
        if (from == null) {
            return;
        }
        for (ChannelId m : List.copyOf(from.members)) {
            Leg leg = legs.get(m);
            to.members.add(m);
            if (leg != null) {
                leg.setBridge(to.id);
                touch(leg);
            }
        }
        from.members.clear();
        touchMembers(to);
    }

    // ---- features seen on calls ----------------------------------------------------------------

    private void onTransfer(TransferCompleted e) {
        Leg leg = legs.get(e.transferer());
        if (leg == null) {
            return;
        }
        Call call = calls.get(leg.call);
        if (call == null) {
            return;
        }
        String target = e.targetExten() != null && !e.targetExten().isBlank() ? e.targetExten()
                : e.targetChannel() != null ? deviceOf(e.targetChannel()) : "";
        call.transfers.add(new Call.Transfer(e.kind().name(), target, now()));
        touch(leg);
    }

    private String deviceOf(ChannelId id) {
        Leg l = legs.get(id);
        return l == null ? id.value() : l.snapshot.device();
    }

    private void onRecording(RecordingChanged e) {
        List<Leg> affected = new ArrayList<>();
        if (e.channel() != null && legs.containsKey(e.channel())) {
            affected.add(legs.get(e.channel()));
        }
        if (e.bridge() != null && bridges.containsKey(e.bridge())) {
            bridges.get(e.bridge()).members.forEach(m -> Optional.ofNullable(legs.get(m)).ifPresent(affected::add));
        }
        for (Leg leg : affected) {
            Call call = calls.get(leg.call);
            if (call != null) {
                call.recordingState = e.state().name();
                if (e.file() != null) {
                    call.recordingFile = e.file();
                }
            }
            touch(leg);
        }
    }

    private void onConference(ConferenceChanged e) {
        switch (e.change()) {
            case STARTED -> conferences.computeIfAbsent(e.conference(), n -> new LinkedHashSet<>());
            case ENDED -> conferences.remove(e.conference());
            case JOINED -> {
                conferences.computeIfAbsent(e.conference(), n -> new LinkedHashSet<>()).add(e.channel());
                Leg leg = live(e.channel());
                if (leg != null) {
                    Call call = calls.get(leg.call);
                    if (call != null) {
                        call.conference = e.conference();
                    }
                    touch(leg);
                }
            }
            case LEFT -> {
                Set<ChannelId> m = conferences.get(e.conference());
                if (m != null && e.channel() != null) {
                    m.remove(e.channel());
                }
                Optional.ofNullable(legs.get(e.channel())).ifPresent(this::touch);
            }
        }
    }

    private void onQueueActivity(QueueActivity e) {
        Leg leg = live(e.channel());
        if (leg == null) {
            return;
        }
        Call call = calls.get(leg.call);
        if (call == null) {
            return;
        }
        call.queue = e.queue();
        if (e.kind() == org.asteriskcti.server.asterisk.QueueActivityKind.AGENT_CONNECTED) {
            call.queueWaitSeconds = e.holdSeconds();
            if (e.ringSeconds() != null) {
                call.ringSeconds = e.ringSeconds();
            }
        }
        touch(leg);
    }

    private void onDeviceState(DeviceStateChanged e) {
        directory.agentByDevice(e.device()).ifPresent(agent -> setPhone(agent, PhoneState.of(e.state())));
    }

    private void onEndpointState(EndpointStateChanged e) {
        directory.agentByDevice(e.endpoint()).ifPresent(agent -> {
            if (!e.online()) {
                setPhone(agent, PhoneState.OFFLINE);
            } else if (phone(agent.id()) == PhoneState.OFFLINE || phone(agent.id()) == PhoneState.UNKNOWN) {
                setPhone(agent, PhoneState.IDLE);
            }
        });
    }

    private void setPhone(TenantDirectory.Agent agent, PhoneState state) {
        PhoneState old = phones.put(agent.id(), state);
        if (old != state) {
            log.info("agent {} phone {} -> {}", agent.id(), old == null ? PhoneState.UNKNOWN : old, state);
            listener.agentPhoneChanged(agent, state, current);
        }
    }

    // ---- derivation and publication --------------------------------------------------------------

    private Leg live(ChannelId id) {
        Leg leg = legs.get(id);
        return leg == null || leg.ended() ? null : leg;
    }

    private void touch(Leg leg) {
        Call c = calls.get(leg.call);
        if (c != null) {
            dirty.add(c);
        }
    }

    /** Marks the calls of everyone in the bridge for re-derivation. */
    private void touchMembers(Bridge b) {
        for (ChannelId m : b.members) {
            Leg leg = legs.get(m);
            if (leg != null) {
                touch(leg);
            }
        }
    }

    private Instant now() {
        return current != null ? current.bestTime() : loop.clock().instant();
    }

    private void flush() {
        while (!dirty.isEmpty()) {
            List<Call> batch = new ArrayList<>(dirty);
            dirty.clear();
            for (Call call : batch) {
                derive(call);
                if (call.tenant == null) {
                    log.debug("call {} has no tenant yet; not published", call.id);
                } else {
                    CallView shown = call.view().withVersion(0);
                    if (!shown.equals(call.lastPublished)) {
                        call.lastPublished = shown;
                        call.version++;
                        listener.callChanged(shown.withVersion(call.version), current);
                    }
                }
                if (call.state == CallState.ENDED) {
                    retire(call);
                }
            }
        }
    }

    private void derive(Call call) {
        if (call.tenant == null) {
            Leg origin = call.originatingLeg();
            List<Leg> ordered = new ArrayList<>();
            if (origin != null) {
                ordered.add(origin);
            }
            ordered.addAll(call.legs);
            for (Leg l : ordered) {
                String explicit = l.variables.get(VAR_TENANT);
                Optional<TenantId> t = explicit != null ? directory.tenant(TenantId.of(explicit)).map(TenantDirectory.Tenant::id)
                        : directory.tenantOf(l.snapshot);
                if (t.isPresent()) {
                    call.tenant = t.get();
                    break;
                }
            }
        }
        List<Leg> live = call.legs.stream().filter(l -> !l.ended()).toList();
        CallState next;
        if (live.isEmpty()) {
            next = CallState.ENDED;
        } else {
            BridgeId connectedIn = null;
            for (Leg l : live) {
                if (l.bridge == null) {
                    continue;
                }
                Bridge b = bridges.get(l.bridge);
                if (b == null) {
                    continue;
                }
                long members = b.members.stream().map(legs::get).filter(m -> m != null && !m.ended()).count();
                if (members >= 2) {
                    connectedIn = b.id;
                    // The originating party first, then the others in the order they joined.
                    List<ChannelId> ordered = new ArrayList<>(b.members);
                    Leg origin = call.originatingLeg();
                    if (origin != null && ordered.remove(origin.id)) {
                        ordered.add(0, origin.id);
                    }
                    for (ChannelId m : ordered) {
                        Leg ml = legs.get(m);
                        if (ml != null && !ml.ended()) {
                            call.connectedDevices.add(ml.snapshot.device());
                            if (ml.agent != null) {
                                call.agents.add(ml.agent);
                            }
                        }
                    }
                }
            }
            boolean connected = connectedIn != null || stillConnected(call, live);
            if (connectedIn != null) {
                call.connectedBridge = connectedIn;
                for (Leg l : live) {
                    l.connecting = false;
                }
            }
            boolean ringing = live.stream().anyMatch(Leg::ringing);
            next = connected ? CallState.CONNECTED : ringing ? CallState.RINGING : CallState.STARTED;
            if (live.stream().allMatch(Leg::goingDown)) {
                next = call.state; // every party is hanging up: no new state until the call has ended
            }
        }
        call.direction = direction(call);
        CallState old = call.state;
        if (old != next) {
            if (!old.canMoveTo(next)) {
                log.error("call {}: illegal transition {} -> {} ignored", call.id, old, next);
                return;
            }
            call.state = next;
            log.info("call {} {} -> {}", call.id, old, next);
            if (next == CallState.CONNECTED && call.connectedAt == null) {
                call.connectedAt = now();
            }
            if (next == CallState.ENDED) {
                call.endedAt = now();
                Leg origin = call.originatingLeg();
                if (call.mergedInto != null) {
                    call.disposition = Disposition.MERGED;
                } else if (call.connectedAt != null) {
                    call.disposition = Disposition.ANSWERED;
                } else if (origin != null && origin.farEndHangup && !origin.dialled) {
                    call.disposition = Disposition.ABANDONED;
                } else {
                    call.disposition = Disposition.UNANSWERED;
                }
            }
        }
    }

    /**
     * A connection being torn down is not a new wait: the call stays CONNECTED while the only change
     * is parties hanging up (Asterisk reports the leave and the hangup of each leg as separate events).
     * It drops out of CONNECTED as soon as a party that is not hanging up is out of that bridge (a
     * transfer or redirect) or a new dial starts.
     */
    private boolean stillConnected(Call call, List<Leg> live) {
        if (call.state != CallState.CONNECTED || call.connectedBridge == null) {
            return false;
        }
        boolean someoneLeaving = false;
        for (Leg l : call.legs) {
            if (l.ended() || l.goingDown()) {
                someoneLeaving |= l.ended() ? wasIn(l, call.connectedBridge) : true;
                continue;
            }
            if (l.dialing || !call.connectedBridge.equals(l.bridge)) {
                return false;
            }
        }
        return someoneLeaving && live.stream().noneMatch(l -> l.dialing);
    }

    private static boolean wasIn(Leg l, BridgeId bridge) {
        return bridge.equals(l.lastBridge);
    }

    private Direction direction(Call call) {
        Leg origin = call.originatingLeg();
        if (origin == null) {
            return call.direction;
        }
        if (origin.agent == null) {
            return Direction.INBOUND;
        }
        boolean otherNonAgent = call.legs.stream().anyMatch(l -> l != origin && l.agent == null);
        boolean otherAgent = call.legs.stream().anyMatch(l -> l != origin && l.agent != null);
        return otherAgent && !otherNonAgent ? Direction.INTERNAL : Direction.OUTBOUND;
    }

    private void retire(Call call) {
        calls.remove(call.id);
        for (Leg l : call.legs) {
            legs.remove(l.id);
            tombstones.add(l.id);
            if (l.bridge != null) {
                Bridge b = bridges.get(l.bridge);
                if (b != null) {
                    b.members.remove(l.id);
                }
            }
        }
    }
}
