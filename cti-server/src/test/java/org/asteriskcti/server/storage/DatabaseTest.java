package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.asteriskcti.server.config.CtiConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dataDir;

    private static final CtiConfig.Storage EMBEDDED = new CtiConfig.Storage("", "", "", 2, 100);

    @Test
    void givenNoUrl_whenOpened_thenAnH2FileInTheDataDirIsMigratedAndKeepsRowsAcrossReopening() throws SQLException {
        Path dir = dataDir.resolve("not-yet-there");
        try (Database db = Database.open(EMBEDDED, dir)) {
            assertThat(db.describe()).startsWith("jdbc:h2:file:" + dir.toAbsolutePath().normalize().resolve("cti"));
            assertThat(schemaVersions(db)).containsExactlyElementsOf(migrationVersions());
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO queue_event (occurred_at, event_type, payload) "
                        + "VALUES (TIMESTAMP WITH TIME ZONE '2026-11-23 09:00:00.123456+00', 'Entered', '{}')");
            }
        }
        assertThat(Files.exists(dir.resolve("cti.mv.db"))).isTrue();

        try (Database db = Database.open(EMBEDDED, dir)) {
            assertThat(schemaVersions(db)).containsExactlyElementsOf(migrationVersions());
            assertThat(count(db)).isEqualTo(1);
        }
    }

    @Test
    void givenTheEmbeddedUrl_thenItRunsH2AsPostgresAndLeavesClosingToTheServer() {
        String url = Database.embeddedUrl(Path.of("data"));
        assertThat(url).startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().normalize().resolve("cti"))
                .contains(";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
                .endsWith(";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @Test
    void givenAnUnreachableDatabase_whenOpened_thenItFailsNamingTheUrlButNotThePassword() {
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/cti?user=cti&password=hunter2", "", "", 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot connect to the database jdbc:postgresql://127.0.0.1:1/cti?user=cti&password=***")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void givenUrlsWithPasswords_whenRedacted_thenOnlyThePasswordsAreMasked() {
        assertThat(Database.redact("jdbc:postgresql://db:5432/cti?user=cti&password=x%20y&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/cti?user=cti&password=***&ssl=true");
        assertThat(Database.redact("jdbc:h2:tcp://db/cti;PASSWORD=secret;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:tcp://db/cti;PASSWORD=***;MODE=PostgreSQL");
        assertThat(Database.redact("jdbc:postgresql://cti:secret@db/cti")).isEqualTo("jdbc:postgresql://cti:***@db/cti");
        assertThat(Database.redact("jdbc:postgresql://db/cti")).isEqualTo("jdbc:postgresql://db/cti");
    }

    /**
     * The versions of the migrations shipped (classpath db/migration/V&lt;n&gt;__*.sql), in order: every one
     * must have run on a fresh database.
     */
    static java.util.List<String> migrationVersions() {
        try {
            java.net.URL dir = DatabaseTest.class.getClassLoader().getResource("db/migration");
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of(dir.toURI()))) {
                return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .map(n -> n.substring(1, n.indexOf("__"))).sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                        .toList();
            }
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list db/migration", e);
        }
    }

    static java.util.List<String> schemaVersions(Database db) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long count(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM queue_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
