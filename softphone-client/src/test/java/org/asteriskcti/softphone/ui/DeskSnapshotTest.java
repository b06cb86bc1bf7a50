package org.asteriskcti.softphone.ui;

import static org.asteriskcti.softphone.ui.DeskFixture.agent;
import static org.asteriskcti.softphone.ui.DeskFixture.offer;
import static org.asteriskcti.softphone.ui.DeskFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Phase;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Row;
import org.junit.jupiter.api.Test;

/**
 * What a desk shows when it comes back from snapshots (a resume beyond the server's buffer, or a new
 * subscription): the agent:<id> snapshot's {@code queue_call} and {@code not_ready_reasons}.
 */
class DeskSnapshotTest {

    private static Map<String, Object> agentSnapshot(String state, Instant wrapUpEndsAt, Object queueCall, List<String> reasons) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", agent("1001", "Alice", state, null, wrapUpEndsAt));
        m.put("conversations", List.of());
        m.put("recordings", List.of());
        if (queueCall != null) {
            m.put("queue_call", queueCall);
        }
        if (reasons != null) {
            m.put("not_ready_reasons", reasons);
        }
        return m;
    }

    @Test
    void givenADeskThatMissedTheOffer_whenTheSnapshotCarriesIt_thenThePanelShowsTheCallerAndScreenPop() {
        DeskFixture f = new DeskFixture().readyIdle();
        assertThat(f.vm.call().phaseProperty().get()).isEqualTo(Phase.IDLE);

        f.model.snapshot("agent:1001", tree(agentSnapshot("RESERVED", null, offer("OFFERING"), null)));

        CallPanelViewModel c = f.vm.call();
        assertThat(c.phaseProperty().get()).isEqualTo(Phase.OFFERED);
        assertThat(c.callerNumberProperty().get()).isEqualTo("+4930123456");
        assertThat(c.screenPop()).contains(new Row("Region", "Berlin"), new Row("account", "12345"));
    }

    @Test
    void givenAnOfferShown_whenASnapshotHasNoVisit_thenItIsDroppedUnlessTheAgentIsInWrapUp() {
        DeskFixture f = new DeskFixture().readyIdle().offered();

        f.model.snapshot("agent:1001", tree(agentSnapshot("READY", null, null, null)));
        assertThat(f.model.queueCall()).as("the offer was withdrawn while the desk was away").isEmpty();

        DeskFixture w = new DeskFixture().readyIdle().offered().onCall();
        w.model.snapshot("agent:1001", tree(agentSnapshot("WRAP_UP", DeskFixture.T0.plusSeconds(60), null, null)));
        assertThat(w.vm.call().phaseProperty().get()).isEqualTo(Phase.WRAP_UP);
        assertThat(w.vm.call().callerNumberProperty().get()).as("the ended call's screen pop stays for the wrap-up")
                .isEqualTo("+4930123456");
    }

    @Test
    void givenTheTenantsReasonsInTheSnapshot_thenThePickerOffersExactlyThem() {
        DeskFixture f = new DeskFixture().readyIdle();
        assertThat(f.vm.bar().reasons()).as("the built-in list before the server names its own")
                .containsExactlyElementsOf(AgentBarViewModel.DEFAULT_REASONS);

        f.model.snapshot("agent:1001", tree(agentSnapshot("READY", null, null, List.of("coaching", "lunch"))));

        assertThat(f.vm.bar().reasons()).containsExactly("coaching", "lunch");
        assertThat(f.vm.bar().selectedReasonProperty().get()).isEqualTo("coaching");
    }
}
