package org.asteriskcti.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;

/**
 * Every metric the server exports, declared here with its help text (docs/admin-guide.md lists them
 * too). Names are Prometheus names after micrometer's conversion ({@code cti.events.in} ->
 * {@code cti_events_in_total}).
 */
public final class CtiMetrics {

    private final PrometheusMeterRegistry registry;
    private final Timer eventAge;
    private final Counter eventsOut;
    private final Counter framesOut;
    private final Counter slowConsumers;
    private final Counter malformedFrames;
    private final AtomicInteger wsSessions = new AtomicInteger();
    private final AtomicInteger wsConnections = new AtomicInteger();
    private final ConcurrentHashMap<String, Counter> eventsIn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Source, AtomicInteger> linkUp = new ConcurrentHashMap<>();
    private final DistributionSummary replayed;
    private Supplier<Number> storeRefused;

    public CtiMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public CtiMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.eventAge = Timer.builder("cti.event.age")
                .description("Age of an Asterisk event when the CTI pushed it to clients: push time minus "
                        + "Asterisk's event timestamp (or the time the edge read it when Asterisk gave none)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.eventsOut = Counter.builder("cti.events.out")
                .description("Events published to the client API (before fan-out to sessions)")
                .register(registry);
        this.framesOut = Counter.builder("cti.ws.frames.out")
                .description("Stream frames written to WebSocket clients (after fan-out, including replays)")
                .register(registry);
        this.slowConsumers = Counter.builder("cti.ws.slow.consumers")
                .description("WebSocket connections closed because the client read too slowly (code 4429)")
                .register(registry);
        this.malformedFrames = Counter.builder("cti.ws.malformed.frames")
                .description("Client frames rejected as malformed (bad JSON, unknown type, missing field)")
                .register(registry);
        this.replayed = DistributionSummary.builder("cti.ws.resume.replayed")
                .description("Events replayed to a client that resumed its session")
                .register(registry);
        Gauge.builder("cti.ws.sessions", wsSessions, AtomicInteger::get)
                .description("Client-API sessions kept (attached or waiting for a resume)")
                .register(registry);
        Gauge.builder("cti.ws.connections", wsConnections, AtomicInteger::get)
                .description("Open client WebSocket connections")
                .register(registry);
        for (Source s : Source.values()) {
            AtomicInteger v = new AtomicInteger();
            linkUp.put(s, v);
            Gauge.builder("cti.asterisk.link.up", v, AtomicInteger::get)
                    .description("1 while the CTI's connection to Asterisk over this interface is up and logged in")
                    .tag("interface", s.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    /**
     * Binds the JVM's and the process's standard meters (heap and other memory pools, GC pauses, threads,
     * classes, CPU, uptime, open file descriptors: {@code jvm_*}, {@code process_*}, {@code system_*}).
     * Close the result with the server: the GC meters listen to the JVM until then.
     */
    public AutoCloseable bindJvm() {
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Registers the gauge of active calls; {@code supplier} must be safe to call from any thread. */
    public void activeCalls(Supplier<Number> supplier) {
        Gauge.builder("cti.calls.active", supplier)
                .description("Calls the model currently holds (not ended)")
                .register(registry);
    }

    /**
     * Micrometer keeps a function counter's object only weakly: a method reference passed in would be
     * collected and the counter would read NaN or 0. The suppliers are kept here, as long as the metrics.
     */
    private final java.util.List<Supplier<Number>> counted = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FunctionCounter.Builder<Supplier<Number>> functionCounter(String name, Supplier<Number> value,
            java.util.function.ToDoubleFunction<Supplier<Number>> f) {
        counted.add(value);
        return FunctionCounter.builder(name, value, f);
    }

    /** The ACD's Asterisk side: position announcements played, callers restored after a restart. */
    public void acd(Supplier<Number> announcements, Supplier<Number> restoredWaiting, Supplier<Number> restoredConnected) {
        functionCounter("cti.acd.announcements", announcements, s -> s.get().doubleValue())
                .description("Position / wait announcements played to the end to queued callers")
                .register(registry);
        functionCounter("cti.acd.restored", restoredWaiting, s -> s.get().doubleValue())
                .description("Callers the ACD took back after a CTI restart, from what their channels remember")
                .tag("state", "waiting").register(registry);
        functionCounter("cti.acd.restored", restoredConnected, s -> s.get().doubleValue())
                .description("Callers the ACD took back after a CTI restart, from what their channels remember")
                .tag("state", "connected").register(registry);
    }

    /** The IVR's totals: callers in flows now, entered, taken back after a restart. Suppliers must be thread-safe. */
    public void ivr(Supplier<Number> active, Supplier<Number> started, Supplier<Number> resumed, Supplier<Number> failedPlaybacks) {
        functionCounter("cti.ivr.playbacks.failed", failedPlaybacks, s -> s.get().doubleValue())
                .description("IVR prompts Asterisk could not play (a missing sound or tenant file, or one Asterisk cannot read)")
                .register(registry);
        Gauge.builder("cti.ivr.callers", active).description("Callers in IVR flows now").register(registry);
        functionCounter("cti.ivr.entered", started, s -> s.get().doubleValue())
                .description("Callers who entered an IVR flow").register(registry);
        functionCounter("cti.ivr.resumed", resumed, s -> s.get().doubleValue())
                .description("Callers taken back into their IVR flow after a CTI restart, from the position on their channel")
                .register(registry);
    }

    /**
     * A caller left an IVR flow: {@code outcome} is the terminal node's kind (queue, agent, extension, external,
     * voicemail, hangup) or caller_hung_up.
     */
    public void ivrLeft(String tenant, String outcome) {
        io.micrometer.core.instrument.Counter.builder("cti.ivr.left").description("Callers who left an IVR flow, by how")
                .tags("tenant", tenant, "outcome", outcome).register(registry).increment();
    }

    /** Registers the gauge of tasks waiting on the domain loop; {@code supplier} must be thread-safe. */
    public void domainQueue(Supplier<Number> supplier) {
        Gauge.builder("cti.domain.queue", supplier)
                .description("Tasks (Asterisk events, client messages, timers) waiting for the domain loop: "
                        + "growth means the loop is falling behind and event age will rise")
                .register(registry);
    }

    /**
     * What the per-queue ACD gauges read. Every method must be safe to call from any thread: scrapes
     * run on Netty threads, not on the domain loop.
     */
    public interface AcdQueueGauges {
        double waiting();

        double longestWaitSeconds();

        double staffed();

        /** Agents who can take the queue's callers that are in {@code state} (an ACD agent state name). */
        double agents(String state);

        double offeredToday();

        double answeredToday();

        double abandonedToday();

        /** Answered within the threshold / (answered + abandoned) today, 0..1; NaN before any. */
        double serviceLevel();

        /** Abandoned / (answered + abandoned) today, 0..1; NaN before any. */
        double abandonRate();

        /** Average speed of answer today; NaN before any answer. */
        double asaSeconds();

        /** Average handle time (talk + hold + wrap-up) today; NaN before any completed call. */
        double ahtSeconds();
    }

    /**
     * Registers the gauges of one ACD queue, tagged {@code tenant} and {@code queue} (agents also by
     * {@code state}, one series per name in {@code agentStates}). "Today" is since midnight in the
     * tenant's time zone; the definitions are those of QueueStatistics.
     */
    public void acdQueue(String tenant, String queue, java.util.Collection<String> agentStates, AcdQueueGauges g) {
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("tenant", tenant, "queue", queue);
        gauge("cti.acd.queue.waiting", null, "Callers in the ACD queue now (waiting or being offered to an agent)",
                tags, g, AcdQueueGauges::waiting);
        gauge("cti.acd.queue.longest.wait", "seconds", "Longest current wait in the ACD queue, from the caller's "
                + "original arrival", tags, g, AcdQueueGauges::longestWaitSeconds);
        gauge("cti.acd.queue.staffed", null, "Logged-in agents who can take the ACD queue's callers", tags, g,
                AcdQueueGauges::staffed);
        for (String state : agentStates) {
            gauge("cti.acd.queue.agents", null, "Agents who can take the ACD queue's callers, by ACD state",
                    tags.and("state", state), g, x -> x.agents(state));
        }
        gauge("cti.acd.queue.offered.today", null, "Callers who entered the ACD queue today (restored ones not "
                + "counted again)", tags, g, AcdQueueGauges::offeredToday);
        gauge("cti.acd.queue.answered.today", null, "Callers of the ACD queue answered by an agent today", tags, g,
                AcdQueueGauges::answeredToday);
        gauge("cti.acd.queue.abandoned.today", null, "Callers who hung up in the ACD queue today, short abandons "
                + "excluded", tags, g, AcdQueueGauges::abandonedToday);
        gauge("cti.acd.queue.service.level", "ratio", "Answered within the queue's service-level threshold / "
                + "(answered + abandoned) today; NaN before any", tags, g, AcdQueueGauges::serviceLevel);
        gauge("cti.acd.queue.abandon.rate", "ratio", "Abandoned / (answered + abandoned) today, short abandons "
                + "excluded; NaN before any", tags, g, AcdQueueGauges::abandonRate);
        gauge("cti.acd.queue.asa", "seconds", "Average speed of answer today (wait of answered callers); NaN "
                + "before any", tags, g, AcdQueueGauges::asaSeconds);
        gauge("cti.acd.queue.aht", "seconds", "Average handle time today (talk + hold + wrap-up); NaN before "
                + "any completed call", tags, g, AcdQueueGauges::ahtSeconds);
    }

    /**
     * Registers the gauges of a tenant's agents by ACD state ({@code cti_agents{tenant,state}}): every agent of
     * the tenant once, whatever queues they serve (the per-queue {@code cti_acd_queue_agents} counts an agent in
     * each of their queues). {@code count} must be safe to call from any thread.
     */
    public void agents(String tenant, java.util.Collection<String> states, java.util.function.ToDoubleFunction<String> count) {
        for (String state : states) {
            Gauge.builder("cti.agents", state, count)
                    .description("The tenant's agents by ACD state (LOGGED_OUT, READY, NOT_READY, RESERVED, ON_CALL, "
                            + "WRAP_UP, ON_OTHER), each agent counted once")
                    .tags("tenant", tenant, "state", state).strongReference(true).register(registry);
        }
    }

    private void gauge(String name, String unit, String help, io.micrometer.core.instrument.Tags tags,
            AcdQueueGauges g, java.util.function.ToDoubleFunction<AcdQueueGauges> f) {
        Gauge.builder(name, g, f).description(help).baseUnit(unit).tags(tags).strongReference(true).register(registry);
    }

    public void eventIn(Source source, String type) {
        eventsIn.computeIfAbsent(source.name() + ':' + type, k -> Counter.builder("cti.events.in")
                .description("Asterisk events received by the edges, translated and handed to the domain")
                .tag("interface", source.name().toLowerCase(java.util.Locale.ROOT))
                .tag("type", type)
                .register(registry)).increment();
    }

    public void link(Source source, LinkState state) {
        linkUp.get(source).set(state == LinkState.UP ? 1 : 0);
    }

    public void eventAge(Duration age) {
        eventAge.record(age.isNegative() ? Duration.ZERO : age);
    }

    public void eventOut() {
        eventsOut.increment();
    }

    public void framesOut(int n) {
        framesOut.increment(n);
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public void malformedFrame() {
        malformedFrames.increment();
    }

    public void sessions(int n) {
        wsSessions.set(n);
    }

    public void connectionOpened() {
        wsConnections.incrementAndGet();
    }

    public void connectionClosed() {
        wsConnections.decrementAndGet();
    }

    public void replayed(int n) {
        replayed.record(n);
    }

    // ---- post-call survey -----------------------------------------------------------------------

    /** @param outcome the survey's outcome: ANSWERED, NO_RESPONSE, HUNG_UP, INTERRUPTED */
    public void surveyEnded(String tenant, String queue, String outcome) {
        Counter.builder("cti.surveys")
                .description("Post-call satisfaction surveys ended, by tenant, queue and outcome (answered with a "
                        + "score, no response, hung up, interrupted by a CTI restart); the scores are in the queue statistics")
                .tag("tenant", tenant).tag("queue", queue).tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT))
                .register(registry).increment();
    }

    // ---- call recording -------------------------------------------------------------------------

    public void recordingStarted() {
        registry.counter("cti.recordings.started").increment();
    }

    public void recordingStartFailed() {
        registry.counter("cti.recordings.start.failed").increment();
    }

    /** @param end the recording's end reason in lower case: stopped, call_ended, ended_by_asterisk, failed */
    public void recordingFinished(String end) {
        registry.counter("cti.recordings.finished", "end", end).increment();
    }

    public void recordingPaused() {
        registry.counter("cti.recordings.pauses").increment();
    }

    /** Registers the recordings' meters: help texts, and the store's backlog ({@code pending} thread-safe). */
    public void recordings(Supplier<Number> pending) {
        Counter.builder("cti.recordings.started")
                .description("Call recordings Asterisk confirmed it records (bridge recordings started by a user or the policy)")
                .register(registry);
        Counter.builder("cti.recordings.start.failed")
                .description("Call recordings Asterisk refused to start or did not answer for (no recording remains)")
                .register(registry);
        for (String end : new String[] {"stopped", "call_ended", "ended_by_asterisk", "failed"}) {
            Counter.builder("cti.recordings.finished")
                    .description("Call recordings ended, by reason: stopped by a user, the call ended, Asterisk ended it, "
                            + "Asterisk reported it failed")
                    .tag("end", end).register(registry);
        }
        Counter.builder("cti.recordings.pauses")
                .description("Recording pauses (PCI: silence in the file while a card number is spoken), each audited")
                .register(registry);
        Gauge.builder("cti.storage.recordings.pending", pending)
                .description("Recordings' metadata changes not yet in the database: growth means the database is "
                        + "unreachable or too slow (they are kept in memory and written when it answers)")
                .register(registry);
    }

    // ---- voicemail ------------------------------------------------------------------------------

    private static final String VM_STORED = "cti.voicemail.messages.stored";
    private static final String VM_STORED_HELP = "Voicemail messages stored, by tenant (callers sent to voicemail by a "
            + "queue's overflow or an IVR flow, long enough to keep)";

    /** A message was stored for {@code tenant}. */
    public void voicemailStored(String tenant) {
        Counter.builder(VM_STORED).description(VM_STORED_HELP).tag("tenant", tenant).register(registry).increment();
    }

    /** A message was shorter than voicemail.min-duration (or Asterisk had no file): deleted. */
    public void voicemailDiscarded() {
        registry.counter("cti.voicemail.messages.discarded").increment();
    }

    /** Asterisk refused or failed a voicemail recording (the caller went to the dialplan fallback). */
    public void voicemailFailed() {
        registry.counter("cti.voicemail.recordings.failed").increment();
    }

    /**
     * Registers the voicemail's meters: help texts (a stored counter per tenant, at zero), and the store's backlog
     * ({@code pending} thread-safe).
     */
    public void voicemail(java.util.List<String> tenants, Supplier<Number> pending) {
        for (String t : tenants) {
            Counter.builder(VM_STORED).description(VM_STORED_HELP).tag("tenant", t).register(registry);
        }
        Counter.builder("cti.voicemail.messages.discarded")
                .description("Voicemail messages discarded: shorter than voicemail.min-duration (a caller hanging up at "
                        + "the beep), deleted from Asterisk too")
                .register(registry);
        Counter.builder("cti.voicemail.recordings.failed")
                .description("Voicemail recordings Asterisk refused or failed; the caller went to the dialplan's "
                        + "cti-voicemail (app_voicemail) instead")
                .register(registry);
        Gauge.builder("cti.storage.voicemail.pending", pending)
                .description("Voicemail messages' changes not yet in the database: growth means the database is "
                        + "unreachable or too slow (they are kept in memory and written when it answers)")
                .register(registry);
    }

    /**
     * Registers the ACD statistics store's meters (see {@code JdbcQueueEventStore#pending} and
     * {@code #refused}); both suppliers must be safe to call from any thread.
     */
    public void queueEventStore(Supplier<Number> pending, Supplier<Number> refused) {
        storeRefused = refused; // a function counter holds its object weakly: keep the supplier reachable
        Gauge.builder("cti.storage.queue.events.pending", pending)
                .description("ACD statistics events appended but not yet in the database: growth means the database "
                        + "is unreachable or too slow (they are kept in memory and written, in order, when it answers)")
                .register(registry);
        functionCounter("cti.storage.queue.events.refused", refused, r -> r.get().doubleValue())
                .description("ACD statistics events the database refused since start; each is logged at ERROR with its "
                        + "JSON so it can be re-entered by hand")
                .register(registry);
    }
}
