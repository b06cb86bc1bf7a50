package org.asteriskcti.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.server.config.CtiConfig.Role;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.ivr.Flow;
import org.asteriskcti.server.ivr.IvrError;
import org.asteriskcti.server.ivr.IvrFlows;
import org.asteriskcti.server.ivr.IvrService;

/**
 * The IVR's side of the client API, every answer about the caller's own tenant only:
 * <ul>
 *   <li>{@code GET /api/v1/ivr/flows} (supervisors and admins): the flows in force, each with its version
 *       and how many callers are in it now, by version (callers keep the version they started with).</li>
 *   <li>{@code POST /api/v1/ivr/reload} (admins): reads the tenant's flow files again; every file must
 *       load and every route must still find its flow, else nothing changes and the answer
 *       ({@code ivr.invalid_flows}, 422) lists every problem with file, line and node. Calls in a flow go on
 *       in the version they started with.</li>
 * </ul>
 */
public final class IvrApi {

    private final DomainLoop loop;
    private final IvrFlows flows;
    private final IvrService ivr;

    public IvrApi(DomainLoop loop, IvrFlows flows, IvrService ivr) {
        this.loop = loop;
        this.flows = flows;
        this.ivr = ivr;
    }

    /** GET /api/v1/ivr/flows. */
    CompletableFuture<Object> list(Principal user) {
        if (!user.supervises()) {
            return CompletableFuture.completedFuture(forbidden("only supervisors and admins see the IVR flows"));
        }
        return loop.call(() -> {
            Map<String, Map<String, Integer>> callers = ivr.callersByFlow(user.tenant());
            List<Map<String, Object>> out = new ArrayList<>();
            for (Flow f : flows.current().flows(user.tenant())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.id().value());
                m.put("version", f.version());
                m.put("source", f.source());
                m.put("entry", f.entry().value());
                m.put("safe", f.safe().value());
                m.put("language", f.language());
                m.put("nodes", f.nodes().size());
                m.put("callers", callers.getOrDefault(f.id().value(), Map.of()));
                out.add(m);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", user.tenant().value());
            body.put("flows", out);
            return body;
        });
    }

    /** POST /api/v1/ivr/reload. */
    CompletableFuture<Object> reload(Principal user) {
        if (user.role() != Role.ADMIN) {
            return CompletableFuture.completedFuture(forbidden("only admins reload the IVR flows"));
        }
        if (flows.dir().isEmpty()) {
            return CompletableFuture.completedFuture(new ErrorBody(Protocol.Errors.IVR_DISABLED, 404,
                    "this server runs no IVR flows (ivr.dir is not set)", Map.of()));
        }
        return flows.reload(user.tenant()).handle((done, err) -> {
            if (err == null) {
                return reloaded(done);
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof IvrFlows.Refused r) {
                List<Map<String, Object>> errors = new ArrayList<>();
                for (IvrError e : r.errors()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", e.file());
                    m.put("line", e.line());
                    e.subject().ifPresent(s -> m.put("subject", s));
                    m.put("message", e.message());
                    m.put("text", e.toString());
                    errors.add(m);
                }
                return new ErrorBody(Protocol.Errors.IVR_INVALID_FLOWS, 422, r.errors().size()
                        + " problem(s) in the IVR flows of tenant " + user.tenant().value() + "; nothing was changed: "
                        + r.errors().get(0) + (r.errors().size() > 1 ? " ..." : ""), Map.of("errors", errors));
            }
            throw new CompletionException(cause);
        });
    }

    private static Map<String, Object> reloaded(IvrFlows.Reloaded r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IvrFlows.FlowChange c : r.flows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.flow().value());
            c.version().ifPresent(v -> m.put("version", v));
            c.previousVersion().ifPresent(v -> m.put("previous_version", v));
            m.put("change", c.change().name());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", r.tenant().value());
        body.put("flows", out);
        return body;
    }

    private static ErrorBody forbidden(String message) {
        return new ErrorBody(Protocol.Errors.FORBIDDEN, 403, message, Map.of());
    }
}
