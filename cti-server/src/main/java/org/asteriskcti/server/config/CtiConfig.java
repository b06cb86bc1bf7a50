package org.asteriskcti.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/** The whole server configuration, typed and validated. See cti-defaults.yaml for what each key means. */
public record CtiConfig(
        Http http,
        Ami ami,
        Ari ari,
        Auth auth,
        ClientApi clientApi,
        Routing routing,
        Path dataDir,
        List<Tenant> tenants,
        List<Agent> agents,
        List<User> users) {

    public record Http(String host, int port, int maxRequestSize) {}

    public record Ami(boolean enabled, String host, int port, String username, String secret,
            Duration connectTimeout, Duration pingInterval, Duration pingTimeout,
            Duration reconnectMin, Duration reconnectMax) {}

    public record Ari(boolean enabled, URI url, String username, String password, String app,
            Duration requestTimeout, Duration reconnectMin, Duration reconnectMax) {}

    public record Auth(String tokenSecret, Duration tokenTtl) {}

    public record ClientApi(int replayBuffer, Duration sessionGrace, Duration heartbeatInterval,
            Duration heartbeatTimeout, int writeBufferLow, int writeBufferHigh, int maxFrameSize,
            int maxMalformedFrames) {}

    public record Routing(String unroutedInboundContext) {}

    public record Tenant(String id, String name, ZoneId timeZone, List<String> endpoints, List<String> dids) {}

    public record Agent(String id, String tenant, String name, String endpoint) {}

    public enum Role {
        AGENT,
        SUPERVISOR,
        ADMIN
    }

    public record User(String username, String tenant, Role role, String agent, String passwordHash) {}
}
