package org.asteriskcti.server.agent;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.asteriskcti.server.domain.TenantId;

/**
 * The not-ready reasons agents and supervisors may choose from: one platform-wide list, which a
 * tenant may replace with its own (each hosted client company reports on its own codes).
 */
public record NotReadyReasons(Set<NotReadyReason> defaults, Map<TenantId, Set<NotReadyReason>> perTenant) {

    public NotReadyReasons {
        defaults = Set.copyOf(defaults);
        perTenant = perTenant.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
    }

    public static NotReadyReasons of(String... defaults) {
        return new NotReadyReasons(codes(java.util.List.of(defaults)), Map.of());
    }

    /** A copy where {@code tenant} uses {@code codes} instead of the defaults. */
    public NotReadyReasons withTenant(TenantId tenant, Collection<String> codes) {
        Map<TenantId, Set<NotReadyReason>> m = new java.util.HashMap<>(perTenant);
        m.put(tenant, codes(codes));
        return new NotReadyReasons(defaults, m);
    }

    public Set<NotReadyReason> forTenant(TenantId tenant) {
        return perTenant.getOrDefault(tenant, defaults);
    }

    private static Set<NotReadyReason> codes(Collection<String> codes) {
        Set<NotReadyReason> out = new LinkedHashSet<>();
        codes.forEach(c -> out.add(NotReadyReason.of(c)));
        return out;
    }
}
