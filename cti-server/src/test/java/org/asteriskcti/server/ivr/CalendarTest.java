package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalendarTest {

    private final Calendar cal = new Calendar("office", ZoneId.of("America/New_York"),
            Map.of(DayOfWeek.FRIDAY, List.of(new Calendar.TimeRange(LocalTime.of(9, 0), LocalTime.of(17, 0))),
                    DayOfWeek.SATURDAY, List.of(new Calendar.TimeRange(LocalTime.of(20, 0), LocalTime.MAX))),
            Map.of(LocalDate.of(2025, 7, 4), "Independence Day"));

    @Test
    void givenFridayHoursInNewYork_whenItIsAlreadySaturdayInUtc_thenStillFridayThere() {
        assertThat(cal.at(Instant.parse("2025-03-07T21:59:59Z"))).isEqualTo(Calendar.Status.OPEN);  // Fri 16:59:59 EST
        assertThat(cal.at(Instant.parse("2025-03-07T22:00:00Z"))).isEqualTo(Calendar.Status.CLOSED); // Fri 17:00 EST
        assertThat(cal.at(Instant.parse("2025-03-07T13:59:59Z"))).isEqualTo(Calendar.Status.CLOSED); // 08:59:59
    }

    @Test
    void givenARangeToMidnight_whenTheLastSecondOfTheDay_thenOpen() {
        assertThat(cal.at(Instant.parse("2025-03-09T04:59:59Z"))).isEqualTo(Calendar.Status.OPEN); // Sat 23:59:59 EST
        assertThat(cal.at(Instant.parse("2025-03-09T05:00:00Z"))).isEqualTo(Calendar.Status.CLOSED); // Sun 00:00 EST
    }

    @Test
    void givenAHolidayOnAWorkingDay_thenHolidayAllDayLocally() {
        assertThat(cal.at(Instant.parse("2025-07-04T15:00:00Z"))).isEqualTo(Calendar.Status.HOLIDAY); // Fri 11:00 EDT
        assertThat(cal.at(Instant.parse("2025-07-05T03:59:00Z"))).isEqualTo(Calendar.Status.HOLIDAY); // Fri 23:59 EDT
        assertThat(cal.at(Instant.parse("2025-07-04T03:59:00Z"))).isEqualTo(Calendar.Status.CLOSED); // Thu 23:59 EDT
    }

    @Test
    void givenARangeEndingBeforeItStarts_thenRefused() {
        assertThatThrownBy(() -> new Calendar.TimeRange(LocalTime.of(17, 0), LocalTime.of(9, 0)))
                .hasMessage("range 17:00-09:00 does not end after it starts");
    }
}
