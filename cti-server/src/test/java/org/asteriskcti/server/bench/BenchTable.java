package org.asteriskcti.server.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ACD benchmark's result rows: one tab-separated line per run ({@link AcdVsAppQueueBench#COLUMNS},
 * a header line first), appended to a file by each run, and the Markdown tables made from such a file.
 */
final class BenchTable {

    private BenchTable() {}

    /** Fails when {@code file} holds rows with other columns (an older bench): appending would misalign them. */
    static void checkColumns(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return;
        }
        String first;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            first = lines.findFirst().orElse("");
        }
        if (!first.equals(String.join("\t", AcdVsAppQueueBench.COLUMNS))) {
            throw new IllegalStateException(file + " holds rows of another bench version (other columns); use a new file");
        }
    }

    static void append(Path file, Map<String, String> row) throws IOException {
        checkColumns(file);
        StringBuilder sb = new StringBuilder();
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            sb.append(String.join("\t", AcdVsAppQueueBench.COLUMNS)).append('\n');
        }
        List<String> values = new ArrayList<>();
        for (String c : AcdVsAppQueueBench.COLUMNS) {
            values.add(row.getOrDefault(c, ""));
        }
        sb.append(String.join("\t", values)).append('\n');
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One run's row, readable. */
    static String describe(Map<String, String> r) {
        return String.format(Locale.ROOT, """
                %s %s, %s calls/s, talk %s ms: offered %s, agent phones rung %s, completed %s, lost %s (never rung %s, rung after %s ms %s, SIP failure %s; the customer SIPp counted %s failed calls), queued (rung after %s ms) %s, extra rings %s
                  dial -> agent INVITE  p50 %s ms, p99 %s ms, max %s ms;  dial -> customer's 200 OK p50 %s ms;  200 OK -> agent INVITE p50 %s ms, p99 %s ms
                  CPU over %s s: CTI %s s (its own threads %s s), Asterisk %s s, machine %s s (steal %s s); idle before: CTI %s %%, Asterisk %s %%
                  per completed call (less idle): CTI %s ms (its own threads %s ms), Asterisk %s ms; SIPp phones %s ms; other processes over the step %s s
                  JVM: JIT %s ms, GC %s ms during the step; other processes while idle before it: %s %% of a core""",
                r.get("path"), r.get("mode"), r.get("rate"), r.get("talk_ms"), r.get("offered"), r.get("rung"),
                r.get("completed"), r.get("lost_total"), r.get("lost_no_ring"), r.get("ring_bound_ms"), r.get("lost_late"), r.get("lost_sip"),
                r.get("sipp_failed"), r.get("queued_bound_ms"), r.get("queued"), r.get("extra_rings"), r.get("d2r_p50_ms"), r.get("d2r_p99_ms"), r.get("d2r_max_ms"), r.get("d2ok_p50_ms"),
                r.get("ok2r_p50_ms"), r.get("ok2r_p99_ms"), r.get("window_s"), dash(r.get("cti_cpu_s")),
                dash(r.get("cti_threads_s")), r.get("ast_cpu_s"), r.get("machine_s"),
                r.get("steal_s"), dash(r.get("cti_idle_pct")), r.get("ast_idle_pct"), dash(r.get("cti_ms_per_call")),
                dash(r.get("cti_threads_ms_per_call")), r.get("ast_ms_per_call"), r.get("sipp_ms_per_call"), r.get("outside_s"), r.get("jit_ms"), r.get("gc_ms"),
                r.get("outside_idle_pct"));
    }

    /** Markdown tables of a results file: the latency runs, then the load runs. */
    static String markdown(List<String> lines) {
        if (lines.isEmpty()) {
            return "(no rows)";
        }
        String[] header = lines.get(0).split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank() || l.startsWith(header[0] + "\t")) {
                continue;
            }
            String[] v = l.split("\t", -1);
            Map<String, String> r = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                r.put(header[i], i < v.length ? v[i] : "");
            }
            rows.add(r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| path | run | calls (calls/s) | dial → agent INVITE p50 ms | p99 ms | max ms | dial → 200 OK p50 ms"
                + " | 200 OK → agent INVITE p50 ms | lost | CTI CPU ms/call (own threads) | Asterisk CPU ms/call |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> r : rows) {
            if (r.get("mode").equals("latency")) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s (%s) | %s |%n",
                        r.get("path"), r.get("rep"), r.get("offered"), r.get("rate"), r.get("d2r_p50_ms"),
                        r.get("d2r_p99_ms"), r.get("d2r_max_ms"), r.get("d2ok_p50_ms"), r.get("ok2r_p50_ms"),
                        r.get("lost_total"), dash(r.get("cti_ms_per_call")), dash(r.get("cti_threads_ms_per_call")),
                        r.get("ast_ms_per_call")));
            }
        }
        sb.append('\n');
        sb.append("| path | run | calls/s | calls | completed | lost (never rung / late / SIP) | queued | dial → agent INVITE p50 ms"
                + " | p99 ms | max ms | CTI CPU ms/call (own threads) | Asterisk CPU ms/call | SIPp CPU ms/call"
                + " | other processes CPU s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Double> sustained = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
            if (r.get("mode").equals("load")) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s (%s / %s / %s) | %s | %s | %s | %s | %s (%s) | %s | %s | %s |%n",
                        r.get("path"), r.get("rep"), r.get("rate"), r.get("offered"), r.get("completed"), r.get("lost_total"),
                        r.get("lost_no_ring"), r.get("lost_late"), r.get("lost_sip"), r.get("queued"), r.get("d2r_p50_ms"),
                        r.get("d2r_p99_ms"), r.get("d2r_max_ms"), dash(r.get("cti_ms_per_call")),
                        dash(r.get("cti_threads_ms_per_call")), r.get("ast_ms_per_call"), r.get("sipp_ms_per_call"),
                        r.get("outside_s")));
                if (r.get("lost_total").equals("0") && r.get("queued").equals("0")) {
                    sustained.merge(r.get("path"), Double.parseDouble(r.get("rate")), Math::max);
                }
            }
        }
        if (!sustained.isEmpty()) {
            sb.append('\n').append("Highest rate run with no call lost and none queued: ");
            List<String> parts = new ArrayList<>();
            sustained.forEach((p, r) -> parts.add(p + " " + AcdVsAppQueueBench.fmt(r) + " calls/s"));
            sb.append(String.join(", ", parts)).append('\n');
        }
        return sb.toString();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "—" : s;
    }
}
