package org.asteriskcti.server.storage;

import java.util.UUID;

/** The store on the embedded database, H2 in PostgreSQL mode (in memory here). */
class H2QueueEventStoreTest extends QueueEventStoreContract {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:store-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 2);
    }
}
