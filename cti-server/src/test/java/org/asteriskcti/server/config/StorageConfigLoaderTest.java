package org.asteriskcti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage section: defaults, overrides, and errors that name the key. */
class StorageConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void givenNoFile_whenLoaded_thenStorageIsTheEmbeddedDatabaseWithTheCommentedDefaults() {
        CtiConfig.Storage s = ConfigLoader.load(null, Map.of()).storage();
        assertThat(s.url()).isEmpty();
        assertThat(s.username()).isEmpty();
        assertThat(s.password()).isEmpty();
        assertThat(s.poolSize()).isEqualTo(4);
        assertThat(s.writeBatch()).isEqualTo(500);
    }

    @Test
    void givenAFileAndTheEnvironment_whenLoaded_thenPostgresIsConfiguredAndThePasswordComesFromTheEnvironment()
            throws IOException {
        Path f = yaml("""
                storage:
                  url: jdbc:postgresql://db.example.net:5432/cti
                  username: cti
                  write-batch: 50
                """);
        CtiConfig.Storage s = ConfigLoader.load(f, Map.of("CTI_STORAGE_PASSWORD", "s3cret", "CTI_STORAGE_POOL_SIZE", "8"))
                .storage();
        assertThat(s.url()).isEqualTo("jdbc:postgresql://db.example.net:5432/cti");
        assertThat(s.username()).isEqualTo("cti");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.poolSize()).isEqualTo(8);
        assertThat(s.writeBatch()).isEqualTo(50);
        assertThat(s.toString()).doesNotContain("s3cret").contains("password=***");
    }

    @Test
    void givenAnotherDatabaseUrl_whenLoaded_thenTheErrorNamesTheKeyWithoutEchoingTheRestOfTheUrl() throws IOException {
        Path f = yaml("storage:\n  url: jdbc:mysql://db/cti?user=cti&password=hunter2\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains(f.toString()).contains("key 'storage.url'")
                                .contains("jdbc:postgresql: or jdbc:h2:").contains("'jdbc:mysql:'")
                                .doesNotContain("hunter2")));
    }

    @Test
    void givenBadSizes_whenLoaded_thenEachProblemNamesItsKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_STORAGE_POOL_SIZE", "0",
                "CTI_STORAGE_WRITE_BATCH", "lots")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("environment variable CTI_STORAGE_POOL_SIZE")
                                .contains("'storage.pool-size' must be between 1 and 64"))
                        .anySatisfy(p -> assertThat(p).contains("'storage.write-batch'").contains("whole number")));
    }

    @Test
    void givenRetention_whenLoaded_thenForeverByDefault_daysWhenSet_andAnythingElseIsRefusedNamingTheKey() throws IOException {
        assertThat(ConfigLoader.load(null, Map.of()).storage().retention()).isZero();
        assertThat(ConfigLoader.load(yaml("storage:\n  retention: 400d\n"), Map.of()).storage().retention())
                .isEqualTo(java.time.Duration.ofDays(400));
        assertThat(ConfigLoader.load(null, Map.of("CTI_STORAGE_RETENTION", "30d")).storage().retention())
                .isEqualTo(java.time.Duration.ofDays(30));
        for (String bad : new String[] {"12h", "0d", "never", "-3d"}) {
            Path f = yaml("storage:\n  retention: \"" + bad + "\"\n");
            assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).as(bad)
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                            .satisfies(p -> assertThat(p).contains(f.toString()).contains("'storage.retention'")));
        }
    }

    @Test
    void givenReportLimits_whenLoaded_thenTheDefaultsOrTheFilesAreUsed_andAZeroRangeIsRefused() throws IOException {
        CtiConfig.Reports d = ConfigLoader.load(null, Map.of()).reports();
        assertThat(d.maxRangeQuarterHour()).isEqualTo(java.time.Duration.ofDays(93));
        assertThat(d.maxRangeHour()).isEqualTo(java.time.Duration.ofDays(400));
        assertThat(d.maxRangeDay()).isEqualTo(java.time.Duration.ofDays(3700));
        assertThat(ConfigLoader.load(yaml("reports:\n  max-range-15m: 31d\n"), Map.of()).reports().maxRangeQuarterHour())
                .isEqualTo(java.time.Duration.ofDays(31));
        Path f = yaml("reports:\n  max-range-hour: 0d\n  max-range-days: 3d\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("'reports.max-range-hour'"))
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'reports.max-range-days'")));
    }

    @Test
    void givenAMisspelledStorageKey_whenLoaded_thenItIsRefusedAsUnknown() throws IOException {
        Path f = yaml("storage:\n  pool_size: 8\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("unknown key 'storage.pool_size'");
    }
}
