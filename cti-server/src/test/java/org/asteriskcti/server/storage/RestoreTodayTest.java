package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.asteriskcti.server.acd.AcdConfig;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.QueueDefinition;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.CallbackRequested;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.agent.NotReadyReasons;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;

class RestoreTodayTest {

    private static AcdConfig tenantsIn(Map<TenantId, ZoneId> zones, String... queueTenants) {
        List<QueueDefinition> queues = java.util.Arrays.stream(queueTenants)
                .map(t -> QueueDefinition.builder("q-" + t, t).build()).toList();
        return new AcdConfig(queues, List.of(), NotReadyReasons.of("break"), zones, 20, Duration.ofMinutes(30));
    }

    @Test
    void givenTenantsInSeveralZones_whenTodayStarts_thenItIsTheEarliestLocalMidnightOfTheirToday() {
        Instant now = Instant.parse("2026-11-23T02:00:00Z");
        AcdConfig shanghaiAndUtc = tenantsIn(Map.of(TenantId.of("cn"), ZoneId.of("Asia/Shanghai")), "cn", "uk");
        AcdConfig honolulu = tenantsIn(Map.of(TenantId.of("hi"), ZoneId.of("Pacific/Honolulu")), "hi");

        assertThat(QueueEventStore.startOfToday(shanghaiAndUtc, now)).isEqualTo("2026-11-22T16:00:00Z");
        assertThat(QueueEventStore.startOfToday(honolulu, now)).isEqualTo("2026-11-22T10:00:00Z");
        // Late in the UTC day Shanghai is already on the 24th: UTC's midnight is the earlier one.
        assertThat(QueueEventStore.startOfToday(shanghaiAndUtc, Instant.parse("2026-11-23T20:00:00Z")))
                .isEqualTo("2026-11-23T00:00:00Z");
        assertThat(QueueEventStore.startOfToday(tenantsIn(Map.of()), now)).isEqualTo("2026-11-23T00:00:00Z");
    }

    @Test
    void givenStoredEvents_whenTheLogIsRestoredForToday_thenOnlyTodaysBeforeNowComeBackAndNewOnesAreStored()
            throws Exception {
        Instant now = Instant.parse("2026-11-23T09:30:00Z");
        QueueEvent yesterday = callback("2026-11-22T23:59:59.999999999Z", "y/1");
        QueueEvent midnight = callback("2026-11-23T00:00:00Z", "m/2");
        QueueEvent morning = callback("2026-11-23T09:29:59.999999999Z", "e/3");
        QueueEvent ahead = callback("2026-11-23T09:30:00Z", "a/4"); // written while the clock was ahead
        try (Database db = Database.open("jdbc:h2:mem:restore-" + UUID.randomUUID() + Database.H2_POSTGRESQL_MODE, "", "", 2);
                JdbcQueueEventStore store = new JdbcQueueEventStore(db.dataSource(), Map.of(),
                        new JdbcQueueEventStore.Settings(10, Duration.ofMillis(10), Duration.ofMillis(50),
                                Duration.ofSeconds(10), Optional.empty()))) {
            List.of(yesterday, midnight, morning, ahead).forEach(store::append);
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

            QueueEventLog log = store.restoreToday(tenantsIn(Map.of(), "demo"), now);

            assertThat(log.events()).containsExactly(midnight, morning);
            assertThat(log.sinceStart()).isEmpty();
            QueueEvent next = callback("2026-11-23T09:30:01Z", "n/5");
            log.append(next);
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(store.load(Instant.parse("2026-11-23T09:30:01Z"), Instant.parse("2026-11-24T00:00:00Z")))
                    .containsExactly(next);
        }
    }

    private static QueueEvent callback(String at, String entry) {
        return new CallbackRequested(Instant.parse(at), QueueId.of("q-demo"), EntryId.of(entry), Duration.ofSeconds(1));
    }
}
