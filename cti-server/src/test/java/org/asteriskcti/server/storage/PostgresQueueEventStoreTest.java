package org.asteriskcti.server.storage;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store on PostgreSQL, the production database ({@link PostgresTestSchema}). Each test gets a schema of
 * its own, dropped afterwards. Skipped, with one line saying so, when no server answers.
 */
class PostgresQueueEventStoreTest extends QueueEventStoreContract {

    /** Why these tests cannot run here, if they cannot. */
    private static String skipReason;

    private final PostgresTestSchema schema = new PostgresTestSchema();

    @BeforeAll
    static void postgresAnswers() {
        skipReason = PostgresTestSchema.unavailable(PostgresQueueEventStoreTest.class, "PostgreSQL store tests");
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
