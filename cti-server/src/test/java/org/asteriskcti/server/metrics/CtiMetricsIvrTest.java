package org.asteriskcti.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The IVR's metrics, and function counters that stay readable after garbage collection. */
class CtiMetricsIvrTest {

    @Test
    void givenIvrCountersFromLambdas_whenTheGarbageCollectorRuns_thenTheyStillReadTheirValues() {
        CtiMetrics metrics = new CtiMetrics();
        metrics.ivr(() -> 2, () -> 7, () -> 3, () -> 1);
        metrics.acd(() -> 4, () -> 5, () -> 6);
        for (int i = 0; i < 3; i++) {
            System.gc(); // micrometer holds a function counter's object weakly: a lambda nobody keeps would go
        }

        assertThat(metrics.scrape()).contains("cti_ivr_callers 2.0", "cti_ivr_entered_total 7.0", "cti_ivr_resumed_total 3.0",
                "cti_ivr_playbacks_failed_total 1.0", "cti_acd_announcements_total 4.0");
    }

    @Test
    void givenCallersLeavingFlows_thenCountedByTenantAndOutcome() {
        CtiMetrics metrics = new CtiMetrics();
        metrics.ivrLeft("demo", "queue");
        metrics.ivrLeft("demo", "queue");
        metrics.ivrLeft("acme", "caller_hung_up");

        assertThat(metrics.scrape()).contains("cti_ivr_left_total{outcome=\"queue\",tenant=\"demo\"} 2.0",
                "cti_ivr_left_total{outcome=\"caller_hung_up\",tenant=\"acme\"} 1.0");
    }
}
