package org.asteriskcti.server.storage;

import java.util.UUID;

/** The recordings' store on the embedded database, H2 in PostgreSQL mode (in memory here). */
class H2RecordingStoreTest extends RecordingStoreContract {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:recordings-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 2);
    }
}
