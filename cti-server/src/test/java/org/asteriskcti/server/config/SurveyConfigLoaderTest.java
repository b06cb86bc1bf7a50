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

/** {@code queues[].survey}: enabled by its presence, defaults, and errors naming the key. */
class SurveyConfigLoaderTest {

    @TempDir
    Path dir;

    private CtiConfig load(String queues) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, """
                tenants:
                  - {id: acme, endpoints: ["2001"]}
                agents: []
                users: []
                queues:
                """ + queues);
        return ConfigLoader.load(f, Map.of());
    }

    private static List<String> problems(ThrowingLoad l) {
        try {
            l.run();
        } catch (ConfigException e) {
            return e.problems();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the configuration was accepted");
    }

    @FunctionalInterface
    private interface ThrowingLoad {
        void run() throws IOException;
    }

    @Test
    void givenAQueueWithoutSurvey_whenLoaded_thenItHasNone() throws IOException {
        CtiConfig c = load("  - {id: sales, tenant: acme}\n");

        assertThat(c.queues().get(0).survey()).isEmpty();
    }

    @Test
    void givenOnlyAQuestion_whenLoaded_thenTheOtherKeysTakeTheirDefaultsAndBareNamesAreSounds() throws IOException {
        CtiConfig c = load("  - {id: sales, tenant: acme, survey: {question: rate-us}}\n");

        CtiConfig.Survey s = c.queues().get(0).survey().orElseThrow();
        assertThat(s.question()).containsExactly("sound:rate-us");
        assertThat(s.invalid()).isEmpty();
        assertThat(s.thanks()).isEmpty();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.retries()).isEqualTo(1);
    }

    @Test
    void givenEveryKey_whenLoaded_thenEachIsTaken() throws IOException {
        CtiConfig c = load("""
                  - id: sales
                    tenant: acme
                    survey:
                      question: [sound:custom/rate-us, digits:12345, "number:5"]
                      invalid: pm-invalid-option
                      thanks: [auth-thankyou, sound:vm-goodbye]
                      timeout: 8s
                      retries: 0
                """);

        CtiConfig.Survey s = c.queues().get(0).survey().orElseThrow();
        assertThat(s.question()).containsExactly("sound:custom/rate-us", "digits:12345", "number:5");
        assertThat(s.invalid()).containsExactly("sound:pm-invalid-option");
        assertThat(s.thanks()).containsExactly("sound:auth-thankyou", "sound:vm-goodbye");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(s.retries()).isZero();
    }

    @Test
    void givenTheDemoConfiguration_whenLoaded_thenTheSupportQueueHasASurveyOfStockSounds() {
        CtiConfig c = ConfigLoader.load(null, Map.of());

        CtiConfig.Survey s = c.queues().stream().filter(q -> q.id().equals("support")).findFirst().orElseThrow()
                .survey().orElseThrow();
        assertThat(s.question()).containsExactly("sound:vm-press", "digits:12345");
        assertThat(s.thanks()).containsExactly("sound:auth-thankyou", "sound:vm-goodbye");
    }

    @Test
    void givenBadSurveyKeys_whenLoaded_thenEachProblemNamesItsKey() {
        List<String> p = problems(() -> load("""
                  - {id: q0, tenant: acme, survey: {invalid: beep}}
                  - {id: q1, tenant: acme, survey: {question: []}}
                  - {id: q2, tenant: acme, survey: {question: [beep, "tone:440", "digits:12a", "sound:../etc/passwd"]}}
                  - {id: q3, tenant: acme, survey: {question: beep, timeout: 0s, retries: 9, colour: blue}}
                  - {id: q4, tenant: acme, survey: {question: beep, timeout: 2m, retries: -1, thanks: {a: b}}}
                  - {id: q5, tenant: acme, survey: yes}
                """));

        assertThat(p).anySatisfy(m -> assertThat(m).contains("key 'queues[0].survey.question' is required"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[1].survey.question' must name at least one prompt"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[2].survey.question[1]' must be a prompt")
                        .contains("got 'tone:440'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[2].survey.question[2]'").contains("got 'digits:12a'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[2].survey.question[3]'").contains("../etc/passwd"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[3].survey.timeout'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[3].survey.retries'"))
                .anySatisfy(m -> assertThat(m).contains("unknown key 'queues[3].survey.colour'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[4].survey.timeout'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[4].survey.retries'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[4].survey.thanks' must be a list"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[5].survey' must be a mapping"));
        assertThat(p).noneMatch(m -> m.contains("queues[2].survey.question[0]"));
    }
}
