package org.asteriskcti.softphone.ui;

import java.time.Duration;

/** Time formats of the desk. */
final class Format {
    private Format() {}

    /** "m:ss" (or "h:mm:ss" from an hour); negative durations show as 0:00. */
    static String minutesSeconds(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 3600) {
            return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        }
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
