package org.asteriskcti.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.asteriskcti.server.testsupport.ImageAsteriskConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Asterisk image's configuration is asterisk-config/, the files the live suite runs: its Dockerfile copies
 * them and nothing else, and the script it runs at every start (render-config.sh) leaves them byte for byte as
 * they are with no variable set, changes exactly the lines a variable names when one is set (a line the script
 * looks for that is gone from asterisk-config/ stops it, rather than keep a lab value silently), and refuses bad
 * values with the variable's name. ImageConfigIT runs a real Asterisk on the rendered files.
 */
class DockerAsteriskConfigTest {

    private static final Path ROOT = ImageAsteriskConfig.repoRoot();
    private static final Path CONFIG = ROOT.resolve("asterisk-config");

    @TempDir
    Path tmp;

    @Test
    void dockerfileCopiesAsteriskConfigAndTheEntrypointRendersFromIt() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("docker/asterisk/Dockerfile"));
        assertThat(dockerfile).contains("COPY asterisk-config/*.conf /usr/share/asterisk-cti/config/")
                .contains("COPY docker/asterisk/render-config.sh /usr/local/bin/asterisk-cti-render-config")
                .contains("COPY docker/asterisk/entrypoint.sh /usr/local/bin/asterisk-cti-entrypoint");
        // The only other COPY lines would bring configuration from elsewhere.
        assertThat(dockerfile.lines().filter(l -> l.startsWith("COPY"))).hasSize(3);
        String entrypoint = Files.readString(ROOT.resolve("docker/asterisk/entrypoint.sh"));
        assertThat(entrypoint).contains("/usr/local/bin/asterisk-cti-render-config /usr/share/asterisk-cti/config /etc/asterisk");
    }

    @Test
    void withNoVariableTheImageRunsExactlyAsteriskConfig() throws IOException {
        Path out = ImageAsteriskConfig.render(Map.of(), tmp.resolve("etc"));
        List<String> sources = confs(CONFIG);
        assertThat(confs(out)).isEqualTo(sources);
        assertThat(sources).contains("pjsip.conf", "manager.conf", "ari.conf", "extensions.conf", "http.conf", "rtp.conf");
        for (String f : sources) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(CONFIG.resolve(f)));
        }
    }

    @Test
    void everyVariableChangesExactlyItsLines() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("ASTERISK_BIND_ADDRESS", "0.0.0.0");
        env.put("AMI_PERMIT", "172.30.0.0/24");
        env.put("AMI_SECRET", "s3cret-ami");
        env.put("ARI_PASSWORD", "s3cret-ari");
        env.put("CTI_APP", "cti-prod");
        env.put("PHONE_HOST", "10.9.8.7");
        env.put("MEDIA_ADDRESS", "");
        env.put("EXTERNAL_ADDRESS", "203.0.113.5");
        env.put("LOCAL_NET", "172.30.0.0/24,10.0.0.0/8");
        env.put("RTP_START", "30000");
        env.put("RTP_END", "30199");
        Path out = ImageAsteriskConfig.render(env, tmp.resolve("etc"));

        assertThat(changes("manager.conf", out)).containsExactly(
                "bindaddr = 127.0.0.1 -> bindaddr = 0.0.0.0",
                "secret = cti-secret -> secret = s3cret-ami",
                "permit = 127.0.0.1/255.255.255.255 -> permit = 172.30.0.0/24");
        assertThat(changes("http.conf", out)).containsExactly("bindaddr = 127.0.0.1 -> bindaddr = 0.0.0.0");
        assertThat(changes("ari.conf", out)).containsExactly("password = cti-secret -> password = s3cret-ari");
        assertThat(changes("extensions.conf", out)).containsExactly("CTI_APP = cti -> CTI_APP = cti-prod");
        assertThat(changes("rtp.conf", out)).containsExactly("rtpstart = 20000 -> rtpstart = 30000", "rtpend = 21000 -> rtpend = 30199");
        String pjsip = Files.readString(out.resolve("pjsip.conf"));
        assertThat(pjsip).contains("bind = 0.0.0.0:5060\nexternal_media_address = 203.0.113.5\n"
                + "external_signaling_address = 203.0.113.5\nlocal_net = 172.30.0.0/24\nlocal_net = 10.0.0.0/8\n");
        assertThat(pjsip).doesNotContain("\nmedia_address =").doesNotContain("\nbind_rtp_to_media_address =")
                .doesNotContain("@127.0.0.1:").contains("contact = sip:1001@10.9.8.7:5071", "contact = sip:2002@10.9.8.7:5082");
        for (String untouched : List.of("queues.conf", "features.conf", "musiconhold.conf", "confbridge.conf", "modules.conf",
                "logger.conf", "voicemail.conf")) {
            assertThat(Files.readAllBytes(out.resolve(untouched))).as(untouched).isEqualTo(Files.readAllBytes(CONFIG.resolve(untouched)));
        }
    }

    @Test
    void labEndpointsNoRemovesEveryLabPhoneAndCustomerAndKeepsTheTemplatesAndTheInclude() throws IOException {
        Path out = ImageAsteriskConfig.render(Map.of("LAB_ENDPOINTS", "no"), tmp.resolve("etc"));
        String pjsip = Files.readString(out.resolve("pjsip.conf"));
        for (String lab : List.of("[1001]", "[1004]", "[1005]", "[1005-auth]", "[2001]", "[2002]", "lab-1005-loopback-only", "\ncontact =")) {
            assertThat(pjsip).as(lab).doesNotContain(lab);
        }
        assertThat(pjsip).contains("[transport-udp]", "[agent-endpoint](!,endpoint-common)", "[agent-aor](!)",
                "[trunk-endpoint](!,endpoint-common)", "#tryinclude \"pjsip.d/*.conf\"");
        assertThat(Files.readString(CONFIG.resolve("pjsip.conf"))).contains("[1001]", "[2002]");
    }

    @Test
    void badValuesAreRefusedWithTheVariablesName() {
        assertRefused(Map.of("CTI_APP", "my app"), "CTI_APP 'my app' must be letters");
        assertRefused(Map.of("RTP_START", "30000", "RTP_END", "20000"), "RTP range 30000-20000");
        assertRefused(Map.of("RTP_END", "many"), "RTP_START and RTP_END must be port numbers");
        assertRefused(Map.of("AMI_SECRET", "a|b"), "AMI_SECRET must not contain '|'");
        assertRefused(Map.of("ARI_PASSWORD", ""), "ARI_PASSWORD must not be empty");
        assertRefused(Map.of("LOCAL_NET", "10.0.0.0/8"), "LOCAL_NET is only used with EXTERNAL_ADDRESS");
        assertRefused(Map.of("LAB_ENDPOINTS", "maybe"), "LAB_ENDPOINTS must be yes or no");
    }

    @Test
    void aLineTheScriptReplacesThatIsGoneFromTheConfigurationStopsIt() throws IOException {
        // The script is run on a copy of asterisk-config/ whose manager.conf lost its lab bindaddr line.
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        for (String f : confs(CONFIG)) {
            Files.copy(CONFIG.resolve(f), src.resolve(f));
        }
        Files.writeString(src.resolve("manager.conf"), Files.readString(src.resolve("manager.conf")).replace("bindaddr = 127.0.0.1", "bindaddr = ::1"));
        ProcessBuilder pb = new ProcessBuilder("sh", ROOT.resolve("docker/asterisk/render-config.sh").toString(), src.toString(),
                tmp.resolve("out").toString()).redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(waitFor(p)).isEqualTo(2);
        assertThat(output).contains("manager.conf: expected exactly one line matching '^bindaddr = 127\\.0\\.0\\.1$', found 0");
    }

    private void assertRefused(Map<String, String> env, String message) {
        ImageAsteriskConfig.Result r = ImageAsteriskConfig.run(env, tmp.resolve("refused-" + env.hashCode()));
        assertThat(r.exitCode()).as(env.toString()).isEqualTo(2);
        assertThat(r.output()).as(env.toString()).contains(message);
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of {@code file} that differ, as "old -> new", in order (the files must have as many lines). */
    private static List<String> changes(String file, Path out) throws IOException {
        List<String> a = Files.readAllLines(CONFIG.resolve(file));
        List<String> b = Files.readAllLines(out.resolve(file));
        assertThat(b).as(file + " line count").hasSameSizeAs(a);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed.add(a.get(i) + " -> " + b.get(i));
            }
        }
        return changed;
    }

    private static List<String> confs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted().toList();
        }
    }
}
