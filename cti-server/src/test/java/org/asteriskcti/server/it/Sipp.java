package org.asteriskcti.server.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIPp phones on 127.0.0.1, one process per phone, with our scenarios (test resources it/sipp/).
 * Ports follow asterisk-config/pjsip.conf's static contacts: agent 100N on 5070+N, customer 200N on
 * 5080+N; media ports 10 apart (agents 16000+10N, customers 16100+10N) because SIPp also binds
 * media port +2 for video. Each phone writes its SIP messages, unexpected messages and screen to
 * files in the work directory; {@link Phone#describe()} puts them in failure messages.
 */
final class Sipp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sipp.class);
    private static final String[] SCENARIOS = {"uas-answer.xml", "uas-answer-hangup.xml", "uas-busy.xml",
            "uas-noanswer.xml", "uac-call.xml", "uac-wait-bye.xml", "uac-callback.xml", "uac-audio.xml",
            "uac-press-1.xml", "uac-survey-4.xml", "uac-audio-hangup.xml"};
    /** The speech uac-audio.xml plays: sip-tester's G.711 A-law sample (RTP payload type 8, 30 ms packets). */
    static final Path SPEECH_PCAP = Paths.get("/usr/share/sip-tester/g711a.pcap");
    /** How long one pass of {@link #SPEECH_PCAP} lasts (236 packets of 30 ms). */
    static final Duration SPEECH_PASS = Duration.ofMillis(7080);
    /** Upper bound on every SIPp process (-timeout); a test's own waits are shorter. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    private final Path binary;
    private final Path dir;
    private final List<Phone> phones = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    /** {@code sipp} on the PATH, if any. */
    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Paths.get(d, "sipp");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    Sipp(Path binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            for (String s : SCENARIOS) {
                try (InputStream in = Sipp.class.getResourceAsStream("/it/sipp/" + s)) {
                    if (in == null) {
                        throw new IllegalStateException("test resource it/sipp/" + s + " is missing");
                    }
                    Files.copy(in, dir.resolve(s), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    static int agentPort(String agent) {
        return 5070 + index(agent, "100");
    }

    static int customerPort(String customer) {
        return 5080 + index(customer, "200");
    }

    private static int index(String number, String prefix) {
        if (number.length() != 4 || !number.startsWith(prefix) || number.charAt(3) < '1' || number.charAt(3) > '4') {
            throw new IllegalArgumentException(number + " is not one of " + prefix + "1.." + prefix + "4 (asterisk-config/pjsip.conf)");
        }
        return number.charAt(3) - '0';
    }

    /** Agent phone (UAS): rings for {@code ringTime}, answers, stays until the far end's BYE. One call. */
    Phone agentAnswering(String agent, Duration ringTime) {
        int port = agentPort(agent);
        return start("agent-" + agent, port, List.of(
                "-sf", dir.resolve("uas-answer.xml").toString(),
                "-i", AsteriskUnderTest.HOST, "-p", Integer.toString(port),
                "-mp", Integer.toString(16000 + 10 * (port - 5070)),
                "-s", agent,
                "-d", Long.toString(ringTime.toMillis())));
    }

    /**
     * Agent phone (UAS) running {@code scenario} (uas-answer.xml, uas-answer-hangup.xml, uas-busy.xml,
     * uas-noanswer.xml) for {@code calls} calls, ringing {@code ringTime} where it rings.
     */
    Phone agent(String agent, String scenario, Duration ringTime, int calls) {
        int port = agentPort(agent);
        return start("agent-" + agent + "-" + scenario.replace(".xml", ""), port, List.of(
                "-sf", dir.resolve(scenario).toString(),
                "-i", AsteriskUnderTest.HOST, "-p", Integer.toString(port),
                "-mp", Integer.toString(16000 + 10 * (port - 5070)),
                "-s", agent,
                "-d", Long.toString(ringTime.toMillis())), calls);
    }

    /**
     * {@code calls} customer calls (UAC) from one endpoint to {@code dialled}, one every {@code every}:
     * each talks {@code talkTime} after being answered and hangs up; or, with a null talk time, stays
     * until the far end hangs up.
     */
    Phone customers(String customer, String dialled, int calls, Duration every, Duration talkTime) {
        List<String> extra = new ArrayList<>(List.of("-l", Integer.toString(calls), "-r", "1", "-rp", Long.toString(every.toMillis())));
        if (talkTime != null) {
            extra.addAll(List.of("-d", Long.toString(talkTime.toMillis())));
        }
        return uac("customers-" + customer + "-to-" + dialled + "-x" + calls, customer, dialled,
                talkTime == null ? "uac-wait-bye.xml" : "uac-call.xml", extra, calls);
    }

    /** Customer (UAC): calls {@code dialled} from its endpoint, talks {@code talkTime}, sends BYE. */
    Phone customerCalling(String customer, String dialled, Duration talkTime) {
        return uac("customer-" + customer + "-to-" + dialled, customer, dialled, "uac-call.xml",
                List.of("-d", Long.toString(talkTime.toMillis())), 1);
    }

    /** Customer (UAC): calls {@code dialled}, presses * (RFC 4733) after 2 s, stays until the far end's BYE. */
    Phone customerAskingForCallback(String customer, String dialled) {
        return uac("customer-" + customer + "-to-" + dialled + "-callback", customer, dialled, "uac-callback.xml", List.of(), 1);
    }

    /** Customer (UAC) in an IVR menu: calls {@code dialled}, presses 1 (RFC 4733) after 2 s, waits for the far end's BYE. */
    Phone customerPressing1(String customer, String dialled) {
        return uac("customer-" + customer + "-to-" + dialled + "-press-1", customer, dialled, "uac-press-1.xml", List.of(), 1);
    }

    /**
     * Customer (UAC) in an IVR: calls {@code dialled} offering PCMU and telephone-event, then plays
     * {@code steps} once answered — {@code p<ms>} a pause, {@code k<key>} one key as RFC 4733 events (0-9,
     * * as s, # as h), for example {@code "p2000 k1 p1500 k9"} — then stays until the far end hangs up, or,
     * with {@code hangUp}, sends BYE itself.
     *
     * <p>sipp replays sip-tester's pcaps as recorded: one RTP stream (same SSRC) whose sequence numbers rise
     * in the order 1, 2, ..., 9, *, #, 0. Asterisk drops a packet older than one it has seen, so within one
     * call the keys must come in that order (a later key with a lower sequence number would be lost
     * silently); a step list breaking it is refused here.
     */
    Phone customerKeys(String customer, String dialled, String steps, boolean hangUp) {
        String order = "123456789sh0";
        int last = -1;
        for (String step : steps.isBlank() ? new String[0] : steps.trim().split("\\s+")) {
            if (step.matches("k[0-9sh]")) {
                int at = order.indexOf(step.charAt(1));
                if (at <= last) {
                    throw new IllegalArgumentException("keys of one call must follow the pcaps' RTP order " + order
                            + " (Asterisk drops older sequence numbers): " + steps);
                }
                last = at;
            }
        }
        StringBuilder body = new StringBuilder();
        for (String step : steps.isBlank() ? new String[0] : steps.trim().split("\\s+")) {
            if (step.matches("p\\d+")) {
                body.append("  <pause milliseconds=\"").append(step.substring(1)).append("\"/>\n");
            } else if (step.matches("k[0-9sh]")) {
                String key = switch (step.charAt(1)) {
                    case 's' -> "star";
                    case 'h' -> "pound";
                    default -> String.valueOf(step.charAt(1));
                };
                body.append("  <nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_").append(key)
                        .append(".pcap\"/></action></nop>\n");
            } else {
                throw new IllegalArgumentException("step '" + step + "' is neither p<ms> nor k<key> in '" + steps + "'");
            }
        }
        String template;
        try (InputStream in = Sipp.class.getResourceAsStream("/it/sipp/uac-keys.xml.template")) {
            template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String end = hangUp ? "HANGUP" : "WAIT";
        String xml = template.replace("<!--STEPS-->", body.toString())
                .replaceAll("(?s)<!--IF-" + (hangUp ? "WAIT" : "HANGUP") + "-->.*?<!--END-->", "")
                .replace("<!--IF-" + end + "-->", "").replace("<!--END-->", "");
        String name = "customer-" + customer + "-to-" + dialled + "-keys-" + counter.get();
        Path file = dir.resolve(name + ".xml");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uac(name, customer, dialled, file.toString(), List.of(), 1);
    }

    /**
     * Customer (UAC) who answers a post-call survey: calls {@code dialled}, stays on the line after the agent
     * hangs up, presses 4 (RFC 4733) {@code pressAfter} after being answered, then waits for the far end's BYE.
     */
    Phone customerAnsweringSurveyWith4(String customer, String dialled, Duration pressAfter) {
        return uac("customer-" + customer + "-to-" + dialled + "-survey-4", customer, dialled, "uac-survey-4.xml",
                List.of("-d", Long.toString(pressAfter.toMillis())), 1);
    }

    /** The customer's phone (UAS) taking a call to it (a callback): {@code scenario} as for an agent. */
    Phone customerAnswering(String customer, String scenario, Duration ringTime) {
        int port = customerPort(customer);
        return start("customer-" + customer + "-" + scenario.replace(".xml", ""), port, List.of(
                "-sf", dir.resolve(scenario).toString(),
                "-i", AsteriskUnderTest.HOST, "-p", Integer.toString(port),
                "-mp", Integer.toString(16100 + 10 * (port - 5080)),
                "-s", customer,
                "-d", Long.toString(ringTime.toMillis())), 1);
    }

    /**
     * Customer (UAC) who talks without a break: calls {@code dialled} offering G.711 A-law, and once answered
     * plays {@link #SPEECH_PCAP} {@code passes} times back to back ({@code passes} x {@link #SPEECH_PASS} of
     * continuous speech, e.g. 5 = 35 s), then stays silent on the line; answers the far end's BYE whenever
     * it comes, during the speech too. What a recording of the call holds is then speech, except where it
     * was paused (exact digital silence) and after the speech ran out.
     */
    Phone customerCallingWithAudio(String customer, String dialled, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("at least one pass of speech, got " + passes);
        }
        if (!Files.isRegularFile(SPEECH_PCAP)) {
            throw new IllegalStateException(SPEECH_PCAP + " is missing: install Debian's sip-tester (it ships the pcap)");
        }
        return uac("customer-" + customer + "-to-" + dialled + "-speaking", customer, dialled, "uac-audio.xml",
                List.of("-set", "loops", Integer.toString(passes)), 1);
    }

    /**
     * Customer (UAC) who leaves a message: calls {@code dialled} as {@link #customerCallingWithAudio}, speaks
     * {@code passes} x {@link #SPEECH_PASS} from the answer on, then hangs up (BYE) once the last pass played out.
     */
    Phone customerSpeakingThenHangingUp(String customer, String dialled, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("at least one pass of speech, got " + passes);
        }
        if (!Files.isRegularFile(SPEECH_PCAP)) {
            throw new IllegalStateException(SPEECH_PCAP + " is missing: install Debian's sip-tester (it ships the pcap)");
        }
        return uac("customer-" + customer + "-to-" + dialled + "-speaking-then-hanging-up", customer, dialled,
                "uac-audio-hangup.xml", List.of("-set", "loops", Integer.toString(passes)), 1);
    }

    /** Customer (UAC): calls {@code dialled} and stays until the far end sends BYE. */
    Phone customerCallingUntilHungUp(String customer, String dialled) {
        return uac("customer-" + customer + "-to-" + dialled + "-waits", customer, dialled, "uac-wait-bye.xml", List.of(), 1);
    }

    /**
     * A phone on {@code port} running a scenario a test brings along (test resource it/sipp/{@code scenario},
     * copied into the work directory on first use), with {@code args} (everything but -sf and the log options).
     */
    Phone phone(String name, int port, String scenario, List<String> args) {
        Path file = dir.resolve(scenario);
        try (InputStream in = Sipp.class.getResourceAsStream("/it/sipp/" + scenario)) {
            if (in == null) {
                throw new IllegalStateException("test resource it/sipp/" + scenario + " is missing");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + scenario + " to " + dir, e);
        }
        List<String> all = new ArrayList<>(List.of("-sf", file.toString()));
        all.addAll(args);
        return start(name, port, all, 1);
    }

    /** A customer's UAC {@code scenario} from its endpoint's port to Asterisk, dialling {@code dialled}. */
    private Phone uac(String name, String customer, String dialled, String scenario, List<String> extra, int calls) {
        int port = customerPort(customer);
        List<String> args = new ArrayList<>(List.of(
                AsteriskUnderTest.HOST + ":" + AsteriskUnderTest.SIP_PORT,
                "-sf", dir.resolve(scenario).toString(),
                "-key", "caller", customer, "-s", dialled,
                "-i", AsteriskUnderTest.HOST, "-p", Integer.toString(port),
                "-mp", Integer.toString(16100 + 10 * (port - 5080))));
        args.addAll(extra);
        return start(name, port, args, calls);
    }

    private Phone start(String name, int port, List<String> args) {
        return start(name, port, args, 1);
    }

    private Phone start(String name, int port, List<String> args, int calls) {
        for (Phone p : phones) {
            if (p.port == port && p.isAlive()) {
                throw new IllegalStateException("a SIPp phone already runs on port " + port + ": " + p.name);
            }
        }
        if (!AsteriskProcess.udpFree(port)) {
            throw new IllegalStateException("udp 127.0.0.1:" + port + " is busy (a stray sipp? 'ss -lunp'); cannot start " + name);
        }
        String base = String.format("%02d-%s", counter.incrementAndGet(), name);
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        cmd.addAll(List.of("-m", Integer.toString(calls), "-aa", "-nostdin",
                "-timeout", DEFAULT_TIMEOUT.toSeconds() + "s", "-timeout_error",
                "-trace_msg", "-message_file", dir.resolve(base + ".messages.log").toString(),
                "-trace_err", "-error_file", dir.resolve(base + ".errors.log").toString(),
                "-trace_screen", "-screen_file", dir.resolve(base + ".screen.log").toString()));
        Path out = dir.resolve(base + ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            Phone phone = new Phone(base, port, p, cmd, dir, out);
            phones.add(phone);
            phone.awaitBound();
            log.info("sipp {} started (pid {}, port {})", base, p.pid(), port);
            return phone;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Ends every phone still running (after each test: no leftovers on the fixed ports). */
    void killAll() {
        for (Phone p : phones) {
            p.kill();
        }
        phones.clear();
    }

    /** Descriptions of every phone of this test, for a failure message. */
    String describeAll() {
        StringBuilder sb = new StringBuilder();
        for (Phone p : phones) {
            sb.append(p.describe()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        killAll();
    }

    /** One SIPp process. */
    static final class Phone {
        final String name;
        final int port;
        private final Process process;
        private final List<String> command;
        private final Path dir;
        private final Path out;

        Phone(String name, int port, Process process, List<String> command, Path dir, Path out) {
            this.name = name;
            this.port = port;
            this.process = process;
            this.command = command;
            this.dir = dir;
            this.out = out;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** The SIP messages this phone sent and received (-trace_msg). */
        String messages() {
            try {
                return java.nio.file.Files.readString(dir.resolve(name + ".messages.log"));
            } catch (java.io.IOException e) {
                return "(no message log: " + e + ")";
            }
        }

        /** SIPp binds its SIP port at start; wait for that so Asterisk never sends to nobody. */
        void awaitBound() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("sipp exited at start (" + exitMeaning(process.exitValue()) + ")\n" + describe());
                }
                // Read the kernel's socket table: probing by binding the port ourselves would race with
                // sipp's own bind (it then exits 254 "Address already in use", as seen in CI).
                if (udpBound(port)) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            throw new IllegalStateException("sipp did not bind udp " + port + " within 5 s\n" + describe());
        }

        /** Whether some socket is bound to udp {@code port} (Linux /proc/net/udp, IPv4 and IPv6). */
        static boolean udpBound(int port) {
            String hex = String.format(":%04X ", port);
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                try {
                    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                        String[] f = line.trim().split("\\s+");
                        if (f.length > 1 && (f[1] + " ").endsWith(hex)) {
                            return true;
                        }
                    }
                } catch (IOException e) {
                    // no such table: try the next
                }
            }
            return false;
        }

        /** The exit code, waiting at most {@code timeout}; empty if still running. */
        Optional<Integer> awaitExit(Duration timeout) {
            try {
                if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return Optional.of(process.exitValue());
                }
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        /** Waits for the end of the scripted call and fails (with SIPp's logs) unless it exited 0. */
        void assertSucceeded(Duration timeout) {
            Optional<Integer> code = awaitExit(timeout);
            if (code.isEmpty()) {
                throw new AssertionError("sipp " + name + " still running after " + timeout + "\n" + describe());
            }
            if (code.get() != 0) {
                throw new AssertionError("sipp " + name + " exited " + exitMeaning(code.get()) + "\n" + describe());
            }
        }

        void kill() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(2, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(2, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        static String exitMeaning(int code) {
            return code + switch (code) {
                case 0 -> " (all calls successful)";
                case 1 -> " (at least one call failed)";
                case 97 -> " (exit on internal command)";
                case 99 -> " (normal exit without calls processed)";
                case 253 -> " (RTP validation failure)";
                case 254 -> " (cannot bind its port)";
                case 255 -> " (fatal error)";
                default -> "";
            };
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("--- sipp ").append(name).append(" (port ").append(port).append(", ")
                    .append(process.isAlive() ? "running" : "exit " + exitMeaning(process.exitValue())).append(")\n")
                    .append("    ").append(String.join(" ", command)).append('\n');
            sb.append("  errors.log: ").append(AsteriskProcess.tail(dir.resolve(name + ".errors.log"), 30)).append('\n');
            sb.append("  output: ").append(AsteriskProcess.tail(out, 15)).append('\n');
            sb.append("  messages.log (tail): ").append(AsteriskProcess.tail(dir.resolve(name + ".messages.log"), 40));
            return sb.toString();
        }

        @Override
        public String toString() {
            return "sipp " + name;
        }
    }
}
