package org.asteriskcti.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.cdr.CallRecord;
import org.asteriskcti.server.cdr.CallRecordQuery;
import org.asteriskcti.server.cdr.CallRecordStore;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.report.ReportException;
import org.asteriskcti.server.report.ReportFormat;

/**
 * Call detail records in the REST API ({@code docs/reports.md}, "Call detail records"):
 * {@code GET /api/v1/call-records} (a page of the tenant's records, JSON, or every matching record as CSV)
 * and {@code GET /api/v1/call-records/{id}}. Supervisors and admins only ({@code auth.forbidden} for agents),
 * always of their own tenant (from the token): another tenant's call is answered exactly like one that does
 * not exist ({@code report.unknown}). Reads run on the reports' worker threads, never on the loop.
 */
public final class CallRecordsApi {

    /** The most rows one CSV export holds; a longer one is refused (narrow the range or page with JSON). */
    static final int CSV_MAX_ROWS = 100_000;

    static final List<String> CSV_COLUMNS = List.of("call_id", "direction", "started_at", "answered_at", "ended_at",
            "caller_number", "caller_name", "called_number", "did", "ivr_flow", "ivr_choices", "queues",
            "wait_seconds", "ring_seconds", "talk_seconds", "hold_seconds", "wrap_up_seconds", "agents", "chain",
            "recordings", "voicemail_id", "survey_outcome", "survey_score", "disposition", "complete", "legs");

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final TypeReference<Object> ANY = new TypeReference<>() {};

    private final CallRecordStore store;
    private final Function<TenantId, ZoneId> zones;
    private final Executor workers;

    public CallRecordsApi(CallRecordStore store, Function<TenantId, ZoneId> zones, Executor workers) {
        this.store = store;
        this.zones = zones;
        this.workers = workers;
    }

    /** {@code GET /api/v1/call-records}: a {@link ReportsApi.Answer} or an {@link ErrorBody}. */
    CompletableFuture<Object> list(Principal p, Map<String, String> params, String accept) {
        if (!p.supervises()) {
            return forbidden();
        }
        CallRecordQuery q;
        ZoneId zone = zones.apply(p.tenant());
        try {
            q = CallRecordQuery.parse(params, accept, zone);
        } catch (ReportException e) {
            return CompletableFuture.completedFuture(e.body());
        }
        return CompletableFuture.supplyAsync(() -> q.csv() ? csv(p.tenant(), q, zone) : json(p.tenant(), q), workers);
    }

    /** {@code GET /api/v1/call-records/{id}}. */
    CompletableFuture<Object> one(Principal p, String id) {
        if (!p.supervises()) {
            return forbidden();
        }
        if (id.isBlank()) {
            return CompletableFuture.completedFuture(ReportException.unknown("call", id).body());
        }
        return CompletableFuture.supplyAsync(() -> {
            Optional<CallRecord> r = store.get(p.tenant(), CallId.of(id));
            if (r.isEmpty()) {
                return ReportException.unknown("call", id).body();
            }
            return answer(map(r.get()));
        }, workers);
    }

    private static CompletableFuture<Object> forbidden() {
        return CompletableFuture.completedFuture(new ErrorBody(Protocol.Errors.FORBIDDEN, 403,
                "call records are for supervisors and admins", Map.of()));
    }

    private Object json(TenantId tenant, CallRecordQuery q) {
        CallRecordQuery.Page page = store.find(tenant, q);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant.value());
        body.put("from", q.from().toString());
        body.put("to", q.to().toString());
        body.put("records", page.records().stream().map(r -> map(r.record())).toList());
        body.put("next", page.next().map(CallRecordQuery.Cursor::encode).orElse(null));
        return answer(body);
    }

    private Object csv(TenantId tenant, CallRecordQuery q, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        line(out, new ArrayList<>(CSV_COLUMNS));
        CallRecordQuery page = new CallRecordQuery(q.from(), q.to(), q.queue(), q.agent(), q.did(), q.disposition(),
                CallRecordQuery.MAX_LIMIT, q.after(), true);
        int rows = 0;
        while (true) {
            CallRecordQuery.Page got = store.find(tenant, page);
            for (CallRecordQuery.Row r : got.records()) {
                if (++rows > CSV_MAX_ROWS) {
                    return ReportException.invalid("to", "more than " + CSV_MAX_ROWS + " call records in the range; "
                            + "ask for a shorter one", Map.of("max_rows", CSV_MAX_ROWS)).body();
                }
                line(out, csvRow(r.record()));
            }
            if (got.next().isEmpty()) {
                break;
            }
            page = new CallRecordQuery(q.from(), q.to(), q.queue(), q.agent(), q.did(), q.disposition(),
                    CallRecordQuery.MAX_LIMIT, got.next(), true);
        }
        String name = (tenant.value() + "-call-records-" + stamp(q.from(), zone) + "-" + stamp(q.to(), zone) + ".csv")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        return new ReportsApi.Answer(ReportsApi.CSV, out.toString(), name);
    }

    static List<Object> csvRow(CallRecord r) {
        List<Object> v = new ArrayList<>();
        v.add(r.call().value());
        v.add(r.direction().name());
        v.add(r.startedAt());
        v.add(r.answeredAt());
        v.add(r.endedAt());
        v.add(r.callerNumber());
        v.add(r.callerName());
        v.add(r.calledNumber());
        v.add(r.did());
        v.add(r.ivr() == null ? null : r.ivr().flow());
        v.add(r.ivr() == null ? null : r.ivr().choices().stream().map(c -> c.node() + "=" + c.key())
                .collect(Collectors.joining(";")));
        v.add(r.queues().stream().map(CallRecord.QueueVisit::queue).collect(Collectors.joining(";")));
        v.add(r.waitSeconds());
        v.add(r.ringSeconds());
        v.add(r.talkSeconds());
        v.add(r.holdSeconds());
        v.add(r.wrapUpSeconds());
        v.add(String.join(";", r.agents()));
        v.add(r.chain().stream().map(c -> c.kind() + ":" + (c.fromAgent() == null ? "" : c.fromAgent()) + ">" + c.to())
                .collect(Collectors.joining(";")));
        v.add(String.join(";", r.recordings()));
        v.add(r.voicemail());
        v.add(r.surveyOutcome());
        v.add(r.surveyOutcome() == null ? null : r.surveyScore());
        v.add(r.disposition().name());
        v.add(r.complete());
        v.add(r.legs().size());
        return v;
    }

    /** The record as the API shows it: snake_case, times ISO-8601 UTC, nested lists as JSON. */
    static Map<String, Object> map(CallRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call_id", r.call().value());
        m.put("tenant", r.tenant().value());
        m.put("direction", r.direction().name());
        m.put("started_at", r.startedAt().toString());
        m.put("answered_at", r.answeredAt() == null ? null : r.answeredAt().toString());
        m.put("ended_at", r.endedAt().toString());
        m.put("caller_number", r.callerNumber());
        m.put("caller_name", r.callerName());
        m.put("called_number", r.calledNumber());
        m.put("did", r.did());
        m.put("ivr", r.ivr() == null ? null : MAPPER.convertValue(r.ivr(), ANY));
        m.put("queues", MAPPER.convertValue(r.queues(), ANY));
        m.put("wait_seconds", r.waitSeconds());
        m.put("ring_seconds", r.ringSeconds());
        m.put("talk_seconds", r.talkSeconds());
        m.put("hold_seconds", r.holdSeconds());
        m.put("wrap_up_seconds", r.wrapUpSeconds());
        m.put("agents", r.agents());
        m.put("chain", MAPPER.convertValue(r.chain(), ANY));
        m.put("recordings", r.recordings());
        m.put("voicemail_id", r.voicemail());
        m.put("survey_outcome", r.surveyOutcome());
        m.put("survey_score", r.surveyOutcome() == null ? null : r.surveyScore());
        m.put("disposition", r.disposition().name());
        m.put("complete", r.complete());
        m.put("legs", MAPPER.convertValue(r.legs(), ANY));
        return m;
    }

    private static ReportsApi.Answer answer(Object body) {
        try {
            return new ReportsApi.Answer(ReportsApi.JSON, MAPPER.writeValueAsString(body), null);
        } catch (JsonProcessingException e) {
            throw new CompletionException(e);
        }
    }

    private static void line(StringBuilder out, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(ReportFormat.field(values.get(i)));
        }
        out.append("\r\n");
    }

    private static String stamp(Instant t, ZoneId zone) {
        LocalDate d = LocalDate.ofInstant(t, zone);
        if (d.atStartOfDay(zone).toInstant().equals(t)) {
            return d.toString();
        }
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(t);
    }
}
