package org.asteriskcti.server.acd.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.stats.QueueEvent.CallbackRequested;
import org.asteriskcti.server.domain.QueueId;
import org.junit.jupiter.api.Test;

class QueueEventLogTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private static QueueEvent at(long seconds) {
        return new CallbackRequested(T0.plusSeconds(seconds), QueueId.of("sales"), EntryId.of("c" + seconds + "/1"),
                Duration.ofSeconds(seconds));
    }

    @Test
    void givenASink_whenEventsAreAppended_thenEachIsHandedOnInOrderAfterJoiningTheLog() {
        List<QueueEvent> sunk = new ArrayList<>();
        QueueEventLog[] self = new QueueEventLog[1];
        List<Integer> sizeSeenBySink = new ArrayList<>();
        self[0] = new QueueEventLog(e -> {
            sunk.add(e);
            sizeSeenBySink.add(self[0].size());
        });

        self[0].append(at(1));
        self[0].append(at(1));
        self[0].append(at(2));

        assertThat(sunk).containsExactly(at(1), at(1), at(2));
        assertThat(sizeSeenBySink).containsExactly(1, 2, 3);
    }

    @Test
    void givenAnEventOlderThanTheLast_whenAppended_thenRefusedAndNotHandedToTheSink() {
        List<QueueEvent> sunk = new ArrayList<>();
        QueueEventLog log = new QueueEventLog(sunk::add);
        log.append(at(5));

        assertThatThrownBy(() -> log.append(at(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time order");
        assertThat(sunk).containsExactly(at(5));
        assertThat(log.events()).containsExactly(at(5));
    }

    @Test
    void givenAFailingSink_whenAnEventIsAppended_thenTheLogKeepsItAndTheCallerGoesOn() {
        QueueEventLog log = new QueueEventLog(e -> {
            throw new IllegalStateException("sink broken");
        });

        log.append(at(1));
        log.append(at(2));

        assertThat(log.events()).containsExactly(at(1), at(2));
    }

    @Test
    void givenRestoredEvents_whenTheLogStarts_thenTheyCountInEventsButAreNotSunkAgainNorPartOfThisRun() {
        List<QueueEvent> sunk = new ArrayList<>();
        QueueEventLog log = new QueueEventLog(List.of(at(1), at(2)), sunk::add);
        List<QueueEvent> thisRun = log.sinceStart();

        assertThat(log.restored()).isEqualTo(2);
        assertThat(thisRun).isEmpty();
        log.append(at(3));
        log.append(at(4));

        assertThat(log.events()).containsExactly(at(1), at(2), at(3), at(4));
        assertThat(sunk).containsExactly(at(3), at(4));
        assertThat(thisRun).containsExactly(at(3), at(4)); // a live view, still valid after appends
        assertThat(log.sinceStart()).containsExactly(at(3), at(4));
        assertThatThrownBy(() -> log.append(at(0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenRestoredEventsOutOfOrder_whenTheLogStarts_thenRefused() {
        assertThatThrownBy(() -> new QueueEventLog(List.of(at(2), at(1)), e -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time order");
    }
}
