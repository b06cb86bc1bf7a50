package org.asteriskcti.server.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.EnqueueRequest;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.control.DialPlan;
import org.asteriskcti.server.control.Supervision;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.report.ReportRequest;
import org.asteriskcti.server.report.ReportService;
import org.asteriskcti.server.testsupport.LogReportSource;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;

/**
 * One CTI process as the wallboard sees it: the real domain loop on the real clock (the page's tickers
 * run on it too), the ACD wired as {@link AcdFixture} wires it, and the ApiServer on a fixed loopback
 * port, so that a "restarted" server can come back on the same address. Users (password "pw"): sup
 * (demo supervisor without a phone), supphone (demo supervisor, phone PJSIP/1002), a1001 (demo agent),
 * osup (other's supervisor).
 */
final class WallboardServer implements AutoCloseable {

    static final String TOKEN_SECRET = "w".repeat(40);
    /** The reports' worker threads (daemons, shared by every server of the test run). */
    private static final java.util.concurrent.ExecutorService REPORT_WORKERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-report-worker");
        t.setDaemon(true);
        return t;
    });

    final DomainLoop loop;
    final AcdFixture f;
    final ApiServer server;
    final int port;
    /** Call control and supervision on a fake Asterisk; null when started without them. */
    final CallControl callControl;
    final FakeAsteriskCommands asterisk;

    private WallboardServer(DomainLoop loop, AcdFixture f, ApiServer server, int port, CallControl callControl,
            FakeAsteriskCommands asterisk) {
        this.loop = loop;
        this.f = f;
        this.server = server;
        this.port = port;
        this.callControl = callControl;
        this.asterisk = asterisk;
    }

    static String users() {
        String hash = AuthService.hashPassword("pw");
        return """
                users:
                  - {username: a1001, tenant: demo, role: agent, agent: agent-1001, password-hash: "%1$s"}
                  - {username: sup, tenant: demo, role: supervisor, password-hash: "%1$s"}
                  - {username: osup, tenant: other, role: supervisor, password-hash: "%1$s"}
                  - {username: supphone, tenant: demo, role: supervisor, endpoint: PJSIP/1002, password-hash: "%1$s"}
                """.formatted(hash);
    }

    /** A free loopback port (the same one is used again after a restart). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A fresh process: new loop, new ACD, new hub (no client sessions), listening on {@code port}; no call control. */
    static WallboardServer start(Path dir, String users, int port) throws Exception {
        return start(dir, users, port, false);
    }

    /**
     * A fresh process; with {@code callControl}, call control and supervision are wired as the server
     * wires them, on a fake Asterisk that accepts every request (conversations are made by the test).
     */
    static WallboardServer start(Path dir, String users, int port, boolean callControl) throws Exception {
        DomainLoop loop = DomainLoop.started(Clock.systemUTC());
        CtiConfig config = AcdFixture.config(dir, users, Map.of("CTI_HTTP_PORT", String.valueOf(port),
                "CTI_DATA_DIR", dir.toString()));
        AcdFixture f = new AcdFixture(loop, config);
        // Reports as the server wires them, reading this process's statistics log (no database here).
        Map<QueueId, TenantId> queueTenants = new java.util.HashMap<>();
        AcdConfig.from(config).queues().forEach(q -> queueTenants.put(q.id(), q.tenant()));
        f.hub.reports(new ReportsApi(new ReportService(new LogReportSource(loop, f.events, queueTenants::get),
                ReportService.scopes(config), new ReportRequest.Limits(config.reports().maxRangeQuarterHour(),
                        config.reports().maxRangeHour(), config.reports().maxRangeDay()), REPORT_WORKERS, Clock.systemUTC())));
        CallControl control = null;
        FakeAsteriskCommands asterisk = null;
        if (callControl) {
            FakeAsteriskCommands fake = new FakeAsteriskCommands();
            control = loop.call(() -> {
                ControlApi api = new ControlApi(loop, f.hub, f.directory);
                DialPlan plan = new DialPlan(config);
                CallControl c = new CallControl(loop, fake, plan, api, (customer, party, tenant, queue, arrival) -> { }, "t",
                        Duration.ofSeconds(30), "default");
                api.attach(c);
                api.attach(new Supervision(loop, fake, c, plan, api, "t", Duration.ofSeconds(30)));
                f.hub.control(api);
                return c;
            }).get(5, TimeUnit.SECONDS);
            asterisk = fake;
        }
        ApiServer api = apiServer(config, loop, f);
        api.start();
        return new WallboardServer(loop, f, api, port, control, asterisk);
    }

    /** Only the ApiServer of this process stopped and started again on its port; loop, ACD and sessions stay. */
    WallboardServer restartApiOnly() throws Exception {
        server.close();
        ApiServer api = apiServer(f.config, loop, f);
        api.start();
        return new WallboardServer(loop, f, api, port, callControl, asterisk);
    }

    private static ApiServer apiServer(CtiConfig config, DomainLoop loop, AcdFixture f) {
        return new ApiServer(config, new AuthService(config, TOKEN_SECRET, Clock.systemUTC()), f.hub, loop, f.metrics,
                new RestQueries(loop, f.model, f.directory), () -> CompletableFuture.completedFuture(Map.of("status", "UP")));
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    <T> T onLoop(Supplier<T> task) throws Exception {
        return loop.call(task).get(5, TimeUnit.SECONDS);
    }

    void onLoop(Runnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    EntryId enqueue(String caller, String queue) throws Exception {
        return onLoop(() -> f.acd.enqueue(EnqueueRequest.newCaller(ChannelId.of(caller), QueueId.of(queue),
                loop.clock().instant())));
    }

    AgentView agent(String agent) throws Exception {
        return onLoop(() -> f.acd.agent(AgentId.of(agent)));
    }

    /** Stops the HTTP server only (the process "dies" for its clients). */
    void stopApi() {
        server.close();
    }

    @Override
    public void close() throws Exception {
        server.close();
        try {
            onLoop(f.api::close);
        } finally {
            loop.shutdown();
        }
    }
}
