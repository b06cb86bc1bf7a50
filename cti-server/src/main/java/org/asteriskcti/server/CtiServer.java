package org.asteriskcti.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.AcdListener;
import org.asteriskcti.server.acd.AcdService;
import org.asteriskcti.server.acd.AsteriskAcdPort;
import org.asteriskcti.server.api.ControlApi;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.DialPlan;
import org.asteriskcti.server.control.Supervision;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.api.AcdApi;
import org.asteriskcti.server.api.ApiServer;
import org.asteriskcti.server.api.AuthService;
import org.asteriskcti.server.api.ClientHub;
import org.asteriskcti.server.api.HistoryApi;
import org.asteriskcti.server.api.RecordingApi;
import org.asteriskcti.server.api.RestQueries;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.history.CallHistory;
import org.asteriskcti.server.history.JdbcCallHistoryStore;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.recording.RecordingFiles;
import org.asteriskcti.server.recording.RecordingPolicies;
import org.asteriskcti.server.recording.RecordingService;
import org.asteriskcti.server.config.ConfigException;
import org.asteriskcti.server.ivr.IvrService;
import org.asteriskcti.server.routing.InboundRouter;
import org.asteriskcti.server.storage.Database;
import org.asteriskcti.server.survey.SurveyDefinition;
import org.asteriskcti.server.survey.SurveyService;
import org.asteriskcti.server.storage.JdbcQueueEventStore;
import org.asteriskcti.server.storage.JdbcRecordingStore;
import org.asteriskcti.server.storage.JdbcVoicemailStore;
import org.asteriskcti.server.api.VoicemailApi;
import org.asteriskcti.server.voicemail.VoicemailService;
import org.asteriskcti.server.voicemail.VoicemailSettings;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the server in one place (constructor injection, no singletons): domain loop, model, client
 * hub, HTTP/WS server and the Asterisk edges.
 */
public final class CtiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CtiServer.class);

    /** Builds the Asterisk edges for a configuration, given where they deliver events. */
    public interface EdgeFactory {
        Edges create(CtiConfig config, AsteriskEventSink sink, CtiMetrics metrics);
    }

    /**
     * The edges to start, the command port the domain uses to act on Asterisk, and where recordings' audio
     * is read from.
     */
    public record Edges(List<AsteriskEdge> edges, AsteriskCommands commands, RecordingFiles recordingFiles) {
        public Edges(List<AsteriskEdge> edges, AsteriskCommands commands) {
            this(edges, commands, RecordingFiles.UNAVAILABLE);
        }

        public static Edges none() {
            return new Edges(List.of(), AsteriskCommands.UNAVAILABLE);
        }
    }

    private final CtiConfig config;
    private final DomainLoop loop;
    private final CtiMetrics metrics;
    private final CallModel model;
    private final ClientHub hub;
    private final ApiServer api;
    private final List<AsteriskEdge> edges = new ArrayList<>();
    private final EdgeFactory edgeFactory;
    private InetSocketAddress httpAddress;
    private final InboundRouter router;
    private final AcdService acd;
    private final QueueEventLog acdEvents;
    private final Database database;
    private final JdbcQueueEventStore eventStore;
    private final AsteriskAcdPort acdPort;
    private final AcdForwarder acdListener = new AcdForwarder();
    private final AcdApi acdApi;
    private final JdbcCallHistoryStore historyStore;
    private final CallHistory history;
    private DomainLoop.Cancellable expiryTimer;
    private final JdbcRecordingStore recordingStore;
    private final RecordingApi recordingApi;
    private final RecordingService recordings;
    private final JdbcVoicemailStore voicemailStore;
    private final VoicemailApi voicemailApi;
    private final VoicemailService voicemail;

    /** The JVM meters' GC listeners, closed with the server. */
    private final AutoCloseable jvmMetrics;

    public CtiServer(CtiConfig config, Clock clock, EdgeFactory edgeFactory) {
        this.config = config;
        this.edgeFactory = edgeFactory;
        this.loop = DomainLoop.started(clock);
        this.metrics = new CtiMetrics();
        this.jvmMetrics = metrics.bindJvm();
        TenantDirectory directory = new TenantDirectory(config);
        // The IVR flows (Main has checked them already): a route naming a flow that is not there refuses the start.
        org.asteriskcti.server.ivr.IvrCatalog catalog;
        try {
            catalog = loadIvr(config);
        } catch (RuntimeException e) {
            loop.shutdown();
            throw e;
        }
        this.ivrFlows = new org.asteriskcti.server.ivr.IvrFlows(loop, config.ivr().dir(), ivrZones(config), tenant ->
                config.tenants().stream().filter(t -> t.id().equals(tenant.value())).flatMap(t -> t.routes().stream())
                        .filter(r -> r.flow().isPresent())
                        .map(r -> new org.asteriskcti.server.ivr.IvrFlows.FlowRoute(r.did(),
                                org.asteriskcti.server.ivr.FlowId.of(r.flow().get())))
                        .toList(), catalog);
        EnumSet<Source> enabled = EnumSet.noneOf(Source.class);
        if (config.ami().enabled()) {
            enabled.add(Source.AMI);
        }
        if (config.ari().enabled()) {
            enabled.add(Source.ARI);
        }
        Forwarder forwarder = new Forwarder();
        this.model = new CallModel(loop, directory, forwarder, enabled);
        this.hub = new ClientHub(loop, model, directory, config.clientApi(), metrics);
        forwarder.target = hub;
        metrics.activeCalls(() -> activeCalls);
        metrics.domainQueue(loop::pending);
        AuthService auth = new AuthService(config, tokenSecret(config), clock);
        this.api = new ApiServer(config, auth, hub, loop, metrics, new RestQueries(loop, model, directory), this::health);

        // The edges are built now (they connect only in start()): the ACD's port needs their commands.
        Edges created = edgeFactory.create(config, this::deliver, metrics);
        edges.addAll(created.edges());
        // The ACD's statistics log: stored (embedded H2 by default, PostgreSQL in production), today's
        // events reloaded so today's figures survive a restart. Opening it migrates the schema.
        AcdConfig acdConfig = AcdConfig.from(config);
        try {
            this.database = Database.open(config.storage(), config.dataDir());
        } catch (RuntimeException e) {
            loop.shutdown();
            throw e;
        }
        // Call detail records: one per call, collected on the loop from what the features publish, written by
        // a background writer once the call, its wrap-up and survey are over (cdr/CallRecordCollector).
        this.callRecordStore = org.asteriskcti.server.storage.JdbcCallRecordStore.open(database, config.storage());
        this.callRecords = new org.asteriskcti.server.cdr.CallRecordCollector(loop, callRecordStore,
                this::recordingIds,
                (tenant, number) -> directory.tenantOfDid(number).map(tenant::equals).orElse(false),
                org.asteriskcti.server.cdr.CallRecordCollector.Settings.DEFAULT);
        forwarder.followers.add(callRecords);
        // Call recording: metadata and pause audit in the same database, audio streamed from Asterisk.
        this.recordingStore = new JdbcRecordingStore(database.dataSource());
        metrics.recordings(recordingStore::pending);
        this.recordingApi = new RecordingApi(hub, recordingStore, created.recordingFiles());
        // Voicemail: callers sent there by a queue's overflow or an IVR node stay in our application and are
        // recorded over ARI; messages in the same database, audio streamed from Asterisk like recordings'.
        this.voicemailStore = new JdbcVoicemailStore(database.dataSource());
        metrics.voicemail(config.tenants().stream().map(CtiConfig.Tenant::id).toList(), voicemailStore::pending);
        this.voicemailApi = new VoicemailApi(hub, loop, voicemailStore, created.recordingFiles(), recordingApi.downloads());
        org.asteriskcti.server.voicemail.VoicemailListener voicemailListeners =
                new org.asteriskcti.server.voicemail.VoicemailListener() {
                    @Override
                    public void added(org.asteriskcti.server.voicemail.VoicemailMessage message) {
                        voicemailApi.added(message);
                        callRecords.voicemailAdded(message);
                    }

                    @Override
                    public void updated(org.asteriskcti.server.voicemail.VoicemailMessage message) {
                        voicemailApi.updated(message);
                    }

                    @Override
                    public void deleted(org.asteriskcti.server.voicemail.VoicemailMessage message) {
                        voicemailApi.deleted(message);
                    }
                };
        this.voicemail = new VoicemailService(loop, created.commands(), created.recordingFiles(), voicemailStore,
                voicemailListeners, metrics, VoicemailSettings.from(config.voicemail()));
        voicemailApi.attach(voicemail);
        hub.voicemail(voicemailApi);
        // Messages being recorded when the last process stopped: taken back before Asterisk's first events.
        loop.execute(voicemail::recover);
        this.eventStore = JdbcQueueEventStore.open(database, config.storage(), acdConfig, config.dataDir());
        metrics.queueEventStore(eventStore::pending, eventStore::refused);
        this.acdEvents = eventStore.restoreToday(acdConfig, clock.instant());
        acdEvents.follow(callRecords::queueEvent);
        acdListener.follower = callRecords::entryChanged;
        Map<AgentId, String> endpoints = new LinkedHashMap<>();
        config.agents().forEach(a -> endpoints.put(AgentId.of(a.id()), a.endpoint()));
        this.acdPort = new AsteriskAcdPort(loop, created.commands(), acdListener, endpoints,
                Long.toString(clock.millis(), 36), config.routing().callbackContext());
        this.acd = new AcdService(loop, acdPort, acdEvents, acdConfig);
        acdPort.attach(acd);
        acdPort.sendToVoicemail(voicemail::leave);
        metrics.acd(acdPort::announcementsPlayed, acdPort::restoredWaiting, acdPort::restoredConnected);
        Map<org.asteriskcti.server.domain.TenantId, IvrService.Dial> dials = new LinkedHashMap<>();
        config.tenants().forEach(t -> dials.put(org.asteriskcti.server.domain.TenantId.of(t.id()),
                new IvrService.Dial(t.dial().context(), t.dial().prefix())));
        this.ivr = new IvrService(loop, created.commands(), org.asteriskcti.server.ivr.HttpLookupClient.withDefaults(),
                // The DID that brought the caller into the flow (the flow was started for it: see the router below).
                (channel, queue, priority, language, skills, data, onlyAgent) -> acdPort.admit(channel, queue, priority,
                        language, skills, screenPop(channel, data), onlyAgent,
                        directory.tenantOfDid(channel.exten()).map(t -> channel.exten())),
                tenant -> dials.getOrDefault(tenant, new IvrService.Dial(config.routing().callbackContext(), "")),
                agent -> directory.agent(agent).map(a -> a.device().substring(a.device().indexOf('/') + 1)),
                config.routing().unroutedInboundContext(), () -> ivrFlows.current(), Long.toString(clock.millis(), 36),
                config.ivr().asteriskDir(), voicemail::leave);
        metrics.ivr(ivr::active, ivr::started, ivr::resumed, ivr::playbacksFailed);
        ivr.onOutcome((tenant, outcome) -> metrics.ivrLeft(tenant.value(), outcome));
        this.router = new InboundRouter(created.commands(), config.routing().unroutedInboundContext(), loop,
                did -> directory.routeOfDid(did).map(r -> r.flow().isPresent()
                        ? InboundRouter.Route.toFlow(r.flow().get(), r.language())
                        : new InboundRouter.Route(org.asteriskcti.server.domain.QueueId.of(r.queue()), r.priority(),
                                r.language())),
                (channel, route) -> acdPort.admit(channel, route.queue(), route.priority(), route.language(), Map.of(),
                        org.asteriskcti.server.acd.ScreenPop.caller(channel.caller().number(), channel.caller().name()),
                        java.util.Optional.empty(), route.did()),
                (channel, route) -> {
                    org.asteriskcti.server.domain.TenantId tenant = directory.tenantOfDid(channel.exten())
                            .orElseThrow(() -> new IllegalStateException("no tenant has DID " + channel.exten()));
                    org.asteriskcti.server.ivr.Flow flow = ivrFlows.current()
                            .flow(tenant, org.asteriskcti.server.ivr.FlowId.of(route.flow().get()))
                            .orElseThrow(() -> new IllegalStateException("no flow " + route.flow().get()));
                    ivr.start(channel, tenant, flow, route.language());
                    callRecords.ivrStarted(channel.id(), route.flow().get());
                    return flow;
                });
        // The client API's side of the ACD: agent commands (WebSocket and REST), agent/queue events, queue stats.
        this.acdApi = new AcdApi(loop, acd, hub, directory, metrics);
        hub.acd(acdApi);
        acdListener.target = acdApi;
        acdPort.onPhoneChange(acdApi::agentTouched);
        hub.recordings(recordingApi);
        this.recordings = new RecordingService(loop, created.commands(), RecordingPolicies.from(config), recordingStore,
                recordingApi, metrics);
        // Recordings going on when the last process stopped (kill -9 included): taken back from the store before
        // Asterisk's first events (the edges start later), checked with Asterisk at ARI's resync.
        loop.execute(recordings::recover);
        // Call control: click-to-dial, hold, mute, DTMF, transfers, conference. ACD calls are handed over
        // to it once bridged, so they can be transferred and conferenced like any other call.
        this.controlApi = new ControlApi(loop, hub, directory);
        // Recording follows the conversations: the ALWAYS policy, agents joining, the end.
        this.recorder = new org.asteriskcti.server.recording.CallRecorder(loop, recordings,
                channel -> model.leg(channel).map(org.asteriskcti.server.call.Leg::call));
        CallControl.Listener listeners = c -> {
            controlApi.conversationChanged(c);
            recorder.conversationChanged(c);
            callRecords.conversationChanged(c);
        };
        DialPlan dialPlan = new DialPlan(config);
        this.control = new CallControl(loop, created.commands(), dialPlan, listeners,
                new CallControl.Acd() {
                    @Override
                    public void transferIn(org.asteriskcti.server.domain.ChannelId customer, org.asteriskcti.server.asterisk.Party party,
                            org.asteriskcti.server.domain.TenantId tenant, org.asteriskcti.server.domain.QueueId queue,
                            java.time.Instant arrival) {
                        acdPort.transferIn(customer, party, queue, arrival);
                    }

                    @Override
                    public void transferred(java.time.Instant at, org.asteriskcti.server.domain.QueueId queue,
                            org.asteriskcti.server.acd.EntryId entry, AgentId agent,
                            org.asteriskcti.server.acd.stats.QueueEvent.TransferKind kind, String target) {
                        // Into the ACD's statistics log (stored with the rest): the reports' transfers.
                        acdEvents.append(new org.asteriskcti.server.acd.stats.QueueEvent.Transferred(at, queue, entry,
                                agent, kind, target));
                    }

                    @Override
                    public java.util.Optional<AgentId> agentForConsultation(org.asteriskcti.server.domain.QueueId queue,
                            org.asteriskcti.server.domain.TenantId tenant, AgentId except) {
                        return acd.agentForConsultation(queue, tenant, except);
                    }
                },
                Long.toString(clock.millis(), 36), config.callControl().ringTimeout(), config.callControl().mohClass());
        controlApi.attach(control);
        controlApi.attachAcd(acd);
        controlApi.attachRecorder(recorder);
        // Supervisors listen / whisper / barge from their phones (snoop channels on agents' legs).
        this.supervision = new Supervision(loop, created.commands(), control, dialPlan, controlApi,
                Long.toString(clock.millis(), 36), config.callControl().ringTimeout());
        controlApi.attach(supervision);
        hub.control(controlApi);
        acdPort.handOffConnected((mix, entry, caller, party, leg, agent, ready) ->
                control.adoptAcd(mix, entry.tenant(), entry.queue(), entry.id(), entry.arrivedAt(), caller, party, leg,
                        agent, ready));
        // The post-call survey: customers of queues with one stay on the line when the agent hangs up.
        Map<org.asteriskcti.server.domain.QueueId, SurveyDefinition> surveyDefinitions = new LinkedHashMap<>();
        config.queues().forEach(q -> q.survey().ifPresent(s ->
                surveyDefinitions.put(org.asteriskcti.server.domain.QueueId.of(q.id()), SurveyDefinition.of(s))));
        this.surveys = new SurveyService(loop, created.commands(), acdEvents, surveyDefinitions, (tenant, e) -> {
            metrics.surveyEnded(tenant.value(), e.queue().value(), e.outcome().name());
            acdApi.statisticsChanged(e.queue());
        });
        control.offerSurveys(surveys);
        // Each agent's call history: stored beside the statistics log, the last history.per-agent calls
        // of every agent reloaded now (before the loop has work), then followed as calls end.
        this.historyStore = JdbcCallHistoryStore.open(database, config.storage(), config.history());
        this.history = new CallHistory(loop, directory, config.history().perAgent(), historyStore,
                (tenant, call) -> recordings.recordingsOf(tenant, call).stream().map(r -> r.value()).toList(),
                historyStore.loadLatest(config.history().perAgent()));
        forwarder.followers.add(history);
        HistoryApi historyApi = new HistoryApi(loop, history, hub, directory);
        history.listener(historyApi);
        hub.history(historyApi);
        // Reports (REST /api/v1/reports/...): read from the same database on two worker threads of their own,
        // never on the domain loop.
        java.util.concurrent.atomic.AtomicInteger reportThreads = new java.util.concurrent.atomic.AtomicInteger();
        this.reportWorkers = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cti-report-" + reportThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        org.asteriskcti.server.report.ReportService reportService = new org.asteriskcti.server.report.ReportService(
                new org.asteriskcti.server.storage.JdbcReportSource(database.dataSource()),
                org.asteriskcti.server.report.ReportService.scopes(config),
                new org.asteriskcti.server.report.ReportRequest.Limits(config.reports().maxRangeQuarterHour(),
                        config.reports().maxRangeHour(), config.reports().maxRangeDay()),
                reportWorkers, clock);
        hub.reports(new org.asteriskcti.server.api.ReportsApi(reportService));
        // Call detail records over REST (/api/v1/call-records), read on the same workers, dates in the tenant's zone.
        hub.callRecords(new org.asteriskcti.server.api.CallRecordsApi(callRecordStore, reportService::zoneOf,
                reportWorkers));
        // storage.retention: old statistics events and call history deleted daily (none when kept forever).
        this.retention = config.storage().retention().isZero() ? null
                : new org.asteriskcti.server.storage.Retention(database.dataSource(), config.storage().retention(), clock);
        if (config.ivr().dir().isPresent()) {
            hub.ivr(new org.asteriskcti.server.api.IvrApi(loop, ivrFlows, ivr));
        }
    }

    private final java.util.concurrent.ExecutorService reportWorkers;
    private final org.asteriskcti.server.storage.JdbcCallRecordStore callRecordStore;
    private final org.asteriskcti.server.cdr.CallRecordCollector callRecords;
    private final org.asteriskcti.server.storage.Retention retention;
    private final ControlApi controlApi;
    private final CallControl control;
    private final SurveyService surveys;
    private final org.asteriskcti.server.recording.CallRecorder recorder;
    private final Supervision supervision;
    /** What the agent's screen shows of a caller an IVR flow hands to a queue. */
    static org.asteriskcti.server.acd.ScreenPop screenPop(org.asteriskcti.server.asterisk.ChannelSnapshot channel,
            org.asteriskcti.server.ivr.CallData data) {
        return new org.asteriskcti.server.acd.ScreenPop(data.caller(), channel.caller().name(), data.region(),
                java.util.Optional.of(data.language()),
                data.choices().stream().map(c -> new org.asteriskcti.server.acd.ScreenPop.Choice(c.node().value(), c.key())).toList(),
                data.vars());
    }

    /** The IVR flows in force; a tenant admin's reload swaps theirs on the domain loop. */
    private final org.asteriskcti.server.ivr.IvrFlows ivrFlows;
    private final IvrService ivr;

    /**
     * The flows of {@code ivr.dir} (empty without one); every route naming a flow must find it in its tenant.
     *
     * @throws ConfigException naming the route whose flow is missing, or the flows' errors
     */
    static org.asteriskcti.server.ivr.IvrCatalog loadIvr(CtiConfig config) {
        org.asteriskcti.server.ivr.IvrCatalog catalog = org.asteriskcti.server.ivr.IvrCatalog.empty();
        if (config.ivr().dir().isPresent()) {
            try {
                catalog = org.asteriskcti.server.ivr.FlowLoader.load(config.ivr().dir().get(), ivrZones(config));
            } catch (org.asteriskcti.server.ivr.IvrLoadException e) {
                throw new ConfigException(e.errors().stream().map(Object::toString).toList());
            }
        }
        checkFlowRoutes(config, catalog);
        return catalog;
    }

    /** Each tenant's time zone (tenants[].time-zone): the default of its calendars. */
    static java.util.function.Function<org.asteriskcti.server.domain.TenantId, java.time.ZoneId> ivrZones(CtiConfig config) {
        Map<String, java.time.ZoneId> zones = new LinkedHashMap<>();
        config.tenants().forEach(t -> zones.put(t.id(), t.timeZone()));
        return tenant -> zones.getOrDefault(tenant.value(), java.time.ZoneId.of("UTC"));
    }

    /** Every route naming a flow finds it among its tenant's flows; else a ConfigException naming the route. */
    static void checkFlowRoutes(CtiConfig config, org.asteriskcti.server.ivr.IvrCatalog catalog) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.tenants().size(); i++) {
            CtiConfig.Tenant t = config.tenants().get(i);
            for (int j = 0; j < t.routes().size(); j++) {
                CtiConfig.Route r = t.routes().get(j);
                if (r.flow().isEmpty()) {
                    continue;
                }
                String key = "tenants[" + i + "].routes[" + j + "].flow";
                if (config.ivr().dir().isEmpty()) {
                    problems.add("key '" + key + "' names flow '" + r.flow().get() + "' (DID " + r.did()
                            + ") but ivr.dir is not set");
                } else if (catalog.flow(org.asteriskcti.server.domain.TenantId.of(t.id()),
                        org.asteriskcti.server.ivr.FlowId.of(r.flow().get())).isEmpty()) {
                    problems.add("key '" + key + "' names flow '" + r.flow().get() + "' (DID " + r.did()
                            + "), which is not a flow of tenant '" + t.id() + "' in " + config.ivr().dir().get());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public IvrService ivr() {
        return ivr;
    }

    /** Supervision; call it on {@link #loop()} only. */
    public Supervision supervision() {
        return supervision;
    }

    /** The post-call survey; call it on {@link #loop()} only. */
    public SurveyService surveys() {
        return surveys;
    }

    /** Call control; call it on {@link #loop()} only. */
    public CallControl control() {
        return control;
    }

    /** Written by the domain loop, read by the metrics scrape. */
    private volatile int activeCalls;

    /** Binds the HTTP server, then starts the edges (which connect in the background). */
    public CtiServer start() throws InterruptedException {
        httpAddress = api.start();
        boolean tls = config.http().tls().isPresent();
        log.info("CTI client API on {}://{}:{} (WebSocket {} over {}, REST /api/v1, /health, /metrics, /wallboard/)",
                tls ? "https" : "http", httpAddress.getHostString(), httpAddress.getPort(),
                org.asteriskcti.protocol.Protocol.WS_PATH, tls ? "wss" : "ws");
        edges.forEach(AsteriskEdge::start);
        scheduleHousekeeping();
        if (retention != null) {
            retention.start(java.time.Duration.ofHours(1)); // not in the busy minutes of a start
        }
        return this;
    }

    private void scheduleHousekeeping() {
        expiryTimer = loop.schedule(() -> {
            hub.closeExpired();
            scheduleHousekeeping();
        }, Duration.ofSeconds(5));
    }

    /** Edges call this from their own threads; it only enqueues onto the domain loop. */
    private void deliver(AsteriskEvent event) {
        metrics.eventIn(event.meta().source(), event.getClass().getSimpleName());
        if (event instanceof AsteriskEvent.LinkStateChanged link) {
            metrics.link(event.meta().source(), link.state());
        }
        loop.execute(() -> {
            model.apply(event);
            activeCalls = model.activeCallCount();
            router.onEvent(event);
            ivr.onEvent(event);
            acdPort.onEvent(event);
            control.onEvent(event);
            surveys.onEvent(event);
            recordings.onEvent(event);
            voicemail.onEvent(event);
            supervision.onEvent(event);
        });
    }

    /** {@code /health}: UP when every enabled link is up, DOWN when none is, DEGRADED in between. */
    public CompletableFuture<Map<String, Object>> health() {
        return loop.call(() -> {
            SyncStatus s = model.syncStatus();
            Map<String, Object> asterisk = new LinkedHashMap<>();
            int enabled = 0;
            int up = 0;
            if (config.ami().enabled()) {
                enabled++;
                up += s.ami() == LinkState.UP ? 1 : 0;
                asterisk.put("ami", s.ami().name());
            } else {
                asterisk.put("ami", "DISABLED");
            }
            if (config.ari().enabled()) {
                enabled++;
                up += s.ari() == LinkState.UP ? 1 : 0;
                asterisk.put("ari", s.ari().name());
            } else {
                asterisk.put("ari", "DISABLED");
            }
            String status = up == enabled ? "UP" : up == 0 ? "DOWN" : "DEGRADED";
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            body.put("asterisk", asterisk);
            body.put("model", s.label());
            body.put("active_calls", model.activeCallCount());
            body.put("sessions", hub.sessionCount());
            return body;
        });
    }

    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public DomainLoop loop() {
        return loop;
    }

    public CallModel model() {
        return model;
    }

    public CtiMetrics metrics() {
        return metrics;
    }

    /** The ACD; call it on {@link #loop()} only. */
    public AcdService acd() {
        return acd;
    }

    /** The ACD's statistics log; read it on {@link #loop()} only. */
    public QueueEventLog acdEvents() {
        return acdEvents;
    }

    /** A call's recording ids (call detail records ask when a call's record is finished, on the loop). */
    private List<String> recordingIds(org.asteriskcti.server.domain.TenantId tenant,
            org.asteriskcti.server.domain.CallId call) {
        return recordings.recordingsOf(tenant, call).stream().map(r -> r.value()).toList();
    }

    /** Call detail records' collector; call it on {@link #loop()} only. */
    public org.asteriskcti.server.cdr.CallRecordCollector callRecords() {
        return callRecords;
    }

    /** Where call detail records are written. */
    public org.asteriskcti.server.storage.JdbcCallRecordStore callRecordStore() {
        return callRecordStore;
    }

    /** Agents' call histories; read them on {@link #loop()} only. */
    public CallHistory history() {
        return history;
    }

    /** Call recording; call it on {@link #loop()} only. */
    public RecordingService recordings() {
        return recordings;
    }

    /** Voicemail; call it on {@link #loop()} only. */
    public VoicemailService voicemail() {
        return voicemail;
    }

    /** The ACD's Asterisk side (counters for metrics and tests). */
    public AsteriskAcdPort acdPort() {
        return acdPort;
    }


    @Override
    public void close() {
        if (expiryTimer != null) {
            expiryTimer.cancel();
        }
        try {
            jvmMetrics.close();
        } catch (Exception e) {
            log.warn("closing the JVM meters failed: {}", e.toString());
        }
        for (AsteriskEdge e : edges) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                log.warn("closing {} failed: {}", e, ex.toString());
            }
        }
        try {
            loop.call(() -> {
                acdApi.close();
                hub.closeAll();
                return null;
            }).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("closing client connections: {}", e.toString());
        }
        api.close();
        recordingApi.close();
        reportWorkers.shutdownNow();
        if (retention != null) {
            retention.close();
        }
        loop.shutdown();
        voicemailStore.close();
        // After the loop: nothing appends any more; the store writes what is pending, then lets go.
        eventStore.close();
        recordingStore.close();
        historyStore.close();
        callRecordStore.close();
        database.close();
    }

    /** The configured secret, or one generated once and kept in the data directory. */
    static String tokenSecret(CtiConfig config) {
        if (!config.auth().tokenSecret().isEmpty()) {
            return config.auth().tokenSecret();
        }
        Path file = config.dataDir().resolve("token-secret");
        try {
            if (Files.isRegularFile(file)) {
                String s = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (s.length() >= 32) {
                    return s;
                }
            }
            Files.createDirectories(config.dataDir());
            byte[] b = new byte[48];
            new SecureRandom().nextBytes(b);
            String s = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            Files.writeString(file, s, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            log.info("generated a token secret in {}", file);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the token secret " + file, e);
        }
    }

    /** Lets the model be built before the hub exists (the hub needs the model for snapshots). */
    private static final class AcdForwarder implements AcdListener {
        volatile AcdListener target = AcdListener.NONE;
        /** Told of entry changes after the target (call detail records: the screen pop's IVR choices). */
        volatile java.util.function.Consumer<org.asteriskcti.server.acd.EntryChanged> follower = c -> { };

        @Override
        public void agentStateChanged(org.asteriskcti.server.agent.AgentStateChanged change) {
            target.agentStateChanged(change);
        }

        @Override
        public void entryChanged(org.asteriskcti.server.acd.EntryChanged change) {
            target.entryChanged(change);
            follower.accept(change);
        }
    }

    private static final class Forwarder implements CallModelListener {
        CallModelListener target;
        /** Features told after the hub (so their events follow the call's own): the call history. */
        final List<CallModelListener> followers = new ArrayList<>();

        @Override
        public void callChanged(CallView call, org.asteriskcti.server.asterisk.EventMeta cause) {
            target.callChanged(call, cause);
            followers.forEach(f -> f.callChanged(call, cause));
        }

        @Override
        public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state,
                org.asteriskcti.server.asterisk.EventMeta cause) {
            target.agentPhoneChanged(agent, state, cause);
            followers.forEach(f -> f.agentPhoneChanged(agent, state, cause));
        }

        @Override
        public void syncChanged(SyncStatus status) {
            target.syncChanged(status);
            followers.forEach(f -> f.syncChanged(status));
        }
    }
}
