package org.asteriskcti.server.ivr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.asteriskcti.server.domain.TenantId;

/**
 * One validated flow of one tenant, immutable. {@code version} is a hash of the file's bytes: a
 * session keeps the Flow it started with, so a reload never changes a call already in a flow.
 *
 * @param entry where every caller starts
 * @param safe where a caller resumes (after a CTI restart) when the node they were at is gone
 * @param language the prompt language until a language node (or the route) sets another
 * @param nodes in file order
 * @param source the file, relative to the IVR directory (for logs)
 * @param promptFiles the tenant's prompt files when the flow was loaded ({@code name}, {@code language/name})
 */
public record Flow(FlowId id, TenantId tenant, String version, NodeId entry, NodeId safe, String language,
        Map<NodeId, Node> nodes, String source, java.util.Set<String> promptFiles) {

    public Flow {
        promptFiles = java.util.Set.copyOf(promptFiles);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(language, "language");
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        if (!nodes.containsKey(entry) || !nodes.containsKey(safe)) {
            throw new IllegalArgumentException("entry and safe must be nodes of flow " + id);
        }
    }

    /**
     * The tenant's file for prompt {@code file:<name>} in {@code language}: {@code <language>/<name>} when the
     * tenant has one in that language, else {@code <name>}.
     */
    public String promptFile(String name, String language) {
        String localized = language + "/" + name;
        return promptFiles.contains(localized) ? localized : name;
    }

    public Optional<Node> node(NodeId node) {
        return Optional.ofNullable(nodes.get(node));
    }

    @Override
    public String toString() {
        return tenant + "/" + id + "@" + version;
    }
}
