package org.asteriskcti.server.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL schema of its own for one test, at {@code cti.test.postgres.url} (default 127.0.0.1:5432,
 * database test, user postgres, trust auth), dropped afterwards: what the {@code Postgres*StoreTest}s share.
 * When no server answers their tests are skipped, each with the reason.
 */
public final class PostgresTestSchema {

    private static final String URL = System.getProperty("cti.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getProperty("cti.test.postgres.user", "postgres");

    private String schema;

    /**
     * For a test class's {@code @BeforeAll}: null when PostgreSQL answers, else why {@code tests} are skipped
     * (logged once at WARN). Aborted per test, not there: Maven reports a class aborted in {@code @BeforeAll}
     * as "Tests run: 0" and the reason is lost; per test each shows as skipped with this message.
     */
    public static String unavailable(Class<?> testClass, String tests) {
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3", USER, "")) {
            c.isValid(3);
            return null;
        } catch (SQLException e) {
            String reason = "no PostgreSQL at " + URL + " as " + USER + " (" + e.getMessage() + "); " + tests + " skipped";
            LoggerFactory.getLogger(testClass).warn(reason);
            return reason;
        }
    }

    /** Creates a fresh schema and opens the database in it; aborts the test when {@code skipReason} is set. */
    public Database open(String skipReason) throws SQLException {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
        schema = "cti_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return reopen();
    }

    /** The database in the schema {@link #open} created, again (a restart). */
    public Database reopen() {
        return Database.open(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, "", 2);
    }

    /** Drops the schema and all in it, if one was created. */
    public void drop() throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
