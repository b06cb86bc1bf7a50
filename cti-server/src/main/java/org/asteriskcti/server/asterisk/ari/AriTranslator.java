package org.asteriskcti.server.asterisk.ari;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeDestroyed;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeEntered;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeLeft;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgeUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.BridgesMerged;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelHungUp;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelUpserted;
import org.asteriskcti.server.asterisk.AsteriskEvent.ChannelVarSet;
import org.asteriskcti.server.asterisk.AsteriskEvent.DeviceStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.DialStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.DtmfReceived;
import org.asteriskcti.server.asterisk.AsteriskEvent.EndpointStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.HangupRequested;
import org.asteriskcti.server.asterisk.AsteriskEvent.HoldChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.PlaybackChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.RecordingChanged;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisEnded;
import org.asteriskcti.server.asterisk.AsteriskEvent.StasisStarted;
import org.asteriskcti.server.asterisk.AsteriskEvent.TransferCompleted;
import org.asteriskcti.server.asterisk.AsteriskEvent.Unrecognized;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.RecordingState;
import org.asteriskcti.server.asterisk.TransferKind;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARI events-socket frame → {@link AsteriskEvent}. One handler per ARI event type, registered in one table.
 *
 * <p>Tolerant: unknown fields are ignored; an unknown type becomes {@link Unrecognized} with the raw JSON; a known
 * type whose content cannot be read also becomes {@link Unrecognized} (logged once per type); text that is not a
 * JSON object with a {@code type} is malformed: logged once, counted, dropped. Nothing here throws.
 *
 * <p>Dropped on purpose (counted as ignored): {@code ChannelVarset} of variables not starting with {@code CTI_}
 * (BRIDGEPEER and RTPAUDIOQOS* flood) or without a channel (globals), and intermediate {@code Dial} states
 * (RINGING, PROGRESS, PROCEEDING: the channel's state change says the same). Exact duplicate frames are dropped
 * by {@link AriFrameDeduplicator}.
 *
 * <p>Not thread-safe (the dedup window): one instance per events connection, used by its reader. The counters may
 * be read from any thread.
 */
public final class AriTranslator {

    private static final Logger log = LoggerFactory.getLogger(AriTranslator.class);

    /** Variables that reach the domain. Everything else floods (BRIDGEPEER on every bridge change...). */
    public static final String CTI_VARIABLE_PREFIX = "CTI_";

    private final Clock clock;
    private final AriFrameDeduplicator dedup;
    private final Map<String, Function<AriFrame, AsteriskEvent>> handlers;

    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong unrecognized = new AtomicLong();
    private final AtomicBoolean malformedLogged = new AtomicBoolean();
    private final Set<String> failedTypesLogged = ConcurrentHashMap.newKeySet();

    public AriTranslator(Clock clock) {
        this(clock, AriFrameDeduplicator.DEFAULT_WINDOW);
    }

    public AriTranslator(Clock clock, int dedupWindow) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dedup = new AriFrameDeduplicator(dedupWindow);
        this.handlers = Collections.unmodifiableMap(handlerTable());
    }

    private Map<String, Function<AriFrame, AsteriskEvent>> handlerTable() {
        Map<String, Function<AriFrame, AsteriskEvent>> h = new HashMap<>();
        h.put("StasisStart", this::stasisStart);
        h.put("StasisEnd", this::stasisEnd);
        h.put("ChannelCreated", this::channelUpserted);
        h.put("ChannelStateChange", this::channelUpserted);
        h.put("ChannelCallerId", this::channelUpserted);
        h.put("ChannelConnectedLine", this::channelUpserted);
        h.put("ChannelDialplan", this::channelUpserted);
        h.put("ChannelHangupRequest", this::hangupRequest);
        h.put("ChannelDestroyed", this::channelDestroyed);
        h.put("Dial", this::dial);
        h.put("BridgeCreated", this::bridgeCreated);
        h.put("BridgeDestroyed", this::bridgeDestroyed);
        h.put("BridgeMerged", this::bridgeMerged);
        h.put("ChannelEnteredBridge", this::channelEnteredBridge);
        h.put("ChannelLeftBridge", this::channelLeftBridge);
        h.put("ChannelHold", f -> hold(f, true));
        h.put("ChannelUnhold", f -> hold(f, false));
        h.put("ChannelDtmfReceived", this::dtmf);
        h.put("ChannelVarset", this::varset);
        h.put("PlaybackStarted", f -> playback(f, PlaybackState.STARTED));
        h.put("PlaybackContinuing", f -> playback(f, PlaybackState.CONTINUING));
        h.put("PlaybackFinished", f -> playback(f, PlaybackState.FINISHED));
        h.put("RecordingStarted", f -> recording(f, RecordingState.STARTED));
        h.put("RecordingFinished", f -> recording(f, RecordingState.STOPPED));
        h.put("RecordingFailed", f -> recording(f, RecordingState.FAILED));
        h.put("DeviceStateChanged", this::deviceState);
        h.put("EndpointStateChange", this::endpointState);
        h.put("BridgeBlindTransfer", this::blindTransfer);
        h.put("BridgeAttendedTransfer", this::attendedTransfer);
        return h;
    }

    // ---------------------------------------------------------------- pipeline

    /** Parse, de-duplicate and translate one frame; empty when it is malformed, a duplicate or ignored. */
    public Optional<AsteriskEvent> translate(String frameText) {
        AriFrame frame = parse(frameText, clock.instant(), System.nanoTime());
        if (frame == null || isDuplicate(frame)) {
            return Optional.empty();
        }
        return toEvent(frame);
    }

    /** Step 1: the JSON object and its type; null (counted, logged once) when malformed. */
    AriFrame parse(String text, Instant receivedAt, long receivedNanos) {
        JsonNode json;
        try {
            json = text == null ? null : AriJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return malformed(text, "not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            return malformed(text, "not a JSON object");
        }
        String type = AriJson.text(json, "type");
        if (type.isEmpty()) {
            return malformed(text, "no 'type'");
        }
        return new AriFrame(type, json, text, AriJson.parseTime(AriJson.text(json, "timestamp")), receivedAt,
                receivedNanos);
    }

    /** Step 2: true (counted) when the frame repeats one in the dedup window. */
    boolean isDuplicate(AriFrame frame) {
        if (dedup.isDuplicate(frame)) {
            duplicates.incrementAndGet();
            log.trace("ARI duplicate frame dropped: {} {}", frame.type(), frame.timestampText());
            return true;
        }
        return false;
    }

    /** Step 3: the domain event; empty when the frame is ignored on purpose. Never throws. */
    Optional<AsteriskEvent> toEvent(AriFrame frame) {
        Function<AriFrame, AsteriskEvent> handler = handlers.get(frame.type());
        if (handler == null) {
            unrecognized.incrementAndGet();
            return Optional.of(new Unrecognized(frame.meta(), frame.type(), frame.raw()));
        }
        try {
            AsteriskEvent event = handler.apply(frame);
            if (event == null) {
                ignored.incrementAndGet();
            }
            return Optional.ofNullable(event);
        } catch (RuntimeException e) {
            unrecognized.incrementAndGet();
            if (failedTypesLogged.add(frame.type())) {
                log.warn("ARI {} could not be read ({}); passed on as Unrecognized. Frame: {}", frame.type(),
                        e.getMessage(), abbreviate(frame.raw()));
            }
            return Optional.of(new Unrecognized(frame.meta(), frame.type(), frame.raw()));
        }
    }

    /** Forget the dedup window: a new connection starts clean. */
    void resetDedupWindow() {
        dedup.reset();
    }

    public long malformedFrames() {
        return malformed.get();
    }

    public long duplicateFrames() {
        return duplicates.get();
    }

    /** Frames dropped on purpose: non-CTI variables, intermediate Dial states. */
    public long ignoredFrames() {
        return ignored.get();
    }

    /** Unknown types and unreadable known types, passed on as {@link Unrecognized}. */
    public long unrecognizedFrames() {
        return unrecognized.get();
    }

    private AriFrame malformed(String text, String why) {
        long n = malformed.incrementAndGet();
        if (malformedLogged.compareAndSet(false, true)) {
            log.warn("ARI malformed frame dropped ({}); further ones are only counted. Frame: {}", why,
                    abbreviate(text));
        } else {
            log.debug("ARI malformed frame #{} dropped ({})", n, why);
        }
        return null;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ---------------------------------------------------------------- handlers, one per ARI type

    private AsteriskEvent stasisStart(AriFrame f) {
        return new StasisStarted(f.meta(), AriJson.channel(f.json().get("channel")), AriJson.text(f.json(), "application"),
                AriJson.strings(f.json(), "args"));
    }

    private AsteriskEvent stasisEnd(AriFrame f) {
        return new StasisEnded(f.meta(), channelId(f), AriJson.text(f.json(), "application"));
    }

    private AsteriskEvent channelUpserted(AriFrame f) {
        return new ChannelUpserted(f.meta(), AriJson.channel(f.json().get("channel")));
    }

    /**
     * {@code soft: true} means the hangup was asked inside Asterisk (ARI DELETE, bridge teardown): its
     * {@code cause} (always 32 in the traces) is Asterisk's soft-hangup flag, not Q.850, so it is dropped.
     * A phone's BYE has no {@code soft}, and {@code cause} 16 or no cause at all (ari-10).
     */
    private AsteriskEvent hangupRequest(AriFrame f) {
        JsonNode soft = f.json().get("soft");
        boolean isSoft = soft != null && soft.asBoolean(false);
        Integer cause = isSoft ? null : AriJson.intOrNull(f.json(), "cause");
        return new HangupRequested(f.meta(), channelId(f), isSoft, cause);
    }

    /** The real end of a channel with its Q.850 cause; absent for dialplan callers after StasisEnd. */
    private AsteriskEvent channelDestroyed(AriFrame f) {
        Integer cause = AriJson.intOrNull(f.json(), "cause");
        return new ChannelHungUp(f.meta(), channelId(f), cause == null ? 0 : cause, AriJson.text(f.json(), "cause_txt"));
    }

    /** {@code dialstatus ""} starts a dial; a final status ends it; RINGING/PROGRESS/PROCEEDING are ignored. */
    private AsteriskEvent dial(AriFrame f) {
        ChannelId peer = AriJson.channelIdOrNull(f.json(), "peer");
        if (peer == null) {
            throw new IllegalArgumentException("Dial without peer");
        }
        ChannelId caller = AriJson.channelIdOrNull(f.json(), "caller");
        String status = AriJson.text(f.json(), "dialstatus");
        if (status.isEmpty()) {
            return new DialStarted(f.meta(), caller, peer, AriJson.text(f.json(), "dialstring"));
        }
        switch (status) {
            case "RINGING":
            case "PROGRESS":
            case "PROCEEDING":
                return null;
            default:
                return new DialEnded(f.meta(), caller, peer, status);
        }
    }

    private AsteriskEvent bridgeCreated(AriFrame f) {
        return new BridgeUpserted(f.meta(), AriJson.bridge(f.json().get("bridge")));
    }

    private AsteriskEvent bridgeDestroyed(AriFrame f) {
        return new BridgeDestroyed(f.meta(), AriJson.bridge(f.json().get("bridge")).id());
    }

    private AsteriskEvent bridgeMerged(AriFrame f) {
        BridgeId to = AriJson.bridge(f.json().get("bridge")).id();
        BridgeId from = AriJson.bridge(f.json().get("bridge_from")).id();
        return new BridgesMerged(f.meta(), from, to);
    }

    /** {@code bridge.channels} is passed as listed; it may be racy (the invisible MOH announcer's id). */
    private AsteriskEvent channelEnteredBridge(AriFrame f) {
        return new BridgeEntered(f.meta(), AriJson.bridge(f.json().get("bridge")), channelId(f));
    }

    private AsteriskEvent channelLeftBridge(AriFrame f) {
        return new BridgeLeft(f.meta(), AriJson.bridge(f.json().get("bridge")), channelId(f));
    }

    private AsteriskEvent hold(AriFrame f, boolean onHold) {
        return new HoldChanged(f.meta(), channelId(f), onHold, onHold ? AriJson.textOrNull(f.json(), "musicclass") : null);
    }

    private AsteriskEvent dtmf(AriFrame f) {
        String digit = AriJson.text(f.json(), "digit");
        if (digit.isEmpty()) {
            throw new IllegalArgumentException("DTMF without digit");
        }
        Integer duration = AriJson.intOrNull(f.json(), "duration_ms");
        return new DtmfReceived(f.meta(), channelId(f), digit.charAt(0), duration == null ? 0 : duration);
    }

    private AsteriskEvent varset(AriFrame f) {
        String name = AriJson.text(f.json(), "variable");
        ChannelId channel = AriJson.channelIdOrNull(f.json(), "channel");
        if (!name.startsWith(CTI_VARIABLE_PREFIX) || channel == null) {
            return null;
        }
        return new ChannelVarSet(f.meta(), channel, name, AriJson.text(f.json(), "value"));
    }

    private AsteriskEvent playback(AriFrame f, PlaybackState state) {
        JsonNode p = AriJson.object(f.json(), "playback");
        if (p == null || AriJson.text(p, "id").isEmpty()) {
            throw new IllegalArgumentException("playback without id");
        }
        PlaybackState s = state == PlaybackState.FINISHED && "failed".equals(AriJson.text(p, "state"))
                ? PlaybackState.FAILED : state;
        return new PlaybackChanged(f.meta(), AriJson.text(p, "id"), AriJson.text(p, "target_uri"), s,
                AriJson.text(p, "media_uri"));
    }

    /** {@code target_uri} {@code bridge:<id>} or {@code channel:<id>} gives the bridge or the channel. */
    private AsteriskEvent recording(AriFrame f, RecordingState state) {
        JsonNode r = AriJson.object(f.json(), "recording");
        String name = AriJson.text(r, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("recording without name");
        }
        String target = AriJson.text(r, "target_uri");
        ChannelId channel = null;
        BridgeId bridge = null;
        if (target.startsWith("channel:") && target.length() > "channel:".length()) {
            channel = ChannelId.of(target.substring("channel:".length()));
        } else if (target.startsWith("bridge:") && target.length() > "bridge:".length()) {
            bridge = BridgeId.of(target.substring("bridge:".length()));
        }
        String format = AriJson.text(r, "format");
        String file = format.isEmpty() ? name : name + "." + format;
        Integer duration = state == RecordingState.STARTED ? null : AriJson.intOrNull(r, "duration");
        return new RecordingChanged(f.meta(), name, channel, bridge, state, file, duration);
    }

    private AsteriskEvent deviceState(AriFrame f) {
        JsonNode d = AriJson.object(f.json(), "device_state");
        String name = AriJson.text(d, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("device_state without name");
        }
        return new DeviceStateChanged(f.meta(), name, DeviceState.parse(AriJson.text(d, "state")));
    }

    /** Only {@code online} is online; {@code offline} and {@code unknown} are not. */
    private AsteriskEvent endpointState(AriFrame f) {
        JsonNode e = AriJson.object(f.json(), "endpoint");
        String resource = AriJson.text(e, "resource");
        if (resource.isEmpty()) {
            throw new IllegalArgumentException("endpoint without resource");
        }
        String tech = AriJson.text(e, "technology");
        String name = tech.isEmpty() ? resource : tech + "/" + resource;
        return new EndpointStateChanged(f.meta(), name, "online".equalsIgnoreCase(AriJson.text(e, "state")));
    }

    private AsteriskEvent blindTransfer(AriFrame f) {
        JsonNode j = f.json();
        return new TransferCompleted(f.meta(), TransferKind.BLIND, AriJson.channelIdOrNull(j, "channel"),
                AriJson.channelIdOrNull(j, "transferee"), AriJson.textOrNull(j, "context"),
                AriJson.textOrNull(j, "exten"), null, "Success".equalsIgnoreCase(AriJson.text(j, "result")),
                j.path("is_external").asBoolean(false));
    }

    private AsteriskEvent attendedTransfer(AriFrame f) {
        JsonNode j = f.json();
        return new TransferCompleted(f.meta(), TransferKind.ATTENDED, AriJson.channelIdOrNull(j, "transferer_first_leg"),
                AriJson.channelIdOrNull(j, "transferee"), null, null, AriJson.channelIdOrNull(j, "transfer_target"),
                "Success".equalsIgnoreCase(AriJson.text(j, "result")), j.path("is_external").asBoolean(false));
    }

    private static ChannelId channelId(AriFrame f) {
        ChannelId id = AriJson.channelIdOrNull(f.json(), "channel");
        if (id == null) {
            throw new IllegalArgumentException(f.type() + " without channel.id");
        }
        return id;
    }
}
