package org.asteriskcti.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.report.ReportException;
import org.asteriskcti.server.report.ReportFormat;
import org.asteriskcti.server.report.ReportRequest;
import org.asteriskcti.server.report.ReportService;

/**
 * Reports in the REST API: {@code GET /api/v1/reports/{queues|agents|dids|usage}} ({@code docs/reports.md}).
 * Supervisors and admins only ({@code auth.forbidden} for agents), always of their own tenant: the tenant
 * comes from the token, and a queue, agent or DID of another tenant is refused exactly like one that does
 * not exist ({@code report.unknown}). Answers complete on the reports' worker threads, never on the loop.
 */
public final class ReportsApi {

    /** A report's answer: JSON or CSV text; {@code fileName} set for CSV (Content-Disposition). */
    public record Answer(String contentType, String body, String fileName) {}

    public static final String CSV = "text/csv; charset=utf-8";
    public static final String JSON = "application/json";

    /** Like the client API's mapping, but nulls are written (a ratio without denominator is null) and numbers plain. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final ReportService service;

    public ReportsApi(ReportService service) {
        this.service = service;
    }

    /** The report of {@code kind} ({@code queues}...), as an {@link Answer} or an {@link ErrorBody}. */
    CompletableFuture<Object> report(Principal p, String kind, Map<String, String> params, String accept) {
        if (!p.supervises()) {
            return CompletableFuture.completedFuture(new ErrorBody(Protocol.Errors.FORBIDDEN, 403,
                    "reports are for supervisors and admins", Map.of()));
        }
        ReportRequest request;
        try {
            ReportRequest.Kind k = ReportRequest.Kind.ofPath(kind).orElseThrow();
            request = ReportRequest.parse(k, params, accept, service.zoneOf(p.tenant()), service.limits());
        } catch (ReportException e) {
            return CompletableFuture.completedFuture(e.body());
        }
        return service.run(p.tenant(), request).handle((result, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof ReportException re) {
                    return re.body();
                }
                throw new CompletionException(cause);
            }
            if (request.csv()) {
                return new Answer(CSV, ReportFormat.csv(result), ReportFormat.fileName(result));
            }
            try {
                return new Answer(JSON, MAPPER.writeValueAsString(ReportFormat.json(result)), null);
            } catch (JsonProcessingException e) {
                throw new CompletionException(e);
            }
        });
    }
}
