package org.asteriskcti.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CtiMetricsStorageTest {

    @Test
    void givenTheStoreMeters_whenScraped_thenPendingIsAGaugeAndRefusedACounterThatOutliveAGarbageCollection() {
        CtiMetrics metrics = new CtiMetrics();
        AtomicInteger pending = new AtomicInteger(3);
        AtomicInteger refused = new AtomicInteger(2);
        metrics.queueEventStore(pending::get, refused::get);
        System.gc();

        pending.set(5);
        String scrape = metrics.scrape();

        assertThat(scrape).contains("# TYPE cti_storage_queue_events_pending gauge")
                .contains("cti_storage_queue_events_pending 5.0")
                .contains("# TYPE cti_storage_queue_events_refused_total counter")
                .contains("cti_storage_queue_events_refused_total 2.0");
    }
}
