package org.asteriskcti.server.ivr;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Area codes to regions: a caller's number goes to the region of the longest prefix it starts with.
 * Numbers and prefixes are compared after spaces, dashes, dots and brackets are removed; a leading
 * {@code +} is kept and significant ({@code +331} and {@code 01} are different prefixes, so a table
 * covering both national and international forms lists both).
 */
public record AreaTable(String name, Map<String, String> regionByPrefix) {

    public AreaTable {
        Objects.requireNonNull(name, "name");
        TreeMap<String, String> m = new TreeMap<>();
        regionByPrefix.forEach((p, r) -> {
            String n = normalize(p);
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty prefix");
            }
            m.put(n, Objects.requireNonNull(r, "region"));
        });
        regionByPrefix = java.util.Collections.unmodifiableMap(m);
    }

    /** The region of the longest matching prefix, if any. */
    public Optional<String> regionOf(String callerNumber) {
        if (callerNumber == null) {
            return Optional.empty();
        }
        String n = normalize(callerNumber);
        for (int len = n.length(); len > 0; len--) {
            String r = regionByPrefix.get(n.substring(0, len));
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    static String normalize(String number) {
        return number.replaceAll("[\\s\\-.()]", "");
    }
}
