package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.asteriskcti.server.testsupport.DashboardMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8: the configuration the Asterisk image runs, on a real Asterisk. asterisk-config/ is rendered by the
 * image's own docker/asterisk/render-config.sh with the variables a deployment sets (secrets of its own, another
 * Stasis application name, an RTP range, NAT addresses) plus a phone and a dialplan context in the included
 * pjsip.d/ and extensions.d/ directories, as the compose stack mounts them. A CTI configured only through the
 * environment, as the CTI image is, connects over AMI and ARI with those secrets, a customer's call to DID 700
 * reaches the renamed Stasis application, the ACD and agent-1001's phone, Asterisk applied the RTP range and the
 * NAT settings, and every metric the Grafana dashboard queries is in this CTI's /metrics.
 */
class ImageConfigIT {

    private static final String AMI_SECRET = "image-ami-" + UUID.randomUUID();
    private static final String ARI_PASSWORD = "image-ari-" + UUID.randomUUID();
    private static final String APP = "cti-image";

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt(Map.of(
            "AMI_SECRET", AMI_SECRET,
            "ARI_PASSWORD", ARI_PASSWORD,
            "CTI_APP", APP,
            "RTP_START", "24000",
            "RTP_END", "24999",
            "EXTERNAL_ADDRESS", "127.0.0.1",
            "LOCAL_NET", "127.0.0.0/8"), Map.of(
            "pjsip.d/acme-phones.conf", String.join("\n",
                    "[3001](agent-endpoint)",
                    "callerid = \"Acme Agent\" <3001>",
                    "aors = 3001",
                    "auth = 3001",
                    "[3001]",
                    "type = auth",
                    "auth_type = userpass",
                    "username = 3001",
                    "password = image-it-3001-password",
                    "[3001](agent-aor)",
                    ""),
            "extensions.d/acme.conf", String.join("\n",
                    "[outbound-acme]",
                    "exten => _X.,1,NoOp(acme outbound ${EXTEN})",
                    " same => n,Hangup()",
                    "")));

    private static final String YAML = "queues:\n  - id: support\n    tenant: demo\n    wrap-up: 0s\n"
            + "    announce-period: 0s\n    overflow: {message: all-circuits-busy-now}\n";

    @Test
    void aCtiConfiguredThroughTheEnvironmentRunsCallsOnTheImagesConfiguration() throws IOException {
        // Asterisk took the rendered files and the included ones.
        assertThat(env.asterisk().rx("pjsip show endpoint 3001")).contains("3001").doesNotContain("Unable to find object");
        assertThat(env.asterisk().rx("dialplan show outbound-acme")).contains("acme outbound");
        assertThat(env.asterisk().rx("pjsip show transport transport-udp")).containsPattern("external_media_address\\s*:\\s*127\\.0\\.0\\.1")
                .containsPattern("external_signaling_address\\s*:\\s*127\\.0\\.0\\.1").containsPattern("local_net\\s*:\\s*127\\.0\\.0\\.0");
        assertThat(env.asterisk().rx("rtp show settings")).containsPattern("Port start:\\s*24000").containsPattern("Port end:\\s*24999");
        assertThat(env.asterisk().rx("dialplan show globals")).contains("CTI_APP=" + APP);

        Path dir = env.workDir().resolve("image-cti");
        int port = CtiProcess.freePort();
        Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(200), 1);
        try (CtiProcess cti = CtiProcess.start(dir, port, YAML, "cti", Map.of(
                "CTI_ASTERISK_AMI_SECRET", AMI_SECRET,
                "CTI_ASTERISK_ARI_PASSWORD", ARI_PASSWORD,
                "CTI_ASTERISK_ARI_APP", APP))) {
            cti.awaitUp();
            CtiClient supervisor = CtiClient.login(cti.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 READY", () -> loginReady(supervisor), cti::tail);
            Sipp.Phone customer = env.sipp().customerCalling("2001", "700", Duration.ofSeconds(6));
            CtiIt.within(CtiIt.CALL_BOUND, "agent-1001 ON_CALL", () -> "ON_CALL".equals(
                    supervisor.get("/api/v1/agents/agent-1001").path("acd").path("state").asText()), cti::tail);
            // The customer's channel is in the renamed Stasis application, its RTP in the image's range.
            String channels = env.asterisk().rx("core show channels concise");
            assertThat(channels).contains("Stasis!" + APP);
            assertThat(udpPortsInUse()).as("UDP ports bound during the call").anyMatch(p -> p >= 24000 && p <= 24999)
                    .noneMatch(p -> p >= 20000 && p <= 21000);
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            CtiIt.within(CtiIt.CALL_BOUND, "the call answered and completed", () -> supervisor.get("/api/v1/queues/support")
                    .path("stats").path("today").path("completed").asInt() == 1, cti::tail);
            assertThat(supervisor.get("/api/v1/queues/support").path("stats").path("today").path("answered").asInt()).isEqualTo(1);

            // Every metric the compose stack's Grafana dashboard queries is in this CTI's /metrics.
            JsonNode dashboard = new ObjectMapper().readTree(Files.readString(ItPaths.repoRoot().resolve("docker/grafana/dashboards/cti.json")));
            // (jvm_gc_pause_seconds has a series from the first collection after the start: one is asked for.)
            cti.requestGc();
            CtiIt.within(Duration.ofSeconds(10), "the dashboard's metrics in /metrics",
                    () -> DashboardMetrics.problems(dashboard, CtiClient.metrics(cti.base())).isEmpty(),
                    () -> DashboardMetrics.problems(dashboard, CtiClient.metrics(cti.base())).toString());
            String metrics = CtiClient.metrics(cti.base());
            assertThat(metrics).contains("cti_asterisk_link_up{interface=\"ami\"} 1.0").contains("cti_asterisk_link_up{interface=\"ari\"} 1.0");
        }
    }

    /** The local ports of the UDP sockets bound on this machine (ss), e.g. Asterisk's RTP during a call. */
    private static java.util.List<Integer> udpPortsInUse() throws IOException {
        Process p = new ProcessBuilder("ss", "-Hunla").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<Integer> ports = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S+:(\\d+)\\s+\\S+:\\S+").matcher(out);
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        return ports;
    }

    private static boolean loginReady(CtiClient supervisor) {
        try {
            supervisor.post("/api/v1/agents/agent-1001/login", "{\"ready\": true}");
            return true;
        } catch (AssertionError e) {
            return false; // phone not yet seen online: try again
        }
    }
}
