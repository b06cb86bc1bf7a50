package org.asteriskcti.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the configuration: the built-in commented defaults ({@code cti-defaults.yaml}), then the
 * operator's YAML file, then {@code CTI_*} environment variables. Every problem is collected and
 * reported together, each naming its source and key; nothing is started from a bad configuration.
 */
public final class ConfigLoader {

    public static final String DEFAULTS_RESOURCE = "/cti-defaults.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /**
     * @param file the operator's file, or null for defaults only
     * @param env  environment variables (System.getenv() in production)
     */
    public static CtiConfig load(Path file, Map<String, String> env) {
        Map<String, String> origin = new HashMap<>();
        ObjectNode tree = defaults();
        markOrigins(tree, "", "cti-defaults.yaml", origin);
        List<String> errors = new ArrayList<>();
        if (file != null) {
            JsonNode user = readFile(file);
            if (user != null && !user.isNull() && !user.isMissingNode()) {
                if (!user.isObject()) {
                    throw new ConfigException(file + ": the top level must be a mapping of keys");
                }
                merge(tree, (ObjectNode) user, "", file.toString(), origin);
            }
        }
        applyEnv(tree, env, origin, errors);
        ConfigNode root = new ConfigNode(tree, "", path -> originOf(origin, path), errors);
        CtiConfig config = bind(root);
        root.finish();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    private static String originOf(Map<String, String> origin, String path) {
        String p = path;
        while (true) {
            String o = origin.get(p);
            if (o != null) {
                return o;
            }
            if (p.endsWith("]") && p.lastIndexOf('[') > 0) {
                p = p.substring(0, p.lastIndexOf('[')); // a list item comes from where its list came from
                continue;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                return origin.getOrDefault(p, "configuration");
            }
            p = p.substring(0, dot);
        }
    }

    private static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": configuration file not found");
        }
        try {
            return YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }

    private static void markOrigins(JsonNode node, String path, String source, Map<String, String> origin) {
        if (!path.isEmpty()) {
            origin.put(path, source);
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                markOrigins(e.getValue(), join(path, e.getKey()), source, origin);
            }
        }
    }

    /** Objects merge key by key; anything else (values, lists) is replaced whole. */
    private static void merge(ObjectNode target, ObjectNode source, String path, String sourceName,
            Map<String, String> origin) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = join(path, e.getKey());
            JsonNode existing = target.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), p, sourceName, origin);
            } else {
                target.set(e.getKey(), e.getValue());
                markOrigins(e.getValue(), p, sourceName, origin);
            }
        }
    }

    /** Every known key path gets an env name; an env var CTI_* that names no key is an error. */
    private static void applyEnv(ObjectNode tree, Map<String, String> env, Map<String, String> origin,
            List<String> errors) {
        Map<String, String> byEnvName = new HashMap<>();
        collectPaths(tree, "", byEnvName);
        Set<String> ignored = new HashSet<>(List.of("CTI_CONFIG", "CTI_IT_ASTERISK_PREFIX", "CTI_LOG_LEVEL"));
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("CTI_") || ignored.contains(name)) {
                continue;
            }
            String path = byEnvName.get(name);
            if (path == null) {
                errors.add("environment variable " + name + ": names no configuration key");
                continue;
            }
            String source = "environment variable " + name;
            JsonNode value;
            JsonNode current = at(tree, path);
            if (current != null && (current.isArray() || current.isObject())) {
                try {
                    value = YAML.readTree(e.getValue());
                } catch (JsonProcessingException ex) {
                    errors.add(source + ": key '" + path + "' must be YAML/JSON: " + ex.getOriginalMessage());
                    continue;
                }
            } else {
                value = YAML.getNodeFactory().textNode(e.getValue());
            }
            put(tree, path, value);
            markOrigins(value, path, source, origin);
            origin.put(path, source);
        }
    }

    private static void collectPaths(JsonNode node, String path, Map<String, String> out) {
        if (!path.isEmpty()) {
            out.put(envName(path), path);
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                collectPaths(e.getValue(), join(path, e.getKey()), out);
            }
        }
    }

    /**
     * http.tls: both files or neither; they must be readable PEM files whose key belongs to the certificate (the
     * same check the server makes when it loads them, so --check-config finds what would stop the start).
     */
    private static java.util.Optional<CtiConfig.Tls> tls(ConfigNode tls) {
        String cert = tls.string("cert-file", "").trim();
        String key = tls.string("key-file", "").trim();
        tls.finish();
        if (cert.isEmpty() && key.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            tls.error(cert.isEmpty() ? "cert-file" : "key-file", "must be set too: TLS needs both the certificate and its key "
                    + "(or leave both empty for plain HTTP)");
            return java.util.Optional.empty();
        }
        CtiConfig.Tls files = new CtiConfig.Tls(java.nio.file.Path.of(cert), java.nio.file.Path.of(key));
        try {
            org.asteriskcti.server.api.TlsFiles.serverContext(files.certFile(), files.keyFile());
        } catch (org.asteriskcti.server.api.TlsFiles.TlsException e) {
            tls.error(e.key(), e.getMessage());
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(files);
    }

    public static String envName(String path) {
        return "CTI_" + path.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static JsonNode at(ObjectNode tree, String path) {
        JsonNode n = tree;
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    private static void put(ObjectNode tree, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode n = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            n = (ObjectNode) n.get(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    // ---- binding ------------------------------------------------------------------------------

    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration DAY = Duration.ofDays(1);

    private static CtiConfig bind(ConfigNode root) {
        ConfigNode http = root.object("http");
        String httpHost = http.requiredString("host");
        int httpPort = http.integer("port", 8080, 0, 65535);
        int maxRequest = http.size("max-request-size", 65536, 1024, 16 * 1024 * 1024);
        CtiConfig.Http httpCfg = new CtiConfig.Http(httpHost, httpPort, maxRequest, tls(http.object("tls")));
        http.finish();

        ConfigNode asterisk = root.object("asterisk");
        ConfigNode ami = asterisk.object("ami");
        CtiConfig.Ami amiCfg = new CtiConfig.Ami(
                ami.bool("enabled", true),
                ami.requiredString("host"),
                ami.integer("port", 5038, 1, 65535),
                ami.requiredString("username"),
                ami.requiredString("secret"),
                ami.duration("connect-timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1)),
                ami.duration("ping-interval", Duration.ofSeconds(4), Duration.ofMillis(50), Duration.ofMinutes(5)),
                ami.duration("ping-timeout", Duration.ofSeconds(4), Duration.ofMillis(50), Duration.ofMinutes(5)),
                ami.duration("reconnect-min", Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMinutes(5)),
                ami.duration("reconnect-max", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofHours(1)));
        if (amiCfg.reconnectMax().compareTo(amiCfg.reconnectMin()) < 0) {
            ami.error("reconnect-max", "must not be shorter than asterisk.ami.reconnect-min");
        }
        ami.finish();

        ConfigNode ari = asterisk.object("ari");
        String url = ari.requiredString("url");
        URI uri = null;
        try {
            uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                ari.error("url", "must be an http(s) URL like http://127.0.0.1:8088/ari, got '" + url + "'");
            }
        } catch (URISyntaxException e) {
            ari.error("url", "is not a valid URL: " + e.getMessage());
        }
        CtiConfig.Ari ariCfg = new CtiConfig.Ari(
                ari.bool("enabled", true),
                uri,
                ari.requiredString("username"),
                ari.requiredString("password"),
                ari.requiredString("app"),
                ari.duration("request-timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)),
                ari.duration("reconnect-min", Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMinutes(5)),
                ari.duration("reconnect-max", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofHours(1)));
        if (!ariCfg.app().matches("[A-Za-z0-9_.-]*")) {
            ari.error("app", "may contain only letters, digits, '_', '.' and '-', got '" + ariCfg.app() + "'");
        }
        ari.finish();
        asterisk.finish();

        ConfigNode auth = root.object("auth");
        String secret = auth.string("token-secret", "");
        if (!secret.isEmpty() && secret.length() < 32) {
            auth.error("token-secret", "must be empty (generated) or at least 32 characters long");
        }
        CtiConfig.Auth authCfg = new CtiConfig.Auth(secret,
                auth.duration("token-ttl", Duration.ofHours(12), Duration.ofSeconds(1), Duration.ofDays(30)));
        auth.finish();

        ConfigNode api = root.object("client-api");
        CtiConfig.ClientApi apiCfg = new CtiConfig.ClientApi(
                api.integer("replay-buffer", 2000, 1, 1_000_000),
                api.duration("session-grace", Duration.ofMinutes(2), Duration.ZERO, DAY),
                api.duration("heartbeat-interval", Duration.ofSeconds(15), MS, Duration.ofMinutes(10)),
                api.duration("heartbeat-timeout", Duration.ofSeconds(45), MS, Duration.ofMinutes(30)),
                api.size("write-buffer-low", 64 * 1024, 1024, 64 * 1024 * 1024),
                api.size("write-buffer-high", 256 * 1024, 1024, 256 * 1024 * 1024),
                api.size("max-frame-size", 64 * 1024, 256, 16 * 1024 * 1024),
                api.integer("max-malformed-frames", 20, 1, 1_000_000));
        if (apiCfg.writeBufferHigh() <= apiCfg.writeBufferLow()) {
            api.error("write-buffer-high", "must be larger than client-api.write-buffer-low");
        }
        if (apiCfg.heartbeatTimeout().compareTo(apiCfg.heartbeatInterval()) <= 0) {
            api.error("heartbeat-timeout", "must be longer than client-api.heartbeat-interval");
        }
        api.finish();

        ConfigNode routing = root.object("routing");
        CtiConfig.Routing routingCfg = new CtiConfig.Routing(routing.requiredString("unrouted-inbound-context"),
                routing.requiredString("callback-context"));
        routing.finish();

        ConfigNode cc = root.object("call-control");
        CtiConfig.CallControl callControlCfg = new CtiConfig.CallControl(
                cc.duration("ring-timeout", Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(5)),
                cc.string("moh-class", "default"));
        if (callControlCfg.mohClass().isBlank()) {
            cc.error("moh-class", "must name a music-on-hold class of musiconhold.conf");
        }
        cc.finish();

        ConfigNode ivr = root.object("ivr");
        String ivrDir = ivr.string("dir", "");
        // The same directory as Asterisk sees it (tenant prompt files are played from there by absolute path):
        // the same path on one host; the mount point in Asterisk's container.
        String ivrAsteriskDir = ivr.string("asterisk-dir", "");
        if (!ivrAsteriskDir.isBlank() && !ivrAsteriskDir.startsWith("/")) {
            ivr.error("asterisk-dir", "must be an absolute path (the IVR directory as Asterisk sees it), not '" + ivrAsteriskDir + "'");
        }
        ivr.finish();
        Optional<Path> ivrPath = ivrDir.isBlank() ? Optional.empty() : Optional.of(Path.of(ivrDir));
        CtiConfig.Ivr ivrCfg = new CtiConfig.Ivr(ivrPath, ivrAsteriskDir.isBlank()
                ? ivrPath.map(p -> p.toAbsolutePath().normalize().toString()).orElse("")
                : ivrAsteriskDir);

        Path dataDir = Path.of(root.requiredString("data-dir"));

        List<CtiConfig.Tenant> tenants = root.list("tenants", t -> {
            String id = t.requiredString("id");
            checkId(t, "id", id);
            ZoneId zone = ZoneId.of("UTC");
            String z = t.string("time-zone", "UTC");
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                t.error("time-zone", "is not a known time zone (like Asia/Shanghai or UTC): '" + z + "'");
            }
            Optional<List<String>> reasons = Optional.empty();
            if (t.has("not-ready-reasons")) {
                reasons = Optional.of(notReadyReasons(t, "not-ready-reasons"));
            } else {
                t.strings("not-ready-reasons"); // marks an explicit null as read
            }
            List<String> dids = t.strings("dids");
            List<CtiConfig.Route> routes = t.list("routes", r -> {
                String did = r.requiredString("did");
                String queue = r.string("queue", "");
                String flow = r.string("flow", "");
                if (queue.isBlank() && flow.isBlank()) {
                    r.error("queue", "is required (or 'flow': a route names a queue or an IVR flow)");
                } else if (!queue.isBlank() && !flow.isBlank()) {
                    r.error("flow", "cannot be given with 'queue' (a route names a queue or an IVR flow, not both)");
                } else if (!flow.isBlank() && !flow.matches("[A-Za-z0-9_-]+")) {
                    r.error("flow", "must be a flow id (letters, digits, _ and -), got '" + flow + "'");
                }
                if (!did.isEmpty() && !dids.contains(did)) {
                    r.error("did", "'" + did + "' is not one of the tenant's dids " + dids);
                }
                int priority = r.integer("priority", 0, 0, 100);
                String language = r.string("language", "");
                if (!language.isEmpty() && !language.matches("[a-z]{2,3}([_-][A-Za-z]{2,4})?")) {
                    r.error("language", "must be a language code like en, zh or pt_BR, got '" + language + "'");
                }
                return new CtiConfig.Route(did, queue, priority, language.isEmpty() ? Optional.empty() : Optional.of(language),
                        flow.isBlank() ? Optional.empty() : Optional.of(flow));
            });
            ConfigNode d = t.object("dial");
            String dialContext = d.string("context", routingCfg.callbackContext());
            String prefix = d.string("prefix", "");
            if (!prefix.matches("[0-9*#+]*")) {
                d.error("prefix", "must be digits (or * # +), got '" + prefix + "'");
            }
            String pattern = d.string("external-pattern", "\\+?[0-9]{3,20}");
            try {
                java.util.regex.Pattern.compile(pattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                d.error("external-pattern", "is not a valid regular expression: " + e.getDescription());
            }
            String callerId = d.string("caller-id", "");
            if (!callerId.isEmpty() && !callerId.matches("(\"[^\"]*\" *)?<[0-9+*#]+>|[0-9+*#]+")) {
                d.error("caller-id", "must look like \"Name\" <number> or a number, got '" + callerId + "'");
            }
            d.finish();
            CtiConfig.RecordingPolicy recording = recordingPolicy(t).orElse(CtiConfig.RecordingPolicy.ON_DEMAND);
            return new CtiConfig.Tenant(id, t.string("name", id), zone, t.strings("endpoints"), dids, reasons, routes,
                    new CtiConfig.Dial(dialContext, prefix, pattern, callerId), recording);
        });
        List<CtiConfig.Agent> agents = root.list("agents", a -> {
            String id = a.requiredString("id");
            checkId(a, "id", id);
            String endpoint = a.requiredString("endpoint");
            if (!endpoint.isEmpty() && !endpoint.matches("[A-Za-z]+/[^/\\s]+")) {
                a.error("endpoint", "must be a device like PJSIP/1001, got '" + endpoint + "'");
            }
            return new CtiConfig.Agent(id, a.requiredString("tenant"), a.string("name", id), endpoint,
                    a.levels("skills", SKILL_MIN, SKILL_MAX), a.strings("languages"), a.strings("queues"));
        });
        List<CtiConfig.User> users = root.list("users", u -> {
            String endpoint = u.string("endpoint", null);
            if (endpoint != null && !endpoint.matches("[A-Za-z]+/[^/\\s]+")) {
                u.error("endpoint", "must be a device like PJSIP/1004, got '" + endpoint + "'");
            }
            return new CtiConfig.User(
                    u.requiredString("username"),
                    u.requiredString("tenant"),
                    u.enumValue("role", CtiConfig.Role.class, CtiConfig.Role.AGENT),
                    u.string("agent", null),
                    u.requiredString("password-hash"),
                    endpoint);
        });
        ConfigNode acd = root.object("acd");
        CtiConfig.Acd acdCfg = acd(acd);
        acd.finish();
        CtiConfig.QueueSettings defaults = acdCfg.queueDefaults();
        List<CtiConfig.Queue> queues = root.list("queues", q -> queue(q, defaults));
        ConfigNode storage = root.object("storage");
        CtiConfig.Storage storageCfg = storage(storage);
        storage.finish();
        ConfigNode history = root.object("history");
        CtiConfig.History historyCfg = new CtiConfig.History(history.integer("per-agent", 50, 1, 1000));
        history.finish();
        ConfigNode vm = root.object("voicemail");
        CtiConfig.Voicemail voicemailCfg = voicemail(vm);
        vm.finish();
        ConfigNode reports = root.object("reports");
        java.time.Duration day = java.time.Duration.ofDays(1);
        java.time.Duration century = java.time.Duration.ofDays(36_600);
        CtiConfig.Reports reportsCfg = new CtiConfig.Reports(
                reports.duration("max-range-15m", java.time.Duration.ofDays(93), day, century),
                reports.duration("max-range-hour", java.time.Duration.ofDays(400), day, century),
                reports.duration("max-range-day", java.time.Duration.ofDays(3700), day, century));
        reports.finish();
        crossCheck(root, tenants, agents, users);
        crossCheckAcd(root, tenants, agents, queues);
        return new CtiConfig(httpCfg, amiCfg, ariCfg, authCfg, apiCfg, routingCfg, dataDir, tenants, agents, users,
                acdCfg, queues, storageCfg, callControlCfg, historyCfg, ivrCfg, voicemailCfg, reportsCfg);
    }

    // ---- voicemail ----------------------------------------------------------------------------

    /** A sound as ARI plays it ({@code sound:<name>}): a path of letters, digits, '_', '-', '.', '/'; no commas. */
    private static final java.util.regex.Pattern SOUND = java.util.regex.Pattern.compile("[A-Za-z0-9_./-]+");

    private static CtiConfig.Voicemail voicemail(ConfigNode vm) {
        Duration max = wholeSeconds(vm, "max-duration",
                vm.duration("max-duration", Duration.ofMinutes(3), Duration.ofSeconds(5), Duration.ofHours(1)));
        Duration min = vm.duration("min-duration", Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(1));
        Duration silence = wholeSeconds(vm, "max-silence",
                vm.duration("max-silence", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)));
        if (min.compareTo(max) >= 0) {
            vm.error("min-duration", "must be shorter than max-duration (" + max.toSeconds() + "s), got "
                    + min.toMillis() + "ms");
            min = Duration.ZERO;
        }
        return new CtiConfig.Voicemail(max, min, silence, sounds(vm, "greeting", List.of("vm-intro")),
                sounds(vm, "thanks", List.of("vm-msgsaved", "vm-goodbye")));
    }

    /** ARI takes whole seconds: 1500ms would be cut to 1s, and 500ms to 0 (no limit). */
    private static Duration wholeSeconds(ConfigNode n, String key, Duration d) {
        if (d.toMillis() % 1000 != 0) {
            n.error(key, "must be whole seconds (Asterisk counts in seconds), got " + d.toMillis() + "ms");
            return Duration.ofSeconds(Math.max(1, d.toSeconds()));
        }
        return d;
    }

    private static List<String> sounds(ConfigNode n, String key, List<String> fallback) {
        if (!n.has(key)) {
            return fallback;
        }
        List<String> out = n.strings(key);
        for (int i = 0; i < out.size(); i++) {
            if (!SOUND.matcher(out.get(i)).matches()) {
                n.error(key, "entry " + i + " must be a sound name like vm-intro or custom/greeting (letters, digits, "
                        + "'_', '-', '.', '/'), got '" + out.get(i) + "'");
            }
        }
        if (out.isEmpty()) {
            n.error(key, "must list at least one sound, e.g. [" + String.join(", ", fallback) + "]");
            return fallback;
        }
        return out;
    }

    // ---- storage ------------------------------------------------------------------------------

    /** The JDBC URL prefixes of the databases the migrations are written and tested for. */
    private static final List<String> STORAGE_URLS = List.of("jdbc:postgresql:", "jdbc:h2:");

    private static CtiConfig.Storage storage(ConfigNode s) {
        String url = s.string("url", "").trim();
        if (!url.isEmpty() && STORAGE_URLS.stream().noneMatch(url::startsWith)) {
            // Only the scheme is echoed: the rest of a JDBC URL may carry a password.
            int second = url.indexOf(':', url.indexOf(':') + 1);
            String scheme = second > 0 ? url.substring(0, second + 1) : url;
            s.error("url", "must be empty (the embedded database in data-dir) or a jdbc:postgresql: or jdbc:h2: URL, got '"
                    + scheme + "'");
        }
        return new CtiConfig.Storage(url,
                s.string("username", ""),
                s.string("password", ""),
                s.integer("pool-size", 4, 1, 64),
                s.integer("write-batch", 500, 1, 10_000),
                retention(s));
    }

    /** {@code storage.retention}: {@code forever} (zero) or a duration of at least one day (1d .. 36600d). */
    private static java.time.Duration retention(ConfigNode s) {
        String v = s.string("retention", "forever").trim();
        if (v.equals("forever")) {
            return java.time.Duration.ZERO;
        }
        if (!v.matches("\\d+\\s*d")) {
            s.error("retention", "must be forever or a number of days like 400d (at least 1d), got '" + v + "'");
            return java.time.Duration.ZERO;
        }
        return s.duration("retention", java.time.Duration.ZERO, java.time.Duration.ofDays(1),
                java.time.Duration.ofDays(36_600));
    }

    // ---- ACD ----------------------------------------------------------------------------------

    /** Skill levels, as in {@code AgentSkills}: 1 novice .. 10 expert. */
    private static final int SKILL_MIN = 1;
    private static final int SKILL_MAX = 10;
    /** Reasons the ACD sets itself ({@code NotReadyReason}); a configured reason must not look like one. */
    private static final Set<String> SYSTEM_REASONS = Set.of("login", "phone offline", "no answer", "phone busy",
            "ring failed");

    private static CtiConfig.Acd acd(ConfigNode acd) {
        int window = acd.integer("handle-time-window", 20, 1, 10_000);
        Duration cap = acd.duration("wait-estimate-cap", Duration.ofMinutes(30), Duration.ofSeconds(1), DAY);
        List<String> reasons = notReadyReasons(acd, "not-ready-reasons");
        ConfigNode d = acd.object("queue-defaults");
        CtiConfig.QueueSettings builtIn = new CtiConfig.QueueSettings(CtiConfig.QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), Duration.ofMinutes(2), Duration.ofSeconds(15), Duration.ZERO, 0, "default",
                Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMinutes(3), "");
        CtiConfig.QueueSettings defaults = queueSettings(d, builtIn);
        if (defaults.maxWrapUp().compareTo(defaults.wrapUp()) < 0) {
            d.error("max-wrap-up", "must not be shorter than acd.queue-defaults.wrap-up");
        }
        d.finish();
        return new CtiConfig.Acd(window, cap, reasons, defaults);
    }

    private static List<String> notReadyReasons(ConfigNode n, String key) {
        List<String> reasons = n.strings(key);
        Set<String> seen = new HashSet<>();
        for (String r : reasons) {
            if (!seen.add(r.toLowerCase(Locale.ROOT))) {
                n.error(key, "lists '" + r + "' twice");
            }
            if (SYSTEM_REASONS.contains(r.toLowerCase(Locale.ROOT))) {
                n.error(key, "'" + r + "' is a reason the ACD sets itself; choose another name");
            }
        }
        return reasons;
    }

    /** Reads the queue settings present in {@code n}; absent ones come from {@code base}. */
    private static CtiConfig.QueueSettings queueSettings(ConfigNode n, CtiConfig.QueueSettings base) {
        String moh = n.string("moh-class", base.mohClass());
        if (moh.isBlank()) {
            n.error("moh-class", "must not be blank (the class 'default' is the usual one)");
            moh = base.mohClass();
        }
        return new CtiConfig.QueueSettings(
                n.enumValue("strategy", CtiConfig.QueueStrategy.class, base.strategy()),
                n.duration("wrap-up", base.wrapUp(), Duration.ZERO, Duration.ofHours(1)),
                n.duration("max-wrap-up", base.maxWrapUp(), Duration.ZERO, Duration.ofHours(4)),
                n.duration("ring-timeout", base.ringTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                n.duration("max-wait", base.maxWait(), Duration.ZERO, DAY),
                n.integer("max-size", base.maxSize(), 0, 100_000),
                moh,
                n.duration("announce-period", base.announcePeriod(), Duration.ZERO, Duration.ofHours(1)),
                n.duration("service-level", base.serviceLevel(), Duration.ofSeconds(1), Duration.ofHours(1)),
                n.duration("short-abandon", base.shortAbandon(), Duration.ZERO, Duration.ofMinutes(10)),
                n.duration("default-handle-time", base.defaultHandleTime(), Duration.ofSeconds(1), DAY),
                callbackKey(n, base.callbackKey()));
    }

    private static String callbackKey(ConfigNode n, String base) {
        String k = n.string("callback-key", base);
        if (!k.isEmpty() && !k.matches("[0-9*#]")) {
            n.error("callback-key", "must be one DTMF key (0-9, * or #) or \"\" for no callback, got '" + k + "'");
            return base;
        }
        return k;
    }

    private static CtiConfig.Queue queue(ConfigNode q, CtiConfig.QueueSettings defaults) {
        String id = q.requiredString("id");
        checkId(q, "id", id);
        String tenant = q.requiredString("tenant");
        String name = q.string("name", id);
        Map<String, Integer> skills = q.levels("skills", SKILL_MIN, SKILL_MAX);
        String language = q.string("language", "").trim();
        Optional<CtiConfig.Overflow> overflow = Optional.empty();
        if (q.has("overflow")) {
            ConfigNode o = q.object("overflow");
            List<CtiConfig.Overflow> given = new ArrayList<>();
            for (CtiConfig.OverflowKind kind : CtiConfig.OverflowKind.values()) {
                String key = kind.name().toLowerCase(Locale.ROOT);
                if (o.has(key)) {
                    given.add(new CtiConfig.Overflow(kind, o.requiredString(key)));
                }
            }
            if (given.size() == 1) {
                overflow = Optional.of(given.get(0));
            } else {
                q.error("overflow", "must give exactly one of queue: <queue id>, voicemail: <box> or message: <sound>"
                        + (given.isEmpty() ? "" : ", got " + given.size()));
            }
            o.finish();
        } else {
            q.object("overflow"); // marks an explicit null as read
        }
        CtiConfig.QueueSettings settings = queueSettings(q, defaults);
        if ((q.has("wrap-up") || q.has("max-wrap-up")) && settings.maxWrapUp().compareTo(settings.wrapUp()) < 0) {
            q.error("max-wrap-up", "must not be shorter than wrap-up (" + settings.wrapUp().toSeconds() + "s)");
        }
        if (overflow.isEmpty() && !q.has("overflow") && (!settings.maxWait().isZero() || settings.maxSize() > 0)) {
            q.error("overflow", "is required when max-wait or max-size is set (max-wait "
                    + settings.maxWait().toSeconds() + "s, max-size " + settings.maxSize() + "): callers need somewhere to go");
        }
        return new CtiConfig.Queue(id, tenant, name, skills, language.isEmpty() ? Optional.empty() : Optional.of(language),
                overflow, settings, recordingPolicy(q), survey(q));
    }

    /** The longest and shortest wait for a survey key, and the most re-asks: beyond these callers give up anyway. */
    private static final Duration SURVEY_TIMEOUT_MIN = Duration.ofSeconds(1);
    private static final Duration SURVEY_TIMEOUT_MAX = Duration.ofSeconds(60);
    private static final int SURVEY_RETRIES_MAX = 5;

    /**
     * {@code survey: {question, invalid, thanks, timeout, retries}} of a queue: enabled by its presence;
     * {@code question} required. Each prompt is {@code sound:<name>}, {@code digits:<d>}, {@code number:<n>}
     * or a bare sound name; a list or one text.
     */
    private static Optional<CtiConfig.Survey> survey(ConfigNode q) {
        if (!q.has("survey")) {
            q.object("survey"); // marks an explicit null as read
            return Optional.empty();
        }
        ConfigNode s = q.object("survey");
        if (!s.has("question")) {
            s.error("question", "is required in survey: what the customer is asked (e.g. [sound:vm-press, digits:12345])");
        }
        List<String> question = prompts(s, "question", true);
        List<String> invalid = prompts(s, "invalid", false);
        List<String> thanks = prompts(s, "thanks", false);
        Duration timeout = s.duration("timeout", Duration.ofSeconds(5), SURVEY_TIMEOUT_MIN, SURVEY_TIMEOUT_MAX);
        int retries = s.integer("retries", 1, 0, SURVEY_RETRIES_MAX);
        s.finish();
        return Optional.of(new CtiConfig.Survey(question, invalid, thanks, timeout, retries));
    }

    private static final java.util.regex.Pattern SOUND_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");

    /**
     * The prompts under {@code key} (a list, or one text) as ARI media; each wrong one is an error naming
     * {@code key[i]}. A bare name is a sound.
     */
    private static List<String> prompts(ConfigNode n, String key, boolean required) {
        boolean one = n.isValue(key);
        List<String> given = one ? List.of(n.string(key, "")) : n.strings(key);
        if (required && n.has(key) && given.isEmpty()) {
            n.error(key, "must name at least one prompt");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String p = given.get(i).trim();
            String where = one ? key : key + "[" + i + "]";
            int colon = p.indexOf(':');
            String kind = colon < 0 ? "sound" : p.substring(0, colon);
            String text = colon < 0 ? p : p.substring(colon + 1);
            boolean ok = switch (kind) {
                case "sound" -> SOUND_NAME.matcher(text).matches() && !text.contains("..");
                case "digits" -> text.matches("[0-9*#]+");
                case "number" -> text.matches("-?[0-9]{1,15}");
                default -> false;
            };
            if (!ok) {
                n.error(where, "must be a prompt sound:<name>, digits:<0-9*#>, number:<n> or a bare sound name "
                        + "(letters, digits, _ . / -), got '" + given.get(i) + "'");
                continue;
            }
            out.add(kind + ":" + text);
        }
        return out;
    }

    /** {@code recording: {policy: always | on-demand | never}} of a tenant or a queue; empty when not given. */
    private static Optional<CtiConfig.RecordingPolicy> recordingPolicy(ConfigNode n) {
        if (!n.has("recording")) {
            n.object("recording"); // marks an explicit null as read
            return Optional.empty();
        }
        ConfigNode r = n.object("recording");
        Optional<CtiConfig.RecordingPolicy> policy = Optional.empty();
        if (r.has("policy")) {
            policy = Optional.ofNullable(r.enumValue("policy", CtiConfig.RecordingPolicy.class, null));
        } else {
            r.error("policy", "is required in recording (always, on-demand or never)");
        }
        r.finish();
        return policy;
    }

    private static void crossCheckAcd(ConfigNode root, List<CtiConfig.Tenant> tenants, List<CtiConfig.Agent> agents,
            List<CtiConfig.Queue> queues) {
        Set<String> tenantIds = new HashSet<>();
        tenants.forEach(t -> tenantIds.add(t.id()));
        Map<String, CtiConfig.Queue> byId = new LinkedHashMap<>();
        for (int i = 0; i < queues.size(); i++) {
            CtiConfig.Queue q = queues.get(i);
            if (byId.putIfAbsent(q.id(), q) != null) {
                root.error("queues[" + i + "].id", "duplicates queue '" + q.id() + "'");
            }
            if (!q.tenant().isEmpty() && !tenantIds.contains(q.tenant())) {
                root.error("queues[" + i + "].tenant", "names unknown tenant '" + q.tenant() + "'");
            }
        }
        Set<String> inReportedCircle = new HashSet<>();
        for (int i = 0; i < queues.size(); i++) {
            CtiConfig.Queue q = queues.get(i);
            if (q.overflow().isEmpty() || q.overflow().get().kind() != CtiConfig.OverflowKind.QUEUE) {
                continue;
            }
            String key = "queues[" + i + "].overflow.queue";
            String target = q.overflow().get().target();
            CtiConfig.Queue t = byId.get(target);
            if (t == null) {
                root.error(key, "names unknown queue '" + target + "'");
                continue;
            }
            if (!t.tenant().equals(q.tenant())) {
                root.error(key, "queue '" + target + "' belongs to tenant '" + t.tenant() + "', not '" + q.tenant() + "'");
                continue;
            }
            // Follow the chain; a circle through this queue means a caller would overflow forever.
            List<String> chain = new ArrayList<>(List.of(q.id()));
            CtiConfig.Queue at = t;
            while (at != null && !chain.contains(at.id())) {
                chain.add(at.id());
                at = at.overflow().filter(o -> o.kind() == CtiConfig.OverflowKind.QUEUE)
                        .map(o -> byId.get(o.target())).orElse(null);
            }
            if (at != null && at.id().equals(q.id()) && !inReportedCircle.contains(q.id())) {
                inReportedCircle.addAll(chain);
                chain.add(q.id());
                root.error(key, "overflows in a circle: " + String.join(" -> ", chain));
            }
        }
        for (int i = 0; i < tenants.size(); i++) {
            CtiConfig.Tenant t = tenants.get(i);
            Set<String> routed = new HashSet<>();
            for (int j = 0; j < t.routes().size(); j++) {
                CtiConfig.Route r = t.routes().get(j);
                String key = "tenants[" + i + "].routes[" + j + "]";
                if (!routed.add(r.did())) {
                    root.error(key + ".did", "routes DID '" + r.did() + "' a second time");
                }
                if (r.flow().isPresent() || r.queue().isBlank()) {
                    continue; // a flow's existence is checked when the flows are loaded (CtiServer)
                }
                CtiConfig.Queue q = byId.get(r.queue());
                if (q == null) {
                    root.error(key + ".queue", "names unknown queue '" + r.queue() + "'");
                } else if (!q.tenant().equals(t.id())) {
                    root.error(key + ".queue", "queue '" + r.queue() + "' belongs to tenant '" + q.tenant() + "', not '" + t.id() + "'");
                }
            }
        }
        for (int i = 0; i < agents.size(); i++) {
            CtiConfig.Agent a = agents.get(i);
            for (int j = 0; j < a.queues().size(); j++) {
                String id = a.queues().get(j);
                CtiConfig.Queue q = byId.get(id);
                String key = "agents[" + i + "].queues[" + j + "]";
                if (q == null) {
                    root.error(key, "names unknown queue '" + id + "'");
                } else if (!q.tenant().equals(a.tenant())) {
                    root.error(key, "queue '" + id + "' belongs to tenant '" + q.tenant() + "', not '" + a.tenant() + "'");
                }
            }
        }
    }

    private static void checkId(ConfigNode n, String key, String id) {
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            n.error(key, "must be 1-64 letters, digits, '_', '.' or '-' (starting with a letter or digit), got '" + id + "'");
        }
    }

    private static void crossCheck(ConfigNode root, List<CtiConfig.Tenant> tenants, List<CtiConfig.Agent> agents,
            List<CtiConfig.User> users) {
        Set<String> tenantIds = new HashSet<>();
        Map<String, String> endpointOwner = new HashMap<>();
        Map<String, String> didOwner = new HashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            CtiConfig.Tenant t = tenants.get(i);
            if (!tenantIds.add(t.id())) {
                root.error("tenants[" + i + "].id", "duplicates tenant '" + t.id() + "'");
            }
            for (String e : t.endpoints()) {
                String prev = endpointOwner.putIfAbsent(e, t.id());
                if (prev != null && !prev.equals(t.id())) {
                    root.error("tenants[" + i + "].endpoints", "endpoint '" + e + "' already belongs to tenant '" + prev + "'");
                }
            }
            for (String d : t.dids()) {
                String prev = didOwner.putIfAbsent(d, t.id());
                if (prev != null && !prev.equals(t.id())) {
                    root.error("tenants[" + i + "].dids", "DID '" + d + "' already belongs to tenant '" + prev + "'");
                }
            }
        }
        Map<String, String> agentTenant = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            CtiConfig.Agent a = agents.get(i);
            if (!tenantIds.contains(a.tenant())) {
                root.error("agents[" + i + "].tenant", "names unknown tenant '" + a.tenant() + "'");
            }
            if (agentTenant.put(a.id(), a.tenant()) != null) {
                root.error("agents[" + i + "].id", "duplicates agent '" + a.id() + "'");
            }
            String res = a.endpoint().contains("/") ? a.endpoint().substring(a.endpoint().indexOf('/') + 1) : a.endpoint();
            String owner = endpointOwner.get(res);
            if (owner != null && !owner.equals(a.tenant())) {
                root.error("agents[" + i + "].endpoint", "'" + a.endpoint() + "' belongs to tenant '" + owner + "', not '" + a.tenant() + "'");
            }
        }
        Set<String> usernames = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            CtiConfig.User u = users.get(i);
            if (!usernames.add(u.username())) {
                root.error("users[" + i + "].username", "duplicates user '" + u.username() + "'");
            }
            if (!tenantIds.contains(u.tenant())) {
                root.error("users[" + i + "].tenant", "names unknown tenant '" + u.tenant() + "'");
            }
            if (u.agent() != null) {
                String t = agentTenant.get(u.agent());
                if (t == null) {
                    root.error("users[" + i + "].agent", "names unknown agent '" + u.agent() + "'");
                } else if (!t.equals(u.tenant())) {
                    root.error("users[" + i + "].agent", "agent '" + u.agent() + "' belongs to tenant '" + t + "', not '" + u.tenant() + "'");
                }
            } else if (u.role() == CtiConfig.Role.AGENT) {
                root.error("users[" + i + "].agent", "is required for role agent");
            }
            if (u.endpoint() != null) {
                String res = u.endpoint().substring(u.endpoint().indexOf('/') + 1);
                String owner = endpointOwner.get(res);
                if (owner != null && !owner.equals(u.tenant())) {
                    root.error("users[" + i + "].endpoint", "'" + u.endpoint() + "' belongs to tenant '" + owner + "', not '" + u.tenant() + "'");
                }
            }
            String h = u.passwordHash();
            if (!h.isEmpty() && !(h.startsWith("$argon2") || h.startsWith("$2a$") || h.startsWith("$2b$") || h.startsWith("$2y$"))) {
                root.error("users[" + i + "].password-hash", "must be an Argon2id or bcrypt hash (make one with --hash-password), not a plain password");
            }
        }
    }
}
