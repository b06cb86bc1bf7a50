package org.asteriskcti.server.api;

import java.sql.SQLException;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;

/**
 * The reports over REST on PostgreSQL, the production database, each test in a schema of its own; skipped
 * with one line saying why when no server answers ({@link PostgresTestSchema}).
 */
class PostgresReportsApiTest extends ReportsApiContract {

    private static String skipReason;

    private final PostgresTestSchema schema = new PostgresTestSchema();

    @BeforeAll
    static void postgresAnswers() {
        skipReason = PostgresTestSchema.unavailable(PostgresReportsApiTest.class, "PostgreSQL report tests");
    }

    @Override
    Database openDatabase() throws SQLException {
        return schema.open(skipReason);
    }

    @Override
    void dropDatabase() throws SQLException {
        schema.drop();
    }
}
