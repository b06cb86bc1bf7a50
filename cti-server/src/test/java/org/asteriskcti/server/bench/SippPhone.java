package org.asteriskcti.server.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SIPp process of the ACD benchmark, bound to 127.0.0.1 only, with its message log, error log and
 * final statistics screen in the run's directory. Ports follow asterisk-config/pjsip.conf's static
 * contacts (agent 100N on 5070+N, customer 200N on 5080+N), media ports 10 apart as in the IT harness.
 */
final class SippPhone implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final int ASTERISK_SIP_PORT = 5060;
    private static final Pattern COUNT = Pattern.compile("^\\s*(Successful|Failed) call\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)");

    final String name;
    final int port;
    private final Process process;
    private final List<String> command;
    final Path messages;
    final Path errors;
    final Path screen;
    private final Path out;
    private double lastCpu;

    private SippPhone(String name, int port, Process process, List<String> command, Path dir) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.command = command;
        this.messages = dir.resolve(name + ".messages.log");
        this.errors = dir.resolve(name + ".errors.log");
        this.screen = dir.resolve(name + ".screen.log");
        this.out = dir.resolve(name + ".out");
    }

    /**
     * Agent phone 100N (UAS, bench-agent.xml): answers every call at once, talks {@code talkMillis},
     * hangs up; takes calls until stopped.
     */
    static SippPhone agent(Path dir, Path scenario, int n, long talkMillis, String run) {
        int port = 5070 + n;
        return start(dir, "agent-100" + n + "-" + run, port, List.of(
                "-sf", scenario.toString(), "-i", HOST, "-p", Integer.toString(port),
                "-mp", Integer.toString(16000 + 10 * n), "-s", "100" + n,
                "-m", "1000000", "-d", Long.toString(talkMillis), "-recv_timeout", "10000"));
    }

    /**
     * Customer 200N (UAC, bench-customer.xml) placing {@code calls} calls to {@code dialled} at
     * {@code rate} calls/s, however many are still up; each call's P-Asserted-Identity name is {@code bench-<run>-<call number>}.
     * A call fails when nothing comes for {@code recvTimeoutMillis} (in particular no BYE after the 200 OK).
     */
    static SippPhone customer(Path dir, Path scenario, int n, String dialled, String run, int calls, double rate,
            long recvTimeoutMillis) {
        int port = 5080 + n;
        return start(dir, "customer-200" + n + "-" + run, port, List.of(
                HOST + ":" + ASTERISK_SIP_PORT, "-sf", scenario.toString(),
                "-key", "caller", "200" + n, "-key", "run", run, "-s", dialled,
                "-i", HOST, "-p", Integer.toString(port), "-mp", Integer.toString(16100 + 10 * n),
                // -l: SIPp's default cap on simultaneous calls would slow the offered rate down as soon as
                // callers queue up; the rate must stay the one asked for.
                "-r", rateString(rate), "-rp", "1000", "-m", Integer.toString(calls), "-l", Integer.toString(calls),
                "-recv_timeout", Long.toString(recvTimeoutMillis)));
    }

    private static String rateString(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static SippPhone start(Path dir, String name, int port, List<String> args) {
        if (!udpFree(port)) {
            throw new IllegalStateException("udp 127.0.0.1:" + port + " is busy (another SIPp? an IT running without the lock?)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("sipp");
        cmd.addAll(args);
        cmd.addAll(List.of("-aa", "-nostdin",
                "-trace_msg", "-message_file", dir.resolve(name + ".messages.log").toString(),
                "-trace_err", "-error_file", dir.resolve(name + ".errors.log").toString(),
                "-trace_screen", "-screen_file", dir.resolve(name + ".screen.log").toString()));
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve(name + ".out").toFile()).start();
            SippPhone phone = new SippPhone(name, port, p, cmd, dir);
            phone.awaitBound();
            return phone;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitBound() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sipp " + name + " exited at start with " + process.exitValue() + ": "
                        + tail(out) + "\n" + String.join(" ", command));
            }
            if (!udpFree(port)) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("sipp " + name + " did not bind udp " + port + " within 5 s");
    }

    /**
     * Waits for the process to end by itself; its exit code, or -1 if still running after {@code millis}.
     * Reads its CPU time every 200 ms meanwhile ({@link #cpuSeconds()} is then the last reading).
     */
    int awaitExit(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            cpuSeconds();
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        }
        return -1;
    }

    /** CPU seconds the process has used (/proc), or the last value read while it was alive. */
    double cpuSeconds() {
        double s = ProcCpu.processSeconds(process.pid());
        if (s >= 0) {
            lastCpu = s;
        }
        return lastCpu;
    }

    /** SIPp's own count of successful and failed calls from its final screen, {-1, -1} if not there. */
    long[] callCounts() {
        long ok = -1;
        long failed = -1;
        try {
            for (String l : Files.readAllLines(screen, StandardCharsets.ISO_8859_1)) {
                Matcher m = COUNT.matcher(l);
                if (m.find()) {
                    if (m.group(1).equals("Successful")) {
                        ok = Long.parseLong(m.group(2));
                    } else {
                        failed = Long.parseLong(m.group(2));
                    }
                }
            }
        } catch (IOException e) {
            // no screen: the process did not end normally
        }
        return new long[] {ok, failed};
    }

    /** Lines in the error log (unexpected messages, timeouts, retransmission failures...). */
    long errorLines() {
        try {
            return Files.isRegularFile(errors) ? Files.readAllLines(errors, StandardCharsets.ISO_8859_1).size() : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    String describe() {
        return "sipp " + name + " (" + (process.isAlive() ? "running" : "exit " + process.exitValue()) + ")\n    "
                + String.join(" ", command) + "\n  errors: " + tail(errors) + "\n  output: " + tail(out);
    }

    /** Ends the process (SIGTERM: SIPp flushes its logs and writes its final screen), SIGKILL after 5 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path f) {
        try {
            if (!Files.isRegularFile(f)) {
                return "(none)";
            }
            List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            return String.join("\n    ", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        } catch (IOException e) {
            return "(" + e + ")";
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
