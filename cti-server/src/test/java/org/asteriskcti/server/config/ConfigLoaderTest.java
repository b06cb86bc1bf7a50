package org.asteriskcti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void givenNoFile_whenLoaded_thenTheCommentedDefaultsApply() {
        CtiConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.ami().port()).isEqualTo(5038);
        assertThat(c.ami().pingInterval().plus(c.ami().pingTimeout())).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(c.ari().app()).isEqualTo("cti");
        assertThat(c.ari().url().toString()).isEqualTo("http://127.0.0.1:8088/ari");
        assertThat(c.tenants()).extracting(CtiConfig.Tenant::id).containsExactly("demo");
        assertThat(c.users()).extracting(CtiConfig.User::username).containsExactly("demo1001", "demo1005", "supervisor");
    }

    @Test
    void givenAFile_whenItSetsSomeKeys_thenOnlyThoseChange() throws IOException {
        CtiConfig c = ConfigLoader.load(yaml("http:\n  port: 9090\nasterisk:\n  ami:\n    host: 10.0.0.5\n"), Map.of());
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.ami().host()).isEqualTo("10.0.0.5");
        assertThat(c.ami().username()).isEqualTo("cti");
    }

    @Test
    void givenEnvironmentVariables_whenLoaded_thenTheyOverrideTheFile() throws IOException {
        CtiConfig c = ConfigLoader.load(yaml("http:\n  port: 9090\n"), Map.of(
                "CTI_HTTP_PORT", "7070",
                "CTI_ASTERISK_ARI_APP", "cti-b",
                "CTI_CLIENT_API_REPLAY_BUFFER", "50",
                "PATH", "/usr/bin"));
        assertThat(c.http().port()).isEqualTo(7070);
        assertThat(c.ari().app()).isEqualTo("cti-b");
        assertThat(c.clientApi().replayBuffer()).isEqualTo(50);
    }

    @Test
    void givenAListInAnEnvironmentVariable_whenLoaded_thenItIsParsedAsYaml() {
        CtiConfig c = ConfigLoader.load(null, Map.of(
                "CTI_TENANTS", "[{id: acme, name: Acme, endpoints: ['3001'], dids: ['+8621555']}]",
                "CTI_AGENTS", "[]",
                "CTI_USERS", "[]",
                "CTI_QUEUES", "[]"));
        assertThat(c.tenants()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("acme");
            assertThat(t.dids()).containsExactly("+8621555");
        });
    }

    @Test
    void givenAnUnknownKey_whenLoaded_thenTheErrorNamesTheFileAndKey() throws IOException {
        Path f = yaml("http:\n  prot: 9090\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("unknown key 'http.prot'");
    }

    @Test
    void givenBadValues_whenLoaded_thenEveryProblemIsReportedWithItsKey() throws IOException {
        Path f = yaml("http:\n  port: seventy\nasterisk:\n  ami:\n    ping-interval: 4 parsecs\n  ari:\n    url: ftp://x\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).contains("'http.port'").contains("whole number").contains("seventy"))
                        .anySatisfy(p -> assertThat(p).contains("'asterisk.ami.ping-interval'").contains("duration"))
                        .anySatisfy(p -> assertThat(p).contains("'asterisk.ari.url'").contains("http(s) URL")));
    }

    @Test
    void givenABadEnvironmentValue_whenLoaded_thenTheErrorNamesTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_HTTP_PORT", "70000")))
                .hasMessageContaining("environment variable CTI_HTTP_PORT")
                .hasMessageContaining("'http.port' must be between 0 and 65535");
    }

    @Test
    void givenAnEnvironmentVariableNamingNoKey_whenLoaded_thenItIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_HTTP_PROT", "1")))
                .hasMessageContaining("CTI_HTTP_PROT: names no configuration key");
    }

    @Test
    void givenInconsistentTenants_whenLoaded_thenCrossReferencesAreChecked() throws IOException {
        Path f = yaml("""
                tenants:
                  - {id: a, endpoints: ["1001"], dids: ["600"]}
                  - {id: b, endpoints: ["1001"], dids: ["700"]}
                agents:
                  - {id: x, tenant: c, endpoint: PJSIP/1001}
                users:
                  - {username: u, tenant: b, role: agent, agent: x, password-hash: plaintext}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("endpoint '1001' already belongs to tenant 'a'"))
                        .anySatisfy(p -> assertThat(p).contains("'agents[0].tenant'").contains("unknown tenant 'c'"))
                        .anySatisfy(p -> assertThat(p).contains("'users[0].password-hash'").contains("not a plain password")));
    }

    @Test
    void givenTheDefaults_thenTheDemoSupervisorHasAPhone_andTheDemoAgentUsersNone() {
        CtiConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.users()).extracting(CtiConfig.User::endpoint).containsExactly(null, null, "PJSIP/1004");
    }

    @Test
    void givenAUsersPhoneThatIsNoDeviceOrAnotherTenants_whenLoaded_thenEachIsRejectedNamingTheKey() throws IOException {
        String hash = "\"$argon2id$v=19$m=19456,t=2,p=1$vYKIDG0sQ3F2OnHaCRdToA$wQzAzimVFohEEiVAXUUrjB6nggH3Q6PZAdFk8+lVt8Y\"";
        Path f = yaml("""
                tenants:
                  - {id: a, endpoints: ["1001"]}
                  - {id: b, endpoints: ["2001"]}
                agents: []
                queues: []
                users:
                  - {username: s1, tenant: a, role: supervisor, endpoint: "1001", password-hash: %1$s}
                  - {username: s2, tenant: a, role: supervisor, endpoint: PJSIP/2001, password-hash: %1$s}
                  - {username: s3, tenant: b, role: supervisor, endpoint: PJSIP/2001, password-hash: %1$s}
                """.formatted(hash));
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("'users[0].endpoint'").contains("must be a device like PJSIP/1004"))
                        .anySatisfy(p -> assertThat(p).contains("'users[1].endpoint'").contains("belongs to tenant 'b', not 'a'"))
                        .noneSatisfy(p -> assertThat(p).contains("users[2]")));
    }

    @Test
    void givenInvalidYaml_whenLoaded_thenTheLineIsNamed() throws IOException {
        Path f = yaml("http:\n  port: [1,\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("not valid YAML at line");
    }

    @Test
    void givenAMissingFile_whenLoaded_thenItSaysSo() {
        Path f = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("configuration file not found");
    }

    @Test
    void givenATooShortTokenSecret_whenLoaded_thenRejected() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("CTI_AUTH_TOKEN_SECRET", "short")))
                .hasMessageContaining("'auth.token-secret'").hasMessageContaining("at least 32");
    }

    @Test
    void envNamesFollowThePath() {
        assertThat(ConfigLoader.envName("asterisk.ami.ping-interval")).isEqualTo("CTI_ASTERISK_AMI_PING_INTERVAL");
    }
}
