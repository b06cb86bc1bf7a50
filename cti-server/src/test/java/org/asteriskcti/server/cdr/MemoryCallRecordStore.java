package org.asteriskcti.server.cdr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.TenantId;

/** Keeps appended records in a list (collector tests: what was handed over, and when). */
final class MemoryCallRecordStore implements CallRecordStore {

    final List<CallRecord> appended = new ArrayList<>();

    @Override
    public void append(CallRecord record) {
        appended.add(record);
    }

    @Override
    public CallRecordQuery.Page find(TenantId tenant, CallRecordQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CallRecord> get(TenantId tenant, CallId call) {
        return appended.stream().filter(r -> r.tenant().equals(tenant) && r.call().equals(call)).findFirst();
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public int pending() {
        return 0;
    }

    @Override
    public void close() {}
}
