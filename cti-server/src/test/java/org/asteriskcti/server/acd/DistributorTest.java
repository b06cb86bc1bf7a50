package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.asteriskcti.server.acd.Distributor.Candidate;
import org.asteriskcti.server.acd.Distributor.Offer;
import org.asteriskcti.server.acd.Distributor.Waiting;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.AgentSkills;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;

class DistributorTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final QueueId SALES = QueueId.of("sales");
    private static final QueueId SUPPORT = QueueId.of("support");

    private Map<QueueId, QueueDefinition> queues = Map.of(
            SALES, QueueDefinition.builder("sales", "demo").build(),
            SUPPORT, QueueDefinition.builder("support", "demo").build());

    // ---- longest idle -----------------------------------------------------------------------------------

    @Test
    void givenThreeReadyAgents_whenACallerWaitsInALongestIdleQueue_thenTheOneIdleSinceEarliestIsOffered() {
        List<Offer> offers = decide(List.of(waiting("c1", SALES, 0, 0)),
                List.of(ready("a", 30, 0), ready("b", 10, 5), ready("c", 20, 0)));
        assertThat(offers).containsExactly(new Offer(EntryId.of("c1"), AgentId.of("b"), false));
    }

    @Test
    void givenTwoAgentsIdleSinceTheSameInstant_whenOneIsChosen_thenTheLowerAgentIdWins() {
        List<Offer> offers = decide(List.of(waiting("c1", SALES, 0, 0)), List.of(ready("z", 10, 0), ready("m", 10, 0)));
        assertThat(offers).extracting(Offer::agent).containsExactly(AgentId.of("m"));
    }

    // ---- least calls ------------------------------------------------------------------------------------

    @Test
    void givenALeastCallsQueue_whenAgentsHandledDifferentNumbersOfCalls_thenFewestCallsWinsOverLongestIdle() {
        leastCalls();
        List<Offer> offers = decide(List.of(waiting("c1", SALES, 0, 0)),
                List.of(ready("a", 0, 7), ready("b", 50, 2), ready("c", 10, 3)));
        assertThat(offers).extracting(Offer::agent).containsExactly(AgentId.of("b"));
    }

    @Test
    void givenALeastCallsQueue_whenTwoAgentsHandledAsManyCalls_thenTheLongestIdleOfThemWins() {
        leastCalls();
        List<Offer> offers = decide(List.of(waiting("c1", SALES, 0, 0)),
                List.of(ready("a", 40, 2), ready("b", 20, 2), ready("c", 0, 9)));
        assertThat(offers).extracting(Offer::agent).containsExactly(AgentId.of("b"));
    }

    // ---- skills -------------------------------------------------------------------------------------------

    @Test
    void givenASkillsQueue_whenAgentsHaveDifferentLevels_thenTheHighestSumOfRequiredSkillsWinsOverLongestIdle() {
        skillsQueue(Map.of("billing", 3, "french", 2));
        List<Offer> offers = decide(List.of(waiting("c1", SALES, 0, 0)), List.of(
                skilled("a", 0, Map.of("billing", 3, "french", 2)),         // 5, idle longest
                skilled("b", 50, Map.of("billing", 9, "french", 4)),        // 13
                skilled("c", 10, Map.of("billing", 10, "french", 3, "x", 10)))); // 13, idle longer than b
        assertThat(offers).extracting(Offer::agent).containsExactly(AgentId.of("c"));
    }

    @Test
    void givenASkillRequirement_whenAnAgentIsOneLevelShort_thenTheyAreNeverOfferedEvenIfIdleLongest() {
        skillsQueue(Map.of("billing", 5));
        List<Offer> offers = decide(List.of(waiting("c1", SALES, 0, 0)),
                List.of(skilled("a", 0, Map.of("billing", 4)), skilled("b", 30, Map.of("billing", 5))));
        assertThat(offers).extracting(Offer::agent).containsExactly(AgentId.of("b"));
    }

    @Test
    void givenACallerWithALanguage_whenOnlySomeAgentsSpeakIt_thenOnlyTheyAreOffered() {
        Waiting french = new Waiting(EntryId.of("c1"), SALES, 0, T0, 1, new Requirements(Map.of(), Optional.of("FR")), Set.of());
        Candidate english = new Candidate(new AgentProfile(AgentId.of("a"), queues.get(SALES).tenant(),
                new AgentSkills(Map.of(), Set.of("en")), Set.of()), T0, 0);
        Candidate bilingual = new Candidate(new AgentProfile(AgentId.of("b"), queues.get(SALES).tenant(),
                new AgentSkills(Map.of(), Set.of("en", "fr")), Set.of()), T0.plusSeconds(60), 0);
        assertThat(decide(List.of(french), List.of(english, bilingual))).extracting(Offer::agent)
                .containsExactly(AgentId.of("b"));
        assertThat(decide(List.of(french), List.of(english))).isEmpty();
    }

    @Test
    void givenACallerForOneAgentOnly_whenOthersAreLongerIdle_thenOnlyThatAgentIsOfferedAndWithoutThemNobody() {
        Waiting forB = new Waiting(EntryId.of("c1"), SALES, 0, T0, 1,
                Requirements.none().onlyFor(Optional.of(AgentId.of("b"))), Set.of());
        assertThat(decide(List.of(forB), List.of(ready("a", 0, 0), ready("b", 60, 0)))).extracting(Offer::agent)
                .containsExactly(AgentId.of("b"));
        assertThat(decide(List.of(forB), List.of(ready("a", 0, 0)))).as("b busy: the caller waits for b").isEmpty();
    }

    // ---- membership and tenants ------------------------------------------------------------------------

    @Test
    void givenAnAgentOfAnotherTenant_whenTheyAreTheOnlyOneReady_thenNoOfferIsMade() {
        Candidate other = new Candidate(new AgentProfile(AgentId.of("x"), TenantId.of("acme"),
                AgentSkills.none(), Set.of()), T0, 0);
        assertThat(decide(List.of(waiting("c1", SALES, 0, 0)), List.of(other))).isEmpty();
    }

    @Test
    void givenAnAgentWhoServesOnlySupport_whenSalesAndSupportCallersWait_thenTheyGetTheSupportCaller() {
        Candidate supportOnly = new Candidate(AgentProfile.of("a", "demo").withQueues(Set.of(SUPPORT)), T0, 0);
        List<Offer> offers = decide(List.of(waiting("s1", SALES, 0, 0), waiting("p1", SUPPORT, 0, 10)), List.of(supportOnly));
        assertThat(offers).containsExactly(new Offer(EntryId.of("p1"), AgentId.of("a"), false));
    }

    // ---- order of callers -------------------------------------------------------------------------------

    @Test
    void givenCallersOfDifferentPriorities_whenOneAgentIsReady_thenTheHighestPriorityGetsThem() {
        List<Offer> offers = decide(List.of(waiting("old", SALES, 0, 0), waiting("vip", SALES, 5, 100)),
                List.of(ready("a", 0, 0)));
        assertThat(offers).extracting(Offer::entry).containsExactly(EntryId.of("vip"));
    }

    @Test
    void givenCallersOfEqualPriority_whenOneWasRequeuedWithAnEarlierArrival_thenThatOneIsServedFirst() {
        // "restored" was enqueued later (seq 2) but arrived first: it keeps its original time.
        Waiting newer = new Waiting(EntryId.of("new"), SALES, 0, T0.plusSeconds(30), 1, Requirements.none(), Set.of());
        Waiting restored = new Waiting(EntryId.of("restored"), SALES, 0, T0, 2, Requirements.none(), Set.of());
        assertThat(decide(List.of(newer, restored), List.of(ready("a", 0, 0)))).extracting(Offer::entry)
                .containsExactly(EntryId.of("restored"));
    }

    @Test
    void givenCallersInTwoQueues_whenAgentsServeBoth_thenTheOldestCallerAcrossQueuesIsServedFirst() {
        List<Offer> offers = decide(List.of(waiting("s1", SALES, 0, 20), waiting("p1", SUPPORT, 0, 5)),
                List.of(ready("a", 0, 0)));
        assertThat(offers).extracting(Offer::entry).containsExactly(EntryId.of("p1"));
    }

    @Test
    void givenThreeCallersAndTwoAgents_whenDecided_thenEachAgentGetsOneCallerInQueueOrder() {
        List<Offer> offers = decide(List.of(waiting("c3", SALES, 0, 30), waiting("c1", SALES, 0, 10), waiting("c2", SALES, 0, 20)),
                List.of(ready("b", 5, 0), ready("a", 0, 0)));
        assertThat(offers).containsExactly(
                new Offer(EntryId.of("c1"), AgentId.of("a"), false),
                new Offer(EntryId.of("c2"), AgentId.of("b"), false));
    }

    // ---- rounds -------------------------------------------------------------------------------------------

    @Test
    void givenAnAgentWhoDidNotAnswerACaller_whenAnotherAgentIsReady_thenTheOtherOneIsOfferedThatCaller() {
        Waiting declinedByA = new Waiting(EntryId.of("c1"), SALES, 0, T0, 1, Requirements.none(), Set.of(AgentId.of("a")));
        List<Offer> offers = decide(List.of(declinedByA), List.of(ready("a", 0, 0), ready("b", 60, 0)));
        assertThat(offers).containsExactly(new Offer(EntryId.of("c1"), AgentId.of("b"), false));
    }

    @Test
    void givenAnAgentWhoDeclinedTheOldestCaller_whenAnotherCallerWaits_thenTheyGetTheOtherCallerNotTheSameOne() {
        Waiting declinedByA = new Waiting(EntryId.of("c1"), SALES, 0, T0, 1, Requirements.none(), Set.of(AgentId.of("a")));
        List<Offer> offers = decide(List.of(declinedByA, waiting("c2", SALES, 0, 10)), List.of(ready("a", 0, 0)));
        assertThat(offers).containsExactly(new Offer(EntryId.of("c2"), AgentId.of("a"), false));
    }

    @Test
    void givenEveryAgentWhoCanTakeACallerDeclinedIt_whenOneOfThemIsReadyAgain_thenANewRoundOffersItToThem() {
        Waiting declined = new Waiting(EntryId.of("c1"), SALES, 0, T0, 1, Requirements.none(),
                Set.of(AgentId.of("a"), AgentId.of("b")));
        List<Offer> offers = decide(List.of(declined), List.of(ready("b", 10, 0), ready("a", 20, 0)));
        assertThat(offers).containsExactly(new Offer(EntryId.of("c1"), AgentId.of("b"), true));
    }

    // ---- determinism ----------------------------------------------------------------------------------------

    @Test
    void givenTheSameCallersAndAgentsInAnyOrder_whenDecidedManyTimes_thenTheOffersAreAlwaysTheSame() {
        List<Waiting> w = new ArrayList<>();
        List<Candidate> c = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            w.add(waiting("c" + i, i % 2 == 0 ? SALES : SUPPORT, i % 3, i * 7 % 11));
            c.add(ready("a" + i, i * 5 % 4, 0));
        }
        List<Offer> first = decide(w, c.subList(0, 7));
        Random random = new Random(42);
        for (int run = 0; run < 50; run++) {
            List<Waiting> ws = new ArrayList<>(w);
            List<Candidate> cs = new ArrayList<>(c.subList(0, 7));
            Collections.shuffle(ws, random);
            Collections.shuffle(cs, random);
            assertThat(decide(ws, cs)).isEqualTo(first);
        }
        assertThat(first).hasSize(7);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private List<Offer> decide(List<Waiting> waiting, List<Candidate> ready) {
        return Distributor.decide(queues, waiting, ready);
    }

    private void leastCalls() {
        queues = Map.of(SALES, queues.get(SALES).toBuilder().strategy(Strategy.LEAST_CALLS).build(), SUPPORT, queues.get(SUPPORT));
    }

    private void skillsQueue(Map<String, Integer> skills) {
        queues = Map.of(SALES, queues.get(SALES).toBuilder().strategy(Strategy.SKILLS).requiredSkills(skills).build(),
                SUPPORT, queues.get(SUPPORT));
    }

    private Waiting waiting(String id, QueueId queue, int priority, int arrivedSecond) {
        return new Waiting(EntryId.of(id), queue, priority, T0.plusSeconds(arrivedSecond), arrivedSecond,
                queues.get(queue).requirements(), Set.of());
    }

    private static Candidate ready(String id, int idleSinceSecond, int callsToday) {
        return new Candidate(AgentProfile.of(id, "demo"), T0.plusSeconds(idleSinceSecond), callsToday);
    }

    private Candidate skilled(String id, int idleSinceSecond, Map<String, Integer> skills) {
        return new Candidate(AgentProfile.of(id, "demo").withSkills(new AgentSkills(skills, Set.of())),
                T0.plusSeconds(idleSinceSecond), 0);
    }
}
