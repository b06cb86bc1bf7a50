package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueueEntryTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final QueueDefinition sales = QueueDefinition.builder("sales", "demo").build();
    private final AgentId alice = AgentId.of("alice");

    private static final List<String> LEGAL = List.of(
            "WAITING>OFFERING", "WAITING>ABANDONED", "WAITING>OVERFLOWED", "WAITING>CALLBACK_REQUESTED",
            "OFFERING>CONNECTED", "OFFERING>WAITING", "OFFERING>ABANDONED", "CONNECTED>COMPLETED");

    static Stream<Arguments> everyPair() {
        return Stream.of(EntryState.values()).flatMap(f -> Stream.of(EntryState.values()).map(t -> Arguments.of(f, t)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void givenTheEntryTable_whenAskedAboutAPair_thenItAllowsExactlyTheListedOnes(EntryState from, EntryState to) {
        assertThat(from.canGoTo(to)).isEqualTo(LEGAL.contains(from + ">" + to));
    }

    @Test
    void givenAWaitingEntry_whenOfferedRejectedOfferedAnsweredAndCompleted_thenEachStepIsReportedWithAttempts() {
        QueueEntry e = entry("c1", 0);
        List<EntryChanged> seen = new ArrayList<>();
        seen.add(e.offer(alice));
        seen.add(e.requeue());
        assertThat(e.declined()).containsExactly(alice);
        seen.add(e.offer(AgentId.of("bob")));
        clock.advance(Duration.ofSeconds(3));
        seen.add(e.connect());
        seen.add(e.complete());
        assertThat(seen).extracting(c -> c.from() + ">" + c.entry().state()).containsExactly(
                "WAITING>OFFERING", "OFFERING>WAITING", "WAITING>OFFERING", "OFFERING>CONNECTED", "CONNECTED>COMPLETED");
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(e.view().agent()).isEqualTo(AgentId.of("bob"));
        assertThat(e.connectedAt()).isEqualTo(clock.instant());
    }

    @Test
    void givenAnEntryRinging_whenTheCallerHangsUp_thenAbandonedRemembersItWasDuringRinging() {
        QueueEntry ringing = entry("c1", 0);
        ringing.offer(alice);
        assertThat(ringing.abandon().entry().abandonedWhileRinging()).isTrue();
        QueueEntry waiting = entry("c2", 0);
        assertThat(waiting.abandon().entry().abandonedWhileRinging()).isFalse();
    }

    @Test
    void givenACompletedEntry_whenAnythingElseHappens_thenIllegalEntryTransitionAndItStaysCompleted() {
        QueueEntry e = entry("c1", 0);
        e.offer(alice);
        e.connect();
        e.complete();
        assertThatThrownBy(e::abandon).isInstanceOfSatisfying(AcdException.class, ex -> {
            assertThat(ex.errorId()).isEqualTo("acd.illegal_entry_transition");
            assertThat(ex.details()).containsEntry("from", "COMPLETED").containsEntry("to", "ABANDONED");
        });
        assertThat(e.state()).isEqualTo(EntryState.COMPLETED);
    }

    @Test
    void givenAWaitingEntry_whenConnectedWithoutAnOffer_thenRefused() {
        QueueEntry e = entry("c1", 0);
        assertThatThrownBy(e::connect).hasMessageStartingWith("acd.illegal_entry_transition");
        assertThat(e.state()).isEqualTo(EntryState.WAITING);
    }

    @Test
    void givenARingingEntry_whenTheCallerAsksForACallback_thenRefused() {
        QueueEntry e = entry("c1", 0);
        e.offer(alice);
        assertThatThrownBy(e::callback).hasMessageStartingWith("acd.illegal_entry_transition");
    }

    @Test
    void givenAConnectedCall_whenHeldTwice_thenHoldTimeAddsUpAndOpenHoldClosesAtCompletion() {
        QueueEntry e = entry("c1", 0);
        e.offer(alice);
        e.connect();
        e.hold(true);
        clock.advance(Duration.ofSeconds(10));
        e.hold(false);
        clock.advance(Duration.ofSeconds(5));
        e.hold(true);
        e.hold(true);
        clock.advance(Duration.ofSeconds(7));
        e.complete();
        assertThat(e.held()).isEqualTo(Duration.ofSeconds(17));
    }

    @Test
    void givenEntries_whenSortedInQueueOrder_thenPriorityThenOriginalArrivalThenEnqueueOrder() {
        QueueEntry late = entry("late", 0, 30, 1);
        QueueEntry vip = entry("vip", 3, 60, 2);
        QueueEntry early = entry("early", 0, 0, 3);
        QueueEntry earlyToo = entry("earlyToo", 0, 0, 4);
        assertThat(Stream.of(late, earlyToo, vip, early).sorted(QueueOrder.ORDER).map(q -> q.id().value()))
                .containsExactly("vip", "early", "earlyToo", "late");
    }

    private QueueEntry entry(String caller, int priority) {
        return entry(caller, priority, 0, 1);
    }

    private QueueEntry entry(String caller, int priority, int arrivedSecond, long seq) {
        EnqueueRequest r = EnqueueRequest.newCaller(ChannelId.of(caller), sales.id(), clock.instant().plusSeconds(arrivedSecond))
                .withPriority(priority);
        return new QueueEntry(EntryId.of(caller), sales, r, seq, clock.instant(), clock);
    }
}
