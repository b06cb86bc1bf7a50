package org.asteriskcti.server.ivr;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A tenant's business hours: open ranges per day of the week and holidays (whole days closed), read
 * in the calendar's time zone. A range is {@code [start, end)}; {@code end} 24:00 is written as
 * {@link LocalTime#MAX} so a day can be open to midnight.
 */
public record Calendar(String name, ZoneId zone, Map<DayOfWeek, List<TimeRange>> weekly, Map<LocalDate, String> holidays) {

    /** What the calendar says at an instant. */
    public enum Status { OPEN, CLOSED, HOLIDAY }

    /** An open range within one day, start inclusive, end exclusive. */
    public record TimeRange(LocalTime start, LocalTime end) {
        public TimeRange {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("range " + start + "-" + end + " does not end after it starts");
            }
        }

        public boolean contains(LocalTime t) {
            return !t.isBefore(start) && (t.isBefore(end) || end.equals(LocalTime.MAX));
        }
    }

    public Calendar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        EnumMap<DayOfWeek, List<TimeRange>> w = new EnumMap<>(DayOfWeek.class);
        weekly.forEach((d, r) -> w.put(d, List.copyOf(r)));
        weekly = java.util.Collections.unmodifiableMap(w);
        holidays = java.util.Collections.unmodifiableMap(new TreeMap<>(holidays));
    }

    public Status at(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        if (holidays.containsKey(local.toLocalDate())) {
            return Status.HOLIDAY;
        }
        LocalTime t = local.toLocalTime();
        for (TimeRange r : weekly.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (r.contains(t)) {
                return Status.OPEN;
            }
        }
        return Status.CLOSED;
    }
}
