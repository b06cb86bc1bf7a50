package org.asteriskcti.server.report;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A report asked for, read from the query string: {@code from}, {@code to} (dates in the tenant's zone,
 * or ISO-8601 instants with an offset), {@code interval}, one filter, {@code format}. {@link #parse}
 * refuses anything wrong with a {@link ReportException} naming the parameter.
 */
public record ReportRequest(Kind kind, Instant from, Instant to, ReportInterval interval, Optional<String> filter,
        boolean csv) {

    public enum Kind {
        QUEUES("queues", "queue"),
        AGENTS("agents", "agent"),
        DIDS("dids", "did"),
        USAGE("usage", null);

        private final String path;
        private final String filterParameter;

        Kind(String path, String filterParameter) {
            this.path = path;
            this.filterParameter = filterParameter;
        }

        /** The last part of the route: {@code /api/v1/reports/<path>}. */
        public String path() {
            return path;
        }

        /** The parameter naming one queue, agent or DID; null for usage. */
        public String filterParameter() {
            return filterParameter;
        }

        public static Optional<Kind> ofPath(String p) {
            for (Kind k : values()) {
                if (k.path.equals(p)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** The longest range of each interval ({@code reports.max-range-*}). */
    public record Limits(Duration quarterHour, Duration hour, Duration day) {
        public Duration of(ReportInterval i) {
            return switch (i) {
                case QUARTER_HOUR -> quarterHour;
                case HOUR -> hour;
                case DAY -> day;
            };
        }

        public static final Limits DEFAULT = new Limits(Duration.ofDays(93), Duration.ofDays(400), Duration.ofDays(3700));
    }

    private static final Set<String> COMMON = Set.of("from", "to", "interval", "format");

    /**
     * @param params the query parameters (first value of each)
     * @param accept the request's Accept header (null: none); {@code text/csv} asks for CSV like format=csv
     */
    public static ReportRequest parse(Kind kind, Map<String, String> params, String accept, ZoneId zone, Limits limits) {
        for (String p : params.keySet()) {
            if (!COMMON.contains(p) && !p.equals(kind.filterParameter())) {
                throw ReportException.invalid(p, "unknown parameter '" + p + "' (this report takes from, to"
                        + (kind == Kind.USAGE ? "" : ", interval, " + kind.filterParameter()) + ", format)");
            }
        }
        Instant from = time(params, "from", zone);
        Instant to = time(params, "to", zone);
        if (!from.isBefore(to)) {
            throw ReportException.invalid("to", "'to' (" + params.get("to") + ") must be after 'from' ("
                    + params.get("from") + "); 'to' is exclusive");
        }
        ReportInterval interval = ReportInterval.DAY;
        if (kind != Kind.USAGE && params.containsKey("interval")) {
            String i = params.get("interval");
            interval = ReportInterval.parse(i).orElseThrow(() -> ReportException.invalid("interval",
                    "'interval' must be 15m, hour or day, got '" + i + "'"));
        } else if (kind == Kind.USAGE && params.containsKey("interval")) {
            throw ReportException.invalid("interval", "the usage report has no intervals");
        }
        Duration max = limits.of(interval);
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw ReportException.invalid(kind == Kind.USAGE ? "to" : "interval", "a range of "
                    + Duration.between(from, to).toDays() + " days is too long for interval " + interval.wire()
                    + " (at most " + max.toDays() + " days)", Map.of("max_days", max.toDays()));
        }
        boolean csv = false;
        if (params.containsKey("format")) {
            String f = params.get("format");
            if (!f.equals("csv") && !f.equals("json")) {
                throw ReportException.invalid("format", "'format' must be json or csv, got '" + f + "'");
            }
            csv = f.equals("csv");
        } else if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv")) {
            csv = true;
        }
        Optional<String> filter = kind.filterParameter() == null ? Optional.empty()
                : Optional.ofNullable(params.get(kind.filterParameter()));
        return new ReportRequest(kind, from, to, interval, filter, csv);
    }

    /**
     * Query parameter {@code name}: a date (midnight in {@code zone}) or an ISO-8601 instant with offset
     * (2026-03-29T10:00:00Z, ...+02:00); {@code report.invalid_request} naming it when missing or unreadable.
     */
    public static Instant time(Map<String, String> params, String name, ZoneId zone) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            throw ReportException.invalid(name, "query parameter '" + name + "' is required (a date YYYY-MM-DD in the "
                    + "tenant's time zone, or an ISO-8601 instant)");
        }
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ReportException.invalid(name, "'" + name + "' must be a date YYYY-MM-DD or an ISO-8601 instant "
                    + "like 2026-03-29T10:00:00Z, got '" + v + "'");
        } catch (DateTimeException e) {
            throw ReportException.invalid(name, "'" + name + "' is out of range: '" + v + "'");
        }
    }
}
