package org.asteriskcti.server.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.asteriskcti.server.storage.Database;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * The call history on PostgreSQL: a server at {@code cti.test.postgres.url} (default 127.0.0.1:5432,
 * database test, user postgres, trust auth). Each test gets a schema of its own, dropped afterwards.
 * Skipped, with one line saying so, when no server answers.
 */
class PostgresCallHistoryStoreTest extends CallHistoryStoreContract {

    private static final String URL = System.getProperty("cti.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getProperty("cti.test.postgres.user", "postgres");

    /** Why these tests cannot run here, if they cannot. */
    private static String skipReason;

    private String schema;

    @BeforeAll
    static void postgresAnswers() {
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=3", USER, "")) {
            c.isValid(3);
        } catch (SQLException e) {
            skipReason = "no PostgreSQL at " + URL + " as " + USER + " (" + e.getMessage() + "); PostgreSQL call history tests skipped";
            // Aborted per test, not here, so that each shows as skipped with this reason.
            LoggerFactory.getLogger(PostgresCallHistoryStoreTest.class).warn(skipReason);
        }
    }

    @Override
    Database openDatabase() throws SQLException {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
        schema = "cti_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return reopenDatabase();
    }

    @Override
    Database reopenDatabase() {
        return Database.open(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, "", 2);
    }

    @Override
    void dropDatabase() throws SQLException {
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
