package org.asteriskcti.server.survey;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyOutcome;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * What a survey's channel carries in {@value SurveyService#SURVEY_VAR} (URL-form encoded, like the ACD's
 * entry record): enough for a restarted CTI to log the survey it cut short, and whether its outcome was
 * logged already ({@code outcome}), so that it is never counted twice.
 */
record SurveyMark(TenantId tenant, QueueId queue, EntryId entry, AgentId agent, Optional<SurveyOutcome> outcome) {

    String encode() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tenant", tenant.value());
        m.put("queue", queue.value());
        m.put("entry", entry.value());
        m.put("agent", agent.value());
        outcome.ifPresent(o -> m.put("outcome", o.name()));
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    SurveyMark decided(SurveyOutcome o) {
        return new SurveyMark(tenant, queue, entry, agent, Optional.of(o));
    }

    /** @throws IllegalArgumentException naming what is missing or wrong */
    static SurveyMark decode(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        for (String k : new String[] {"tenant", "queue", "entry", "agent"}) {
            if (m.get(k) == null || m.get(k).isBlank()) {
                throw new IllegalArgumentException("no " + k + " in '" + raw + "'");
            }
        }
        Optional<SurveyOutcome> outcome;
        try {
            outcome = Optional.ofNullable(m.get("outcome")).map(SurveyOutcome::valueOf);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outcome '" + m.get("outcome") + "' in '" + raw + "'");
        }
        return new SurveyMark(TenantId.of(m.get("tenant")), QueueId.of(m.get("queue")), EntryId.of(m.get("entry")),
                AgentId.of(m.get("agent")), outcome);
    }
}
