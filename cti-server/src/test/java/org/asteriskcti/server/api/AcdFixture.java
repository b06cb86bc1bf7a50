package org.asteriskcti.server.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.AcdPort;
import org.asteriskcti.server.acd.AcdService;
import org.asteriskcti.server.acd.EntryChanged;
import org.asteriskcti.server.acd.EntryView;
import org.asteriskcti.server.acd.OverflowTarget;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.agent.AgentStateChanged;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;

/**
 * The client API with the ACD wired the way the server wires it: model, hub, ACD (with a port that
 * records its commands and hands its events to the {@link AcdApi}), on whatever loop the test gives.
 *
 * <p>Two tenants: demo (agents agent-1001 and agent-1002, queue support, not-ready reasons break and
 * lunch) and other (agent-3001, queue other-q).
 */
final class AcdFixture {

    /** Wrap-up 10 s, at most 30 s with extensions; no position announcements. */
    static final String CONFIG = """
            tenants:
              - {id: demo, time-zone: UTC, endpoints: ["1001", "1002"], dids: ["600"], not-ready-reasons: [break, lunch]}
              - {id: other, endpoints: ["3001"], dids: ["900"]}
            agents:
              - {id: agent-1001, tenant: demo, name: Agent One, endpoint: PJSIP/1001}
              - {id: agent-1002, tenant: demo, name: Agent Two, endpoint: PJSIP/1002}
              - {id: agent-3001, tenant: other, name: Other One, endpoint: PJSIP/3001}
            queues:
              - {id: support, tenant: demo, name: Support, wrap-up: 10s, max-wrap-up: 30s, announce-period: 0s,
                 service-level: 20s, short-abandon: 5s}
              - {id: other-q, tenant: other, announce-period: 0s}
            """;

    final DomainLoop loop;
    final CtiConfig config;
    final TenantDirectory directory;
    final CtiMetrics metrics = new CtiMetrics();
    final CallModel model;
    final ClientHub hub;
    final RecordingPort port = new RecordingPort();
    final AcdService acd;
    final AcdApi api;
    /** The ACD's statistics log (a test may append what other features log, e.g. surveys). */
    final QueueEventLog events = new QueueEventLog();

    AcdFixture(DomainLoop loop, CtiConfig config) {
        this.loop = loop;
        this.config = config;
        this.directory = new TenantDirectory(config);
        HubForwarder forwarder = new HubForwarder();
        this.model = new CallModel(loop, directory, forwarder, EnumSet.of(Source.AMI));
        this.hub = new ClientHub(loop, model, directory, config.clientApi(), metrics);
        forwarder.hub = hub;
        this.acd = new AcdService(loop, port, events, AcdConfig.from(config));
        this.api = new AcdApi(loop, acd, hub, directory, metrics);
        port.api = api;
        hub.acd(api);
    }

    /** {@link #CONFIG} plus {@code more} (users, overrides) from a file in {@code dir}. */
    static CtiConfig config(Path dir, String more, Map<String, String> env) {
        try {
            Path f = dir.resolve("cti.yaml");
            Files.writeString(f, CONFIG + more);
            return ConfigLoader.load(f, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the ACD's commands (thread-safe: socket tests read them from the test thread). */
    static final class RecordingPort implements AcdPort {
        final List<String> commands = new CopyOnWriteArrayList<>();
        AcdApi api;

        @Override
        public void ringAgent(EntryView entry, AgentId agent, Duration ringTimeout) {
            commands.add("ring " + entry.id() + " " + agent);
        }

        @Override
        public void cancelRing(EntryView entry, AgentId agent) {
            commands.add("cancel " + entry.id() + " " + agent);
        }

        @Override
        public void bridge(EntryView entry, AgentId agent) {
            commands.add("bridge " + entry.id() + " " + agent);
        }

        @Override
        public void playPosition(EntryView entry, int position, Duration estimatedWait) {
            commands.add("play " + entry.id() + " " + position);
        }

        @Override
        public void overflow(EntryView entry, OverflowTarget target) {
            commands.add("overflow " + entry.id());
        }

        @Override
        public void agentStateChanged(AgentStateChanged change) {
            api.agentStateChanged(change);
        }

        @Override
        public void entryChanged(EntryChanged change) {
            api.entryChanged(change);
        }
    }

    /** The model is built before the hub; this forwards to it. */
    private static final class HubForwarder implements CallModelListener {
        ClientHub hub;

        @Override
        public void callChanged(CallView call, EventMeta cause) {
            hub.callChanged(call, cause);
        }

        @Override
        public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {
            hub.agentPhoneChanged(agent, state, cause);
        }

        @Override
        public void syncChanged(SyncStatus status) {
            hub.syncChanged(status);
        }
    }
}
