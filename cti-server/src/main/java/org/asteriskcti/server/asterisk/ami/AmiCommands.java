package org.asteriskcti.server.asterisk.ami;

import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.ChannelId;

/**
 * Typed AMI commands for the domain. Every method returns at once; the future completes on an AMI
 * thread that is neither the caller's nor the socket reader's, so attach work with the domain's
 * executor ({@code whenCompleteAsync(..., domainExecutor)}).
 *
 * <p>Failures: {@link AmiNotConnectedException} when the link is down (also when it drops before the
 * answer arrived), {@link AmiActionException} when Asterisk answered {@code Response: Error} or did not
 * answer within the action timeout.
 *
 * <p>Channels are addressed by {@link ChannelId} (the Uniqueid): Asterisk resolves the {@code Channel:}
 * header of Hangup, Redirect, BlindTransfer, Getvar and Setvar by name and then by uniqueid.
 */
public interface AmiCommands {

    /**
     * Originate, always {@code Async: true}. The future completes with the request's action reference
     * once Asterisk has queued the call; the outcome arrives later as
     * {@link org.asteriskcti.server.asterisk.AsteriskEvent.OriginateFinished} carrying that reference.
     */
    CompletableFuture<String> originate(OriginateRequest request);

    /** Hangup with a Q.850 cause (16 = normal clearing). */
    CompletableFuture<Void> hangup(ChannelId channel, int cause);

    /** Redirect (AMI {@code Redirect}) the channel to {@code context,exten,priority}. */
    CompletableFuture<Void> redirect(ChannelId channel, String context, String exten, int priority);

    /** AMI {@code BlindTransfer}: the channel's peer goes to {@code exten@context}; Asterisk reports it as external. */
    CompletableFuture<Void> blindTransfer(ChannelId channel, String context, String exten);

    CompletableFuture<Void> setVariable(ChannelId channel, String name, String value);

    /** The value; an empty string when the variable is not set (Asterisk answers Success with an empty Value). */
    CompletableFuture<String> getVariable(ChannelId channel, String name);

    /** Round trip of an AMI Ping. */
    CompletableFuture<Void> ping();
}
