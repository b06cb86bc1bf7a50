package org.asteriskcti.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.recording.RecordingPolicies;
import org.asteriskcti.server.recording.RecordingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tenants[].recording.policy} and {@code queues[].recording.policy}: binding, defaults, errors naming the key. */
class RecordingConfigLoaderTest {

    @TempDir
    Path dir;

    private CtiConfig load(String text) throws IOException {
        Path f = dir.resolve("cti.yaml");
        Files.writeString(f, text);
        return ConfigLoader.load(f, Map.of());
    }

    private static final String TWO_TENANTS = """
            tenants:
              - {id: acme, endpoints: ["2001"], recording: {policy: always}}
              - {id: other, endpoints: ["3001"]}
            agents: []
            users: []
            queues:
              - {id: sales, tenant: acme}
              - {id: health, tenant: acme, recording: {policy: never}}
              - {id: o-q, tenant: other, recording: {policy: on-demand}}
            """;

    @Test
    void givenNoFile_whenLoaded_thenTheDemoTenantRecordsOnDemand() {
        CtiConfig c = ConfigLoader.load(null, Map.of());

        assertThat(c.tenants().get(0).recording()).isEqualTo(CtiConfig.RecordingPolicy.ON_DEMAND);
        assertThat(c.queues()).allSatisfy(q -> assertThat(q.recording()).isEmpty());
    }

    @Test
    void givenTenantAndQueuePolicies_whenLoaded_thenQueuesOverrideTheirTenantAndAbsentMeansOnDemand() throws IOException {
        RecordingPolicies p = RecordingPolicies.from(load(TWO_TENANTS));

        assertThat(p.policyFor(TenantId.of("acme"), Optional.empty())).isEqualTo(RecordingPolicy.ALWAYS);
        assertThat(p.policyFor(TenantId.of("acme"), Optional.of(QueueId.of("sales")))).isEqualTo(RecordingPolicy.ALWAYS);
        assertThat(p.policyFor(TenantId.of("acme"), Optional.of(QueueId.of("health")))).isEqualTo(RecordingPolicy.NEVER);
        assertThat(p.policyFor(TenantId.of("other"), Optional.empty())).isEqualTo(RecordingPolicy.ON_DEMAND);
        assertThat(p.policyFor(TenantId.of("other"), Optional.of(QueueId.of("o-q")))).isEqualTo(RecordingPolicy.ON_DEMAND);
    }

    @Test
    void givenBadRecordingKeys_whenLoaded_thenEachProblemNamesItsKey() {
        String bad = TWO_TENANTS.replace("recording: {policy: always}", "recording: {policy: sometimes}")
                .replace("recording: {policy: never}", "recording: {policy: never, keep: 30d}")
                .replace("recording: {policy: on-demand}", "recording: {}");

        assertThatThrownBy(() -> load(bad)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .anySatisfy(m -> assertThat(m).contains("key 'tenants[0].recording.policy' must be one of")
                        .contains("got 'sometimes'"))
                .anySatisfy(m -> assertThat(m).contains("unknown key 'queues[1].recording.keep'"))
                .anySatisfy(m -> assertThat(m).contains("key 'queues[2].recording.policy' is required")));
    }
}
