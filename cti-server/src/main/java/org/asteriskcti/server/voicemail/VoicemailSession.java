package org.asteriskcti.server.voicemail;

import java.time.Instant;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller leaving one message: its {@link VoicemailState} and what the service needs to drive it. The
 * domain loop's only; {@link #moveTo} rejects a transition {@link VoicemailState} does not allow (an
 * {@link IllegalStateException}: a bug) and logs every one it makes.
 */
final class VoicemailSession {

    private static final Logger log = LoggerFactory.getLogger(VoicemailSession.class);

    final VoicemailId id;
    final ChannelId channel;
    final Party caller;
    final TenantId tenant;
    final Mailbox mailbox;
    final Origin origin;
    /** Asterisk's name of the recording (and its stored file, name.wav): {@code vm-<tenant>-<random>}. */
    final String recordingName;
    private VoicemailState state;
    /** When the recording was asked for; null in GREETING. */
    Instant startedAt;
    /** The caller hung up (or left our application): nothing more is played to them. */
    boolean callerGone;
    /** Asterisk said RecordingStarted, or answered the record request. */
    boolean recordingConfirmed;
    /** Taken back after a CTI restart; Asterisk has not been asked yet whether it still records. */
    boolean unconfirmed;
    /** A question to Asterisk about the recording is on its way. */
    boolean checking;
    /** The playback going on (greeting or thanks); null when none. */
    String playback;
    /** The timer guarding the recording (a RecordingFinished never coming). */
    DomainLoop.Cancellable guard;
    /** The message was too short and was discarded (what the caller hears next depends on it). */
    boolean discarded;
    /**
     * Completes (never exceptionally) when the last command sent for this caller was answered: the next one goes
     * out only then. Asterisk runs a Stasis channel's commands one at a time, and a playback or a recording holds
     * the channel until it ends, so a variable set after the play was sent could wait out the whole greeting (seen
     * live: the mark timed out after 5 s); in order, the mark is on the channel before the greeting or the
     * recording starts.
     */
    java.util.concurrent.CompletableFuture<Void> chain = java.util.concurrent.CompletableFuture.completedFuture(null);

    VoicemailSession(VoicemailId id, VoicemailRequest r, String recordingName, VoicemailState state) {
        this.id = id;
        this.channel = r.channel();
        this.caller = r.caller();
        this.tenant = r.tenant();
        this.mailbox = r.mailbox();
        this.origin = r.origin();
        this.recordingName = recordingName;
        this.state = state;
    }

    VoicemailState state() {
        return state;
    }

    void moveTo(VoicemailState next, String why) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("voicemail " + id + " on " + channel + ": " + state + " -> " + next
                    + " is not allowed (" + why + ")");
        }
        log.info("voicemail {} on {} ({} {}, box {}): {} -> {} ({})", id, channel, tenant, origin, mailbox, state, next,
                why);
        state = next;
    }

    void cancelGuard() {
        if (guard != null) {
            guard.cancel();
            guard = null;
        }
    }

    /** The message as stored while RECORDING. */
    VoicemailMessage recordingMessage() {
        return new VoicemailMessage(id, tenant, mailbox, caller.number(), caller.name(), origin, channel, recordingName,
                MessageState.RECORDING, startedAt, null, null, null, null);
    }

    ChannelMark mark(ChannelMark.Phase phase) {
        return new ChannelMark(phase, id, recordingName, tenant, mailbox, origin, startedAt);
    }
}
