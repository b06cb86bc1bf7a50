package org.asteriskcti.server.history;

import java.sql.SQLException;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;

/**
 * The call history on PostgreSQL ({@link PostgresTestSchema}). Each test gets a schema of its own, dropped
 * afterwards. Skipped, with one line saying so, when no server answers.
 */
class PostgresCallHistoryStoreTest extends CallHistoryStoreContract {

    /** Why these tests cannot run here, if they cannot. */
    private static String skipReason;

    private final PostgresTestSchema schema = new PostgresTestSchema();

    @BeforeAll
    static void postgresAnswers() {
        skipReason = PostgresTestSchema.unavailable(PostgresCallHistoryStoreTest.class, "PostgreSQL call history tests");
    }

    @Override
    Database openDatabase() throws SQLException {
        return schema.open(skipReason);
    }

    @Override
    Database reopenDatabase() {
        return schema.reopen();
    }

    @Override
    void dropDatabase() throws SQLException {
        schema.drop();
    }
}
