package org.asteriskcti.server.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The length of a report's rows, in the tenant's time zone.
 * <ul>
 *   <li>{@code day}: from one local midnight to the next, so a day is 23, 24 or 25 hours long around
 *       daylight-saving changes;</li>
 *   <li>{@code hour} and {@code 15m}: fixed lengths of real time, starting at a local hour (or quarter
 *       hour). Around a DST change the rows follow real time: the spring-forward day of Europe/Berlin
 *       has 23 hourly and 92 quarter-hour rows (no 02:00-03:00 local), the fall-back day 25 and 100 (the
 *       local hour 02:00-03:00 twice, told apart by their UTC instants).</li>
 * </ul>
 * A range starting inside a row (only possible with instants as {@code from}) clips that first row to
 * start at {@code from}; likewise {@code to} clips the last one.
 */
public enum ReportInterval {
    QUARTER_HOUR("15m", Duration.ofMinutes(15)),
    HOUR("hour", Duration.ofHours(1)),
    DAY("day", null);

    private final String wire;
    private final Duration step;

    ReportInterval(String wire, Duration step) {
        this.wire = wire;
        this.step = step;
    }

    /** As in the query string: {@code 15m}, {@code hour}, {@code day}. */
    public String wire() {
        return wire;
    }

    public static Optional<ReportInterval> parse(String s) {
        return Arrays.stream(values()).filter(v -> v.wire.equals(s)).findFirst();
    }

    /**
     * The row boundaries of {@code [from, to)} in {@code zone}: {@code from}, every row start after it,
     * and {@code to} last (so n + 1 instants for n rows).
     */
    public Buckets buckets(Instant from, Instant to, ZoneId zone) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from " + from + " must be before to " + to);
        }
        List<Instant> bounds = new ArrayList<>();
        bounds.add(from);
        if (this == DAY) {
            LocalDate d = LocalDate.ofInstant(from, zone).plusDays(1);
            for (Instant b = d.atStartOfDay(zone).toInstant(); b.isBefore(to); d = d.plusDays(1),
                    b = d.atStartOfDay(zone).toInstant()) {
                bounds.add(b);
            }
        } else {
            ZonedDateTime local = from.atZone(zone);
            LocalDateTime floor = local.toLocalDateTime().truncatedTo(ChronoUnit.HOURS);
            if (this == QUARTER_HOUR) {
                floor = floor.plusMinutes(local.getMinute() / 15 * 15);
            }
            Instant b = ZonedDateTime.ofLocal(floor, zone, local.getOffset()).toInstant();
            if (b.isAfter(from)) {
                b = b.minus(step); // the offset of from put the floor after it: one step back
            }
            for (b = b.plus(step); b.isBefore(to); b = b.plus(step)) {
                bounds.add(b);
            }
        }
        bounds.add(to);
        return new Buckets(bounds);
    }
}
