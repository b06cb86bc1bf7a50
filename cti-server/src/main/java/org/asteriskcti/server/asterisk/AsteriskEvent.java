package org.asteriskcti.server.asterisk;

import java.util.List;
import java.util.Objects;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/**
 * What the AMI and ARI edge adapters hand to the domain: Asterisk's facts, translated into typed
 * records. Wire types (asterisk-java events, ARI JSON) never cross this line.
 *
 * <p>Every event carries {@link EventMeta}: where it came from, Asterisk's own timestamp when the
 * wire had one, and when the adapter read it. Events are applied by the domain in arrival order.
 */
public sealed interface AsteriskEvent {

    EventMeta meta();

    /** An edge connected (after login / WebSocket open) or lost its link. */
    record LinkStateChanged(EventMeta meta, LinkState state, String detail) implements AsteriskEvent {}

    /**
     * The complete truth of one source, read after a (re)connect: AMI CoreShowChannels + BridgeList,
     * or ARI GET /channels + GET /bridges. Channels of that source that are not listed are gone.
     */
    record ResyncSnapshot(EventMeta meta, List<ChannelSnapshot> channels, List<BridgeSnapshot> bridges)
            implements AsteriskEvent {
        public ResyncSnapshot {
            channels = List.copyOf(channels);
            bridges = List.copyOf(bridges);
        }
    }

    /** A channel was created or one of its fields changed (state, caller id, connected line, dialplan). */
    record ChannelUpserted(EventMeta meta, ChannelSnapshot channel) implements AsteriskEvent {}

    /** Somebody asked for the channel to hang up. {@code soft}: asked inside Asterisk (AMI/ARI/bridge). */
    record HangupRequested(EventMeta meta, ChannelId channel, boolean soft, Integer cause) implements AsteriskEvent {}

    /** The channel is gone: AMI Hangup, ARI ChannelDestroyed. {@code cause} is the Q.850 cause. */
    record ChannelHungUp(EventMeta meta, ChannelId channel, int cause, String causeText) implements AsteriskEvent {}

    /** The channel entered our Stasis application. */
    record StasisStarted(EventMeta meta, ChannelSnapshot channel, String application, List<String> args)
            implements AsteriskEvent {
        public StasisStarted {
            args = List.copyOf(args);
        }
    }

    /** The channel left our Stasis application: for the CTI this is the end of that channel. */
    record StasisEnded(EventMeta meta, ChannelId channel, String application) implements AsteriskEvent {}

    /** A dial began; {@code caller} is null for an originated leg (ARI Dial without caller). */
    record DialStarted(EventMeta meta, ChannelId caller, ChannelId peer, String dialString) implements AsteriskEvent {}

    /** A dial ended with Asterisk's DIALSTATUS (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL). */
    record DialEnded(EventMeta meta, ChannelId caller, ChannelId peer, String dialStatus) implements AsteriskEvent {}

    /** A bridge exists (created, or seen with its current fields). */
    record BridgeUpserted(EventMeta meta, BridgeSnapshot bridge) implements AsteriskEvent {}

    record BridgeDestroyed(EventMeta meta, BridgeId bridge) implements AsteriskEvent {}

    record BridgeEntered(EventMeta meta, BridgeSnapshot bridge, ChannelId channel) implements AsteriskEvent {}

    record BridgeLeft(EventMeta meta, BridgeSnapshot bridge, ChannelId channel) implements AsteriskEvent {}

    /** All channels of {@code from} moved into {@code to} (AMI BridgeMerge, e.g. attended transfer). */
    record BridgesMerged(EventMeta meta, BridgeId from, BridgeId to) implements AsteriskEvent {}

    record HoldChanged(EventMeta meta, ChannelId channel, boolean onHold, String musicClass) implements AsteriskEvent {}

    /**
     * A transfer Asterisk reported. Blind: {@code targetExten}/{@code targetContext} are set.
     * Attended: {@code targetChannel} may be set. {@code external}: requested by AMI/ARI, not a phone.
     */
    record TransferCompleted(EventMeta meta, TransferKind kind, ChannelId transferer, ChannelId transferee,
            String targetContext, String targetExten, ChannelId targetChannel, boolean success, boolean external)
            implements AsteriskEvent {}

    /** MixMonitor (AMI) or an ARI live recording changed state. */
    record RecordingChanged(EventMeta meta, String recording, ChannelId channel, BridgeId bridge,
            RecordingState state, String file, Integer durationSeconds) implements AsteriskEvent {}

    /** ConfBridge activity (AMI). {@code channel} is null for STARTED/ENDED. */
    record ConferenceChanged(EventMeta meta, String conference, ChannelId channel, ConferenceChange change)
            implements AsteriskEvent {}

    /** A device (e.g. {@code PJSIP/1001}) changed state. */
    record DeviceStateChanged(EventMeta meta, String device, DeviceState state) implements AsteriskEvent {}

    /** An endpoint (e.g. {@code PJSIP/1001}) became reachable or not (registration / contact status). */
    record EndpointStateChanged(EventMeta meta, String endpoint, boolean online) implements AsteriskEvent {}

    /** A channel variable the CTI cares about (names starting with {@code CTI_}) was set. */
    record ChannelVarSet(EventMeta meta, ChannelId channel, String name, String value) implements AsteriskEvent {}

    /** A DTMF digit received from the phone (RFC 4733 or SIP INFO alike). */
    record DtmfReceived(EventMeta meta, ChannelId channel, char digit, int durationMs) implements AsteriskEvent {}

    /** An ARI playback changed state. {@code target} is the ARI target URI, e.g. {@code channel:123}. */
    record PlaybackChanged(EventMeta meta, String playbackId, String target, PlaybackState state, String media)
            implements AsteriskEvent {}

    /** app_queue activity seen over AMI (the lab's dialplan queue; our own ACD does not use app_queue). */
    record QueueActivity(EventMeta meta, String queue, ChannelId channel, QueueActivityKind kind, String member,
            ChannelId memberChannel, Integer holdSeconds, Integer ringSeconds, Integer talkSeconds, String reason)
            implements AsteriskEvent {}

    /** The result of an AMI Originate (OriginateResponse) for the action we sent. */
    record OriginateFinished(EventMeta meta, String actionRef, ChannelId channel, boolean success, String reason)
            implements AsteriskEvent {}

    /** An event type this edge does not translate; kept raw, never a crash. */
    record Unrecognized(EventMeta meta, String type, String raw) implements AsteriskEvent {
        public Unrecognized {
            Objects.requireNonNull(type, "type");
        }
    }
}
