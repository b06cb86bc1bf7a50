package org.asteriskcti.server.asterisk;

import java.util.List;
import java.util.Objects;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/**
 * A bridge's fields as reported. {@code channels} is what the wire listed (it may be empty or racy:
 * ARI sometimes lists the invisible MOH announcer's id); the model keeps its own membership.
 */
public record BridgeSnapshot(BridgeId id, String type, String technology, String creator, String name,
        List<ChannelId> channels) {
    public BridgeSnapshot {
        Objects.requireNonNull(id, "id");
        type = type == null ? "" : type;
        technology = technology == null ? "" : technology;
        creator = creator == null ? "" : creator;
        name = name == null ? "" : name;
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    public static BridgeSnapshot ofId(BridgeId id) {
        return new BridgeSnapshot(id, "", "", "", "", List.of());
    }
}
