package org.asteriskcti.server.asterisk.ami;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.asteriskcti.server.domain.ChannelId;

/**
 * An AMI Originate (always asynchronous).
 *
 * @param actionRef      how {@code OriginateFinished.actionRef} will name this originate; sent as the user
 *                       part of the ActionID. Null: the connector makes one up (returned by the future).
 * @param channel        what to dial, e.g. {@code PJSIP/1001}
 * @param context        where the answered channel goes
 * @param exten          extension in {@code context}
 * @param priority       priority in {@code context}
 * @param callerId       e.g. {@code "Click2Call" <2002>}; null for none
 * @param channelId      Uniqueid to give the dialled channel (any string); null lets Asterisk choose
 * @param otherChannelId Uniqueid of the second half when a Local channel is originated; null for none
 * @param variables      channel variables set before dialling, e.g. {@code CTI_CALL_ID}
 * @param timeout        how long the dialled channel may ring
 */
public record OriginateRequest(String actionRef, String channel, String context, String exten, int priority,
        String callerId, ChannelId channelId, ChannelId otherChannelId, Map<String, String> variables,
        Duration timeout) {

    public OriginateRequest {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(exten, "exten");
        Objects.requireNonNull(timeout, "timeout");
        if (actionRef != null && (actionRef.isBlank() || actionRef.indexOf('#') >= 0)) {
            throw new IllegalArgumentException("actionRef must be non-blank and contain no '#': " + actionRef);
        }
        if (priority < 1) {
            throw new IllegalArgumentException("priority must be >= 1: " + priority);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        variables = variables == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(variables));
    }

    /** A request to dial {@code channel} into {@code exten@context}, priority 1, 30 s ring time. */
    public static OriginateRequest of(String channel, String context, String exten) {
        return new OriginateRequest(null, channel, context, exten, 1, null, null, null, Map.of(),
                Duration.ofSeconds(30));
    }

    public OriginateRequest withActionRef(String ref) {
        return new OriginateRequest(ref, channel, context, exten, priority, callerId, channelId, otherChannelId,
                variables, timeout);
    }

    public OriginateRequest withCallerId(String cid) {
        return new OriginateRequest(actionRef, channel, context, exten, priority, cid, channelId, otherChannelId,
                variables, timeout);
    }

    public OriginateRequest withChannelIds(ChannelId id, ChannelId otherId) {
        return new OriginateRequest(actionRef, channel, context, exten, priority, callerId, id, otherId, variables,
                timeout);
    }

    public OriginateRequest withVariables(Map<String, String> vars) {
        return new OriginateRequest(actionRef, channel, context, exten, priority, callerId, channelId,
                otherChannelId, vars, timeout);
    }

    public OriginateRequest withTimeout(Duration ringTimeout) {
        return new OriginateRequest(actionRef, channel, context, exten, priority, callerId, channelId,
                otherChannelId, variables, ringTimeout);
    }
}
