package org.asteriskcti.server.control;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Turns what an agent typed (a number, {@code agent:<id>}, {@code queue:<id>}) into where Asterisk
 * dials, by the tenant's rules ({@link CtiConfig.Dial}). Pure: built once from the configuration.
 *
 * <ul>
 *   <li>{@code agent:<id>}: that agent's phone (an agent of the same tenant only);</li>
 *   <li>{@code queue:<id>}: that queue of the tenant's ACD (transfers only);</li>
 *   <li>one of the tenant's internal extensions (its {@code endpoints}): that phone, directly;</li>
 *   <li>anything else matching the tenant's external pattern (after removing spaces, dashes, dots and
 *       brackets): {@code Local/<prefix><number>@<context>/n} ({@code /n}: the Local channel is never
 *       optimised away, so the leg stays the one in our bridge).</li>
 * </ul>
 */
public final class DialPlan {

    public enum Kind { AGENT, INTERNAL, EXTERNAL, QUEUE }

    /**
     * @param endpoint the device or dial string ({@code PJSIP/1002}, {@code Local/2002@from-internal/n}); null for a queue
     * @param number   what the other side is known as (extension or normalised number)
     * @param label    how the target is shown (e.g. {@code agent:agent-1002}, {@code 2002})
     */
    public record Target(Kind kind, String endpoint, String number, String label, AgentId agent, QueueId queue) {}

    private record TenantRules(CtiConfig.Dial dial, Pattern external, Map<String, String> extensions,
            Map<AgentId, String> agents, Set<String> queues) {}

    private final Map<TenantId, TenantRules> tenants = new HashMap<>();
    /** Users' own phones ({@code users[].endpoint}), by user name: {tenant, device}. */
    private final Map<String, String[]> userPhones = new HashMap<>();

    public DialPlan(CtiConfig config) {
        Map<String, Map<AgentId, String>> agentsOf = new HashMap<>();
        for (CtiConfig.Agent a : config.agents()) {
            agentsOf.computeIfAbsent(a.tenant(), k -> new HashMap<>()).put(AgentId.of(a.id()), a.endpoint());
        }
        Map<String, Set<String>> queuesOf = new HashMap<>();
        for (CtiConfig.Queue q : config.queues()) {
            queuesOf.computeIfAbsent(q.tenant(), k -> new LinkedHashSet<>()).add(q.id());
        }
        for (CtiConfig.Tenant t : config.tenants()) {
            Map<AgentId, String> agents = agentsOf.getOrDefault(t.id(), Map.of());
            Map<String, String> ext = new HashMap<>();
            for (String e : t.endpoints()) {
                ext.put(e, "PJSIP/" + e);
            }
            // An agent's own endpoint wins for its extension (it may use another technology).
            agents.values().forEach(ep -> ext.put(ep.substring(ep.indexOf('/') + 1), ep));
            tenants.put(TenantId.of(t.id()), new TenantRules(t.dial(), Pattern.compile(t.dial().externalPattern()), ext,
                    Map.copyOf(agents), queuesOf.getOrDefault(t.id(), Set.of())));
        }
        for (CtiConfig.User u : config.users()) {
            if (u.endpoint() != null) {
                userPhones.put(u.username(), new String[] {u.tenant(), u.endpoint()});
            }
        }
    }

    /**
     * One of the tenant's phones (its {@code endpoints} and its agents' phones), named as a device
     * ({@code PJSIP/1004}) or an extension ({@code 1004}): the device to ring; null when it is not the tenant's.
     */
    public String phoneOf(TenantId tenant, String phone) {
        TenantRules r = tenants.get(tenant);
        if (r == null || phone == null) {
            return null;
        }
        String p = phone.trim();
        String byExtension = r.extensions().get(p);
        if (byExtension != null) {
            return byExtension;
        }
        return r.extensions().containsValue(p) ? p : null;
    }

    /** The phone configured for a user of this tenant ({@code users[].endpoint}), or null. */
    public String phoneOfUser(TenantId tenant, String username) {
        String[] p = userPhones.get(username);
        return p == null || !p[0].equals(tenant.value()) ? null : p[1];
    }

    /**
     * Where {@code target} goes for a user of {@code tenant}.
     *
     * @param queuesAllowed whether a queue is a valid target here (transfers: yes; dialling: no)
     * @throws ControlException {@code call.invalid_number} or {@code call.invalid_target}, naming what was wrong
     */
    public Target resolve(TenantId tenant, String target, boolean queuesAllowed) {
        TenantRules r = tenants.get(tenant);
        if (r == null) {
            throw new ControlException(ControlException.INVALID_TARGET, 400, "tenant " + tenant + " has no dial rules");
        }
        if (target == null || target.isBlank()) {
            throw new ControlException(ControlException.INVALID_NUMBER, 400, "a number or target is required");
        }
        String t = target.trim();
        if (t.startsWith("agent:")) {
            AgentId a = AgentId.of(t.substring(6));
            String ep = r.agents().get(a);
            if (ep == null) {
                // Another tenant's agent reads exactly like one that does not exist.
                throw new ControlException(ControlException.INVALID_TARGET, 404, "no agent '" + a.value() + "' in this tenant",
                        Map.of("target", t));
            }
            return new Target(Kind.AGENT, ep, ep.substring(ep.indexOf('/') + 1), t, a, null);
        }
        if (t.startsWith("queue:")) {
            String q = t.substring(6);
            if (!queuesAllowed) {
                throw new ControlException(ControlException.INVALID_TARGET, 400, "a queue cannot be dialled; transfer to it instead",
                        Map.of("target", t));
            }
            if (!r.queues().contains(q)) {
                throw new ControlException(ControlException.INVALID_TARGET, 404, "no queue '" + q + "' in this tenant",
                        Map.of("target", t));
            }
            return new Target(Kind.QUEUE, null, q, t, null, QueueId.of(q));
        }
        String number = t.replaceAll("[\\s\\-.()]", "");
        String internal = r.extensions().get(number);
        if (internal != null) {
            Optional<AgentId> agent = r.agents().entrySet().stream().filter(e -> e.getValue().equals(internal))
                    .map(Map.Entry::getKey).findFirst();
            return new Target(agent.isPresent() ? Kind.AGENT : Kind.INTERNAL, internal, number, number, agent.orElse(null), null);
        }
        if (!r.external().matcher(number).matches()) {
            throw new ControlException(ControlException.INVALID_NUMBER, 400, "'" + target + "' is not a number this tenant can dial"
                    + " (an internal extension, or an external number matching " + r.dial().externalPattern() + ")",
                    Map.of("number", target));
        }
        String dialled = r.dial().prefix() + number;
        return new Target(Kind.EXTERNAL, "Local/" + dialled + "@" + r.dial().context() + "/n", number, number, null, null);
    }

    /** The caller id external numbers see for this tenant, or null for the dialplan's default. */
    public String callerIdFor(TenantId tenant) {
        TenantRules r = tenants.get(tenant);
        return r == null || r.dial().callerId().isEmpty() ? null : r.dial().callerId();
    }

    /** The agent's phone, or null. */
    public String endpointOf(TenantId tenant, AgentId agent) {
        TenantRules r = tenants.get(tenant);
        return r == null ? null : r.agents().get(agent);
    }

}
