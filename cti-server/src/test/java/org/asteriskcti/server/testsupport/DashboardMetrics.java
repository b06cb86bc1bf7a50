package org.asteriskcti.server.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Grafana dashboard's PromQL against a server's {@code /metrics} text: every metric it queries exists,
 * every label it filters or groups by is on that metric, and a label compared with {@code =} has that value on
 * some series. Grafana's own variables ({@code $tenant}) are not checked as values.
 */
public final class DashboardMetrics {

    private static final Pattern SELECTOR = Pattern.compile("\\b((?:cti|jvm|process|system)_[a-zA-Z0-9_]*)\\b(\\{[^}]*\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private DashboardMetrics() {}

    /** Every PromQL expression of the dashboard: panel targets (rows' nested panels too) and variable queries. */
    public static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        collectPanels(dashboard.path("panels"), out);
        for (JsonNode v : dashboard.path("templating").path("list")) {
            JsonNode q = v.path("query");
            String text = q.isTextual() ? q.asText() : q.path("query").asText("");
            if (!text.isBlank()) {
                out.add(text);
            }
        }
        return out;
    }

    private static void collectPanels(JsonNode panels, List<String> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                String e = t.path("expr").asText("");
                if (!e.isBlank()) {
                    out.add(e);
                }
            }
            collectPanels(p.path("panels"), out);
        }
    }

    /** The series of a Prometheus text exposition: metric name to each series' labels. */
    public static Map<String, List<Map<String, String>>> series(String exposition) {
        Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return out;
    }

    /** What in the dashboard's queries the exposition does not have; empty when everything is there. */
    public static List<String> problems(JsonNode dashboard, String exposition) {
        Map<String, List<Map<String, String>>> series = series(exposition);
        List<String> problems = new ArrayList<>();
        List<String> exprs = expressions(dashboard);
        if (exprs.isEmpty()) {
            problems.add("the dashboard has no query");
        }
        for (String expr : exprs) {
            List<String> metrics = new ArrayList<>();
            Matcher s = SELECTOR.matcher(expr);
            while (s.find()) {
                String name = s.group(1);
                metrics.add(name);
                List<Map<String, String>> of = series.get(name);
                if (of == null) {
                    problems.add("metric " + name + " (in " + expr + ") is not in /metrics");
                    continue;
                }
                if (s.group(2) != null) {
                    Matcher m = MATCHER.matcher(s.group(2));
                    while (m.find()) {
                        String label = m.group(1);
                        String op = m.group(2);
                        String value = m.group(3);
                        if (of.stream().noneMatch(l -> l.containsKey(label))) {
                            problems.add("metric " + name + " has no label " + label + " (in " + expr + ")");
                        } else if (op.equals("=") && !value.contains("$") && of.stream().noneMatch(l -> value.equals(l.get(label)))) {
                            problems.add("metric " + name + " has no series with " + label + "=\"" + value + "\" (in " + expr + ")");
                        }
                    }
                }
            }
            if (metrics.isEmpty()) {
                problems.add("no metric in " + expr);
            }
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    String l = label.strip();
                    boolean somewhere = metrics.stream().map(series::get).filter(x -> x != null)
                            .anyMatch(of -> of.stream().anyMatch(x -> x.containsKey(l)));
                    if (!l.isEmpty() && !somewhere) {
                        problems.add("'by (" + l + ")' but no metric of " + expr + " has label " + l);
                    }
                }
            }
            Matcher lv = LABEL_VALUES.matcher(expr);
            if (lv.find()) {
                Matcher m = SELECTOR.matcher(lv.group(1));
                String label = lv.group(2);
                if (m.find() && series.containsKey(m.group(1)) && series.get(m.group(1)).stream().noneMatch(x -> x.containsKey(label))) {
                    problems.add("label_values: metric " + m.group(1) + " has no label " + label);
                }
            }
        }
        return problems;
    }
}
