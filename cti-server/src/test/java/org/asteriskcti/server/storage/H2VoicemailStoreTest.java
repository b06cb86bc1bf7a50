package org.asteriskcti.server.storage;

import java.util.UUID;

/** The voicemail store on the embedded database, H2 in PostgreSQL mode (in memory here). */
class H2VoicemailStoreTest extends VoicemailStoreContract {

    @Override
    Database openDatabase() {
        return Database.open("jdbc:h2:mem:voicemail-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 2);
    }
}
