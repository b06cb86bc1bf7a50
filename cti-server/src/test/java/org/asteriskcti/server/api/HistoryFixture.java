package org.asteriskcti.server.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.Disposition;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.history.AgentDisposition;
import org.asteriskcti.server.history.CallHistory;
import org.asteriskcti.server.history.HistoryEntry;
import org.asteriskcti.server.history.MemoryHistoryStore;
import org.asteriskcti.server.history.RecordingLinks;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.tenant.TenantDirectory;

/**
 * The client API with the call history wired the way the server wires it (model → hub, then history;
 * history → {@link HistoryApi} → hub), on whatever loop the test gives, with a store in memory.
 *
 * <p>Two tenants: demo (agents agent-1001, agent-1002) and other (agent-3001).
 */
final class HistoryFixture {

    static final String CONFIG = """
            tenants:
              - {id: demo, endpoints: ["1001", "1002"], dids: ["600"]}
              - {id: other, endpoints: ["3001"], dids: ["900"]}
            agents:
              - {id: agent-1001, tenant: demo, name: Agent One, endpoint: PJSIP/1001}
              - {id: agent-1002, tenant: demo, name: Agent Two, endpoint: PJSIP/1002}
              - {id: agent-3001, tenant: other, name: Other One, endpoint: PJSIP/3001}
            queues: []
            history:
              per-agent: 5
            """;

    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

    final DomainLoop loop;
    final CtiConfig config;
    final TenantDirectory directory;
    final CtiMetrics metrics = new CtiMetrics();
    final CallModel model;
    final ClientHub hub;
    final MemoryHistoryStore store = new MemoryHistoryStore();
    final CallHistory history;
    final HistoryApi api;

    HistoryFixture(DomainLoop loop, CtiConfig config, List<HistoryEntry> restored) {
        this.loop = loop;
        this.config = config;
        this.directory = new TenantDirectory(config);
        Forwarder forwarder = new Forwarder();
        this.model = new CallModel(loop, directory, forwarder, EnumSet.of(Source.AMI));
        this.hub = new ClientHub(loop, model, directory, config.clientApi(), metrics);
        this.history = new CallHistory(loop, directory, config.history().perAgent(), store,
                (tenant, call) -> call.value().startsWith("rec") ? List.of("rec-of-" + call.value()) : List.of(), restored);
        forwarder.hub = hub;
        forwarder.history = history;
        this.api = new HistoryApi(loop, history, hub, directory);
        history.listener(api);
        hub.history(api);
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

    /** An answered inbound entry of {@code agent}, {@code minute} minutes after {@link #T0}. */
    static HistoryEntry entry(String call, String tenant, String agent, int minute, List<String> recordings) {
        Instant start = T0.plusSeconds(60L * minute);
        return new HistoryEntry(CallId.of(call), TenantId.of(tenant), AgentId.of(agent), Direction.INBOUND, "2001",
                "Customer One", start, start.plusSeconds(3), start.plusSeconds(33), 30, AgentDisposition.ANSWERED,
                Disposition.ANSWERED, "support", recordings);
    }

    /** A missed inbound entry (never answered: no answered_at). */
    static HistoryEntry missed(String call, String tenant, String agent, int minute) {
        Instant start = T0.plusSeconds(60L * minute);
        return new HistoryEntry(CallId.of(call), TenantId.of(tenant), AgentId.of(agent), Direction.INBOUND, "2002",
                "", start, null, start.plusSeconds(8), 0, AgentDisposition.MISSED, Disposition.ABANDONED, null, List.of());
    }

    /** The model is built before the hub; this forwards to it, then to the history, as CtiServer does. */
    private static final class Forwarder implements CallModelListener {
        ClientHub hub;
        CallHistory history;

        @Override
        public void callChanged(CallView call, EventMeta cause) {
            hub.callChanged(call, cause);
            history.callChanged(call, cause);
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
