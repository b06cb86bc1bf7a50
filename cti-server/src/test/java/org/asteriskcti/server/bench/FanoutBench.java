package org.asteriskcti.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.asteriskcti.server.AsteriskEdges;
import org.asteriskcti.server.CtiServer;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.slf4j.LoggerFactory;

/**
 * Fan-out benchmark (issue 2, item 11): the real Asterisk 22 trace 01 (a queue call answered by an
 * agent) replayed through the AMI edge and the call model of a real {@link CtiServer} to 1, 100 and
 * 1,000 WebSocket clients subscribed to {@code calls}, side by side with a bare Netty broadcast of the
 * same frames (the upper bound). Reports delivered frames/s, Asterisk-event → client latency
 * percentiles, seq gaps, slow-consumer closes and CPU time. Everything runs in this JVM on 127.0.0.1.
 *
 * <p>Run it with {@code cti-server/bench/fanout.sh} (see docs/benchmarks.md). Options:
 * <pre>
 *   --clients 1,100,1000    client counts, one measured CTI run and one bare run each
 *   --repeat 200,150,30     trace repetitions (calls) per run: one number, or one per client count
 *                           (default 200,150,30 with the default clients, else 200 each)
 *   --rate 0                AMI events/s written by the replay server; 0 = as fast as the CTI reads.
 *                           With a rate, the bare run sends its frames with the CTI run's average spacing
 *   --warmup-repeat 50      repetitions of the warm-up runs (CTI and bare, 100 clients, full speed), not reported
 *   --client-threads 2      event loop threads shared by all clients
 *   --max-run-seconds 60    a run that has not gone quiet by then is stopped and marked
 *   --out FILE              also write the result table (Markdown) to FILE
 *   --bare true             false: skip the bare Netty runs
 * </pre>
 */
public final class FanoutBench {

    private static final String TRACE = "ami-01-queue-answered";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long QUIET_MILLIS = 2_000;

    private final int[] clientCounts;
    private final int[] repeats;
    private final double rate;
    private final int warmupRepeat;
    private final int clientThreads;
    private final long maxRunMillis;
    private final Path out;
    private final boolean withBare;

    private FanoutBench(Map<String, String> args) {
        this.clientCounts = ints(args.getOrDefault("clients", "1,100,1000"));
        int[] r = ints(args.getOrDefault("repeat", args.containsKey("clients") ? "200" : "200,150,30"));
        this.repeats = r.length == 1 ? fill(r[0], clientCounts.length) : r;
        if (repeats.length != clientCounts.length) {
            throw new IllegalArgumentException("--repeat: one number, or one per client count");
        }
        this.rate = Double.parseDouble(args.getOrDefault("rate", "0"));
        this.warmupRepeat = Integer.parseInt(args.getOrDefault("warmup-repeat", "50"));
        this.clientThreads = Integer.parseInt(args.getOrDefault("client-threads", "2"));
        this.maxRunMillis = Long.parseLong(args.getOrDefault("max-run-seconds", "60")) * 1000;
        this.out = args.containsKey("out") ? Path.of(args.get("out")) : null;
        this.withBare = Boolean.parseBoolean(args.getOrDefault("bare", "true"));
    }

    public static void main(String[] argv) throws Exception {
        quietLogs();
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("usage: --name value ... (see the class comment); got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        long started = System.nanoTime();
        new FanoutBench(args).run();
        System.out.printf(Locale.ROOT, "%nbench finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    private void run() throws Exception {
        describe();
        CtiConfig defaults = ConfigLoader.load(null, Map.of());
        int low = defaults.clientApi().writeBufferLow();
        int high = defaults.clientApi().writeBufferHigh();

        System.out.printf(Locale.ROOT, "%nwarm-up (not reported): CTI and bare, 100 clients, %d calls%n", warmupRepeat);
        Result warm = cti(100, warmupRepeat, 0);
        System.out.println("  " + warm.line());
        System.out.println("  " + bare(100, warm.captured, low, high, 0).line());

        List<Result[]> rows = new ArrayList<>();
        for (int i = 0; i < clientCounts.length; i++) {
            int n = clientCounts[i];
            System.out.printf(Locale.ROOT, "%nmeasured: %d clients, %d calls%n", n, repeats[i]);
            Result c = cti(n, repeats[i], rate);
            System.out.println("  " + c.line());
            if (withBare) {
                Result b = bare(n, c.captured, low, high, rate > 0 ? c.sourceIntervalNanos() : 0);
                System.out.println("  " + b.line());
                rows.add(new Result[] {c, b});
            } else {
                rows.add(new Result[] {c});
            }
        }
        String table = table(rows);
        System.out.println();
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table, StandardCharsets.UTF_8);
        }
    }

    private void describe() {
        try (AmiReplayServer probe = AmiReplayServer.start(TRACE)) {
            System.out.printf(Locale.ROOT, "trace %s: %d AMI event blocks per repetition, kept %s%n", TRACE,
                    probe.blocksPerRepetition(), probe.keptEvents());
            System.out.printf(Locale.ROOT, "  left out per repetition: %s%n", probe.droppedEvents());
        }
        System.out.printf(Locale.ROOT, "JVM %s, %d processors, max heap %d MiB; replay rate %s; client threads %d%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                rate > 0 ? rate + " AMI events/s" : "full speed", clientThreads);
    }

    // ---- the CTI run --------------------------------------------------------------------------------

    /** One CTI run; {@code amiRate} as {@code --rate} (the warm-up always runs at full speed). */
    private Result cti(int n, int repeat, double amiRate) throws Exception {
        Path dir = Files.createTempDirectory("cti-bench");
        try (AmiReplayServer ami = AmiReplayServer.start(TRACE)) {
            Map<String, String> env = Map.of(
                    "CTI_HTTP_HOST", "127.0.0.1",
                    "CTI_HTTP_PORT", "0",
                    "CTI_ASTERISK_AMI_HOST", "127.0.0.1",
                    "CTI_ASTERISK_AMI_PORT", Integer.toString(ami.port()),
                    "CTI_ASTERISK_ARI_ENABLED", "false",
                    "CTI_DATA_DIR", dir.toString());
            CtiConfig config = ConfigLoader.load(null, env);
            CtiServer server = new CtiServer(config, Clock.systemUTC(), new AsteriskEdges()).start();
            try {
                URI base = URI.create("http://127.0.0.1:" + server.httpAddress().getPort());
                if (!ami.awaitResync(15, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the CTI did not log in to the replay AMI server");
                }
                awaitSynced(base);
                String token = login(base);
                URI ws = URI.create("ws://127.0.0.1:" + base.getPort() + "/ws?access_token=" + token);
                try (WsClients pool = new WsClients(clientThreads)) {
                    long heapBefore = heapAfterGc();
                    List<WsClients.Client> clients = pool.connect(ws, n, true, true, 100, 60_000);
                    MeterRegistry metrics = server.metrics().registry();
                    double slowBefore = counter(metrics, "cti.ws.slow.consumers");
                    CpuSample before = CpuSample.take();
                    CompletableFuture<AmiReplayServer.Replay> replay = ami.replay(repeat, amiRate);
                    double edgeBefore = edgeEvents(metrics);
                    long[] edgeDone = {WallClock.micros()};
                    double[] edgeLast = {edgeBefore};
                    boolean complete = awaitQuiet(clients, replay, () -> {
                        double e = edgeEvents(metrics);
                        if (e != edgeLast[0]) {
                            edgeLast[0] = e;
                            edgeDone[0] = WallClock.micros();
                        }
                    });
                    CpuSample after = CpuSample.take();
                    AmiReplayServer.Replay r = replay.getNow(null);
                    Result result = Result.of("CTI", n, repeat, r == null ? -1 : r.blocks(),
                            r == null ? -1 : r.firstWriteMicros(), clients, complete, after.minus(before),
                            after.processSeconds(before), after.gcMillis() - before.gcMillis(),
                            after.gcCount() - before.gcCount(), CpuSample.Group.CTI_SERVER);
                    result.machine(after, before);
                    if (r != null) {
                        result.sourceMicros = r.lastWriteMicros() - r.firstWriteMicros();
                        result.edgeMicros = edgeDone[0] - r.firstWriteMicros();
                        result.edgeEvents = (long) (edgeLast[0] - edgeBefore);
                    }
                    result.slowConsumerCloses = (long) (counter(metrics, "cti.ws.slow.consumers") - slowBefore);
                    long clientBytes = 0;
                    for (WsClients.Client c : clients) {
                        clientBytes += c.recordedBytes();
                    }
                    result.heapRetainedBytes = heapAfterGc() - heapBefore - clientBytes;
                    Timer age = metrics.find("cti.event.age").timer();
                    if (age != null) {
                        result.serverAgeMeanMs = age.mean(TimeUnit.MICROSECONDS) / 1000.0;
                    }
                    for (WsClients.Client c : clients) {
                        c.disconnect();
                    }
                    return result;
                }
            } finally {
                server.close();
            }
        } finally {
            deleteTree(dir);
        }
    }

    // ---- the bare Netty run -----------------------------------------------------------------------

    /** {@code intervalNanos}: 0 for full speed, else the spacing of the frames (paced runs). */
    private Result bare(int n, List<String> frames, int low, int high, long intervalNanos) throws Exception {
        if (frames.isEmpty()) {
            throw new IllegalStateException("no frames captured from the CTI run to broadcast");
        }
        try (BareBroadcastServer server = new BareBroadcastServer(low, high);
                WsClients pool = new WsClients(clientThreads)) {
            URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
            List<WsClients.Client> clients = pool.connect(ws, n, false, false, 100, 60_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.connected() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CpuSample before = CpuSample.take();
            long startMicros = WallClock.micros();
            CompletableFuture<Long> sent = server.broadcast(frames, intervalNanos);
            boolean complete = awaitQuiet(clients, sent, () -> { });
            CpuSample after = CpuSample.take();
            Result result = Result.of("bare Netty", n, -1, -1, startMicros, clients, complete, after.minus(before),
                    after.processSeconds(before), after.gcMillis() - before.gcMillis(),
                    after.gcCount() - before.gcCount(), CpuSample.Group.BARE_SERVER);
            result.machine(after, before);
            for (WsClients.Client c : clients) {
                c.disconnect();
            }
            return result;
        }
    }

    /**
     * Waits until the source is done and no client has received a frame for {@link #QUIET_MILLIS}
     * (every frame is then delivered), or until the run's time limit; false on the time limit.
     * {@code probe} runs every 100 ms.
     */
    private boolean awaitQuiet(List<WsClients.Client> clients, CompletableFuture<?> source, Runnable probe)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxRunMillis);
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            probe.run();
            if (source.isCompletedExceptionally()) {
                source.join();
            }
            long total = 0;
            for (WsClients.Client c : clients) {
                total += c.events;
            }
            if (total != last) {
                last = total;
                quietSince = System.nanoTime();
            } else if (source.isDone() && System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
                return true;
            }
        }
        return false;
    }

    // ---- results ----------------------------------------------------------------------------------

    /** One run's figures. */
    static final class Result {
        String system;
        int clients;
        int calls;
        long amiEvents;
        long framesTotal;
        long minPerClient;
        long maxPerClient;
        double avgFrameBytes;
        double seconds;
        double framesPerSecond;
        double perClientPerSecond;
        double amiEventsPerSecond;
        double p50Ms;
        double p99Ms;
        double p999Ms;
        double maxMs;
        long gaps;
        long closed4429;
        long closedOther;
        long slowConsumerCloses = -1;
        double serverAgeMeanMs = -1;
        double serverCpu;
        double clientCpu;
        double processCpu;
        long gcMillis;
        long gcCount;
        boolean complete;
        /** How long the AMI replay took to write its blocks (CTI runs). */
        long sourceMicros = -1;
        /** CTI runs: when the AMI edge had handed over its last event (after the first AMI write), and how many. */
        long edgeMicros = -1;
        long edgeEvents = -1;
        /**
         * CTI runs: heap in use after a full GC at the end of the run (sessions still open) minus before
         * the clients connected, less what the bench's own clients recorded.
         */
        long heapRetainedBytes = -1;
        /** p50/p99 ms over each quarter of every client's frames, in arrival order. */
        String quarters = "";
        List<String> captured = List.of();

        /** Whole-machine CPU over the CPU window (run plus quiet period): all busy seconds, and hypervisor steal. */
        double machineBusy = -1;
        double steal = -1;

        void machine(CpuSample after, CpuSample before) {
            machineBusy = after.machineBusySeconds(before);
            steal = after.stealSeconds(before);
        }

        /**
         * CPU seconds the machine spent outside this JVM during the run (machine busy minus this JVM):
         * other processes, and kernel work (loopback softirqs) not charged to this process.
         */
        double othersCpu() {
            return machineBusy < 0 ? -1 : Math.max(0, machineBusy - processCpu);
        }

        /** The average spacing of this run's frames at the source, for a bare run paced alike. */
        long sourceIntervalNanos() {
            return maxPerClient <= 1 || sourceMicros <= 0 ? 0 : sourceMicros * 1_000 / maxPerClient;
        }

        static Result of(String system, int n, int calls, long amiEvents, long startMicros,
                List<WsClients.Client> clients, boolean complete, Map<CpuSample.Group, Double> cpu, double processCpu,
                long gcMillis, long gcCount, CpuSample.Group serverGroup) {
            Result r = new Result();
            r.system = system;
            r.clients = n;
            r.calls = calls;
            r.amiEvents = amiEvents;
            r.complete = complete;
            r.minPerClient = Long.MAX_VALUE;
            long lastMicros = startMicros;
            long bytes = 0;
            long[][] all = new long[clients.size()][];
            for (int i = 0; i < clients.size(); i++) {
                WsClients.Client c = clients.get(i);
                int events = c.events; // volatile read first: publishes the client's other fields
                all[i] = c.latencies();
                r.framesTotal += events;
                r.minPerClient = Math.min(r.minPerClient, events);
                r.maxPerClient = Math.max(r.maxPerClient, events);
                r.gaps += c.gaps;
                bytes += c.eventBytes;
                lastMicros = Math.max(lastMicros, c.lastEventMicros);
                if (c.closeCode == 4429) {
                    r.closed4429++;
                } else if (c.closeCode != 0) {
                    r.closedOther++;
                }
            }
            r.avgFrameBytes = r.framesTotal == 0 ? 0 : (double) bytes / r.framesTotal;
            r.seconds = (lastMicros - startMicros) / 1e6;
            r.framesPerSecond = r.framesTotal / r.seconds;
            r.perClientPerSecond = r.framesPerSecond / n;
            r.amiEventsPerSecond = amiEvents > 0 ? amiEvents / r.seconds : -1;
            long[] lat = Stream.of(all).flatMapToLong(Arrays::stream).sorted().toArray();
            r.p50Ms = percentile(lat, 0.50);
            r.p99Ms = percentile(lat, 0.99);
            r.p999Ms = percentile(lat, 0.999);
            r.maxMs = lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0;
            StringBuilder q = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                final int part = k;
                long[] quarter = Stream.of(all).flatMapToLong(a -> Arrays.stream(a, a.length * part / 4,
                        a.length * (part + 1) / 4)).sorted().toArray();
                q.append(String.format(Locale.ROOT, "%s q%d %.2f/%.2f", k == 0 ? "" : ",", k + 1,
                        percentile(quarter, 0.50), percentile(quarter, 0.99)));
            }
            r.quarters = q.toString();
            r.serverCpu = cpu.get(serverGroup);
            r.clientCpu = cpu.get(CpuSample.Group.CLIENTS);
            r.processCpu = processCpu;
            r.gcMillis = gcMillis;
            r.gcCount = gcCount;
            if (!clients.isEmpty()) {
                r.captured = List.copyOf(clients.get(0).captured);
            }
            return r;
        }

        private static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
        }

        String line() {
            return String.format(Locale.ROOT, "%-10s %4d clients: %,d frames (%,d-%,d per client, %.0f B avg) in %.2f s "
                    + "= %,.0f frames/s (%,.0f per client)%s; latency p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms; "
                    + "gaps %d; closed 4429: %d, other: %d%s; CPU s: server %.2f, clients %.2f, process %.2f; "
                    + "GC %d ms (%d); CPU outside this JVM %.2f s, steal %.2f s%s%s",
                    system, clients, framesTotal, minPerClient, maxPerClient, avgFrameBytes, seconds, framesPerSecond,
                    perClientPerSecond, amiEvents > 0 ? String.format(Locale.ROOT,
                            "; AMI %,d events = %,.0f/s end to end, written in %.2f s", amiEvents, amiEventsPerSecond,
                            sourceMicros / 1e6) : "",
                    p50Ms, p99Ms, p999Ms, maxMs, gaps, closed4429, closedOther,
                    slowConsumerCloses >= 0 ? "; server slow-consumer closes " + slowConsumerCloses : "",
                    serverCpu, clientCpu, processCpu, gcMillis, gcCount, othersCpu(), steal,
                    serverAgeMeanMs >= 0 ? String.format(Locale.ROOT, "; server event age at publish, mean %.2f ms",
                            serverAgeMeanMs) : "",
                    complete ? "" : "; STOPPED AT THE TIME LIMIT")
                    + "\n             latency p50/p99 ms by quarter of each client's frames:" + quarters
                    + (edgeMicros >= 0 ? String.format(Locale.ROOT, "%n             AMI edge handed its last of %,d "
                            + "translated events to the domain loop %.2f s after the first AMI write (+-0.1 s)",
                            edgeEvents, edgeMicros / 1e6) : "")
                    + (heapRetainedBytes >= 0 ? String.format(Locale.ROOT, "%n             heap retained after the run "
                            + "(full GC, sessions open, bench clients' recordings excluded): %,d MiB",
                            heapRetainedBytes >> 20) : "");
        }
    }

    private static String table(List<Result[]> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| clients | server | calls (AMI events) | frames per client | frames/s, all clients | frames/s per client "
                + "| p50 ms | p99 ms | p99.9 ms | max ms | seq gaps | closed 4429 / other | server CPU s | client CPU s "
                + "| process CPU s | GC ms | CPU outside the JVM s |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result[] pair : rows) {
            for (Result r : pair) {
                sb.append(String.format(Locale.ROOT,
                        "| %,d | %s | %s | %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %d | %d / %d | %.2f | %.2f "
                                + "| %.2f | %d | %.2f |\n",
                        r.clients, r.system + (r.complete ? "" : " (time limit)"),
                        r.calls > 0 ? String.format(Locale.ROOT, "%,d (%,d)", r.calls, r.amiEvents) : "same frames",
                        r.minPerClient == r.maxPerClient ? String.format(Locale.ROOT, "%,d", r.minPerClient)
                                : String.format(Locale.ROOT, "%,d-%,d", r.minPerClient, r.maxPerClient),
                        r.framesPerSecond, r.perClientPerSecond, r.p50Ms, r.p99Ms, r.p999Ms, r.maxMs, r.gaps,
                        r.closed4429, r.closedOther, r.serverCpu, r.clientCpu, r.processCpu, r.gcMillis, r.othersCpu()));
            }
        }
        return sb.toString();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void awaitSynced(URI base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.body();
            JsonNode h = JSON.readTree(last);
            if (r.statusCode() == 200 && "synced".equals(h.path("model").asText())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the CTI did not become healthy and synced: " + last);
    }

    private static String login(URI base) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"supervisor\",\"password\":\"supervisor\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("token").asText();
    }

    /** Heap in use after two full collections (outside any measured interval). */
    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Events the AMI edge has handed to the server ({@code cti.events.in}, all types). */
    private static double edgeEvents(MeterRegistry registry) {
        return registry.find("cti.events.in").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double counter(MeterRegistry registry, String name) {
        Counter c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    /** WARN and up only: per-connection INFO lines would dominate 1,000-client runs. */
    private static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static int[] fill(int v, int n) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
