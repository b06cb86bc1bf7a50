package org.asteriskcti.server.api;

import java.time.Instant;
import org.asteriskcti.protocol.UserInfo;
import org.asteriskcti.server.config.CtiConfig.Role;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;

/** An authenticated client-API user, from a verified token. */
public record Principal(UserId user, TenantId tenant, Role role, AgentId agent, Instant tokenExpiresAt) {

    public boolean supervises() {
        return role == Role.SUPERVISOR || role == Role.ADMIN;
    }

    public UserInfo info() {
        return new UserInfo(user.value(), tenant.value(), role.name().toLowerCase(java.util.Locale.ROOT),
                agent == null ? null : agent.value());
    }
}
