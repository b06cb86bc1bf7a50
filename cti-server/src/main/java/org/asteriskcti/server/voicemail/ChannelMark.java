package org.asteriskcti.server.voicemail;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.asteriskcti.server.domain.TenantId;

/**
 * What a caller leaving a message carries on their channel ({@value VoicemailService#MARK_VAR}, URL-form
 * encoded; ari.conf {@code channelvars} shows it in {@code GET /channels}), so that a restarted CTI knows
 * them: a caller in the greeting hears it again, one being recorded gets their message finished, one
 * already done is hung up.
 *
 * @param startedAt when the recording was asked for; null before (GREETING)
 */
record ChannelMark(Phase phase, VoicemailId id, String recordingName, TenantId tenant, Mailbox mailbox, Origin origin,
        Instant startedAt) {

    enum Phase { GREETING, RECORDING, DONE }

    String encode() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("phase", phase.name().toLowerCase(Locale.ROOT));
        f.put("id", id.value());
        f.put("name", recordingName);
        f.put("tenant", tenant.value());
        f.put("mailbox", mailbox.value());
        f.put("origin", origin.encode());
        if (startedAt != null) {
            f.put("at", Long.toString(startedAt.toEpochMilli()));
        }
        StringBuilder b = new StringBuilder();
        f.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /** @throws IllegalArgumentException naming what is missing or wrong */
    static ChannelMark decode(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String part : text.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        for (String key : new String[] {"phase", "id", "name", "tenant", "mailbox", "origin"}) {
            if (f.getOrDefault(key, "").isBlank()) {
                throw new IllegalArgumentException("no '" + key + "' in '" + text + "'");
            }
        }
        Phase phase;
        try {
            phase = Phase.valueOf(f.get("phase").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown phase '" + f.get("phase") + "' in '" + text + "'");
        }
        Instant at;
        try {
            at = f.containsKey("at") ? Instant.ofEpochMilli(Long.parseLong(f.get("at"))) : null;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'at' is not a time in milliseconds in '" + text + "'");
        }
        return new ChannelMark(phase, VoicemailId.of(f.get("id")), f.get("name"), TenantId.of(f.get("tenant")),
                Mailbox.of(f.get("mailbox")), Origin.decode(f.get("origin")), at);
    }

    ChannelMark at(Phase next, Instant started) {
        return new ChannelMark(next, id, recordingName, tenant, mailbox, origin, started);
    }
}
