package org.asteriskcti.server.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.asteriskcti.server.AsteriskEdges;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.acd.AcdService;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.it.AsteriskProcess;
import org.asteriskcti.server.it.ItPaths;
import org.slf4j.LoggerFactory;

/**
 * The CTI's own ACD against Asterisk's app_queue on the same Asterisk 22, with the same SIPp phones:
 * customer 2001 dials 700 (Stasis → the CTI's queue {@code support}) or 6000 (dialplan Answer() →
 * app_queue queue {@code support}), and the four agent phones 1001..1004 answer every call at once,
 * talk {@code --talk} ms and hang up. One run = one path and one step (a latency run or one load
 * rate) on a fresh Asterisk and a fresh CTI; {@code cti-server/bench/acd-vs-app-queue.sh} runs the
 * steps one after the other, each under {@code flock /tmp/asterisk-live.lock}. Loopback only.
 *
 * <p>Measured per call from the SIPp message logs (one clock, the machine's): the customer's INVITE
 * sent, its 200 OK received, the agent phone's INVITE received; the customer's P-Asserted-Identity name
 * {@code bench-<run>-<n>}, which Asterisk passes on in the agent INVITE's From, pairs them. CPU: the
 * CTI (this JVM without the bench's threads), Asterisk ({@code /proc/<pid>/stat}) and the machine
 * ({@code /proc/stat}) over the step, less the idle rate measured just before it, per completed call
 * (reached an agent and ended normally on both phones). What the figures mean
 * and the results: docs/benchmarks.md.
 *
 * <pre>
 *   --path acd|app_queue|app_queue-no-cti   acd: 700 into the CTI's ACD; app_queue: 6000 into app_queue with
 *                              the CTI connected (watching over AMI/ARI, routing nothing); app_queue-no-cti:
 *                              the same without any CTI (default acd)
 *   --mode latency|load        latency: --calls calls at --rate (default 100 at 2/s); load: --rate calls/s
 *                              for --duration s
 *   --rate 2                   calls/s offered by the customer phone
 *   --calls 100                calls of a latency run (a load run places rate × duration)
 *   --duration 60              seconds of arrivals in a load run
 *   --talk 200                 ms each agent talks before hanging up
 *   --ring-bound 2000          ms: a caller whose agent phone was not rung within this of dialling counts as lost
 *   --queued-bound 100         ms: a caller rung later than this (but within --ring-bound) counts as queued
 *   --warmup-calls 150         calls at --warmup-rate before the measured step (not reported), to agent
 *                              phones of their own that talk --warmup-talk ms: the CTI's JIT has compiled
 *                              the call path by then
 *   --warmup-rate 3
 *   --warmup-talk 1000
 *   --repeat 1                 measured steps in a row on the same Asterisk and CTI, each reported (the JIT
 *                              may still compile during the first)
 *   --out FILE                 append the step's result row (tab-separated) to FILE
 *   --table FILE               print the Markdown tables of FILE's rows and exit (no live run)
 * </pre>
 */
public final class AcdVsAppQueueBench {

    private static final QueueId SUPPORT = QueueId.of("support");
    private static final List<String> AGENTS = List.of("agent-1001", "agent-1002", "agent-1003", "agent-1004");
    private static final String SCENARIOS = "/bench/sipp/";
    private static final String MEASURED = "m";
    private static final String WARMUP = "w";
    private static final long IDLE_MILLIS = 5_000;
    /** After the customer phone has ended: time for the last teardowns (ARI/AMI events, bridge destroy). */
    private static final long SETTLE_MILLIS = 1_000;
    static final List<String> COLUMNS = List.of("path", "mode", "rep", "rate", "duration_s", "talk_ms", "ring_bound_ms",
            "offered", "rung", "completed", "lost_total", "lost_no_ring", "lost_late", "lost_sip", "sipp_failed", "queued", "queued_bound_ms", "extra_rings",
            "d2r_p50_ms", "d2r_p99_ms", "d2r_max_ms", "d2ok_p50_ms", "ok2r_p50_ms", "ok2r_p99_ms",
            "window_s", "cti_cpu_s", "cti_threads_s", "ast_cpu_s", "machine_s", "steal_s",
            "cti_idle_pct", "ast_idle_pct", "outside_idle_pct", "cti_ms_per_call", "cti_threads_ms_per_call", "ast_ms_per_call", "sipp_ms_per_call",
            "sipp_s", "outside_s",
            "jit_ms", "gc_ms",
            "revision", "started");

    enum PathKind {
        ACD("700", true), APP_QUEUE("6000", true), APP_QUEUE_NO_CTI("6000", false);

        final String dialled;
        final boolean cti;

        PathKind(String dialled, boolean cti) {
            this.dialled = dialled;
            this.cti = cti;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace("_no_cti", "-no-cti");
        }

        static PathKind of(String s) {
            for (PathKind p : values()) {
                if (p.label().equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--path: acd, app_queue or app_queue-no-cti; got " + s);
        }
    }

    private final PathKind path;
    private final boolean load;
    private final double rate;
    private final int calls;
    private final int durationSeconds;
    private final long talkMillis;
    private final long ringBoundMillis;
    private final long queuedBoundMillis;
    private final int warmupCalls;
    private final double warmupRate;
    private final long warmupTalkMillis;
    private final Path out;
    private final int repeat;

    private AcdVsAppQueueBench(Map<String, String> args) {
        this.path = PathKind.of(args.getOrDefault("path", "acd"));
        String mode = args.getOrDefault("mode", "latency");
        if (!mode.equals("latency") && !mode.equals("load")) {
            throw new IllegalArgumentException("--mode: latency or load; got " + mode);
        }
        this.load = mode.equals("load");
        this.rate = Double.parseDouble(args.getOrDefault("rate", "2"));
        this.durationSeconds = Integer.parseInt(args.getOrDefault("duration", "60"));
        this.calls = load ? (int) Math.round(rate * durationSeconds) : Integer.parseInt(args.getOrDefault("calls", "100"));
        this.talkMillis = Long.parseLong(args.getOrDefault("talk", "200"));
        this.ringBoundMillis = Long.parseLong(args.getOrDefault("ring-bound", "2000"));
        this.queuedBoundMillis = Long.parseLong(args.getOrDefault("queued-bound", "100"));
        this.warmupCalls = Integer.parseInt(args.getOrDefault("warmup-calls", "150"));
        this.warmupRate = Double.parseDouble(args.getOrDefault("warmup-rate", "3"));
        this.warmupTalkMillis = Long.parseLong(args.getOrDefault("warmup-talk", "1000"));
        this.out = args.containsKey("out") ? Path.of(args.get("out")) : null;
        this.repeat = Integer.parseInt(args.getOrDefault("repeat", "1"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("usage: --name value ... (see the class comment); got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        if (args.containsKey("table")) {
            System.out.println(BenchTable.markdown(Files.readAllLines(Path.of(args.get("table")))));
            return;
        }
        int code = new AcdVsAppQueueBench(args).run();
        System.exit(code);
    }

    // ---- one run --------------------------------------------------------------------------------------

    private int run() throws Exception {
        Path prefix = AsteriskProcess.configuredPrefix().orElseThrow(() -> new IllegalStateException(
                "set CTI_IT_ASTERISK_PREFIX to an Asterisk 22 install prefix (e.g. /opt/asterisk-22)"));
        if (out != null) {
            BenchTable.checkColumns(out);
        }
        Path work = ItPaths.newWorkDir("acd-bench-" + path.label() + "-" + (load ? "load" : "latency"));
        logCtiTo(work.resolve("cti.log"));
        System.out.printf(Locale.ROOT, "path %s (dial %s), %s: %d calls at %s/s, talk %d ms, ring bound %d ms; work dir %s%n",
                path.label(), path.dialled, load ? "load" : "latency", calls, fmt(rate), talkMillis, ringBoundMillis, work);
        Path sippDir = work.resolve("sipp");
        Path agentScenario = resource(sippDir, "bench-agent.xml");
        Path customerScenario = resource(sippDir, "bench-customer.xml");
        writeRtpPacket(sippDir.resolve("bench-rtp.pcap"));

        AsteriskProcess asterisk = new AsteriskProcess(prefix, benchConfig(work.resolve("asterisk-config")),
                work.resolve("asterisk"));
        CtiServer cti = null;
        List<SippPhone> agents = new ArrayList<>();
        try {
            asterisk.start();
            long asteriskPid = asterisk.pid();
            if (path.cti) {
                cti = startCti(work.resolve("cti"));
                awaitUp(cti);
                if (path == PathKind.ACD) {
                    loginReady(cti);
                }
            }
            // Warm-up with agents of their own that talk --warmup-talk ms: a cold CTI (JIT) can lag by more
            // than a short talk time (docs/benchmarks.md, finding 1).
            for (int n = 1; n <= 4; n++) {
                agents.add(SippPhone.agent(sippDir, agentScenario, n, warmupTalkMillis, WARMUP));
            }
            System.out.printf(Locale.ROOT, "warm-up: %d calls at %s/s, agents talk %d ms (not reported)%n", warmupCalls,
                    fmt(warmupRate), warmupTalkMillis);
            try (SippPhone warm = SippPhone.customer(sippDir, customerScenario, 1, path.dialled, WARMUP, warmupCalls,
                    warmupRate, ringBoundMillis + warmupTalkMillis + 5_000)) {
                int code = warm.awaitExit(TimeUnit.SECONDS.toMillis((long) (warmupCalls / warmupRate) + 60));
                System.out.printf(Locale.ROOT, "  warm-up customer exit %d, calls ok/failed %s%n", code,
                        Arrays.toString(warm.callCounts()));
            }
            for (SippPhone a : agents) {
                a.close();
            }
            agents.clear();
            if (path == PathKind.ACD) {
                System.out.println("  agents after the warm-up: " + agentStates(cti));
            }
            for (int rep = 1; rep <= repeat; rep++) {
                measure(rep, asterisk, asteriskPid, cti, agents, sippDir, agentScenario, customerScenario);
            }
            return 0;
        } catch (Exception | AssertionError e) {
            System.out.println("run failed: " + e);
            for (SippPhone a : agents) {
                System.out.println(a.describe());
            }
            System.out.println("Asterisk console (tail):\n" + asterisk.logTail(40));
            throw e;
        } finally {
            for (SippPhone a : agents) {
                a.close();
            }
            if (cti != null) {
                cti.close();
            }
            asterisk.stop();
        }
    }

    /** One measured step: fresh agent phones, the idle rate, the customer's calls, the figures. */
    private void measure(int rep, AsteriskProcess asterisk, long asteriskPid, CtiServer cti, List<SippPhone> agents,
            Path sippDir, Path agentScenario, Path customerScenario) throws Exception {
        String run = MEASURED + rep;
        agents.clear();
        for (int n = 1; n <= 4; n++) {
            agents.add(SippPhone.agent(sippDir, agentScenario, n, talkMillis, run));
        }
        long recvTimeout = ringBoundMillis + talkMillis + 5_000;
        Thread.sleep(SETTLE_MILLIS);

        // Idle: what the CTI and Asterisk use with nothing happening, subtracted from the step.
        Sample idle0 = Sample.take(asteriskPid);
        Thread.sleep(IDLE_MILLIS);
        Sample idle1 = Sample.take(asteriskPid);
        double idleSeconds = (idle1.nanos - idle0.nanos) / 1e9;
        double ctiIdle = path.cti ? (idle1.cti - idle0.cti) / idleSeconds : 0;
        double ctiThreadsIdle = path.cti ? idle1.ctiThreads(idle0) / idleSeconds : 0;
        double astIdle = (idle1.asterisk - idle0.asterisk) / idleSeconds;
        double outsideIdle = ((idle1.machine[0] - idle0.machine[0]) - (idle1.asterisk - idle0.asterisk)
                - (idle1.cti - idle0.cti)) / idleSeconds;
        if (outsideIdle > 0.10) {
            System.out.printf(Locale.ROOT, "  WARNING: while idle, processes other than Asterisk and this JVM used %.0f %% of a core:"
                    + " something else runs on the machine and competes with the measured step%n", outsideIdle * 100);
        }

        System.out.printf(Locale.ROOT, "measured (%d of %d): %d calls at %s/s%n", rep, repeat, calls, fmt(rate));
        double agentsCpu0 = agents.stream().mapToDouble(SippPhone::cpuSeconds).sum();
        Sample s0 = Sample.take(asteriskPid);
        String started = Instant.now().toString();
        SippPhone customer = SippPhone.customer(sippDir, customerScenario, 1, path.dialled, run, calls, rate,
                recvTimeout);
        int code = customer.awaitExit(TimeUnit.SECONDS.toMillis((long) (calls / rate) + 120));
        Thread.sleep(SETTLE_MILLIS);
        Sample s1 = Sample.take(asteriskPid);
        double sippCpu = customer.cpuSeconds() + agents.stream().mapToDouble(SippPhone::cpuSeconds).sum() - agentsCpu0;
        customer.close();
        long[] customerCounts = customer.callCounts();
        for (SippPhone a : agents) {
            a.close();
        }
        System.out.printf(Locale.ROOT, "  customer exit %d, calls ok/failed %s, error-log lines %d; agents' error-log lines %s%n",
                code, Arrays.toString(customerCounts), customer.errorLines(),
                agents.stream().map(a -> Long.toString(a.errorLines())).toList());
        String channels = asterisk.rx("core show channels count").strip().replace('\n', ' ');
        System.out.println("  Asterisk after the step: " + channels);
        if (path == PathKind.ACD) {
            System.out.println("  agents after the step: " + agentStates(cti));
            System.out.println("  ACD today: " + ctiQuery(cti, acd -> acd.today(SUPPORT)));
        } else {
            System.out.println("  app_queue: " + asterisk.rx("queue show support").lines().findFirst().orElse(""));
        }

        Calls measured = Calls.pair(SippMessages.read(customer.messages),
                agents.stream().map(a -> SippMessages.read(a.messages)).toList(), "bench-" + run + "-",
                ringBoundMillis);
        Map<String, String> row = row(measured, s0, s1, ctiIdle, ctiThreadsIdle, astIdle, customerCounts, started, sippCpu);
        row.put("rep", Integer.toString(rep));
        row.put("outside_idle_pct", String.format(Locale.ROOT, "%.1f", outsideIdle * 100));
        row.put("jit_ms", Long.toString(s1.jitGc[0] - s0.jitGc[0]));
        row.put("gc_ms", Long.toString(s1.jitGc[1] - s0.jitGc[1]));
        System.out.println("  busiest JVM threads: " + s1.topThreads(s0, 8));
        System.out.println();
        System.out.println(BenchTable.describe(row));
        if (!measured.problems.isEmpty()) {
            System.out.println("  lost calls (first 20):");
            measured.problems.stream().limit(20).forEach(p -> System.out.println("    " + p));
        }
        if (out != null) {
            BenchTable.append(out, row);
        }
    }

    private Map<String, String> row(Calls c, Sample s0, Sample s1, double ctiIdle, double ctiThreadsIdle, double astIdle,
            long[] customerCounts, String started, double sippCpu) {
        double window = (s1.nanos - s0.nanos) / 1e9;
        double ctiCpu = s1.cti - s0.cti;
        double astCpu = s1.asterisk - s0.asterisk;
        double machine = s1.machine[0] - s0.machine[0];
        double steal = s1.machine[1] - s0.machine[1];
        long done = Math.max(1, c.completed);
        Map<String, String> r = new LinkedHashMap<>();
        r.put("path", path.label());
        r.put("mode", load ? "load" : "latency");
        r.put("rate", fmt(rate));
        r.put("duration_s", load ? Integer.toString(durationSeconds) : fmt(calls / rate));
        r.put("talk_ms", Long.toString(talkMillis));
        r.put("ring_bound_ms", Long.toString(ringBoundMillis));
        r.put("offered", Long.toString(c.offered));
        r.put("rung", Integer.toString(c.dialToRing.size()));
        r.put("completed", Long.toString(c.completed));
        r.put("lost_total", Long.toString(c.lostTotal()));
        r.put("lost_no_ring", Long.toString(c.lostNoRing));
        r.put("lost_late", Long.toString(c.lostLate));
        r.put("lost_sip", Long.toString(c.lostSip));
        r.put("sipp_failed", Long.toString(customerCounts[1]));
        r.put("queued", Long.toString(c.dialToRing.stream().filter(d -> d > queuedBoundMillis * 1000 && d <= ringBoundMillis * 1000).count()));
        r.put("queued_bound_ms", Long.toString(queuedBoundMillis));
        r.put("extra_rings", Long.toString(c.extraRings));
        r.put("d2r_p50_ms", ms(percentile(c.dialToRing, 50)));
        r.put("d2r_p99_ms", ms(percentile(c.dialToRing, 99)));
        r.put("d2r_max_ms", ms(percentile(c.dialToRing, 100)));
        r.put("d2ok_p50_ms", ms(percentile(c.dialToOk, 50)));
        r.put("ok2r_p50_ms", ms(percentile(c.okToRing, 50)));
        r.put("ok2r_p99_ms", ms(percentile(c.okToRing, 99)));
        r.put("window_s", String.format(Locale.ROOT, "%.2f", window));
        r.put("cti_cpu_s", path.cti ? String.format(Locale.ROOT, "%.2f", ctiCpu) : "");
        r.put("cti_threads_s", path.cti ? String.format(Locale.ROOT, "%.2f", s1.ctiThreads(s0)) : "");
        r.put("ast_cpu_s", String.format(Locale.ROOT, "%.2f", astCpu));
        r.put("machine_s", String.format(Locale.ROOT, "%.2f", machine));
        r.put("steal_s", String.format(Locale.ROOT, "%.2f", steal));
        r.put("cti_idle_pct", path.cti ? String.format(Locale.ROOT, "%.2f", ctiIdle * 100) : "");
        r.put("ast_idle_pct", String.format(Locale.ROOT, "%.2f", astIdle * 100));
        r.put("cti_ms_per_call", path.cti ? String.format(Locale.ROOT, "%.2f", (ctiCpu - ctiIdle * window) * 1000 / done) : "");
        r.put("cti_threads_ms_per_call", path.cti
                ? String.format(Locale.ROOT, "%.2f", (s1.ctiThreads(s0) - ctiThreadsIdle * window) * 1000 / done) : "");
        r.put("ast_ms_per_call", String.format(Locale.ROOT, "%.2f", (astCpu - astIdle * window) * 1000 / done));
        double jvm = ctiCpu; // without a CTI this is the idle bench JVM
        r.put("sipp_ms_per_call", String.format(Locale.ROOT, "%.2f", sippCpu * 1000 / done));
        r.put("sipp_s", String.format(Locale.ROOT, "%.2f", sippCpu));
        r.put("outside_s", String.format(Locale.ROOT, "%.2f", machine - astCpu - jvm - sippCpu));
        r.put("revision", System.getProperty("bench.revision", "?"));
        r.put("started", started);
        return r;
    }

    // ---- per-call figures from the SIPp logs ---------------------------------------------------------

    /** The measured step's calls, paired customer ↔ agent by their bench name. */
    static final class Calls {
        long offered;
        long lostNoRing;
        long lostLate;
        long lostSip;
        long extraRings;
        /** Calls that reached an agent and ended normally on both phones (late ones included). */
        long completed;
        final List<Long> dialToRing = new ArrayList<>();
        final List<Long> okToRing = new ArrayList<>();
        final List<Long> dialToOk = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        long lostTotal() {
            return lostNoRing + lostLate + lostSip;
        }

        static Calls pair(SippMessages customer, List<SippMessages> agents, String namePrefix, long boundMillis) {
            record Leg(long invite, long ok, long bye, String name) {}
            record Ring(long at, int agent, boolean hungUp) {}
            Map<String, long[]> byCallId = new LinkedHashMap<>();
            Map<String, String> nameOf = new HashMap<>();
            for (SippMessages.Message m : customer.messages()) {
                long[] t = byCallId.computeIfAbsent(m.callId(), k -> new long[] {-1, -1, -1});
                if (m.sent() && m.isRequest("INVITE") && t[0] < 0) {
                    t[0] = m.micros();
                    if (m.benchName() != null) {
                        nameOf.put(m.callId(), m.benchName());
                    }
                } else if (!m.sent() && m.isResponse(200, "INVITE") && t[1] < 0) {
                    t[1] = m.micros();
                } else if (!m.sent() && m.isRequest("BYE") && t[2] < 0) {
                    t[2] = m.micros();
                }
            }
            List<Leg> legs = new ArrayList<>();
            byCallId.forEach((id, t) -> {
                String name = nameOf.get(id);
                if (name != null && name.startsWith(namePrefix) && t[0] >= 0) {
                    legs.add(new Leg(t[0], t[1], t[2], name));
                }
            });
            // Agent side: the first INVITE of each of its calls, and whether its BYE got a 200.
            Map<String, List<Ring>> rings = new HashMap<>();
            for (int i = 0; i < agents.size(); i++) {
                Map<String, long[]> calls = new LinkedHashMap<>();
                Map<String, String> names = new HashMap<>();
                for (SippMessages.Message m : agents.get(i).messages()) {
                    long[] t = calls.computeIfAbsent(m.callId(), k -> new long[] {-1, -1});
                    if (!m.sent() && m.isRequest("INVITE") && t[0] < 0) {
                        t[0] = m.micros();
                        if (m.benchName() != null) {
                            names.put(m.callId(), m.benchName());
                        }
                    } else if (!m.sent() && m.isResponse(200, "BYE")) {
                        t[1] = m.micros();
                    }
                }
                int agent = 1001 + i;
                calls.forEach((id, t) -> {
                    String name = names.get(id);
                    if (name != null && name.startsWith(namePrefix) && t[0] >= 0) {
                        rings.computeIfAbsent(name, k -> new ArrayList<>()).add(new Ring(t[0], agent, t[1] >= 0));
                    }
                });
            }
            Calls c = new Calls();
            c.offered = legs.size();
            legs.sort((a, b) -> Long.compare(a.invite, b.invite));
            for (Leg leg : legs) {
                List<Ring> rs = rings.getOrDefault(leg.name, List.of());
                if (rs.isEmpty()) {
                    c.lostNoRing++;
                    c.problems.add(leg.name + ": no agent phone was rung");
                    continue;
                }
                rs.sort((a, b) -> Long.compare(a.at, b.at));
                c.extraRings += rs.size() - 1;
                Ring first = rs.get(0);
                long d2r = first.at - leg.invite;
                c.dialToRing.add(d2r);
                if (leg.ok >= 0) {
                    c.okToRing.add(first.at - leg.ok);
                    c.dialToOk.add(leg.ok - leg.invite);
                }
                boolean ended = leg.bye >= 0 && rs.stream().anyMatch(Ring::hungUp);
                if (ended) {
                    c.completed++;
                }
                if (d2r > boundMillis * 1000) {
                    c.lostLate++;
                    c.problems.add(String.format(Locale.ROOT, "%s: agent %d rung %.1f ms after dialling", leg.name,
                            first.agent, d2r / 1000.0));
                } else if (!ended) {
                    c.lostSip++;
                    c.problems.add(leg.name + ": " + (leg.bye < 0 ? "the customer got no BYE" : "no agent call of it ended normally"));
                }
            }
            return c;
        }
    }

    /** Nearest-rank percentile in µs of unsorted samples; 100 = max; NaN if none. */
    static double percentile(List<Long> samples, int p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(samples);
        Collections.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    private static String ms(double micros) {
        return Double.isNaN(micros) ? "" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    // ---- CPU ------------------------------------------------------------------------------------------

    /** CPU readings at one instant: the CTI (this JVM without the bench), Asterisk, the machine {busy, steal}. */
    record Sample(long nanos, double cti, double asterisk, double[] machine, Map<String, Long> threads, long[] jitGc) {
        static Sample take(long asteriskPid) {
            return new Sample(System.nanoTime(), ProcCpu.jvmSecondsWithoutBench(), ProcCpu.processSeconds(asteriskPid),
                    ProcCpu.machineSeconds(), ProcCpu.threadNanos(), ProcCpu.jitAndGcMillis());
        }

        /** CPU seconds since {@code before} of the CTI's own threads (no JIT, GC or bench threads). */
        double ctiThreads(Sample before) {
            long sum = 0;
            for (Map.Entry<String, Long> e : threads.entrySet()) {
                String name = e.getKey().substring(0, e.getKey().lastIndexOf('#'));
                if (!ProcCpu.isBenchThread(name)) {
                    sum += e.getValue() - before.threads.getOrDefault(e.getKey(), 0L);
                }
            }
            return sum / 1e9;
        }

        /** The JVM threads that used the most CPU since {@code before}, for the run's printout. */
        String topThreads(Sample before, int n) {
            Map<String, Long> delta = new HashMap<>();
            threads.forEach((k, v) -> delta.put(k, v - before.threads.getOrDefault(k, 0L)));
            return delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                    .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue() / 1e9))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    // ---- set-up ---------------------------------------------------------------------------------------

    /**
     * A copy of asterisk-config/ for the bench: app_queue's queue support gets agents 1003 and 1004 too
     * (the ACD has all four), and Asterisk logs notices, warnings and errors but no verbose lines (the
     * lab config logs every dialplan step at verbose 3, and the two paths run different dialplans).
     */
    private static Path benchConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> confs = Files.newDirectoryStream(ItPaths.asteriskConfig(), "*.conf")) {
            for (Path c : confs) {
                Files.copy(c, dir.resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path queues = dir.resolve("queues.conf");
        String q = Files.readString(queues);
        String last = "member => PJSIP/1002,0,Agent Two,PJSIP/1002\n";
        if (!q.contains(last)) {
            throw new IllegalStateException("asterisk-config/queues.conf has no line '" + last.strip() + "' to add 1003/1004 after");
        }
        Files.writeString(queues, q.replace(last, last
                + "; added by the ACD benchmark: the same four agents as the CTI's queue\n"
                + "member => PJSIP/1003,0,Agent Three,PJSIP/1003\n"
                + "member => PJSIP/1004,0,Agent Four,PJSIP/1004\n"));
        Files.writeString(dir.resolve("logger.conf"), String.join("\n",
                "; written by the ACD benchmark: asterisk-config/logger.conf without verbose output",
                "[general]",
                "dateformat = %F %T.%3q",
                "[logfiles]",
                "console => notice,warning,error",
                "messages.log => notice,warning,error",
                ""));
        return dir;
    }

    private static Path resource(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        try (var in = AcdVsAppQueueBench.class.getResourceAsStream(SCENARIOS + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + SCENARIOS + name + " is missing");
            }
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    /**
     * bench-rtp.pcap: one Ethernet/IPv4/UDP packet holding an RTP packet (payload type 0, 160 bytes of
     * u-law silence, 20 ms). SIPp's play_pcap_audio keeps only the UDP payload and sends it from the
     * call's media port to the address in the 200 OK's SDP.
     */
    static void writeRtpPacket(Path file) throws IOException {
        ByteBuffer rtp = ByteBuffer.allocate(12 + 160).order(ByteOrder.BIG_ENDIAN);
        rtp.put((byte) 0x80).put((byte) 0).putShort((short) 0).putInt(0).putInt(0x42454e43);
        for (int i = 0; i < 160; i++) {
            rtp.put((byte) 0xff);
        }
        ByteBuffer udp = ByteBuffer.allocate(8 + rtp.capacity()).order(ByteOrder.BIG_ENDIAN);
        udp.putShort((short) 16110).putShort((short) 20000).putShort((short) udp.capacity()).putShort((short) 0)
                .put(rtp.array());
        ByteBuffer ip = ByteBuffer.allocate(20 + udp.capacity()).order(ByteOrder.BIG_ENDIAN);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1}).put(udp.array());
        ByteBuffer eth = ByteBuffer.allocate(14 + ip.capacity()).order(ByteOrder.BIG_ENDIAN);
        eth.put(new byte[12]).putShort((short) 0x0800).put(ip.array());
        ByteBuffer pcap = ByteBuffer.allocate(24 + 16 + eth.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        pcap.putInt(0).putInt(0).putInt(eth.capacity()).putInt(eth.capacity()).put(eth.array());
        Files.createDirectories(file.getParent());
        try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            o.write(pcap.array());
        }
    }

    /** The real CTI server (production wiring) on the bench Asterisk; its queue support has no wrap-up and no announcements. */
    private static CtiServer startCti(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path yaml = dir.resolve("cti-bench.yaml");
        Files.writeString(yaml, String.join("\n",
                "# written by the ACD benchmark (AcdVsAppQueueBench)",
                "http:",
                "  host: 127.0.0.1",
                "  port: 0",
                "asterisk:",
                "  ami:",
                "    host: 127.0.0.1",
                "    port: 5038",
                "    username: cti",
                "    secret: cti-secret",
                "  ari:",
                "    url: http://127.0.0.1:8088/ari",
                "    username: cti",
                "    password: cti-secret",
                "    app: cti",
                "data-dir: " + dir.resolve("data"),
                "# app_queue's support: wrapuptime = 0, no announcements (asterisk-config/queues.conf)",
                "queues:",
                "  - id: support",
                "    tenant: demo",
                "    wrap-up: 0s",
                "    announce-period: 0s",
                ""), StandardCharsets.UTF_8);
        CtiConfig config = ConfigLoader.load(yaml, Map.of());
        return new CtiServer(config, Clock.systemUTC(), new AsteriskEdges()).start();
    }

    private static void awaitUp(CtiServer cti) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Object> last = Map.of();
        while (System.nanoTime() < deadline) {
            last = cti.health().get(5, TimeUnit.SECONDS);
            if ("UP".equals(last.get("status")) && "synced".equals(last.get("model"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the CTI is not UP and synced within 30 s: " + last);
    }

    /** Logs the four agents in READY once the CTI sees their phones, in order (1001 has been idle longest). */
    private static void loginReady(CtiServer cti) throws Exception {
        for (String a : AGENTS) {
            AgentId id = AgentId.of(a);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!ctiQuery(cti, acd -> acd.agent(id).phoneOnline())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(a + "'s phone not online in the CTI: " + ctiQuery(cti, acd -> acd.agent(id)));
                }
                Thread.sleep(50);
            }
            ctiQuery(cti, acd -> {
                acd.agentLogin(id, true);
                return null;
            });
            AgentState state = ctiQuery(cti, acd -> acd.agent(id).state());
            if (state != AgentState.READY) {
                throw new IllegalStateException(a + " is " + state + " after logging in READY");
            }
            Thread.sleep(20);
        }
    }

    /** agent-1001=READY, agent-1002=NOT_READY(ring failed)... */
    private static String agentStates(CtiServer cti) throws Exception {
        List<String> out = new ArrayList<>();
        for (String a : AGENTS) {
            AgentView v = ctiQuery(cti, acd -> acd.agent(AgentId.of(a)));
            out.add(a + "=" + v.state() + (v.reason() != null ? "(" + v.reason() + ")" : ""));
        }
        return String.join(", ", out);
    }

    private static <T> T ctiQuery(CtiServer cti, Function<AcdService, T> query) throws Exception {
        return cti.loop().call(() -> query.apply(cti.acd())).get(5, TimeUnit.SECONDS);
    }

    /** The CTI's log (INFO, as in production) goes to a file in the work dir; the console keeps WARN and up. */
    private static void logCtiTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            ThresholdFilter warn = new ThresholdFilter();
            warn.setLevel("WARN");
            warn.start();
            a.addFilter(warn);
        }
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> fa = new FileAppender<>();
        fa.setContext(ctx);
        fa.setName("bench-file");
        fa.setFile(file.toString());
        fa.setEncoder(enc);
        fa.start();
        root.addAppender(fa);
    }
}
