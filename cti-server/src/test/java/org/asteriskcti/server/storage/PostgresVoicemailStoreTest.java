package org.asteriskcti.server.storage;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/**
 * The voicemail store on PostgreSQL ({@link PostgresTestSchema}), each test in a schema of its own. Skipped,
 * with one line saying so, when no server answers.
 */
class PostgresVoicemailStoreTest extends VoicemailStoreContract {

    private static String skipReason;

    private final PostgresTestSchema schema = new PostgresTestSchema();

    @BeforeAll
    static void postgresAnswers() {
        skipReason = PostgresTestSchema.unavailable(PostgresVoicemailStoreTest.class, "PostgreSQL voicemail store tests");
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
