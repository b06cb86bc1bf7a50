package org.asteriskcti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history section: its default, overrides, and errors that name the key. */
class HistoryConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void givenNoFile_whenLoaded_thenFiftyCallsPerAgent() {
        assertThat(ConfigLoader.load(null, Map.of()).history().perAgent()).isEqualTo(50);
    }

    @Test
    void givenAFileOrTheEnvironment_whenLoaded_thenTheirValueIsUsedTheEnvironmentLast() throws IOException {
        Path f = yaml("history:\n  per-agent: 200\n");
        assertThat(ConfigLoader.load(f, Map.of()).history().perAgent()).isEqualTo(200);
        assertThat(ConfigLoader.load(f, Map.of("CTI_HISTORY_PER_AGENT", "1")).history().perAgent()).isEqualTo(1);
        assertThat(ConfigLoader.load(null, Map.of("CTI_HISTORY_PER_AGENT", "1000")).history().perAgent()).isEqualTo(1000);
    }

    @Test
    void givenAValueOutside1To1000OrNotANumber_whenLoaded_thenOneErrorNamingTheKeyAndWhereItCameFrom() throws IOException {
        Path f = yaml("history:\n  per-agent: 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains(f.toString()).contains("key 'history.per-agent'")
                                .contains("between 1 and 1000").contains("got 0")));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_HISTORY_PER_AGENT", "1001")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains("environment variable CTI_HISTORY_PER_AGENT")
                                .contains("key 'history.per-agent'").contains("got 1001")));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_HISTORY_PER_AGENT", "lots")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains("key 'history.per-agent'").contains("whole number")));
    }

    @Test
    void givenAnUnknownKeyInTheSection_whenLoaded_thenItIsReported() throws IOException {
        Path f = yaml("history:\n  per-agnet: 20\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'history.per-agnet'")));
    }
}
