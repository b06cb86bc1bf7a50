package org.asteriskcti.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.Main;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.testsupport.DashboardMetrics;
import org.asteriskcti.server.testsupport.ImageAsteriskConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be checked of docker/ on a machine without a Docker engine: the compose file validates (Debian's
 * docker-compose, which needs no engine), no secret is in a file or an image, start order and healthchecks,
 * every mounted file and build input exists, the CTI and Asterisk services agree on secrets, names and ports,
 * the CTI service's whole configuration (image ENV + compose environment + the mounted cti.yaml and IVR flows)
 * passes the server's own --check-config, every Prometheus target is a compose service on the port that
 * service serves, and every metric the Grafana dashboard queries is in the server's /metrics.
 */
class DockerFilesTest {

    private static final Path ROOT = ImageAsteriskConfig.repoRoot();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\\?)([^}]*))?\\}");
    /** The variables .env.example leaves for the admin to fill in, and what this test fills them with. */
    private static final Map<String, String> REQUIRED = Map.of(
            "POSTGRES_PASSWORD", "test-db-password",
            "AMI_SECRET", "test-ami-secret",
            "ARI_PASSWORD", "test-ari-password",
            "GRAFANA_ADMIN_PASSWORD", "test-grafana-password",
            "EXTERNAL_ADDRESS", "192.0.2.10");

    @TempDir
    Path tmp;

    // ---- the compose file ------------------------------------------------------------------------

    @Test
    void composeFileValidatesWithDockerCompose() throws Exception {
        Optional<Path> tool = onPath("docker-compose");
        Assumptions.assumeTrue(tool.isPresent(), "skipped: no docker-compose on the PATH (Debian package docker-compose)");
        Path env = tmp.resolve("env");
        Files.writeString(env, envFile(filledEnv()));
        Run ok = run(List.of(tool.get().toString(), "--env-file", env.toString(), "-f", DOCKER.resolve("compose.yaml").toString(),
                "config", "-q"));
        assertThat(ok.exit()).as(ok.output()).isZero();

        for (String secret : REQUIRED.keySet()) {
            Map<String, String> missing = new LinkedHashMap<>(filledEnv());
            missing.put(secret, "");
            Files.writeString(env, envFile(missing));
            Run refused = run(List.of(tool.get().toString(), "--env-file", env.toString(), "-f",
                    DOCKER.resolve("compose.yaml").toString(), "config", "-q"));
            assertThat(refused.exit()).as(secret).isNotZero();
            assertThat(refused.output()).as(secret).contains("set " + secret + " in docker/.env");
        }
    }

    @Test
    void noSecretIsInTheComposeFileTheEnvExampleOrAnImage() throws IOException {
        Map<String, String> example = envExample();
        for (String k : REQUIRED.keySet()) {
            assertThat(example).as(".env.example " + k).containsEntry(k, "");
        }
        assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("docker/.env");
        assertThat(Files.readString(ROOT.resolve(".gitignore")) + Files.readString(DOCKER.resolve(".gitignore")))
                .contains(".env");
        Pattern secretKey = Pattern.compile("(?i).*(secret|password).*");
        JsonNode services = YAML.readTree(Files.readString(DOCKER.resolve("compose.yaml"))).path("services");
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> e = s.getValue().path("environment").fields(); e.hasNext(); ) {
                Map.Entry<String, JsonNode> v = e.next();
                if (secretKey.matcher(v.getKey()).matches()) {
                    assertThat(v.getValue().asText()).as(s.getKey() + " " + v.getKey()).startsWith("${").endsWith("}");
                }
            }
        }
        for (String dockerfile : List.of("asterisk/Dockerfile", "cti-server/Dockerfile")) {
            for (String line : Files.readAllLines(DOCKER.resolve(dockerfile))) {
                if (line.startsWith("ENV") || line.startsWith("    ") && line.contains("=")) {
                    assertThat(line).as(dockerfile).doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("password");
                }
            }
        }
    }

    @Test
    void servicesStartInOrderWithHealthchecksAndKeepTheirDataOnNamedVolumes() throws IOException {
        JsonNode c = compose();
        JsonNode s = c.path("services");
        assertThat(s.path("cti-server").path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(s.path("cti-server").path("depends_on").path("asterisk").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(s.path("prometheus").path("depends_on").has("cti-server")).isTrue();
        assertThat(s.path("grafana").path("depends_on").path("prometheus").path("condition").asText()).isEqualTo("service_healthy");
        for (String svc : List.of("postgres", "prometheus", "grafana")) {
            assertThat(s.path(svc).path("healthcheck").path("test").isMissingNode()).as(svc + " healthcheck").isFalse();
        }
        assertThat(Files.readString(DOCKER.resolve("asterisk/Dockerfile"))).contains("HEALTHCHECK");
        assertThat(Files.readString(DOCKER.resolve("cti-server/Dockerfile"))).contains("HEALTHCHECK").contains("USER cti");
        assertThat(Files.readString(DOCKER.resolve("cti-server/healthcheck.sh"))).contains("/health");

        assertThat(volumes(s, "postgres")).containsEntry("/var/lib/postgresql/data", "db");
        assertThat(volumes(s, "asterisk")).containsEntry("/var/spool/asterisk/recording", "recordings")
                .containsEntry("/var/spool/asterisk/voicemail", "voicemail");
        assertThat(volumes(s, "cti-server")).containsEntry("/var/lib/cti", "cti-data");
        for (String named : List.of("db", "recordings", "voicemail", "cti-data", "prometheus-data", "grafana-data")) {
            assertThat(c.path("volumes").has(named)).as("named volume " + named).isTrue();
        }
    }

    @Test
    void everyMountedFileAndEveryBuildInputExists() throws IOException {
        JsonNode s = compose().path("services");
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> svc = it.next();
            for (Map.Entry<String, String> v : volumes(s, svc.getKey()).entrySet()) {
                if (v.getValue().startsWith(".")) {
                    assertThat(DOCKER.resolve(v.getValue()).normalize()).as(svc.getKey() + " mount of " + v.getKey()).exists();
                }
            }
            JsonNode build = svc.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = DOCKER.resolve(build.path("context").asText()).normalize();
                Path dockerfile = context.resolve(build.path("dockerfile").asText());
                assertThat(dockerfile).exists();
                for (String line : Files.readAllLines(dockerfile)) {
                    if (line.startsWith("COPY ") && !line.startsWith("COPY --from")) {
                        String[] parts = line.substring(5).trim().split("\\s+");
                        for (int i = 0; i < parts.length - 1; i++) {
                            String src = parts[i].replace("/*.conf", "");
                            assertThat(context.resolve(src)).as(dockerfile + ": " + line).exists();
                        }
                    }
                }
            }
        }
    }

    @Test
    void theCtiAndAsteriskServicesAgreeOnSecretsNamesAndPorts() throws IOException {
        JsonNode s = compose().path("services");
        Map<String, String> cti = environment(s, "cti-server");
        Map<String, String> ast = environment(s, "asterisk");
        Map<String, String> db = environment(s, "postgres");
        assertThat(cti.get("CTI_ASTERISK_AMI_SECRET")).isEqualTo(ast.get("AMI_SECRET")).isEqualTo(REQUIRED.get("AMI_SECRET"));
        assertThat(cti.get("CTI_ASTERISK_ARI_PASSWORD")).isEqualTo(ast.get("ARI_PASSWORD")).isEqualTo(REQUIRED.get("ARI_PASSWORD"));
        assertThat(cti.get("CTI_ASTERISK_ARI_APP")).isEqualTo(ast.get("CTI_APP"));
        assertThat(cti.get("CTI_ASTERISK_AMI_HOST")).isEqualTo("asterisk");
        assertThat(s.has("asterisk")).isTrue();
        String httpConf = Files.readString(ROOT.resolve("asterisk-config/http.conf"));
        assertThat(httpConf).containsPattern("(?m)^bindport = 8088$");
        assertThat(cti.get("CTI_ASTERISK_ARI_URL")).isEqualTo("http://asterisk:8088/ari");
        assertThat(Files.readString(ROOT.resolve("asterisk-config/manager.conf"))).containsPattern("(?m)^port = 5038$");
        assertThat(ast.get("AMI_PERMIT")).isEqualTo(compose().path("networks").path("cti").path("ipam").path("config").get(0)
                .path("subnet").asText());
        assertThat(ast.get("LAB_ENDPOINTS")).isEqualTo("no");
        assertThat(cti.get("CTI_STORAGE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + db.get("POSTGRES_DB"));
        assertThat(cti.get("CTI_STORAGE_USERNAME")).isEqualTo(db.get("POSTGRES_USER"));
        assertThat(cti.get("CTI_STORAGE_PASSWORD")).isEqualTo(db.get("POSTGRES_PASSWORD")).isEqualTo(REQUIRED.get("POSTGRES_PASSWORD"));
        // The directory Asterisk plays the tenants' prompts from is the one the CTI reads the flows from.
        assertThat(volumes(s, "asterisk")).containsKey(cti.get("CTI_IVR_ASTERISK_DIR"));
        assertThat(volumes(s, "asterisk").get(cti.get("CTI_IVR_ASTERISK_DIR"))).isEqualTo(volumes(s, "cti-server").get(cti.get("CTI_IVR_DIR")));
        // The Asterisk image renders what the stack asks for without complaint.
        Map<String, String> astEnv = new HashMap<>(ast);
        ImageAsteriskConfig.render(astEnv, tmp.resolve("asterisk-etc"));
        String pjsip = Files.readString(tmp.resolve("asterisk-etc/pjsip.conf"));
        assertThat(pjsip).contains("external_media_address = " + REQUIRED.get("EXTERNAL_ADDRESS")).doesNotContain("[1001]");
        assertThat(Files.readString(tmp.resolve("asterisk-etc/rtp.conf"))).contains("rtpstart = " + ast.get("RTP_START"))
                .contains("rtpend = " + ast.get("RTP_END"));
        assertThat(s.path("asterisk").path("ports").toString()).contains(ast.get("RTP_START") + "-" + ast.get("RTP_END"));
    }

    @Test
    void theCtiServicesConfigurationPassesCheckConfigAndABrokenOneIsRefusedWithFileAndKey() throws IOException {
        Map<String, String> env = ctiContainerEnvironment();
        Output ok = main(env);
        assertThat(ok.exit()).as(ok.text()).isZero();
        assertThat(ok.text()).contains("configuration OK: " + DOCKER.resolve("cti/cti.yaml")).contains("IVR flow");

        Path broken = tmp.resolve("cti.yaml");
        Files.writeString(broken, Files.readString(DOCKER.resolve("cti/cti.yaml")) + "\nhttp:\n  prot: 1\n");
        env.put("CTI_CONFIG", broken.toString());
        Output refused = main(env);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.text()).contains(broken + ": unknown key 'http.prot'");
        // The image's entrypoint runs the check before the server and stops on its exit code.
        String entrypoint = Files.readString(DOCKER.resolve("cti-server/entrypoint.sh"));
        assertThat(entrypoint).contains("--check-config \"$@\"").contains("exit 2").contains("CTI_CONFIG=/etc/cti/cti.yaml");
    }

    @Test
    void theCtiImagesEntrypointChecksTheConfigurationFirstAndStartsTheServerOnlyWhenItPasses() throws Exception {
        // A stand-in for java on the PATH: logs its arguments, and fails --check-config when told to.
        Path bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        Path log = tmp.resolve("java.log");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> " + log + "\n"
                + "case \"$*\" in *--check-config*) [ -n \"$FAIL_CHECK\" ] && { echo 'configuration error: x' >&2; exit 2; } ;; esac\nexit 0\n");
        java.toFile().setExecutable(true);
        String entrypoint = DOCKER.resolve("cti-server/entrypoint.sh").toString();
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "JAVA_OPTS", "-Xmx64m", "CTI_JAR", "/x/cti.jar");

        Run started = run(List.of("sh", entrypoint, "--config", "/etc/cti/other.yaml"), env);
        assertThat(started.exit()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                "-Xmx64m -jar /x/cti.jar --check-config --config /etc/cti/other.yaml",
                "-Xmx64m -jar /x/cti.jar --config /etc/cti/other.yaml");

        Files.delete(log);
        Map<String, String> failing = new HashMap<>(env);
        failing.put("FAIL_CHECK", "1");
        Run refused = run(List.of("sh", entrypoint), failing);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.output()).contains("configuration error: x").contains("not starting");
        assertThat(Files.readAllLines(log)).containsExactly("-Xmx64m -jar /x/cti.jar --check-config");

        Files.delete(log);
        assertThat(run(List.of("sh", entrypoint, "--hash-password"), env).exit()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("-Xmx64m -jar /x/cti.jar --hash-password");
        Run shell = run(List.of("sh", entrypoint, "echo", "a shell command"), env);
        assertThat(shell.output()).isEqualTo("a shell command\n");
    }

    // ---- Prometheus and Grafana ------------------------------------------------------------------

    @Test
    void everyPrometheusTargetIsAComposeServiceOnThePortItServes() throws IOException {
        JsonNode services = compose().path("services");
        JsonNode prom = YAML.readTree(Files.readString(DOCKER.resolve("prometheus/prometheus.yml")));
        int targets = 0;
        for (JsonNode job : prom.path("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode t : sc.path("targets")) {
                    String[] hostPort = t.asText().split(":");
                    assertThat(services.has(hostPort[0])).as("target " + t.asText() + " is a compose service").isTrue();
                    assertThat(containerPorts(services, hostPort[0])).as("target " + t.asText()).contains(Integer.parseInt(hostPort[1]));
                    targets++;
                }
            }
            assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        }
        assertThat(targets).isPositive();
        assertThat(prom.toString()).contains("cti-server:" + ctiContainerEnvironment().get("CTI_HTTP_PORT"));

        JsonNode ds = YAML.readTree(Files.readString(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml")))
                .path("datasources").get(0);
        URI url = URI.create(ds.path("url").asText());
        assertThat(services.has(url.getHost())).isTrue();
        assertThat(containerPorts(services, url.getHost())).contains(url.getPort());
        JsonNode dashboard = dashboard();
        assertThat(dashboard.findValuesAsText("uid").stream().filter(u -> !u.equals(dashboard.path("uid").asText())))
                .isNotEmpty().allMatch(u -> u.equals(ds.path("uid").asText()));
        JsonNode provider = YAML.readTree(Files.readString(DOCKER.resolve("grafana/provisioning/dashboards/cti.yaml")))
                .path("providers").get(0);
        assertThat(volumes(services, "grafana")).containsEntry(provider.path("options").path("path").asText(), "./grafana/dashboards");
    }

    @Test
    void everyMetricTheDashboardQueriesIsInTheServersMetrics() throws Exception {
        CtiConfig config = ConfigLoader.load(null, Map.of("CTI_HTTP_PORT", "0", "CTI_DATA_DIR", tmp.resolve("data").toString(),
                "CTI_IVR_DIR", ROOT.resolve("ivr").toString()));
        // cti_events_in_total{interface,type} gets its series from the first event an edge translates: both edges
        // record one here as they do (the live ImageConfigIT checks the dashboard against a real Asterisk's events).
        CtiServer server = new CtiServer(config, Clock.systemUTC(), (c, sink, metrics) -> {
            metrics.eventIn(Source.AMI, "Newchannel");
            metrics.eventIn(Source.ARI, "StasisStart");
            return CtiServer.Edges.none();
        }).start();
        try {
            // jvm_gc_pause_seconds gets its series from the first collection after the server started (the JVM
            // reports it a moment later): one is asked for here, as any running server has them within seconds.
            URI uri = URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + "/metrics");
            HttpResponse<String> r = null;
            for (int i = 0; i < 50; i++) {
                System.gc();
                r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.body().contains("jvm_gc_pause_seconds_sum")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode dashboard = dashboard();
            assertThat(DashboardMetrics.expressions(dashboard)).hasSizeGreaterThan(30);
            assertThat(DashboardMetrics.problems(dashboard, r.body())).isEmpty();
            // The check itself finds a metric that is not there and a label value no series has.
            JsonNode broken = JSON.readTree(JSON.writeValueAsString(dashboard).replace("cti_calls_active", "cti_calls_activ")
                    .replace("interface=\\\"ari\\\"", "interface=\\\"sip\\\""));
            assertThat(DashboardMetrics.problems(broken, r.body())).anyMatch(p -> p.contains("metric cti_calls_activ ") && p.endsWith("is not in /metrics"))
                    .anyMatch(p -> p.contains("no series with interface=\"sip\""));
        } finally {
            server.close();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The cti-server container's environment: the image's ENV, the compose service's, mounts mapped to this checkout. */
    private Map<String, String> ctiContainerEnvironment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("(CTI_[A-Z_]+)=(\\S+)");
        for (String line : Files.readAllLines(DOCKER.resolve("cti-server/Dockerfile"))) {
            Matcher m = assignment.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                env.put(m.group(1), m.group(2));
            }
        }
        assertThat(env).containsKeys("CTI_HTTP_HOST", "CTI_HTTP_PORT", "CTI_DATA_DIR");
        JsonNode services = compose().path("services");
        env.putAll(environment(services, "cti-server"));
        Map<String, String> mounts = volumes(services, "cti-server");
        Map<String, String> mapped = new HashMap<>();
        for (Map.Entry<String, String> v : mounts.entrySet()) {
            if (v.getValue().startsWith(".")) {
                mapped.put(v.getKey(), DOCKER.resolve(v.getValue()).normalize().toString());
            }
        }
        env.replaceAll((k, v) -> mapped.getOrDefault(v, v));
        assertThat(mounts).containsKey("/etc/cti/cti.yaml");
        env.put("CTI_CONFIG", mapped.get("/etc/cti/cti.yaml")); // what the entrypoint sets when the file is mounted
        env.put("CTI_DATA_DIR", tmp.resolve("cti-data").toString());
        return env;
    }

    private record Output(int exit, String text) {}

    private static Output main(Map<String, String> env) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int exit = Main.run(new String[] {"--check-config"}, env);
            return new Output(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(Files.readString(DOCKER.resolve("grafana/dashboards/cti.json")));
    }

    /**
     * compose.yaml with the variables of .env.example (required ones filled in) substituted as compose does: in the
     * values of the parsed file (so an empty value stays an empty string).
     */
    private static JsonNode compose() throws IOException {
        JsonNode tree = YAML.readTree(Files.readString(DOCKER.resolve("compose.yaml")));
        interpolate(tree, filledEnv());
        return tree;
    }

    private static void interpolate(JsonNode node, Map<String, String> env) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                JsonNode v = o.get(n);
                if (v.isTextual()) {
                    o.put(n, interpolate(v.asText(), env));
                } else {
                    interpolate(v, env);
                }
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, a.textNode(interpolate(a.get(i).asText(), env)));
                } else {
                    interpolate(a.get(i), env);
                }
            }
        }
    }

    private static String interpolate(String text, Map<String, String> env) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.getOrDefault(m.group(1), "");
            if (value.isEmpty()) {
                if (":?".equals(m.group(2))) {
                    throw new IllegalStateException("compose needs " + m.group(1) + ": " + m.group(3));
                }
                value = ":-".equals(m.group(2)) ? m.group(3) : "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> envExample() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOCKER.resolve(".env.example"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as(".env.example line " + line).isPositive();
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    private static Map<String, String> filledEnv() throws IOException {
        Map<String, String> env = envExample();
        env.putAll(REQUIRED);
        return env;
    }

    private static String envFile(Map<String, String> env) {
        StringBuilder b = new StringBuilder();
        env.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static Map<String, String> environment(JsonNode services, String service) {
        Map<String, String> env = new LinkedHashMap<>();
        services.path(service).path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** A service's mounts: container path to source (a named volume or a path relative to docker/). */
    private static Map<String, String> volumes(JsonNode services, String service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : services.path(service).path("volumes")) {
            String[] parts = v.asText().split(":");
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    /** The ports a service listens on in its container: published targets, the CTI's http.port, Prometheus' 9090. */
    private List<Integer> containerPorts(JsonNode services, String service) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode p : services.path(service).path("ports")) {
            String spec = p.asText().replaceAll("/(udp|tcp)$", "");
            String target = spec.substring(spec.lastIndexOf(':') + 1);
            if (!target.contains("-")) {
                ports.add(Integer.parseInt(target));
            }
        }
        if (service.equals("cti-server")) {
            assertThat(ports).as("the CTI publishes its http.port").contains(Integer.parseInt(ctiContainerEnvironment().get("CTI_HTTP_PORT")));
        }
        return ports;
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, null);
    }

    /** Runs {@code cmd}; with {@code env}, exactly that environment. */
    private static Run run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out);
    }
}
