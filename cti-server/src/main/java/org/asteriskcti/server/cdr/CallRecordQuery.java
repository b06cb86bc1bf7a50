package org.asteriskcti.server.cdr;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.asteriskcti.server.report.ReportException;

/**
 * A search of call detail records, read from the query string of {@code GET /api/v1/call-records}:
 * {@code from}, {@code to} (dates in the tenant's zone or ISO-8601 instants, {@code to} exclusive, on the
 * call's start), optional {@code queue}, {@code agent}, {@code did}, {@code disposition}, {@code limit}
 * (1..1000, default 100), {@code after} (the {@code next} cursor of the previous page), {@code format}.
 * {@link #parse} refuses anything wrong with a {@code report.invalid_request} naming the parameter.
 */
public record CallRecordQuery(Instant from, Instant to, Optional<String> queue, Optional<String> agent,
        Optional<String> did, Optional<CdrDisposition> disposition, int limit, Optional<Cursor> after, boolean csv) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final Set<String> KNOWN = Set.of("from", "to", "queue", "agent", "did", "disposition", "limit",
            "after", "format");

    /** Where a page ended: the last record's start and row id (keyset paging, stable while rows are added). */
    public record Cursor(Instant startedAt, long id) {
        public String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((startedAt + "|" + id).getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
        }

        static Cursor decode(String s) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(s), java.nio.charset.StandardCharsets.US_ASCII);
                int bar = plain.indexOf('|');
                return new Cursor(Instant.parse(plain.substring(0, bar)), Long.parseLong(plain.substring(bar + 1)));
            } catch (RuntimeException e) {
                throw ReportException.invalid("after", "'after' must be the 'next' of a previous page, got '" + s + "'");
            }
        }
    }

    /** One page of records; {@code next} is empty on the last page. */
    public record Page(List<Row> records, Optional<Cursor> next) {}

    /** A stored record and its row id (the paging key with its start). */
    public record Row(long id, CallRecord record) {}

    public static CallRecordQuery parse(Map<String, String> params, String accept, ZoneId zone) {
        for (String p : params.keySet()) {
            if (!KNOWN.contains(p)) {
                throw ReportException.invalid(p, "unknown parameter '" + p + "' (call records take from, to, queue, "
                        + "agent, did, disposition, limit, after, format)");
            }
        }
        Instant from = org.asteriskcti.server.report.ReportRequest.time(params, "from", zone);
        Instant to = org.asteriskcti.server.report.ReportRequest.time(params, "to", zone);
        if (!from.isBefore(to)) {
            throw ReportException.invalid("to", "'to' (" + params.get("to") + ") must be after 'from' ("
                    + params.get("from") + "); 'to' is exclusive");
        }
        Optional<CdrDisposition> disposition = Optional.empty();
        if (params.containsKey("disposition")) {
            String d = params.get("disposition");
            try {
                disposition = Optional.of(CdrDisposition.valueOf(d.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ReportException.invalid("disposition", "'disposition' must be one of "
                        + List.of(CdrDisposition.values()) + ", got '" + d + "'");
            }
        }
        int limit = DEFAULT_LIMIT;
        if (params.containsKey("limit")) {
            String l = params.get("limit");
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ReportException.invalid("limit", "'limit' must be 1.." + MAX_LIMIT + ", got '" + l + "'");
            }
        }
        Optional<Cursor> after = Optional.ofNullable(params.get("after")).filter(s -> !s.isEmpty()).map(Cursor::decode);
        boolean csv = false;
        if (params.containsKey("format")) {
            String f = params.get("format");
            if (!f.equals("csv") && !f.equals("json")) {
                throw ReportException.invalid("format", "'format' must be json or csv, got '" + f + "'");
            }
            csv = f.equals("csv");
        } else if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv")) {
            csv = true;
        }
        return new CallRecordQuery(from, to, text(params, "queue"), text(params, "agent"), text(params, "did"),
                disposition, limit, after, csv);
    }

    private static Optional<String> text(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v != null && v.isEmpty()) {
            throw ReportException.invalid(name, "'" + name + "' must not be empty");
        }
        return Optional.ofNullable(v);
    }
}
