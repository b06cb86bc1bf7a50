package org.asteriskcti.server.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Asterisk install (a prefix such as /opt/asterisk-22) run as a child process on
 * asterisk-config/, in a directory of its own:
 * <pre>
 *   dir/etc       asterisk-config/*.conf + a generated asterisk.conf ([directories] -> dir/...)
 *   dir/data      astdatadir/astvarlibdir: links to prefix/var/lib/asterisk/* (rest-api, documentation...),
 *                 sounds and moh from the prefix if it has them, else Debian's /usr/share/asterisk/...
 *   dir/db, spool (monitor, recording), run (asterisk.ctl), log (console.log, messages.log, cdr-csv), cache
 * </pre>
 * Started as {@code asterisk -C dir/etc/asterisk.conf -f -n}; every {@code -rx} passes the same
 * {@code -C} (the remote console finds the control socket through astrundir). A shutdown hook stops
 * any instance still running when the JVM exits.
 */
public final class AsteriskProcess implements AsteriskUnderTest {

    static final String PREFIX_ENV = "CTI_IT_ASTERISK_PREFIX";

    private static final Logger log = LoggerFactory.getLogger(AsteriskProcess.class);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RX_TIMEOUT = Duration.ofSeconds(20);
    private static final Path DEBIAN_SOUNDS = Paths.get("/usr/share/asterisk/sounds");
    private static final Path DEBIAN_MOH = Paths.get("/usr/share/asterisk/moh");

    /** Instances with a live process, for the shutdown hook. */
    private static final Set<AsteriskProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AsteriskProcess a : RUNNING) {
                a.kill();
            }
        }, "asterisk-it-shutdown"));
    }

    private final Path prefix;
    private final Path binary;
    private final Path configSource;
    private final Path dir;
    private final Path conf;
    private final Path consoleLog;
    private boolean prepared;
    private Process process;

    /** The install prefix named by {@value #PREFIX_ENV}, when it holds sbin/asterisk. */
    public static Optional<Path> configuredPrefix() {
        String p = System.getenv(PREFIX_ENV);
        if (p == null || p.isBlank()) {
            return Optional.empty();
        }
        Path prefix = Paths.get(p.trim());
        return Files.isExecutable(prefix.resolve("sbin").resolve("asterisk")) ? Optional.of(prefix) : Optional.empty();
    }

    public AsteriskProcess(Path prefix, Path configSource, Path dir) {
        this.prefix = prefix.toAbsolutePath();
        this.binary = this.prefix.resolve("sbin").resolve("asterisk");
        this.configSource = configSource;
        this.dir = dir.toAbsolutePath();
        this.conf = this.dir.resolve("etc").resolve("asterisk.conf");
        this.consoleLog = this.dir.resolve("log").resolve("console.log");
    }

    Path dir() {
        return dir;
    }

    /** The process id of the running Asterisk (benchmarks read its CPU time from /proc); -1 when stopped. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        prepare();
        ensurePortsFree();
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-C", conf.toString(), "-f", "-n")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        RUNNING.add(this);
        log.info("started Asterisk pid {} in {}", process.pid(), dir);
        awaitBooted();
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            try {
                run(List.of(binary.toString(), "-C", conf.toString(), "-rx", "core stop now"), Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.warn("'core stop now' failed ({}); terminating pid {}", e.getMessage(), process.pid());
            }
            if (!waitFor(process, STOP_TIMEOUT)) {
                log.warn("Asterisk pid {} still running {} after 'core stop now'; killing it", process.pid(), STOP_TIMEOUT);
                kill();
            }
        }
        log.info("Asterisk pid {} ended with exit code {}", process.pid(), process.isAlive() ? "?" : process.exitValue());
        RUNNING.remove(this);
        process = null;
        awaitPortsFree(Duration.ofSeconds(10));
    }

    @Override
    public synchronized void crash() {
        if (process == null) {
            return;
        }
        log.info("killing Asterisk pid {} (SIGKILL)", process.pid());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(10));
        RUNNING.remove(this);
        process = null;
        awaitPortsFree(Duration.ofSeconds(10));
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String rx(String command) {
        Result r = run(List.of(binary.toString(), "-C", conf.toString(), "-rx", command), RX_TIMEOUT);
        if (r.exitCode != 0) {
            throw new IllegalStateException("asterisk -rx '" + command + "' exited " + r.exitCode + ": " + r.output.strip());
        }
        return r.output;
    }

    @Override
    public String logTail(int lines) {
        return tail(consoleLog, lines);
    }

    @Override
    public String describe() {
        return binary + " -C " + conf;
    }

    @Override
    public void close() {
        stop();
    }

    // ---- preparation -----------------------------------------------------------------------------

    private void prepare() {
        if (prepared) {
            return;
        }
        try {
            Path etc = dir.resolve("etc");
            Path data = dir.resolve("data");
            for (String d : List.of("etc", "data", "data/agi-bin", "db", "spool/monitor", "spool/recording",
                    "spool/outgoing", "spool/tmp", "run", "log/cdr-csv", "cache")) {
                Files.createDirectories(dir.resolve(d));
            }
            try (DirectoryStream<Path> confs = Files.newDirectoryStream(configSource, "*.conf")) {
                for (Path c : confs) {
                    Files.copy(c, etc.resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // Included directories (pjsip.d/, extensions.d/: what an admin mounts beside the image's files).
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(configSource, "*.d")) {
                for (Path d : dirs) {
                    if (Files.isDirectory(d)) {
                        Files.createDirectories(etc.resolve(d.getFileName()));
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "*.conf")) {
                            for (Path c : files) {
                                Files.copy(c, etc.resolve(d.getFileName()).resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                            }
                        }
                    }
                }
            }
            Path varLib = prefix.resolve("var").resolve("lib").resolve("asterisk");
            if (Files.isDirectory(varLib)) {
                try (DirectoryStream<Path> items = Files.newDirectoryStream(varLib)) {
                    for (Path item : items) {
                        String name = item.getFileName().toString();
                        if (!name.equals("sounds") && !name.equals("moh") && !name.equals("agi-bin")
                                && !name.startsWith("astdb")) {
                            link(data.resolve(name), item);
                        }
                    }
                }
            }
            link(data.resolve("sounds"), pick(varLib.resolve("sounds"), DEBIAN_SOUNDS, "en"));
            link(data.resolve("moh"), pick(varLib.resolve("moh"), DEBIAN_MOH, null));
            Files.writeString(conf, asteriskConf(), StandardCharsets.UTF_8);
            prepared = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Asterisk directory " + dir, e);
        }
    }

    /** The prefix's directory if it has content (for sounds: the language dir), else the Debian one. */
    private static Path pick(Path own, Path debian, String mustContain) throws IOException {
        if (Files.isDirectory(own)) {
            if (mustContain != null ? Files.exists(own.resolve(mustContain)) : hasFiles(own)) {
                return own;
            }
        }
        return debian;
    }

    private static boolean hasFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.anyMatch(Files::isRegularFile);
        }
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    private String asteriskConf() {
        // [directories] without "(!)": with it the section is a template and is silently ignored.
        return "; generated by the integration-test harness (AsteriskProcess)\n"
                + "[directories]\n"
                + "astetcdir => " + dir.resolve("etc") + "\n"
                + "astmoddir => " + prefix.resolve("lib/asterisk/modules") + "\n"
                + "astvarlibdir => " + dir.resolve("data") + "\n"
                + "astdbdir => " + dir.resolve("db") + "\n"
                + "astkeydir => " + dir.resolve("data") + "\n"
                + "astdatadir => " + dir.resolve("data") + "\n"
                + "astagidir => " + dir.resolve("data/agi-bin") + "\n"
                + "astspooldir => " + dir.resolve("spool") + "\n"
                + "astrundir => " + dir.resolve("run") + "\n"
                + "astlogdir => " + dir.resolve("log") + "\n"
                + "astsbindir => " + prefix.resolve("sbin") + "\n"
                + "astcachedir => " + dir.resolve("cache") + "\n"
                + "\n[options]\n"
                + "verbose = 3\n"
                + "debug = 0\n"
                + "transmit_silence = yes\n"
                + "documentation_language = en_US\n"
                + "hideconnect = yes\n";
    }

    // ---- boot and ports --------------------------------------------------------------------------

    private void awaitBooted() {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                RUNNING.remove(this);
                process = null;
                throw new IllegalStateException("Asterisk exited with code " + code + " while booting\n"
                        + "--- " + consoleLog + " (tail) ---\n" + logTail(60));
            }
            Result r = run(List.of(binary.toString(), "-C", conf.toString(), "-rx", "core waitfullybooted"),
                    Duration.ofSeconds(10));
            last = r.output.strip();
            if (r.exitCode == 0 && r.output.contains("fully booted") && amiBanner().isPresent()
                    && accepts(HTTP_PORT)) {
                log.info("Asterisk is fully booted ({})", amiBanner().orElse(""));
                return;
            }
            sleep(200);
        }
        String tail = logTail(60);
        kill();
        throw new IllegalStateException("Asterisk did not boot within " + BOOT_TIMEOUT + " (last 'core waitfullybooted': "
                + last + ")\n--- " + consoleLog + " (tail) ---\n" + tail);
    }

    /** The first line AMI sends, if it accepts a connection. */
    static Optional<String> amiBanner() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, AMI_PORT), 1000);
            s.setSoTimeout(2000);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            return line != null && line.startsWith("Asterisk Call Manager") ? Optional.of(line) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @SuppressWarnings("try") // the socket is only bound to see whether the port is free
    static boolean udpFree(int port) {
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> busyPorts() {
        List<String> busy = new ArrayList<>();
        if (accepts(AMI_PORT)) {
            busy.add("tcp " + AMI_PORT + " (AMI)");
        }
        if (accepts(HTTP_PORT)) {
            busy.add("tcp " + HTTP_PORT + " (HTTP/ARI)");
        }
        if (!udpFree(SIP_PORT)) {
            busy.add("udp " + SIP_PORT + " (SIP)");
        }
        return busy;
    }

    /**
     * The ports are fixed (asterisk-config/), so another Asterisk on them would make the tests talk to
     * the wrong switch. A leftover of an earlier harness run (its -C under our work area) is ended;
     * anything else is reported.
     */
    private void ensurePortsFree() {
        List<String> busy = busyPorts();
        if (busy.isEmpty()) {
            return;
        }
        String workArea = dir.getParent().toString();
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains(binary.toString()) && c.contains(workArea)
                        && !c.contains(" -rx ")).orElse(false))
                .toList();
        for (ProcessHandle h : leftovers) {
            log.warn("ending a leftover Asterisk of an earlier test run: pid {} {}", h.pid(), h.info().commandLine().orElse(""));
            h.destroyForcibly();
        }
        if (!leftovers.isEmpty()) {
            awaitPortsFree(Duration.ofSeconds(10));
            busy = busyPorts();
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException("cannot start Asterisk for the tests: 127.0.0.1 " + busy
                    + " already in use (another Asterisk, e.g. a lab instance? see 'ss -ltnup'). The tests need these "
                    + "fixed ports from asterisk-config/.");
        }
    }

    private static void awaitPortsFree(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!busyPorts().isEmpty() && System.nanoTime() < deadline) {
            sleep(100);
        }
    }

    // ---- processes -------------------------------------------------------------------------------

    /** Ends the process (and anything it started) without asking. */
    private void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroy();
        if (!waitFor(p, Duration.ofSeconds(3))) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(5));
        }
    }

    private static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    record Result(int exitCode, String output) {}

    /** Runs a short command, output and errors together; exit code -1 if it did not end in time. */
    static Result run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            }, "rx-reader");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeout);
            }
            reader.join(2000);
            return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file + ")";
        }
        Deque<String> last = new ArrayDeque<>(lines);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
        return String.join("\n", last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
