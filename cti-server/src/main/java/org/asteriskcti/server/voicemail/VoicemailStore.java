package org.asteriskcti.server.voicemail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.TenantId;

/**
 * Where voicemail messages are kept. {@link #save} and {@link #delete} are called on the domain loop and never
 * wait for the database; the reads complete on the store's own threads and see every save and delete made
 * before them, stored or still pending.
 */
public interface VoicemailStore extends AutoCloseable {

    /** Takes the message as it is now, replacing what was saved of it before; returns at once. */
    void save(VoicemailMessage message);

    /** Forgets the message (a discarded or deleted one); returns at once. */
    void delete(VoicemailId id);

    CompletableFuture<Optional<VoicemailMessage>> find(VoicemailId id);

    /**
     * The tenant's complete messages (NEW and HEARD; never RECORDING), newest first, at most {@code limit}.
     *
     * @param mailbox only this box's; empty: every box of the tenant
     * @param state   only NEW or only HEARD; empty: both
     */
    CompletableFuture<List<VoicemailMessage>> list(TenantId tenant, Optional<Mailbox> mailbox,
            Optional<MessageState> state, int limit);

    /** Every message still RECORDING, oldest first: what a restarted server finishes from Asterisk. */
    CompletableFuture<List<VoicemailMessage>> recording();

    /** Waits until everything saved or deleted before this call is stored, at most {@code timeout}. */
    boolean flush(Duration timeout) throws InterruptedException;

    /** Saves and deletes not stored yet (a gauge: growth means the database is down or too slow). */
    int pending();

    @Override
    void close();
}
