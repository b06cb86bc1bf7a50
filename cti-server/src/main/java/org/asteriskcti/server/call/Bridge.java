package org.asteriskcti.server.call;

import java.util.LinkedHashSet;
import java.util.Set;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/** A bridge and the channels the model saw enter it. Mutable, owned by the domain loop. */
public final class Bridge {
    final BridgeId id;
    BridgeSnapshot snapshot;
    final Set<ChannelId> members = new LinkedHashSet<>();

    Bridge(BridgeSnapshot snapshot) {
        this.id = snapshot.id();
        this.snapshot = snapshot;
    }

    public BridgeId id() {
        return id;
    }

    public BridgeSnapshot snapshot() {
        return snapshot;
    }

    public Set<ChannelId> members() {
        return Set.copyOf(members);
    }
}
