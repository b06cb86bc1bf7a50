package org.asteriskcti.server.history;

import java.nio.file.Path;
import org.asteriskcti.server.storage.Database;
import org.junit.jupiter.api.io.TempDir;

/** The call history on the embedded database: H2 in PostgreSQL mode, in files as the server runs it. */
class H2CallHistoryStoreTest extends CallHistoryStoreContract {

    @TempDir
    Path dir;

    @Override
    Database openDatabase() {
        return Database.open(Database.embeddedUrl(dir), "", "", 2);
    }

    @Override
    Database reopenDatabase() {
        return openDatabase();
    }
}
