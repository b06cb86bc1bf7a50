package org.asteriskcti.server.ivr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.DomainLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's way through one {@link Flow}: the {@link IvrState} machine, owned by the domain loop.
 * Inputs: {@link #promptFinished}, {@link #digit}, {@link #hungUp}, and the session's own timers and
 * lookup results (which re-enter through the loop). Outputs go through the {@link IvrPort}.
 *
 * <p>The session keeps the Flow it started with: a reload of the files never changes its way. Each
 * state or node change is logged in one INFO line.
 */
public final class IvrSession {

    private static final Logger log = LoggerFactory.getLogger(IvrSession.class);

    /** More nodes than this passed through within one input means a loop of decisions: hang up. */
    static final int MAX_STEPS = 100;

    private enum Failure { INVALID, TIMEOUT }

    private final Flow flow;
    private final IvrPort port;
    private final DomainLoop loop;
    private final String label;

    private IvrState state = IvrState.STARTING;
    private Node node;
    private int failures;
    private final StringBuilder digits = new StringBuilder();
    private long playback;
    private boolean playing;
    private long timerToken;
    private DomainLoop.Cancellable timer;
    private long lookupToken;

    private final String caller;
    private Optional<String> region = Optional.empty();
    private String language;
    private final List<CallData.MenuChoice> choices = new ArrayList<>();
    private final Map<String, String> vars = new LinkedHashMap<>();

    private IvrSession(Flow flow, IvrPort port, DomainLoop loop, String label, String caller, String language) {
        this.flow = Objects.requireNonNull(flow, "flow");
        this.port = Objects.requireNonNull(port, "port");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.label = label;
        this.caller = caller == null ? "" : caller;
        this.language = language;
    }

    /**
     * A caller enters {@code flow} at its entry node.
     *
     * @param label names the call in logs (e.g. its channel id)
     * @param language the route's language, if it sets one; else the flow's
     */
    public static IvrSession start(Flow flow, IvrPort port, DomainLoop loop, String label, String caller,
            Optional<String> language) {
        IvrSession s = new IvrSession(flow, port, loop, label, caller, language.orElse(flow.language()));
        s.run(flow.entry());
        return s;
    }

    /**
     * A caller found on a channel after a CTI restart resumes at the node kept there
     * ({@link IvrPosition}), or at the flow's safe node when this version of the flow has no such node.
     * The language, region, menu choices and variables kept there are theirs again; attempt counters and
     * digits of an unfinished entry start afresh.
     */
    public static IvrSession resume(Flow flow, IvrPosition at, IvrPort port, DomainLoop loop, String label, String caller) {
        if (!at.flow().equals(flow.id()) || !at.tenant().equals(flow.tenant())) {
            throw new IllegalArgumentException("position " + at + " is not in flow " + flow);
        }
        IvrSession s = new IvrSession(flow, port, loop, label, caller, at.language());
        s.region = at.region();
        s.choices.addAll(at.choices());
        s.vars.putAll(at.vars());
        NodeId from = flow.nodes().containsKey(at.node()) ? at.node() : flow.safe();
        log.info("ivr {} {}: resumes at {} (was at {} of version {})", label, flow, from, at.node(), at.version());
        s.run(from);
        return s;
    }

    // ---- reading --------------------------------------------------------------------------------------

    public Flow flow() {
        return flow;
    }

    public IvrState state() {
        return state;
    }

    public NodeId node() {
        return node.id();
    }

    /** Failed attempts at the current input node (wrong keys, timeouts). */
    public int failures() {
        return failures;
    }

    public String language() {
        return language;
    }

    public IvrPosition position() {
        return new IvrPosition(flow.tenant(), flow.id(), flow.version(), node.id(), language, region, choices, vars);
    }

    public CallData callData() {
        return new CallData(caller, region, language, choices, vars);
    }

    // ---- inputs ---------------------------------------------------------------------------------------

    /** The playback numbered {@code id} ended (played out or stopped). A stale one is ignored. */
    public void promptFinished(long id) {
        if (state != IvrState.PLAYING || !playing || id != playback) {
            log.debug("ivr {}: playback {} ended, not current ({} #{})", label, id, state, playback);
            return;
        }
        playing = false;
        if (node instanceof Node.Play p) {
            run(p.next());
        } else if (node instanceof Node.Input in) {
            waitForDigits(in);
        } else {
            throw new IllegalStateException("playing at " + node);
        }
    }

    /** The caller pressed a key (0-9, *, #). Counted while waiting, or while playing when barge-in is on. */
    public void digit(char key) {
        if (state == IvrState.PLAYING && node instanceof Node.Input in && in.input().bargeIn()) {
            port.stopPlayback(playback);
            playing = false;
            go(IvrState.WAITING_DIGITS);
        }
        if (state != IvrState.WAITING_DIGITS) {
            log.debug("ivr {}: key {} ignored at {} ({})", label, key, node.id(), state);
            return;
        }
        cancelTimer();
        String k = String.valueOf(key);
        if (node instanceof Node.Menu m) {
            NodeId to = m.options().get(k);
            if (to == null) {
                fail(m, Failure.INVALID);
            } else {
                choices.add(new CallData.MenuChoice(m.id(), k));
                vars.put("menu." + m.id(), k);
                run(to);
            }
        } else if (node instanceof Node.Language l) {
            String lang = l.options().get(k);
            if (lang == null) {
                fail(l, Failure.INVALID);
            } else {
                choices.add(new CallData.MenuChoice(l.id(), k));
                log.info("ivr {} {}: language {} -> {}", label, flow, language, lang);
                language = lang;
                run(l.next());
            }
        } else if (node instanceof Node.Collect c) {
            if (c.terminator().isPresent() && c.terminator().get() == key) {
                endCollect(c);
            } else {
                digits.append(key);
                if (digits.length() >= c.maxLength()) {
                    endCollect(c);
                } else {
                    startTimer(c.input().timeout());
                }
            }
        } else {
            throw new IllegalStateException("waiting for keys at " + node);
        }
    }

    /** The caller hung up: the session ends, nothing more is asked of the port. */
    public void hungUp() {
        if (state.isFinal()) {
            return;
        }
        cancelTimer();
        lookupToken++;
        go(IvrState.FINISHED);
    }

    private void timerFired(long token) {
        if (token != timerToken || state.isFinal()) {
            return;
        }
        timer = null;
        if (state == IvrState.WAITING_DIGITS && node instanceof Node.Collect c && !digits.isEmpty()) {
            endCollect(c);
        } else if (state == IvrState.WAITING_DIGITS && node instanceof Node.Input in) {
            fail(in, Failure.TIMEOUT);
        } else if (state == IvrState.LOOKING_UP && node instanceof Node.Lookup l) {
            lookupToken++;
            log.info("ivr {} {}: lookup at {} timed out after {}", label, flow, l.id(), l.timeout());
            run(l.onFailure());
        }
    }

    private void lookupDone(long token, Map<String, String> fields, Throwable error) {
        if (token != lookupToken || state != IvrState.LOOKING_UP || !(node instanceof Node.Lookup l)) {
            return;
        }
        cancelTimer();
        if (error != null || fields == null) {
            log.info("ivr {} {}: lookup at {} failed: {}", label, flow, l.id(), error == null ? "no result" : error.toString());
            run(l.onFailure());
            return;
        }
        fields.forEach((k, v) -> vars.put("lookup." + k, v));
        run(l.next());
    }

    // ---- moving through the flow ----------------------------------------------------------------------

    /** Enters {@code id} and passes through deciding nodes until one waits for something or ends. */
    private void run(NodeId id) {
        for (int steps = 0; steps < MAX_STEPS; steps++) {
            Node n = flow.nodes().get(id);
            enter(n);
            Optional<NodeId> next = decide(n);
            if (next.isEmpty()) {
                return;
            }
            id = next.get();
        }
        log.warn("ivr {} {}: more than {} nodes without waiting for the caller; hanging up", label, flow, MAX_STEPS);
        finish();
        port.hangup(callData());
    }

    private void enter(Node n) {
        NodeId was = node == null ? null : node.id();
        node = n;
        failures = 0;
        digits.setLength(0);
        if (!n.id().equals(was)) {
            log.info("ivr {} {}: node {} -> {} ({})", label, flow, was, n.id(), type(n));
        }
    }

    /** Does what the node does; the next node when it decides at once, empty when it waits or ends. */
    private Optional<NodeId> decide(Node n) {
        if (n instanceof Node.Hours h) {
            Calendar.Status s = h.calendar().at(loop.clock().instant());
            vars.put("hours." + h.id(), s.name().toLowerCase(java.util.Locale.ROOT));
            return Optional.of(switch (s) {
                case OPEN -> h.open();
                case CLOSED -> h.closed();
                case HOLIDAY -> h.holiday();
            });
        } else if (n instanceof Node.Area a) {
            region = a.table().regionOf(caller);
            return Optional.of(region.map(a.routes()::get).orElse(a.otherwise()));
        } else if (n instanceof Node.SetVar sv) {
            sv.values().forEach((k, v) -> vars.put(k, Prompt.substitute(v, this::var).orElse("")));
            return Optional.of(sv.next());
        } else if (n instanceof Node.Branch b) {
            return Optional.of(var(b.variable()).map(b.cases()::get).orElse(b.otherwise()));
        } else if (n instanceof Node.Play p) {
            say(p.prompts());
            return playing ? Optional.empty() : Optional.of(p.next());
        } else if (n instanceof Node.Input in) {
            say(in.input().prompts());
            if (!playing) {
                waitForDigits(in);
            }
            return Optional.empty();
        } else if (n instanceof Node.Lookup l) {
            lookUp(l);
            return Optional.empty();
        } else if (n instanceof Node.Terminal t) {
            handOver(t);
            return Optional.empty();
        }
        throw new IllegalStateException("unknown node type " + n);
    }

    private void say(List<Prompt> prompts) {
        List<Prompt> resolved = new ArrayList<>();
        for (Prompt p : prompts) {
            p.resolve(this::var).ifPresentOrElse(resolved::add,
                    () -> log.info("ivr {} {}: prompt {} at {} skipped (variable unset or not sayable)", label, flow, p, node.id()));
        }
        if (resolved.isEmpty()) {
            playing = false;
            return;
        }
        go(IvrState.PLAYING);
        playing = true;
        playback++;
        port.positionChanged(position());
        port.play(playback, resolved, language);
    }

    private void waitForDigits(Node.Input in) {
        go(IvrState.WAITING_DIGITS);
        port.positionChanged(position());
        startTimer(in.input().timeout());
    }

    private void fail(Node.Input in, Failure kind) {
        failures++;
        digits.setLength(0);
        DigitInput input = in.input();
        if (failures > input.retries()) {
            Optional<NodeId> to = kind == Failure.INVALID ? input.onInvalid() : input.onTimeout();
            log.info("ivr {} {}: {} at {} after {} tries; {}", label, flow, kind, in.id(), failures,
                    to.map(t -> "to " + t).orElse("hanging up"));
            if (to.isPresent()) {
                run(to.get());
            } else {
                finish();
                port.hangup(callData());
            }
            return;
        }
        List<Prompt> again = new ArrayList<>(kind == Failure.INVALID ? input.invalidPrompts() : input.timeoutPrompts());
        again.addAll(input.prompts());
        say(again);
        if (!playing) {
            waitForDigits(in);
        }
    }

    private void endCollect(Node.Collect c) {
        cancelTimer();
        String entered = digits.toString();
        boolean ok = entered.length() >= c.minLength() && entered.length() <= c.maxLength()
                && c.pattern().map(p -> p.matcher(entered).matches()).orElse(true);
        if (!ok) {
            log.info("ivr {} {}: '{}' refused at {}", label, flow, entered, c.id());
            fail(c, Failure.INVALID);
            return;
        }
        vars.put(c.variable(), entered);
        run(c.next());
    }

    private void lookUp(Node.Lookup l) {
        go(IvrState.LOOKING_UP);
        port.positionChanged(position());
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : l.params()) {
            var(p).ifPresent(v -> params.put(p, v));
        }
        long token = ++lookupToken;
        startTimer(l.timeout());
        CompletableFuture<Map<String, String>> f;
        try {
            f = port.lookup(l.url(), params, l.timeout());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((fields, error) -> loop.execute(() -> lookupDone(token, fields, error)));
    }

    private void handOver(Node.Terminal t) {
        finish();
        CallData data = callData();
        if (t instanceof Node.ToQueue q) {
            port.toQueue(q.queue(), q.skills(), q.priority(), language, data);
        } else if (t instanceof Node.ToAgent a) {
            port.toAgent(a.agent(), a.queue(), language, data);
        } else if (t instanceof Node.ToExtension e) {
            port.toExtension(e.extension(), data);
        } else if (t instanceof Node.ToExternal e) {
            Prompt.substitute(e.number(), this::var).ifPresentOrElse(
                    n -> port.toExternal(n, data), () -> unsetTarget(e.number(), data));
        } else if (t instanceof Node.ToVoicemail v) {
            Prompt.substitute(v.mailbox(), this::var).ifPresentOrElse(
                    m -> port.toVoicemail(m, data), () -> unsetTarget(v.mailbox(), data));
        } else if (t instanceof Node.Hangup) {
            port.hangup(data);
        } else {
            throw new IllegalStateException("unknown terminal node " + t);
        }
    }

    private void unsetTarget(String template, CallData data) {
        log.warn("ivr {} {}: {} at {} names an unset variable; hanging up", label, flow, template, node.id());
        port.hangup(data);
    }

    private void finish() {
        cancelTimer();
        go(IvrState.FINISHED);
    }

    private Optional<String> var(String name) {
        return switch (name) {
            case "caller" -> Optional.of(caller);
            case "region" -> region;
            case "language" -> Optional.of(language);
            default -> Optional.ofNullable(vars.get(name));
        };
    }

    private void go(IvrState next) {
        if (next == state) {
            return;
        }
        if (!state.canGoTo(next)) {
            throw new IllegalStateException("ivr.illegal_transition: " + label + " at " + node.id() + " " + state + " -> " + next);
        }
        log.info("ivr {} {}: {} {} -> {}", label, flow, node.id(), state, next);
        state = next;
    }

    private void startTimer(Duration d) {
        cancelTimer();
        long token = ++timerToken;
        timer = loop.schedule(() -> timerFired(token), d);
    }

    private void cancelTimer() {
        timerToken++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private static String type(Node n) {
        return n.getClass().getSimpleName();
    }
}
