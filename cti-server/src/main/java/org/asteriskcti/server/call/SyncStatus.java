package org.asteriskcti.server.call;

import org.asteriskcti.server.asterisk.LinkState;

/**
 * Whether the model is a faithful projection of Asterisk right now. {@code synced} only when every
 * enabled link is up and has delivered its resync snapshot since it (re)connected; otherwise clients
 * are told the picture is {@code stale}.
 */
public record SyncStatus(boolean synced, LinkState ami, boolean amiSynced, LinkState ari, boolean ariSynced) {
    public String label() {
        return synced ? "synced" : "stale";
    }
}
