package org.asteriskcti.server.asterisk.ari;

import java.util.List;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;

/**
 * {@code GET /applications/{app}}: what Asterisk considers ours. Subscriptions and Stasis channels survive a
 * dropped events socket, so after a reconnect this is the list to rebuild from.
 *
 * @param endpointIds endpoint subscriptions, e.g. {@code PJSIP/1001}
 * @param deviceNames device-state subscriptions, e.g. {@code PJSIP/1001}
 */
public record AriApplication(String name, List<ChannelId> channelIds, List<BridgeId> bridgeIds,
        List<String> endpointIds, List<String> deviceNames) {
    public AriApplication {
        name = name == null ? "" : name;
        channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
        bridgeIds = bridgeIds == null ? List.of() : List.copyOf(bridgeIds);
        endpointIds = endpointIds == null ? List.of() : List.copyOf(endpointIds);
        deviceNames = deviceNames == null ? List.of() : List.copyOf(deviceNames);
    }
}
