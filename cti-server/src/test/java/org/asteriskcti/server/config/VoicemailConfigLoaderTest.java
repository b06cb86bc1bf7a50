package org.asteriskcti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The voicemail section: its defaults, overrides, and errors that name the key. */
class VoicemailConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, text);
        return f;
    }

    private void refused(String text, String key, String says) throws IOException {
        Path f = yaml(text);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).as(text)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains(f.toString()).contains("key '" + key + "'").contains(says)));
    }

    @Test
    void givenNoFile_whenLoaded_thenThreeMinutesOneSecondTenSecondsOfSilenceAndAsterisksSounds() {
        CtiConfig.Voicemail v = ConfigLoader.load(null, Map.of()).voicemail();

        assertThat(v.maxDuration()).isEqualTo(Duration.ofMinutes(3));
        assertThat(v.minDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(v.maxSilence()).isEqualTo(Duration.ofSeconds(10));
        assertThat(v.greeting()).containsExactly("vm-intro");
        assertThat(v.thanks()).containsExactly("vm-msgsaved", "vm-goodbye");
    }

    @Test
    void givenAFileOrTheEnvironment_whenLoaded_thenTheirValuesAreUsed() throws IOException {
        Path f = yaml("voicemail:\n  max-duration: 60s\n  min-duration: 0s\n  max-silence: 0s\n"
                + "  greeting: [custom/acme-closed, vm-intro]\n  thanks: [auth-thankyou]\n");
        CtiConfig.Voicemail v = ConfigLoader.load(f, Map.of()).voicemail();

        assertThat(v.maxDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(v.minDuration()).isZero();
        assertThat(v.maxSilence()).isZero();
        assertThat(v.greeting()).containsExactly("custom/acme-closed", "vm-intro");
        assertThat(v.thanks()).isEqualTo(List.of("auth-thankyou"));
        assertThat(ConfigLoader.load(f, Map.of("CTI_VOICEMAIL_MAX_DURATION", "2m")).voicemail().maxDuration())
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void givenBadValues_whenLoaded_thenEachErrorNamesItsKey() throws IOException {
        refused("voicemail:\n  max-duration: 2s\n", "voicemail.max-duration", "between 5s and 3600s");
        refused("voicemail:\n  max-duration: 90500ms\n", "voicemail.max-duration", "whole seconds");
        refused("voicemail:\n  max-silence: 1500ms\n", "voicemail.max-silence", "whole seconds");
        refused("voicemail:\n  max-duration: 30s\n  min-duration: 30s\n", "voicemail.min-duration",
                "shorter than max-duration (30s)");
        refused("voicemail:\n  greeting: []\n", "voicemail.greeting", "at least one sound");
        refused("voicemail:\n  thanks: [\"vm-msgsaved,beep\"]\n", "voicemail.thanks", "got 'vm-msgsaved,beep'");
        refused("voicemail:\n  max-duraton: 60s\n", "voicemail.max-duraton", "unknown key");
    }
}
