package org.asteriskcti.server.recording;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Where recordings' metadata and pause audit are kept. {@link #save} is called on the domain loop and
 * never waits for the database; the reads complete on the store's own threads. A read sees every
 * recording saved before it, stored or still pending.
 */
public interface RecordingStore extends AutoCloseable {

    /** Takes the recording as it is now, replacing what was saved of it before; returns at once. */
    void save(RecordingView recording);

    CompletableFuture<Optional<RecordingView>> find(RecordingId id);

    /** The tenant's recordings of one call, oldest first. */
    CompletableFuture<List<RecordingView>> byCall(TenantId tenant, CallId call);

    /**
     * Every recording still going on as far as the store knows (RECORDING or PAUSED), oldest first, with
     * its agents and pauses: what a restarted server takes back (or closes) after asking Asterisk.
     */
    CompletableFuture<List<RecordingView>> active();

    /** Waits until everything saved before this call is stored, at most {@code timeout}; false if the time ran out. */
    boolean flush(Duration timeout) throws InterruptedException;

    /** Recordings saved but not stored yet (a gauge: growth means the database is down or too slow). */
    int pending();

    @Override
    void close();
}
