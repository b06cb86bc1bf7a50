package org.asteriskcti.server.acd;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * What {@value AsteriskAcdPort#ENTRY_VAR} holds: enough to rebuild the entry after a restart. URL form encoding
 * ({@code e=..&t=..&q=..&at=<epoch ms>&p=..&lang=..&sk=skill:level;..&ag=..&c=<epoch ms>&pop=..}), since
 * ids may hold any character but '&' and '=' are encoded. {@code pop} is the screen pop, itself in URL
 * form ({@code n} number, {@code nm} name, {@code r} region, {@code l} language, {@code ch}
 * {@code node:key,...}, {@code d.<name>} data), left out when it holds nothing but who calls.
 */
final class EntryRecord {
    final EntryId entry;
    final TenantId tenant;
    final QueueId queue;
    final Instant arrivedAt;
    final int priority;
    final String language;
    final Map<String, Integer> skills;
    final AgentId agent;
    final Instant connectedAt;
    final ScreenPop screenPop;
    /** The one agent the caller waits for (an IVR agent node), or null. */
    final AgentId onlyAgent;

    EntryRecord(EntryId entry, TenantId tenant, QueueId queue, Instant arrivedAt, int priority, String language,
            Map<String, Integer> skills, AgentId agent, Instant connectedAt, ScreenPop screenPop) {
        this(entry, tenant, queue, arrivedAt, priority, language, skills, agent, connectedAt, screenPop, null);
    }

    EntryRecord(EntryId entry, TenantId tenant, QueueId queue, Instant arrivedAt, int priority, String language,
            Map<String, Integer> skills, AgentId agent, Instant connectedAt, ScreenPop screenPop, AgentId onlyAgent) {
        this.entry = entry;
        this.tenant = tenant;
        this.queue = queue;
        this.arrivedAt = arrivedAt;
        this.priority = priority;
        this.language = language;
        this.skills = Map.copyOf(skills);
        this.agent = agent;
        this.connectedAt = connectedAt;
        this.screenPop = screenPop;
        this.onlyAgent = onlyAgent;
    }

    /**
     * The record of a new entry; the caller's language and extra skills are the ones first asked for (kept
     * through overflows).
     */
    static EntryRecord of(EntryView e, EntryRecord before, String language, Map<String, Integer> skills, AgentId onlyAgent) {
        // An overflow into another queue is for any agent there (EnqueueRequest.anyAgent).
        return new EntryRecord(e.id(), e.tenant(), e.queue(), e.arrivedAt(), e.priority(),
                before == null ? language : before.language, before == null ? skills : before.skills, null, null,
                e.screenPop(), e.origin() == EntryOrigin.OVERFLOW ? null : onlyAgent);
    }

    EntryRecord connected(AgentId agent, Instant at) {
        return new EntryRecord(entry, tenant, queue, arrivedAt, priority, language, skills, agent, at, screenPop, onlyAgent);
    }

    EnqueueRequest request(ChannelId caller) {
        return new EnqueueRequest(caller, queue, priority, skills, Optional.ofNullable(language),
                arrivedAt, EntryOrigin.RESTORED, screenPop, Optional.ofNullable(onlyAgent));
    }

    String encode() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("e", entry.value());
        m.put("t", tenant.value());
        m.put("q", queue.value());
        m.put("at", Long.toString(arrivedAt.toEpochMilli()));
        m.put("p", Integer.toString(priority));
        if (language != null) {
            m.put("lang", language);
        }
        if (!skills.isEmpty()) {
            StringBuilder sk = new StringBuilder();
            new java.util.TreeMap<>(skills).forEach((k, v) -> sk.append(sk.length() == 0 ? "" : ";").append(k).append(':').append(v));
            m.put("sk", sk.toString());
        }
        if (onlyAgent != null) {
            m.put("only", onlyAgent.value());
        }
        if (agent != null) {
            m.put("ag", agent.value());
            m.put("c", Long.toString(connectedAt.toEpochMilli()));
        }
        if (screenPop.region().isPresent() || screenPop.language().isPresent() || !screenPop.choices().isEmpty()
                || !screenPop.data().isEmpty()) {
            m.put("pop", encodePop(screenPop));
        }
        return form(m);
    }

    static String encodePop(ScreenPop p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("n", p.callerNumber());
        m.put("nm", p.callerName());
        p.region().ifPresent(r -> m.put("r", r));
        p.language().ifPresent(l -> m.put("l", l));
        if (!p.choices().isEmpty()) {
            StringBuilder ch = new StringBuilder();
            p.choices().forEach(c -> ch.append(ch.length() == 0 ? "" : ",").append(c.node()).append(':').append(c.key()));
            m.put("ch", ch.toString());
        }
        p.data().forEach((k, v) -> m.put("d." + k, v));
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    static ScreenPop decodePop(String raw, String whole) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad screen pop field '" + pair + "' in " + whole);
            }
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        List<ScreenPop.Choice> choices = new java.util.ArrayList<>();
        String ch = m.getOrDefault("ch", "");
        if (!ch.isEmpty()) {
            for (String c : ch.split(",")) {
                int colon = c.lastIndexOf(':');
                if (colon <= 0 || colon == c.length() - 1) {
                    throw new IllegalArgumentException("bad screen pop choice '" + c + "' in " + whole);
                }
                choices.add(new ScreenPop.Choice(c.substring(0, colon), c.substring(colon + 1)));
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("d.") && k.length() > 2) {
                data.put(k.substring(2), v);
            }
        });
        return new ScreenPop(m.get("n"), m.get("nm"), Optional.ofNullable(m.get("r")), Optional.ofNullable(m.get("l")),
                choices, data);
    }

    /** @throws IllegalArgumentException naming what is missing or malformed */
    static EntryRecord decode(String raw) {
        Map<String, String> m = parseForm(raw);
        for (String key : List.of("e", "t", "q", "at")) {
            if (!m.containsKey(key) || m.get(key).isEmpty()) {
                throw new IllegalArgumentException("'" + key + "' missing in " + raw);
            }
        }
        Map<String, Integer> skills = new LinkedHashMap<>();
        String sk = m.getOrDefault("sk", "");
        if (!sk.isEmpty()) {
            for (String pair : sk.split(";")) {
                int colon = pair.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("bad skill '" + pair + "' in " + raw);
                }
                skills.put(pair.substring(0, colon), number(pair.substring(colon + 1), "skill level", raw));
            }
        }
        AgentId agent = m.containsKey("ag") ? AgentId.of(m.get("ag")) : null;
        Instant connectedAt = agent == null ? null : Instant.ofEpochMilli(longNumber(m.get("c"), "c", raw));
        return new EntryRecord(EntryId.of(m.get("e")), TenantId.of(m.get("t")), QueueId.of(m.get("q")),
                Instant.ofEpochMilli(longNumber(m.get("at"), "at", raw)), number(m.getOrDefault("p", "0"), "p", raw),
                m.get("lang"), skills, agent, connectedAt,
                m.containsKey("pop") ? decodePop(m.get("pop"), raw) : ScreenPop.EMPTY,
                m.containsKey("only") && !m.get("only").isEmpty() ? AgentId.of(m.get("only")) : null);
    }

    private static int number(String s, String what, String raw) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + what + "' is not a number in " + raw);
        }
    }

    private static long longNumber(String s, String what, String raw) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("'" + what + "' is not a number in " + raw);
        }
    }

    static String form(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            m.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    static String formValue(String raw, String key) {
        return parseForm(raw).get(key);
    }
}
