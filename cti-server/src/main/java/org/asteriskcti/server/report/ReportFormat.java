package org.asteriskcti.server.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A report's answer as documented in {@code docs/reports.md} and {@code docs/openapi.yaml}: JSON (ordered
 * maps, nulls kept) or CSV (RFC 4180: a header line, CRLF line ends, fields quoted when they hold a comma,
 * a quote or a line break, quotes doubled).
 */
public final class ReportFormat {

    private ReportFormat() {}

    /** The JSON document of {@code r}. */
    public static Map<String, Object> json(ReportService.Result r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tenant", r.tenant().value());
        doc.put("time_zone", r.zone().getId());
        doc.put("from", r.request().from().toString());
        doc.put("to", r.request().to().toString());
        if (r.request().kind() == ReportRequest.Kind.USAGE) {
            doc.putAll(usage(r.usage()));
            return doc;
        }
        doc.put("interval", r.request().interval().wire());
        doc.put("rows", rows(r));
        return doc;
    }

    /** The rows of {@code r} as ordered maps (usage: its one row). */
    public static List<Map<String, Object>> rows(ReportService.Result r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        switch (r.request().kind()) {
            case QUEUES -> r.queueRows().forEach(q -> rows.add(queue(q, "queue")));
            case DIDS -> r.queueRows().forEach(q -> rows.add(queue(q, "did")));
            case AGENTS -> r.agentRows().forEach(a -> rows.add(agent(a)));
            case USAGE -> rows.add(usage(r.usage()));
        }
        return rows;
    }

    static Map<String, Object> queue(QueueRow q, String keyName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interval_start", q.intervalStart() == null ? null : q.intervalStart().toString());
        m.put(keyName, q.key());
        m.put("offered", q.offered());
        m.put("answered", q.answered());
        m.put("answered_within_sl", q.answeredWithinSl());
        m.put("service_level", q.serviceLevel().orElse(null));
        m.put("abandoned", q.abandoned());
        m.put("short_abandoned", q.shortAbandoned());
        m.put("abandon_rate", q.abandonRate().orElse(null));
        m.put("asa_seconds", q.averageSpeedOfAnswer().map(QueueRow::seconds).orElse(null));
        m.put("aht_seconds", q.averageHandleTime().map(QueueRow::seconds).orElse(null));
        m.put("longest_wait_seconds", QueueRow.seconds(q.longestWait()));
        m.put("transfers", q.transfers());
        m.put("transfers_in", q.transfersIn());
        m.put("callbacks", q.callbacks());
        m.put("overflowed", q.overflowed());
        m.put("calls_handled", q.completed());
        m.put("survey_offered", q.surveyOffered());
        m.put("survey_answered", q.surveyAnswered());
        m.put("response_rate", q.responseRate().orElse(null));
        m.put("csat", q.csat().orElse(null));
        return m;
    }

    static Map<String, Object> agent(AgentRow a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interval_start", a.intervalStart() == null ? null : a.intervalStart().toString());
        m.put("agent", a.agent());
        m.put("logged_in_seconds", AgentRow.seconds(a.loggedInNanos()));
        m.put("ready_seconds", AgentRow.seconds(a.readyNanos()));
        m.put("not_ready_seconds", AgentRow.seconds(a.notReadyNanos()));
        Map<String, Object> reasons = new LinkedHashMap<>();
        new java.util.TreeMap<>(a.notReadyByReason()).forEach((k, v) -> reasons.put(k, AgentRow.seconds(v)));
        m.put("not_ready_by_reason", reasons);
        m.put("reserved_seconds", AgentRow.seconds(a.reservedNanos()));
        m.put("on_call_seconds", AgentRow.seconds(a.onCallNanos()));
        m.put("wrap_up_seconds", AgentRow.seconds(a.wrapUpNanos()));
        m.put("on_other_seconds", AgentRow.seconds(a.onOtherNanos()));
        m.put("occupancy", a.occupancy().orElse(null));
        m.put("calls_handled", a.callsHandled());
        m.put("aht_seconds", a.averageHandleTime().map(QueueRow::seconds).orElse(null));
        return m;
    }

    static Map<String, Object> usage(Usage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seat_hours", u.seatHours());
        m.put("handled_minutes", u.handledMinutes());
        m.put("calls_handled", u.callsHandled());
        m.put("calls_offered", u.callsOffered());
        return m;
    }

    // ---- CSV --------------------------------------------------------------------------------------------

    /**
     * The rows as CSV. The agents' {@code not_ready_by_reason} becomes one column per reason seen in the
     * report, {@code not_ready_<reason>_seconds} (0.000 where the agent had none), in reason order.
     */
    public static String csv(ReportService.Result r) {
        List<Map<String, Object>> rows = rows(r);
        List<String> header = new ArrayList<>();
        if (r.request().kind() == ReportRequest.Kind.AGENTS) {
            TreeSet<String> reasons = new TreeSet<>();
            r.agentRows().forEach(a -> reasons.addAll(a.notReadyByReason().keySet()));
            List<Map<String, Object>> flat = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                Map<String, Object> f = new LinkedHashMap<>();
                row.forEach((k, v) -> {
                    if (k.equals("not_ready_by_reason")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> by = (Map<String, Object>) v;
                        for (String reason : reasons) {
                            f.put("not_ready_" + reason + "_seconds", by.getOrDefault(reason, new BigDecimal("0.000")));
                        }
                    } else {
                        f.put(k, v);
                    }
                });
                flat.add(f);
            }
            rows = flat;
        }
        if (rows.isEmpty()) {
            Map<String, Object> shape = r.request().kind() == ReportRequest.Kind.AGENTS
                    ? agent(new AgentRow(null, "", 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0))
                    : queue(new QueueRow(null, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, java.time.Duration.ZERO, 0, 0, 0),
                            r.request().kind() == ReportRequest.Kind.DIDS ? "did" : "queue");
            shape.remove("not_ready_by_reason");
            header.addAll(shape.keySet());
        } else {
            header.addAll(rows.get(0).keySet());
        }
        StringBuilder out = new StringBuilder();
        line(out, new ArrayList<>(header));
        for (Map<String, Object> row : rows) {
            List<Object> values = new ArrayList<>();
            header.forEach(h -> values.add(row.get(h)));
            line(out, values);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(values.get(i)));
        }
        out.append("\r\n");
    }

    /** One CSV field: empty for null, plain numbers, quoted when needed. */
    public static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /**
     * {@code <tenant>-<report>-<from>-<to>.csv}; from and to as dates when they are local midnights, else as
     * compact UTC instants (20260329T100000Z). Characters that are not letters, digits, '-', '_' or '.' become '_'.
     */
    public static String fileName(ReportService.Result r) {
        String name = r.tenant().value() + "-" + r.request().kind().path() + "-" + stamp(r.request().from(), r.zone())
                + "-" + stamp(r.request().to(), r.zone()) + ".csv";
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String stamp(Instant t, ZoneId zone) {
        LocalDate d = LocalDate.ofInstant(t, zone);
        if (d.atStartOfDay(zone).toInstant().equals(t)) {
            return d.toString();
        }
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(t);
    }
}
