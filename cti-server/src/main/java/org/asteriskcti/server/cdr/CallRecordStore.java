package org.asteriskcti.server.cdr;

import java.time.Duration;
import java.util.Optional;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/**
 * Where call detail records are kept. {@link #append} is called on the domain loop and never waits for the
 * database; the reads, {@link #flush} and {@link #close} may block and are for other threads.
 */
public interface CallRecordStore extends AutoCloseable {

    /** Takes one finished record; returns at once. */
    void append(CallRecord record);

    /** The tenant's records matching {@code query}, oldest start first, at most {@code query.limit()}. */
    CallRecordQuery.Page find(TenantId tenant, CallRecordQuery query);

    /** One call's record, only if it is the tenant's. */
    Optional<CallRecord> get(TenantId tenant, CallId call);

    /** Waits until every record appended before this call is stored (or refused and logged), at most {@code timeout}. */
    boolean flush(Duration timeout) throws InterruptedException;

    int pending();

    @Override
    void close();
}
