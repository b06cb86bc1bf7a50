package org.asteriskcti.server;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.asteriskcti.server.api.AuthService;
import org.asteriskcti.server.config.ConfigException;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code [--config FILE] [--check-config] [--hash-password]}.
 * Exit codes: 0 ok, 2 bad configuration or usage, 1 failed to start.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /** Runs the command line with {@code env} as the environment; returns the exit code (see the class comment). */
    public static int run(String[] args, Map<String, String> env) {
        Path configFile = env.containsKey("CTI_CONFIG") ? Path.of(env.get("CTI_CONFIG")) : null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("--config needs a file name");
                        return 2;
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--check-config" -> check = true;
                case "--hash-password" -> {
                    return hashPassword();
                }
                case "--help", "-h" -> {
                    System.out.println("usage: cti-server [--config FILE] [--check-config] [--hash-password]");
                    return 0;
                }
                default -> {
                    System.err.println("unknown argument '" + args[i] + "' (try --help)");
                    return 2;
                }
            }
        }
        CtiConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            System.err.println("configuration error" + (e.problems().size() > 1 ? "s" : "") + ":");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        int flows;
        try {
            flows = checkIvr(config);
        } catch (org.asteriskcti.server.ivr.IvrLoadException e) {
            System.err.println("IVR flow error" + (e.errors().size() > 1 ? "s" : "") + " (ivr.dir "
                    + config.ivr().dir().map(Path::toString).orElse("") + "):");
            e.errors().forEach(p -> System.err.println("  " + p));
            return 2;
        } catch (ConfigException e) {
            System.err.println("configuration error" + (e.problems().size() > 1 ? "s" : "") + ":");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        if (check) {
            System.out.println("configuration OK" + (configFile == null ? " (defaults)" : ": " + configFile)
                    + (config.ivr().dir().isPresent() ? "; " + flows + " IVR flow" + (flows == 1 ? "" : "s") + " OK" : ""));
            return 0;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        CtiServer server;
        try {
            server = new CtiServer(config, Clock.systemUTC(), new AsteriskEdges());
        } catch (org.asteriskcti.server.storage.StorageException e) {
            // The statistics log must be stored: without its database the server does not start.
            System.err.println("cannot start: " + e.getMessage());
            System.err.println("  (storage.url / CTI_STORAGE_URL; empty = the embedded database in data-dir)");
            return 3;
        }
        try {
            server.start();
        } catch (Exception e) {
            log.error("server failed to start: {}", e.toString());
            server.close();
            return 1;
        }
        warnDemoCredentials(config, log);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
            stop.countDown();
        }, "cti-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Loads the IVR flows of {@code ivr.dir} to check them (every problem with its file, line and node);
     * the number of flows, 0 without a directory. A route naming a flow that is not there is a ConfigException.
     */
    static int checkIvr(CtiConfig config) throws org.asteriskcti.server.ivr.IvrLoadException {
        if (config.ivr().dir().isEmpty()) {
            CtiServer.checkFlowRoutes(config, org.asteriskcti.server.ivr.IvrCatalog.empty());
            return 0;
        }
        java.util.Map<String, java.time.ZoneId> zones = new java.util.HashMap<>();
        config.tenants().forEach(t -> zones.put(t.id(), t.timeZone()));
        org.asteriskcti.server.ivr.IvrCatalog catalog = org.asteriskcti.server.ivr.FlowLoader.load(config.ivr().dir().get(),
                tenant -> zones.getOrDefault(tenant.value(), java.time.ZoneId.of("UTC")));
        CtiServer.checkFlowRoutes(config, catalog);
        return catalog.size();
    }

    private static void warnDemoCredentials(CtiConfig config, Logger log) {
        AuthService probe = new AuthService(config, "x".repeat(32), Clock.systemUTC());
        for (CtiConfig.User u : config.users()) {
            if (probe.login(u.username(), u.username()).isPresent()) {
                log.warn("user '{}' still has the demo password (equal to the user name): replace its password-hash", u.username());
            }
        }
    }

    private static int hashPassword() {
        Console console = System.console();
        String password;
        if (console != null) {
            char[] p = console.readPassword("password: ");
            password = p == null ? null : new String(p);
        } else {
            try {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                password = null;
            }
        }
        if (password == null || password.isEmpty()) {
            System.err.println("no password given on standard input");
            return 2;
        }
        System.out.println(AuthService.hashPassword(password));
        return 0;
    }
}
