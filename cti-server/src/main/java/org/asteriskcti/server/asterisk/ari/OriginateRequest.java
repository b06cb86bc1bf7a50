package org.asteriskcti.server.asterisk.ari;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.asteriskcti.server.domain.ChannelId;

/**
 * {@code POST /channels}: dial {@code endpoint} and, once it answers, put it into Stasis {@code app}. Asterisk
 * sends the leg's Dial/ChannelStateChange events before the StasisStart; a leg that fails (486, no answer)
 * never gets a StasisStart, only ChannelDestroyed.
 *
 * @param endpoint       e.g. {@code PJSIP/1001}
 * @param appArgs        arrive as {@code StasisStart.args}; no element may contain a comma (Asterisk splits on it)
 * @param channelId      our id for the new channel, recommended: events can then be matched before the 200
 * @param otherChannelId id of the ;2 half of a Local channel; null otherwise
 * @param originator     channel that caused this originate (linkedid, connected line); may be null
 * @param callerId       e.g. {@code "Customer One" <2001>}; sets both caller and connected on the new leg
 * @param timeout        ring time Asterisk allows; null for Asterisk's default (30 s); sent in whole seconds
 * @param variables      channel variables, sent as the JSON body {@code {"variables": {...}}} (ari-08); shows
 *                       up as ChannelVarset before the first Dial
 */
public record OriginateRequest(String endpoint, String app, List<String> appArgs, ChannelId channelId,
        ChannelId otherChannelId, ChannelId originator, String callerId, Duration timeout,
        Map<String, String> variables) {

    public OriginateRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(app, "app");
        appArgs = appArgs == null ? List.of() : List.copyOf(appArgs);
        for (String arg : appArgs) {
            if (arg.indexOf(',') >= 0) {
                throw new IllegalArgumentException("appArgs element must not contain ',': " + arg);
            }
        }
        variables = variables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** The minimal originate: endpoint into the app with the given Stasis arguments. */
    public static OriginateRequest toApp(String endpoint, String app, List<String> appArgs) {
        return new OriginateRequest(endpoint, app, appArgs, null, null, null, null, null, null);
    }

    public OriginateRequest withChannelId(ChannelId id) {
        return new OriginateRequest(endpoint, app, appArgs, id, otherChannelId, originator, callerId, timeout,
                variables);
    }

    public OriginateRequest withOtherChannelId(ChannelId id) {
        return new OriginateRequest(endpoint, app, appArgs, channelId, id, originator, callerId, timeout,
                variables);
    }

    public OriginateRequest withOriginator(ChannelId id) {
        return new OriginateRequest(endpoint, app, appArgs, channelId, otherChannelId, id, callerId, timeout,
                variables);
    }

    public OriginateRequest withCallerId(String id) {
        return new OriginateRequest(endpoint, app, appArgs, channelId, otherChannelId, originator, id, timeout,
                variables);
    }

    public OriginateRequest withTimeout(Duration ringTimeout) {
        return new OriginateRequest(endpoint, app, appArgs, channelId, otherChannelId, originator, callerId,
                ringTimeout, variables);
    }

    public OriginateRequest withVariables(Map<String, String> vars) {
        return new OriginateRequest(endpoint, app, appArgs, channelId, otherChannelId, originator, callerId,
                timeout, vars);
    }
}
