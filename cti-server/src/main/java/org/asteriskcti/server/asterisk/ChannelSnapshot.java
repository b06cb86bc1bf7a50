package org.asteriskcti.server.asterisk;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.asteriskcti.server.domain.ChannelId;

/**
 * A channel's fields as Asterisk reported them.
 *
 * @param linkedId Asterisk's Linkedid (AMI); null where the wire does not carry it (ARI)
 * @param createdAt ARI {@code creationtime}; null where unknown
 * @param vars      channel variables the wire carries with the snapshot (ARI {@code channelvars}, listed in
 *                  ari.conf: the CTI_* variables a restarted CTI rebuilds its queues from); empty elsewhere
 */
public record ChannelSnapshot(ChannelId id, String name, ChannelState state, Party caller, Party connected,
        String linkedId, String context, String exten, String accountCode, String language, Instant createdAt,
        Map<String, String> vars) {

    public ChannelSnapshot(ChannelId id, String name, ChannelState state, Party caller, Party connected,
            String linkedId, String context, String exten, String accountCode, String language, Instant createdAt) {
        this(id, name, state, caller, connected, linkedId, context, exten, accountCode, language, createdAt, Map.of());
    }

    public ChannelSnapshot {
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        state = state == null ? ChannelState.UNKNOWN : state;
        caller = caller == null ? Party.EMPTY : caller;
        connected = connected == null ? Party.EMPTY : connected;
        context = context == null ? "" : context;
        exten = exten == null ? "" : exten;
        accountCode = accountCode == null ? "" : accountCode;
        language = language == null ? "" : language;
        vars = vars == null ? Map.of() : Map.copyOf(vars);
    }

    /** A channel variable carried by the snapshot, or null. */
    public String var(String name) {
        return vars.get(name);
    }

    /** The technology/resource part of the name: {@code PJSIP/1001-0000001a} gives {@code PJSIP/1001}. */
    public String device() {
        return deviceOf(name);
    }

    public static String deviceOf(String channelName) {
        if (channelName == null) {
            return "";
        }
        int slash = channelName.indexOf('/');
        int dash = channelName.lastIndexOf('-');
        if (slash < 0 || dash <= slash) {
            return channelName;
        }
        return channelName.substring(0, dash);
    }
}
