package org.asteriskcti.server.cdr;

import java.nio.file.Path;
import org.asteriskcti.server.storage.Database;
import org.junit.jupiter.api.io.TempDir;

/** Call detail records on the embedded database: H2 in PostgreSQL mode, in files as the server runs it. */
class H2CallRecordStoreTest extends CallRecordStoreContract {

    @TempDir
    Path dir;

    @Override
    Database openDatabase() {
        return Database.open(Database.embeddedUrl(dir), "", "", 2);
    }
}
