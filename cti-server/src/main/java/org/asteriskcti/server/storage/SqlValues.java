package org.asteriskcti.server.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** How the stores write and read values the same way on PostgreSQL and H2 (MODE=PostgreSQL). */
final class SqlValues {

    private SqlValues() {}

    /** The two daemon threads a store reads on (off the domain loop), named {@code <prefix>-1}, {@code <prefix>-2}. */
    static java.util.concurrent.ExecutorService readers(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A time column: UTC, to the microsecond (PostgreSQL's precision). */
    static OffsetDateTime time(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** PostgreSQL text cannot hold NUL; ids, names and numbers are opaque text. */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }
}
