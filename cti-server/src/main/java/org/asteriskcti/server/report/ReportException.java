package org.asteriskcti.server.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;

/** A report refused: its typed error ({@code report.invalid_request} 400, {@code report.unknown} 404). */
public final class ReportException extends RuntimeException {

    private final transient ErrorBody body;

    private ReportException(ErrorBody body) {
        super(body.message());
        this.body = body;
    }

    public ErrorBody body() {
        return body;
    }

    public static ReportException invalid(String field, String message) {
        return invalid(field, message, Map.of());
    }

    public static ReportException invalid(String field, String message, Map<String, Object> more) {
        Map<String, Object> details = new LinkedHashMap<>(more);
        details.put("field", field);
        return new ReportException(new ErrorBody(Protocol.Errors.REPORT_INVALID_REQUEST, 400, message, details));
    }

    /** The same answer for what does not exist and what is another tenant's. */
    public static ReportException unknown(String field, String value) {
        return new ReportException(new ErrorBody(Protocol.Errors.REPORT_UNKNOWN, 404,
                "no " + field + " '" + value + "' in your tenant", Map.of("field", field, "value", value)));
    }
}
