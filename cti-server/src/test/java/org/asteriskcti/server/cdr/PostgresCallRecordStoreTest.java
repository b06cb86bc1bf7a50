package org.asteriskcti.server.cdr;

import java.sql.SQLException;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.storage.PostgresTestSchema;
import org.junit.jupiter.api.BeforeAll;

/**
 * Call detail records on PostgreSQL ({@link PostgresTestSchema}), each test in a schema of its own, dropped
 * afterwards. Skipped, with one line saying so, when no server answers.
 */
class PostgresCallRecordStoreTest extends CallRecordStoreContract {

    private static String skipReason;

    private final PostgresTestSchema schema = new PostgresTestSchema();

    @BeforeAll
    static void postgresAnswers() {
        skipReason = PostgresTestSchema.unavailable(PostgresCallRecordStoreTest.class, "PostgreSQL call record tests");
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
