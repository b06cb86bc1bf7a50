package org.asteriskcti.server.api;

import java.util.UUID;
import org.asteriskcti.server.storage.Database;

/** The reports over REST on the embedded database, H2 in PostgreSQL mode (in memory here). */
class H2ReportsApiTest extends ReportsApiContract {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:reports-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 4);
    }
}
