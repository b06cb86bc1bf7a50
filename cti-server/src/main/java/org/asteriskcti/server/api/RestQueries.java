package org.asteriskcti.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.call.CallModel;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.tenant.TenantDirectory;

/** Read-only REST answers, computed on the domain loop and always limited to the caller's tenant. */
public final class RestQueries {
    private final DomainLoop loop;
    private final CallModel model;
    private final TenantDirectory directory;

    public RestQueries(DomainLoop loop, CallModel model, TenantDirectory directory) {
        this.loop = loop;
        this.model = model;
        this.directory = directory;
    }

    /** Supervisors: every active call of the tenant. Agents: the calls they are on. */
    public CompletableFuture<Map<String, Object>> calls(Principal p) {
        return loop.call(() -> {
            List<CallView> out = new ArrayList<>();
            for (CallView c : model.activeCalls(p.tenant())) {
                if (p.supervises() || p.agent() != null && c.involves(p.agent().value())) {
                    out.add(c);
                }
            }
            return Map.of("calls", out);
        });
    }
}
