package org.asteriskcti.server.asterisk;

import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.ChannelId;

/**
 * What the domain may ask of Asterisk. Implemented over ARI (and AMI) by the edges; every call returns
 * at once and completes on an edge thread — domain code re-enters the loop with
 * {@code future.whenCompleteAsync(..., domainLoop)}. Grows with the features (ACD, call control).
 */
public interface AsteriskCommands {

    /** The channel leaves our Stasis application and continues in the dialplan at context,exten,priority. */
    CompletableFuture<Void> continueInDialplan(ChannelId channel, String context, String exten, int priority);

    /** For a server without ARI: every command fails with a clear reason. */
    AsteriskCommands UNAVAILABLE = (channel, context, exten, priority) -> CompletableFuture.failedFuture(
            new IllegalStateException("ARI is disabled (asterisk.ari.enabled=false): cannot move " + channel));
}
