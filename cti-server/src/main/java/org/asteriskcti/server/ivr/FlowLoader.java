package org.asteriskcti.server.ivr;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.ivr.Yaml.Entry;
import org.asteriskcti.server.ivr.Yaml.ListValue;
import org.asteriskcti.server.ivr.Yaml.MapValue;
import org.asteriskcti.server.ivr.Yaml.Scalar;
import org.asteriskcti.server.ivr.Yaml.Value;

/**
 * Reads and validates the IVR files (docs/ivr-flow-schema.md): a directory per tenant holding an
 * optional {@code tenant.yaml} (time zone, calendars, area tables) and one {@code <flow>.yaml} per
 * flow. Every problem is collected with its file, line and node, so one run lists all of them; a
 * directory with any problem loads nothing ({@link IvrLoadException}).
 *
 * <p>The graph checks (unreachable nodes, loops with no exit) run on a flow whose nodes all read
 * well, so a typo in one node does not also report its neighbours as unreachable.
 */
public final class FlowLoader {

    public static final String TENANT_FILE = "tenant.yaml";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z0-9]+)?");
    private static final Pattern DTMF = Pattern.compile("[0-9*#]");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");
    private static final Pattern RANGE = Pattern.compile("(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");
    private static final Set<String> RESERVED = Set.of("caller", "region", "language");

    private static final Set<String> FLOW_KEYS = Set.of("entry", "safe", "language", "nodes");
    private static final Set<String> TENANT_KEYS = Set.of("time-zone", "calendars", "areas");
    private static final Set<String> CALENDAR_KEYS = Set.of("time-zone", "hours", "holidays");
    private static final Set<String> INPUT_KEYS = Set.of("prompt", "timeout", "retries", "invalid-prompt",
            "timeout-prompt", "barge-in", "on-invalid", "on-timeout");
    private static final Map<String, Set<String>> NODE_KEYS = new TreeMap<>();

    static {
        NODE_KEYS.put("play", Set.of("prompt", "next"));
        NODE_KEYS.put("menu", with(INPUT_KEYS, "options"));
        NODE_KEYS.put("collect", with(INPUT_KEYS, "var", "min", "max", "terminator", "pattern", "next"));
        NODE_KEYS.put("hours", Set.of("calendar", "open", "closed", "holiday"));
        NODE_KEYS.put("area", Set.of("table", "routes", "otherwise"));
        NODE_KEYS.put("language", with(INPUT_KEYS, "options", "next"));
        NODE_KEYS.put("lookup", Set.of("url", "params", "timeout", "next", "on-failure"));
        NODE_KEYS.put("set", Set.of("values", "next"));
        NODE_KEYS.put("branch", Set.of("var", "cases", "otherwise"));
        NODE_KEYS.put("queue", Set.of("queue", "skills", "priority"));
        NODE_KEYS.put("agent", Set.of("agent", "queue"));
        NODE_KEYS.put("extension", Set.of("extension"));
        NODE_KEYS.put("external", Set.of("number"));
        NODE_KEYS.put("voicemail", Set.of("mailbox"));
        NODE_KEYS.put("hangup", Set.of());
    }

    private static Set<String> with(Set<String> base, String... more) {
        return Stream.concat(base.stream(), Stream.of(more)).collect(Collectors.toUnmodifiableSet());
    }

    private FlowLoader() {
    }

    /** The sound file formats Asterisk plays that a tenant's prompt files may have. */
    public static final List<String> PROMPT_FORMATS = List.of("wav", "wav16", "gsm", "ulaw", "alaw", "sln", "sln16", "g722");

    /** Where a tenant's own prompt files are ({@code file:} prompts), under the tenant's directory. */
    public static final String PROMPTS_DIR = "prompts";

    /**
     * A tenant's shared definitions ({@code tenant.yaml}), used by its flows' hours and area nodes, and the
     * tenant's prompt files ({@code prompts/<name>.<format>} and {@code prompts/<language>/<name>.<format>},
     * kept as {@code name} and {@code language/name}).
     */
    public record TenantDefs(TenantId tenant, ZoneId zone, Map<String, Calendar> calendars, Map<String, AreaTable> areas,
            Set<String> promptFiles) {
        public TenantDefs {
            calendars = Map.copyOf(calendars);
            areas = Map.copyOf(areas);
            promptFiles = Set.copyOf(promptFiles);
        }

        public TenantDefs(TenantId tenant, ZoneId zone, Map<String, Calendar> calendars, Map<String, AreaTable> areas) {
            this(tenant, zone, calendars, areas, Set.of());
        }

        public static TenantDefs empty(TenantId tenant, ZoneId zone) {
            return new TenantDefs(tenant, zone, Map.of(), Map.of());
        }

        public TenantDefs withPromptFiles(Set<String> files) {
            return new TenantDefs(tenant, zone, calendars, areas, files);
        }

        /** Whether {@code name} is among the tenant's prompt files, in some language or without one. */
        public boolean hasPrompt(String name) {
            return promptFiles.contains(name) || promptFiles.stream().anyMatch(f -> f.endsWith("/" + name)
                    && f.indexOf('/') == f.length() - name.length() - 1);
        }
    }

    /**
     * The tenant's prompt files: {@code prompts/x.wav} as {@code x}, {@code prompts/fr/x.wav} as {@code fr/x}
     * (one level of language folders; deeper folders are names: {@code prompts/greetings/x.wav} is
     * {@code greetings/x}). Only the formats of {@link #PROMPT_FORMATS}.
     */
    static Set<String> scanPrompts(Path tdir) throws IOException {
        Path dir = tdir.resolve(PROMPTS_DIR);
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        Set<String> out = new java.util.TreeSet<>();
        try (Stream<Path> files = Files.walk(dir, 4)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                int dot = rel.lastIndexOf('.');
                if (dot > 0 && PROMPT_FORMATS.contains(rel.substring(dot + 1))) {
                    out.add(rel.substring(0, dot));
                }
            }
        }
        return out;
    }

    // ---- the directory ------------------------------------------------------------------------------

    /**
     * Loads every tenant directory under {@code dir}.
     *
     * @param zones each tenant's configured time zone (tenants[].time-zone), the default of its calendars
     */
    public static IvrCatalog load(Path dir, Function<TenantId, ZoneId> zones) throws IvrLoadException {
        List<IvrError> errors = new ArrayList<>();
        Map<TenantId, Map<FlowId, Flow>> flows = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            errors.add(new IvrError(dir.toString(), 0, Optional.empty(), "not a directory"));
            throw new IvrLoadException(errors);
        }
        try (Stream<Path> tenants = Files.list(dir)) {
            for (Path tdir : tenants.filter(Files::isDirectory).sorted().toList()) {
                String tname = tdir.getFileName().toString();
                if (!ID.matcher(tname).matches()) {
                    errors.add(new IvrError(tname, 0, Optional.empty(), "not a tenant id (letters, digits, _ and -)"));
                    continue;
                }
                TenantId tenant = TenantId.of(tname);
                flows.put(tenant, readTenantDir(tdir, tenant, zones.apply(tenant), errors));
            }
        } catch (IOException e) {
            errors.add(new IvrError(dir.toString(), 0, Optional.empty(), "cannot read: " + e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new IvrLoadException(errors);
        }
        return new IvrCatalog(flows);
    }

    /**
     * Loads one tenant's directory {@code dir/<tenant>} (an admin's reload of their flows). A tenant without a
     * directory has no flows.
     *
     * @throws IvrLoadException every problem in that tenant's files; nothing was loaded
     */
    public static Map<FlowId, Flow> loadTenant(Path dir, TenantId tenant, ZoneId zone) throws IvrLoadException {
        List<IvrError> errors = new ArrayList<>();
        Path tdir = dir.resolve(tenant.value());
        Map<FlowId, Flow> flows = Map.of();
        if (!Files.isDirectory(dir)) {
            errors.add(new IvrError(dir.toString(), 0, Optional.empty(), "not a directory"));
        } else if (Files.isDirectory(tdir)) {
            flows = readTenantDir(tdir, tenant, zone, errors);
        }
        if (!errors.isEmpty()) {
            throw new IvrLoadException(errors);
        }
        return flows;
    }

    private static Map<FlowId, Flow> readTenantDir(Path tdir, TenantId tenant, ZoneId zone, List<IvrError> errors) {
        String tname = tenant.value();
        Map<FlowId, Flow> tflows = new TreeMap<>();
        try {
            TenantDefs defs = TenantDefs.empty(tenant, zone);
            Path tfile = tdir.resolve(TENANT_FILE);
            if (Files.exists(tfile)) {
                defs = readTenant(tname + "/" + TENANT_FILE, tenant, zone, Files.readString(tfile, StandardCharsets.UTF_8), errors);
            }
            defs = defs.withPromptFiles(scanPrompts(tdir));
            try (Stream<Path> files = Files.list(tdir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                    String fname = f.getFileName().toString();
                    if (fname.equals(TENANT_FILE)) {
                        continue;
                    }
                    String rel = tname + "/" + fname;
                    String id = fname.substring(0, fname.length() - ".yaml".length());
                    if (!ID.matcher(id).matches()) {
                        errors.add(new IvrError(rel, 0, Optional.empty(), "a flow's file name must be its id (letters, digits, _ and -) and .yaml"));
                        continue;
                    }
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    readFlow(rel, tenant, FlowId.of(id), text, defs, errors).ifPresent(fl -> tflows.put(fl.id(), fl));
                }
            }
        } catch (IOException e) {
            errors.add(new IvrError(tname, 0, Optional.empty(), "cannot read: " + e.getMessage()));
        }
        return tflows;
    }

    // ---- tenant.yaml ---------------------------------------------------------------------------------

    public static TenantDefs readTenant(String file, TenantId tenant, ZoneId defaultZone, String text, List<IvrError> errors) {
        R r = new R(file, errors);
        Optional<MapValue> doc = r.document(text);
        if (doc.isEmpty()) {
            return TenantDefs.empty(tenant, defaultZone);
        }
        MapValue top = doc.get();
        r.keys(top, TENANT_KEYS, "a tenant file");
        ZoneId zone = r.zone(top, "time-zone").orElse(defaultZone);
        Map<String, Calendar> calendars = new TreeMap<>();
        r.map(top, "calendars").ifPresent(cals -> {
            r.duplicates(cals, "calendar");
            for (Entry e : cals.entries().values()) {
                r.subject = "calendar '" + e.key() + "'";
                r.subjectLine = e.line();
                r.asMap(e).ifPresent(c -> readCalendar(r, e.key(), c, zone).ifPresent(cal -> calendars.put(e.key(), cal)));
            }
            r.subject = null;
        });
        Map<String, AreaTable> areas = new TreeMap<>();
        r.map(top, "areas").ifPresent(tables -> {
            r.duplicates(tables, "area table");
            for (Entry e : tables.entries().values()) {
                r.subject = "area table '" + e.key() + "'";
                r.subjectLine = e.line();
                r.asMap(e).ifPresent(t -> {
                    r.duplicates(t, "prefix");
                    Map<String, String> m = new LinkedHashMap<>();
                    for (Entry p : t.entries().values()) {
                        if (!AreaTable.normalize(p.key()).matches("\\+?[0-9]+")) {
                            r.error(p.line(), "'" + p.key() + "' is not a number prefix");
                        } else if (m.keySet().stream().anyMatch(k -> AreaTable.normalize(k).equals(AreaTable.normalize(p.key())))) {
                            r.error(p.line(), "prefix '" + p.key() + "' is listed twice");
                        } else {
                            r.scalar(p, "a region name").ifPresent(region -> m.put(p.key(), region));
                        }
                    }
                    areas.put(e.key(), new AreaTable(e.key(), m));
                });
            }
            r.subject = null;
        });
        return new TenantDefs(tenant, zone, calendars, areas);
    }

    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    private static Optional<Calendar> readCalendar(R r, String name, MapValue c, ZoneId tenantZone) {
        int before = r.errors.size();
        r.keys(c, CALENDAR_KEYS, "a calendar");
        ZoneId zone = r.zone(c, "time-zone").orElse(tenantZone);
        Map<DayOfWeek, List<Calendar.TimeRange>> weekly = new EnumMap<>(DayOfWeek.class);
        r.map(c, "hours").ifPresent(hours -> {
            r.keys(hours, DAYS.keySet(), "the hours of a calendar");
            for (Entry d : hours.entries().values()) {
                DayOfWeek day = DAYS.get(d.key());
                if (day == null) {
                    continue;
                }
                List<Calendar.TimeRange> ranges = new ArrayList<>();
                for (Scalar s : r.scalars(d)) {
                    if (s.text().equals("closed")) {
                        continue;
                    }
                    for (String part : s.text().split(",")) {
                        Optional<Calendar.TimeRange> range = timeRange(part.strip());
                        if (range.isEmpty()) {
                            r.error(s.line(), "key '" + d.key() + "': '" + part.strip()
                                    + "' is not a time range HH:MM-HH:MM ending after it starts (24:00 for midnight)");
                        } else {
                            ranges.add(range.get());
                        }
                    }
                }
                weekly.put(day, ranges);
            }
        });
        Map<LocalDate, String> holidays = new TreeMap<>();
        r.map(c, "holidays").ifPresent(hs -> {
            for (Entry h : hs.entries().values()) {
                try {
                    LocalDate date = LocalDate.parse(h.key());
                    holidays.put(date, r.scalar(h, "a holiday's name").orElse(""));
                } catch (DateTimeParseException e) {
                    r.error(h.line(), "holiday '" + h.key() + "' is not a date YYYY-MM-DD");
                }
            }
        });
        if (r.errors.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new Calendar(name, zone, weekly, holidays));
    }

    private static Optional<Calendar.TimeRange> timeRange(String text) {
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalTime start = LocalTime.parse(m.group(1));
            LocalTime end = m.group(2).equals("24:00") ? LocalTime.MAX : LocalTime.parse(m.group(2));
            if (!start.isBefore(end)) {
                return Optional.empty();
            }
            return Optional.of(new Calendar.TimeRange(start, end));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // ---- a flow ---------------------------------------------------------------------------------------

    /** A target named by a node, for the graph checks. */
    private record Ref(NodeId from, String key, NodeId to, int line) {}

    public static Optional<Flow> readFlow(String file, TenantId tenant, FlowId id, String text, TenantDefs defs,
            List<IvrError> errors) {
        R r = new R(file, errors);
        int before = errors.size();
        Optional<MapValue> doc = r.document(text);
        if (doc.isEmpty()) {
            return Optional.empty();
        }
        MapValue top = doc.get();
        r.keys(top, FLOW_KEYS, "a flow");
        String language = r.string(top, "language").map(l -> r.language(top.entries().get("language").line(), l)).orElse("en");
        Map<NodeId, Node> nodes = new LinkedHashMap<>();
        Map<NodeId, Integer> lines = new LinkedHashMap<>();
        List<Ref> refs = new ArrayList<>();
        Optional<MapValue> nodesMap = r.map(top, "nodes");
        if (nodesMap.isEmpty() && !top.entries().containsKey("nodes")) {
            r.error(1, "missing key 'nodes'");
        }
        nodesMap.ifPresent(ns -> {
            for (Entry dup : ns.duplicates()) {
                r.subject = "node '" + dup.key() + "'";
                r.error(dup.line(), "duplicate node id (first at line " + ns.entries().get(dup.key()).line() + ")");
                r.subject = null;
            }
            for (Entry e : ns.entries().values()) {
                if (!ID.matcher(e.key()).matches()) {
                    r.error(e.line(), "node id '" + e.key() + "' is not letters, digits, _ and -");
                    continue;
                }
                NodeId nid = NodeId.of(e.key());
                lines.put(nid, e.line());
                r.subject = "node '" + e.key() + "'";
                r.subjectLine = e.line();
                Optional<MapValue> m = r.asMap(e);
                if (m.isPresent()) {
                    NodeReader nr = new NodeReader(r, nid, defs, refs);
                    nr.read(m.get()).ifPresent(n -> nodes.put(nid, n));
                }
                r.subject = null;
            }
        });
        Optional<NodeId> entry = r.nodeRef(top, "entry", lines.keySet(), true);
        Optional<NodeId> safe = r.nodeRef(top, "safe", lines.keySet(), false);
        for (Ref ref : refs) {
            if (!lines.containsKey(ref.to())) {
                r.errors.add(new IvrError(file, ref.line(), Optional.of("node '" + ref.from() + "'"),
                        "key '" + ref.key() + "' names '" + ref.to() + "', which is not a node of this flow"));
            }
        }
        if (errors.size() != before) {
            return Optional.empty();
        }
        checkGraph(r, entry.get(), nodes, lines);
        if (errors.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new Flow(id, tenant, version(text), entry.get(), safe.orElse(entry.get()), language, nodes, file,
                defs.promptFiles()));
    }

    private static void checkGraph(R r, NodeId entry, Map<NodeId, Node> nodes, Map<NodeId, Integer> lines) {
        Set<NodeId> reached = new java.util.HashSet<>();
        java.util.ArrayDeque<NodeId> todo = new java.util.ArrayDeque<>(List.of(entry));
        while (!todo.isEmpty()) {
            NodeId n = todo.poll();
            if (reached.add(n)) {
                todo.addAll(nodes.get(n).targets());
            }
        }
        for (NodeId n : nodes.keySet()) {
            if (!reached.contains(n)) {
                r.errors.add(new IvrError(r.file, lines.get(n), Optional.of("node '" + n + "'"),
                        "unreachable from the entry node '" + entry + "'"));
            }
        }
        List<NodeId> order = new ArrayList<>(nodes.keySet());
        for (List<NodeId> scc : Tarjan.components(nodes)) {
            boolean cyclic = scc.size() > 1 || nodes.get(scc.get(0)).targets().contains(scc.get(0));
            if (!cyclic) {
                continue;
            }
            Set<NodeId> in = Set.copyOf(scc);
            boolean exit = scc.stream().anyMatch(n -> nodes.get(n).canEnd()
                    || nodes.get(n).targets().stream().anyMatch(t -> !in.contains(t)));
            if (!exit) {
                List<NodeId> sorted = scc.stream().sorted(java.util.Comparator.comparingInt(order::indexOf)).toList();
                NodeId first = sorted.get(0);
                r.errors.add(new IvrError(r.file, lines.get(first), Optional.of("node '" + first + "'"),
                        "loop with no exit: " + sorted.stream().map(NodeId::value).collect(Collectors.joining(", "))
                                + " only lead to each other (no option, failure or hand-over leaves them)"));
            }
        }
    }

    /** Strongly connected components (Tarjan), each in discovery order. */
    private static final class Tarjan {
        private final Map<NodeId, Node> nodes;
        private final Map<NodeId, Integer> index = new HashMap<>();
        private final Map<NodeId, Integer> low = new HashMap<>();
        private final java.util.ArrayDeque<NodeId> stack = new java.util.ArrayDeque<>();
        private final Set<NodeId> onStack = new java.util.HashSet<>();
        private final List<List<NodeId>> out = new ArrayList<>();
        private int next;

        private Tarjan(Map<NodeId, Node> nodes) {
            this.nodes = nodes;
        }

        static List<List<NodeId>> components(Map<NodeId, Node> nodes) {
            Tarjan t = new Tarjan(nodes);
            for (NodeId n : nodes.keySet()) {
                if (!t.index.containsKey(n)) {
                    t.visit(n);
                }
            }
            return t.out;
        }

        private void visit(NodeId v) {
            index.put(v, next);
            low.put(v, next);
            next++;
            stack.push(v);
            onStack.add(v);
            for (NodeId w : nodes.get(v).targets()) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<NodeId> scc = new ArrayList<>();
                NodeId w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    scc.add(w);
                } while (!w.equals(v));
                out.add(scc);
            }
        }
    }

    static String version(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- one node ---------------------------------------------------------------------------------------

    private static final class NodeReader {
        private final R r;
        private final NodeId id;
        private final TenantDefs defs;
        private final List<Ref> refs;

        NodeReader(R r, NodeId id, TenantDefs defs, List<Ref> refs) {
            this.r = r;
            this.id = id;
            this.defs = defs;
            this.refs = refs;
        }

        Optional<Node> read(MapValue m) {
            int before = r.errors.size();
            Optional<String> type = r.string(m, "type");
            if (type.isEmpty()) {
                if (!m.entries().containsKey("type")) {
                    r.error(r.subjectLine, "missing key 'type'");
                }
                return Optional.empty();
            }
            Set<String> allowed = NODE_KEYS.get(type.get());
            if (allowed == null) {
                r.error(m.entries().get("type").line(), "unknown node type '" + type.get() + "' (expected one of: "
                        + String.join(", ", NODE_KEYS.keySet()) + ")");
                return Optional.empty();
            }
            r.keys(m, with(allowed, "type"), "a " + type.get() + " node");
            Node n = switch (type.get()) {
                case "play" -> new Node.Play(id, prompts(m, "prompt", true), target(m, "next"));
                case "menu" -> new Node.Menu(id, input(m, DigitInput.DEFAULT_TIMEOUT, true), options(m, "options", this::optionTarget));
                case "collect" -> collect(m);
                case "hours" -> hours(m);
                case "area" -> area(m);
                case "language" -> new Node.Language(id, input(m, DigitInput.DEFAULT_TIMEOUT, true),
                        options(m, "options", (e, s) -> r.language(s.line(), s.text())), target(m, "next"));
                case "lookup" -> lookup(m);
                case "set" -> set(m);
                case "branch" -> new Node.Branch(id, variable(m, "var", false), cases(m, "cases"), target(m, "otherwise"));
                case "queue" -> new Node.ToQueue(id, QueueId.of(r.required(m, "queue").orElse("?")), skills(m),
                        r.integer(m, "priority", 0, 100).orElse(0));
                case "agent" -> new Node.ToAgent(id, AgentId.of(r.required(m, "agent").orElse("?")),
                        r.string(m, "queue").map(QueueId::of));
                case "extension" -> new Node.ToExtension(id, r.required(m, "extension").orElse("?"));
                case "external" -> new Node.ToExternal(id, r.required(m, "number").orElse("?"));
                case "voicemail" -> new Node.ToVoicemail(id, r.required(m, "mailbox").orElse("?"));
                case "hangup" -> new Node.Hangup(id);
                default -> throw new IllegalStateException(type.get());
            };
            return r.errors.size() == before ? Optional.of(n) : Optional.empty();
        }

        private NodeId target(MapValue m, String key) {
            Optional<Entry> e = Optional.ofNullable(m.entries().get(key));
            if (e.isEmpty()) {
                r.error(r.subjectLine, "missing key '" + key + "'");
                return id;
            }
            return r.scalar(e.get(), "a node id").map(t -> ref(key, t, e.get().value().line())).orElse(id);
        }

        private Optional<NodeId> optionalTarget(MapValue m, String key) {
            Entry e = m.entries().get(key);
            if (e == null) {
                return Optional.empty();
            }
            return r.scalar(e, "a node id").map(t -> ref(key, t, e.value().line()));
        }

        private NodeId ref(String key, String to, int line) {
            NodeId t = NodeId.of(to.isBlank() ? "?" : to);
            refs.add(new Ref(id, key, t, line));
            return t;
        }

        private NodeId optionTarget(Entry option, Scalar s) {
            return ref("options." + option.key(), s.text(), s.line());
        }

        private List<Prompt> prompts(MapValue m, String key, boolean required) {
            Entry e = m.entries().get(key);
            List<Prompt> out = new ArrayList<>();
            List<Scalar> given = e == null ? List.of() : r.scalars(e);
            if (e != null) {
                for (Scalar s : given) {
                    try {
                        Prompt p = Prompt.parse(s.text());
                        if (p.kind() == Prompt.Kind.FILE && !p.text().contains("${") && !defs.hasPrompt(p.text())) {
                            r.error(s.line(), "key '" + key + "': " + s.text() + ": no such file in " + defs.tenant() + "/"
                                    + PROMPTS_DIR + "/ (" + p.text() + ".wav or ." + String.join(", .", PROMPT_FORMATS.subList(1,
                                    PROMPT_FORMATS.size())) + ", or in a language folder, e.g. en/" + p.text() + ".wav)");
                        }
                        out.add(p);
                    } catch (IllegalArgumentException ex) {
                        r.error(s.line(), "key '" + key + "': " + ex.getMessage());
                    }
                }
            }
            if (required && given.isEmpty()) {
                r.error(e == null ? r.subjectLine : e.line(), "missing prompt (key '" + key + "')");
            }
            return out;
        }

        private DigitInput input(MapValue m, Duration defaultTimeout, boolean bargeIn) {
            return new DigitInput(prompts(m, "prompt", true), r.duration(m, "timeout").orElse(defaultTimeout),
                    r.integer(m, "retries", 0, 10).orElse(DigitInput.DEFAULT_RETRIES),
                    prompts(m, "invalid-prompt", false), prompts(m, "timeout-prompt", false),
                    r.bool(m, "barge-in").orElse(bargeIn), optionalTarget(m, "on-invalid"), optionalTarget(m, "on-timeout"));
        }

        private <T> Map<String, T> options(MapValue m, String key, java.util.function.BiFunction<Entry, Scalar, T> value) {
            Map<String, T> out = new TreeMap<>();
            Optional<MapValue> opts = r.map(m, key);
            if (opts.isEmpty()) {
                if (!m.entries().containsKey(key)) {
                    r.error(r.subjectLine, "missing key '" + key + "'");
                }
                return out;
            }
            r.duplicates(opts.get(), "option");
            for (Entry o : opts.get().entries().values()) {
                if (!DTMF.matcher(o.key()).matches()) {
                    r.error(o.line(), "key '" + key + "': '" + o.key() + "' is not a key of the phone (0-9, * or #)");
                    continue;
                }
                r.scalar(o, "a value").ifPresent(s -> out.put(o.key(), value.apply(o, new Scalar(s, o.value().line()))));
            }
            if (opts.get().entries().isEmpty()) {
                r.error(opts.get().line(), "key '" + key + "' lists no option");
            }
            return out;
        }

        private Map<String, NodeId> cases(MapValue m, String key) {
            Map<String, NodeId> out = new TreeMap<>();
            r.map(m, key).ifPresentOrElse(cs -> {
                r.duplicates(cs, "case");
                for (Entry c : cs.entries().values()) {
                    r.scalar(c, "a node id").ifPresent(t -> out.put(c.key(), ref(key + "." + c.key(), t, c.value().line())));
                }
            }, () -> {
                if (!m.entries().containsKey(key)) {
                    r.error(r.subjectLine, "missing key '" + key + "'");
                }
            });
            return out;
        }

        private String variable(MapValue m, String key, boolean settable) {
            Optional<String> v = r.required(m, key);
            if (v.isEmpty()) {
                return "?";
            }
            int line = m.entries().get(key).value().line();
            if (!VARIABLE.matcher(v.get()).matches()) {
                r.error(line, "key '" + key + "': '" + v.get() + "' is not a variable name (letters, digits, _, . and -)");
            } else if (settable && RESERVED.contains(v.get())) {
                r.error(line, "key '" + key + "': '" + v.get() + "' is set by the IVR itself");
            }
            return v.get();
        }

        private Node collect(MapValue m) {
            DigitInput in = input(m, DigitInput.DEFAULT_TIMEOUT, true);
            String var = variable(m, "var", true);
            int min = r.integer(m, "min", 1, 64).orElse(1);
            int max = r.integer(m, "max", 1, 64).orElse(20);
            if (min > max) {
                r.error(m.entries().get("min").line(), "key 'min' (" + min + ") is greater than key 'max' (" + max + ")");
            }
            Optional<Character> terminator = Optional.of('#');
            Optional<String> t = r.string(m, "terminator");
            if (t.isPresent()) {
                if (t.get().equals("none")) {
                    terminator = Optional.empty();
                } else if (t.get().equals("#") || t.get().equals("*")) {
                    terminator = Optional.of(t.get().charAt(0));
                } else {
                    r.error(m.entries().get("terminator").line(), "key 'terminator' must be '#', '*' or none, not '" + t.get() + "'");
                }
            }
            Optional<Pattern> pattern = Optional.empty();
            Optional<String> p = r.string(m, "pattern");
            if (p.isPresent()) {
                try {
                    pattern = Optional.of(Pattern.compile(p.get()));
                } catch (PatternSyntaxException e) {
                    r.error(m.entries().get("pattern").line(), "key 'pattern': '" + p.get()
                            + "' is not a regular expression (" + e.getDescription() + ")");
                }
            }
            return new Node.Collect(id, in, var, min, max, terminator, pattern, target(m, "next"));
        }

        private Node hours(MapValue m) {
            Optional<String> name = r.required(m, "calendar");
            Calendar cal = null;
            if (name.isPresent()) {
                cal = defs.calendars().get(name.get());
                if (cal == null) {
                    r.error(m.entries().get("calendar").line(), "key 'calendar' names '" + name.get()
                            + "', which is not a calendar of tenant " + defs.tenant() + " (" + TENANT_FILE + ")");
                }
            }
            NodeId open = target(m, "open");
            NodeId closed = target(m, "closed");
            NodeId holiday = optionalTarget(m, "holiday").orElse(closed);
            return new Node.Hours(id, cal == null ? new Calendar("?", ZoneId.of("UTC"), Map.of(), Map.of()) : cal, open, closed, holiday);
        }

        private Node area(MapValue m) {
            Optional<String> name = r.required(m, "table");
            AreaTable table = null;
            if (name.isPresent()) {
                table = defs.areas().get(name.get());
                if (table == null) {
                    r.error(m.entries().get("table").line(), "key 'table' names '" + name.get()
                            + "', which is not an area table of tenant " + defs.tenant() + " (" + TENANT_FILE + ")");
                }
            }
            Map<String, NodeId> routes = cases(m, "routes");
            if (table != null && !routes.isEmpty()) {
                Set<String> regions = new TreeSet<>(table.regionByPrefix().values());
                MapValue rm = (MapValue) m.entries().get("routes").value();
                for (String region : routes.keySet()) {
                    if (!regions.contains(region)) {
                        r.error(rm.entries().get(region).line(), "key 'routes': '" + region + "' is not a region of area table '"
                                + name.get() + "' (regions: " + String.join(", ", regions) + ")");
                    }
                }
            }
            return new Node.Area(id, table == null ? new AreaTable("?", Map.of()) : table, routes, target(m, "otherwise"));
        }

        private Node lookup(MapValue m) {
            URI url = null;
            Optional<String> u = r.required(m, "url");
            if (u.isPresent()) {
                try {
                    url = new URI(u.get());
                    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                        url = null;
                    }
                } catch (URISyntaxException e) {
                    url = null;
                }
                if (url == null) {
                    r.error(m.entries().get("url").line(), "key 'url' must be an http:// or https:// URL, not '" + u.get() + "'");
                }
            }
            List<String> params = new ArrayList<>();
            Entry pe = m.entries().get("params");
            if (pe == null) {
                params.add("caller");
            } else {
                for (Scalar s : r.scalars(pe)) {
                    if (!VARIABLE.matcher(s.text()).matches()) {
                        r.error(s.line(), "key 'params': '" + s.text() + "' is not a variable name (letters, digits, _, . and -)");
                    } else {
                        params.add(s.text());
                    }
                }
            }
            Duration timeout = r.duration(m, "timeout").orElse(Duration.ofSeconds(3));
            return new Node.Lookup(id, url == null ? URI.create("http://invalid") : url, params, timeout,
                    target(m, "next"), target(m, "on-failure"));
        }

        private Node set(MapValue m) {
            Map<String, String> values = new LinkedHashMap<>();
            r.map(m, "values").ifPresentOrElse(vs -> {
                r.duplicates(vs, "variable");
                for (Entry v : vs.entries().values()) {
                    if (!VARIABLE.matcher(v.key()).matches()) {
                        r.error(v.line(), "key 'values': '" + v.key() + "' is not a variable name (letters, digits, _, . and -)");
                    } else if (RESERVED.contains(v.key())) {
                        r.error(v.line(), "key 'values': '" + v.key() + "' is set by the IVR itself");
                    } else {
                        r.scalar(v, "a value").ifPresent(s -> values.put(v.key(), s));
                    }
                }
            }, () -> {
                if (!m.entries().containsKey("values")) {
                    r.error(r.subjectLine, "missing key 'values'");
                }
            });
            return new Node.SetVar(id, values, target(m, "next"));
        }

        private Map<String, Integer> skills(MapValue m) {
            Map<String, Integer> out = new TreeMap<>();
            r.map(m, "skills").ifPresent(sk -> {
                for (Entry s : sk.entries().values()) {
                    r.scalar(s, "a level").ifPresent(level -> {
                        try {
                            int l = Integer.parseInt(level);
                            if (l < 1 || l > 10) {
                                throw new NumberFormatException();
                            }
                            out.put(s.key(), l);
                        } catch (NumberFormatException e) {
                            r.error(s.value().line(), "key 'skills': level of '" + s.key() + "' must be 1..10, not '" + level + "'");
                        }
                    });
                }
            });
            return out;
        }
    }

    // ---- typed reading with locations ------------------------------------------------------------------

    /** Reads values of one file, adding an error (file, line, subject) for each problem. */
    private static final class R {
        final String file;
        final List<IvrError> errors;
        String subject;
        int subjectLine = 1;

        R(String file, List<IvrError> errors) {
            this.file = file;
            this.errors = errors;
        }

        void error(int line, String message) {
            errors.add(new IvrError(file, line, Optional.ofNullable(subject), message));
        }

        Optional<MapValue> document(String text) {
            try {
                Value v = Yaml.parse(text);
                if (v instanceof MapValue m) {
                    keysOf(m, "key");
                    return Optional.of(m);
                }
                error(v.line(), "the file must be a map of keys, not " + v.describe());
            } catch (Yaml.SyntaxError e) {
                error(e.line, e.getMessage());
            }
            return Optional.empty();
        }

        private void keysOf(MapValue m, String what) {
            duplicates(m, what);
        }

        void duplicates(MapValue m, String what) {
            for (Entry d : m.duplicates()) {
                error(d.line(), "duplicate " + what + " '" + d.key() + "' (first at line " + m.entries().get(d.key()).line() + ")");
            }
        }

        void keys(MapValue m, Set<String> allowed, String what) {
            if (subject != null) {
                duplicates(m, "key");
            }
            for (Entry e : m.entries().values()) {
                if (!allowed.contains(e.key())) {
                    error(e.line(), "unknown key '" + e.key() + "' for " + what + " (expected: "
                            + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }

        Optional<MapValue> asMap(Entry e) {
            if (e.value() instanceof MapValue m) {
                return Optional.of(m);
            }
            error(e.line(), "must be a map of keys, not " + e.value().describe());
            return Optional.empty();
        }

        Optional<MapValue> map(MapValue m, String key) {
            Entry e = m.entries().get(key);
            if (e == null) {
                return Optional.empty();
            }
            if (e.value() instanceof MapValue v) {
                return Optional.of(v);
            }
            error(e.line(), "key '" + key + "' must be a map, not " + e.value().describe());
            return Optional.empty();
        }

        Optional<String> scalar(Entry e, String what) {
            if (e.value() instanceof Scalar s && s.text() != null && !s.text().isBlank()) {
                return Optional.of(s.text());
            }
            error(e.line(), "key '" + e.key() + "' must be " + what + ", not " + e.value().describe());
            return Optional.empty();
        }

        /** A scalar, or a list of scalars, as a list. */
        List<Scalar> scalars(Entry e) {
            List<Scalar> out = new ArrayList<>();
            if (e.value() instanceof Scalar s && s.text() != null) {
                out.add(s);
            } else if (e.value() instanceof ListValue l) {
                for (Value v : l.items()) {
                    if (v instanceof Scalar s && s.text() != null) {
                        out.add(s);
                    } else {
                        error(v.line(), "key '" + e.key() + "' must list text values, not " + v.describe());
                    }
                }
            } else if (e.value() instanceof MapValue v) {
                error(e.line(), "key '" + e.key() + "' must be a text value or a list of them, not " + v.describe());
            }
            return out;
        }

        Optional<String> string(MapValue m, String key) {
            Entry e = m.entries().get(key);
            return e == null ? Optional.empty() : scalar(e, "a text value");
        }

        Optional<String> required(MapValue m, String key) {
            if (!m.entries().containsKey(key)) {
                error(subjectLine, "missing key '" + key + "'");
                return Optional.empty();
            }
            return string(m, key);
        }

        Optional<Integer> integer(MapValue m, String key, int min, int max) {
            return string(m, key).flatMap(s -> {
                try {
                    int v = Integer.parseInt(s);
                    if (v >= min && v <= max) {
                        return Optional.of(v);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                error(m.entries().get(key).line(), "key '" + key + "' must be a whole number " + min + ".." + max + ", not '" + s + "'");
                return Optional.empty();
            });
        }

        Optional<Boolean> bool(MapValue m, String key) {
            return string(m, key).flatMap(s -> switch (s) {
                case "true" -> Optional.of(true);
                case "false" -> Optional.of(false);
                default -> {
                    error(m.entries().get(key).line(), "key '" + key + "' must be true or false, not '" + s + "'");
                    yield Optional.empty();
                }
            });
        }

        Optional<Duration> duration(MapValue m, String key) {
            return string(m, key).flatMap(s -> {
                Matcher d = DURATION.matcher(s);
                if (d.matches()) {
                    long n = Long.parseLong(d.group(1));
                    Duration v = switch (d.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        default -> Duration.ofMinutes(n);
                    };
                    if (!v.isZero() && v.compareTo(Duration.ofMinutes(10)) <= 0) {
                        return Optional.of(v);
                    }
                }
                error(m.entries().get(key).line(), "key '" + key + "' must be a duration from 1ms to 10m such as 5s or 500ms, not '" + s + "'");
                return Optional.empty();
            });
        }

        Optional<ZoneId> zone(MapValue m, String key) {
            return string(m, key).flatMap(s -> {
                try {
                    return Optional.of(ZoneId.of(s));
                } catch (DateTimeException e) {
                    error(m.entries().get(key).line(), "key '" + key + "': unknown time zone '" + s + "'");
                    return Optional.empty();
                }
            });
        }

        String language(int line, String code) {
            if (!LANGUAGE.matcher(code).matches()) {
                error(line, "'" + code + "' is not a language code (such as en, fr or pt_BR)");
            }
            return code;
        }

        Optional<NodeId> nodeRef(MapValue m, String key, Set<NodeId> nodes, boolean required) {
            Entry e = m.entries().get(key);
            if (e == null) {
                if (required) {
                    error(1, "missing key '" + key + "'");
                }
                return Optional.empty();
            }
            Optional<String> s = scalar(e, "a node id");
            if (s.isPresent() && !nodes.contains(NodeId.of(s.get()))) {
                error(e.line(), "key '" + key + "' names '" + s.get() + "', which is not a node of this flow");
                return Optional.empty();
            }
            return s.map(NodeId::of);
        }
    }
}
