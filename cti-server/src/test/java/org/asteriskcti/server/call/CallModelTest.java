package org.asteriskcti.server.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.asteriskcti.server.testsupport.Events.channel;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.testsupport.Events;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.asteriskcti.server.testsupport.RecordingModelListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallModelTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final RecordingModelListener out = new RecordingModelListener();
    private final Events ami = new Events(clock, Source.AMI);
    private final Events ari = new Events(clock, Source.ARI);
    private CallModel model;

    @BeforeEach
    void setUp() {
        TenantDirectory directory = new TenantDirectory(ConfigLoader.load(null, Map.of()));
        model = new CallModel(loop, directory, out, EnumSet.of(Source.AMI, Source.ARI));
    }

    private void apply(AsteriskEvent... events) {
        for (AsteriskEvent e : events) {
            loop.execute(() -> model.apply(e));
        }
        scheduler.runAll();
    }

    private void customerAnsweredByAgent() {
        apply(ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.RING, "2001", "c1", "600")),
                ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "c1", "600")),
                ami.upsert(channel("a1", "PJSIP/1001-00000002", ChannelState.DOWN, "2001", "c1", "s")),
                ami.dial("c1", "a1"));
        clock.advance(Duration.ofSeconds(2));
        apply(ami.upsert(channel("a1", "PJSIP/1001-00000002", ChannelState.UP, "2001", "c1", "s")),
                ami.dialEnd("c1", "a1", "ANSWER"),
                ami.enter("b1", "c1"),
                ami.enter("b1", "a1"));
    }

    @Test
    void givenACustomerCall_whenAnAgentAnswersAndTheCustomerHangsUp_thenStartedRingingConnectedEndedAnswered() {
        customerAnsweredByAgent();
        clock.advance(Duration.ofSeconds(4));
        // Asterisk's order for a BYE from the customer (trace ami-01): the agent is soft-hung-up by the bridge.
        apply(ami.hangupRequest("c1", false), ami.leave("b1", "c1"), ami.hangup("c1", 16),
                ami.hangupRequest("a1", true), ami.leave("b1", "a1"), ami.hangup("a1", 16));

        assertThat(out.statesOf("c1")).containsExactly("STARTED", "RINGING", "CONNECTED", "ENDED");
        CallView end = out.last("c1");
        assertThat(end.tenant()).isEqualTo("demo");
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(end.direction()).isEqualTo("INBOUND");
        assertThat(end.ringSeconds()).isEqualTo(2);
        assertThat(end.talkSeconds()).isEqualTo(4);
        assertThat(end.agents()).containsExactly("agent-1001");
        assertThat(end.connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1001");
        assertThat(end.dialled()).isEqualTo("600");
        assertThat(model.activeCallCount()).isZero();
    }

    @Test
    void givenAWaitingCaller_whenTheCallerHangsUpWhileTheAgentRings_thenAbandoned() {
        apply(ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "c1", "600")),
                ami.upsert(channel("a1", "PJSIP/1001-00000002", ChannelState.DOWN, "2001", "c1", "s")),
                ami.dial("c1", "a1"),
                ami.upsert(channel("a1", "PJSIP/1001-00000002", ChannelState.RINGING, "2001", "c1", "s")),
                ami.hangupRequest("c1", false),
                ami.dialEnd("c1", "a1", "CANCEL"),
                ami.hangup("a1", 16),
                ami.hangup("c1", 16));
        assertThat(out.statesOf("c1")).containsExactly("STARTED", "RINGING", "ENDED");
        assertThat(out.last("c1").disposition()).isEqualTo("ABANDONED");
    }

    @Test
    void givenAnAgentThatIsBusy_whenAsteriskEndsTheCall_thenUnanswered() {
        apply(ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "c1", "600")),
                ami.upsert(channel("a1", "PJSIP/1001-00000002", ChannelState.DOWN, "2001", "c1", "s")),
                ami.dial("c1", "a1"),
                ami.dialEnd("c1", "a1", "BUSY"),
                ami.hangup("a1", 17),
                ami.hangupRequest("c1", true),
                ami.hangup("c1", 17));
        assertThat(out.last("c1").disposition()).isEqualTo("UNANSWERED");
    }

    @Test
    void givenAConnectedCall_whenTheAgentLegIsRedirectedAway_thenTheCustomerWaitsAgainThenRingsTheTarget() {
        customerAnsweredByAgent();
        apply(ami.leave("b1", "c1"), ami.hangupRequest("a1", true), ami.leave("b1", "a1"), ami.hangup("a1", 16),
                ami.upsert(channel("t1", "PJSIP/1003-00000003", ChannelState.DOWN, "2001", "c1", "s")),
                ami.dial("c1", "t1"), ami.dialEnd("c1", "t1", "ANSWER"), ami.enter("b2", "c1"), ami.enter("b2", "t1"));
        assertThat(out.statesOf("c1")).containsExactly("STARTED", "RINGING", "CONNECTED", "STARTED", "RINGING", "CONNECTED");
        assertThat(out.last("c1").connectedDevices()).containsExactly("PJSIP/2001", "PJSIP/1001", "PJSIP/1003");
    }

    @Test
    void givenAnOriginatedAgentLeg_whenThePhoneRejectsIt_thenUnansweredNotAbandoned() {
        apply(ari.upsert(channel("leg1", "PJSIP/1001-00000001", ChannelState.DOWN, "2001", null, "")),
                ari.dial(null, "leg1"),
                ari.hangupRequest("leg1", false),
                ari.dialEnd(null, "leg1", "BUSY"),
                ari.hangup("leg1", 17));
        assertThat(out.last("leg1").disposition()).isEqualTo("UNANSWERED");
    }

    @Test
    void givenEventsThatChangeNothingVisible_thenTheCallIsNotRepublished() {
        apply(ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "c1", "600")));
        int published = out.calls.size();
        apply(ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2001", "c1", "600")),
                ami.hangupRequest("nobody", false));
        assertThat(out.calls).hasSize(published);
        apply(ami.upsert(channel("c1", "PJSIP/2001-00000001", ChannelState.UP, "2099", "c1", "600")));
        assertThat(out.calls).hasSize(published + 1);
        assertThat(out.calls.get(out.calls.size() - 1).version()).isEqualTo(2);
    }

    @Test
    void givenACallOfNoTenant_whenItChanges_thenNothingIsPublished() {
        apply(ami.upsert(channel("x1", "PJSIP/9999-00000001", ChannelState.UP, "9999", "x1", "12345")));
        assertThat(out.calls).isEmpty();
        assertThat(model.activeCallCount()).isEqualTo(1);
    }

    @Test
    void givenTwoCalls_whenAsteriskPropagatesTheLinkedid_thenTheAbsorbedCallEndsAsMerged() {
        customerAnsweredByAgent();
        apply(ami.upsert(channel("t1", "PJSIP/1003-00000003", ChannelState.UP, "1001", "t1", "1003")));
        apply(ami.upsert(channel("t1", "PJSIP/1003-00000003", ChannelState.UP, "1001", "c1", "1003")));
        assertThat(out.last("t1").disposition()).isEqualTo("MERGED");
        assertThat(out.last("t1").mergedInto()).isEqualTo("c1");
        assertThat(model.call(CallId.of("c1")).orElseThrow().legs()).extracting(l -> l.id().value())
                .containsExactly("c1", "a1", "t1");
    }

    @Test
    void givenAnAriLegWithoutLinkedid_whenCtiCallIdIsSet_thenItJoinsThatCall() {
        apply(ari.upsert(channel("c9", "PJSIP/2001-00000009", ChannelState.UP, "2001", null, "700")),
                ari.upsert(channel("agent-leg", "PJSIP/1001-0000000a", ChannelState.DOWN, "2001", null, "")),
                ari.var("agent-leg", CallModel.VAR_CALL_ID, "c9"));
        assertThat(model.call(CallId.of("c9")).orElseThrow().legs()).hasSize(2);
        assertThat(model.call(CallId.of("agent-leg"))).isEmpty();
    }

    @Test
    void givenAStasisChannel_whenStasisEndArrivesWithoutChannelDestroyed_thenTheChannelIsEnded() {
        apply(ari.upsert(channel("c9", "PJSIP/2001-00000009", ChannelState.UP, "2001", null, "700")),
                ari.stasisEnd("c9"));
        assertThat(out.last("c9").state()).isEqualTo("ENDED");
        // A late duplicate from the other interface changes nothing.
        apply(ami.hangup("c9", 16), ami.upsert(channel("c9", "PJSIP/2001-00000009", ChannelState.UP, "2001", "c9", "700")));
        assertThat(model.activeCallCount()).isZero();
        assertThat(model.lateEvents()).isEqualTo(2);
    }

    @Test
    void givenAChannelAmiAlsoFollows_whenItLeavesStasis_thenItLivesOnUntilAmiReportsItsHangup() {
        apply(ami.link(LinkState.UP),
                ami.upsert(channel("c7", "PJSIP/2001-00000007", ChannelState.RING, "2001", "c7", "600")),
                ari.upsert(channel("c7", "PJSIP/2001-00000007", ChannelState.RING, "2001", null, "600")),
                ari.stasisEnd("c7"));
        assertThat(model.activeCallCount()).isEqualTo(1);
        assertThat(model.leg(ChannelId.of("c7")).orElseThrow().inStasis()).isFalse();
        apply(ami.hangup("c7", 16));
        assertThat(out.last("c7").state()).isEqualTo("ENDED");
    }

    @Test
    void givenLinksGoUpAndResync_thenSyncGoesStaleToSyncedAndBackOnLoss() {
        apply(ami.link(LinkState.UP));
        assertThat(model.syncStatus().synced()).isFalse();
        apply(ami.resync(List.of(), List.of()), ari.link(LinkState.UP), ari.resync(List.of(), List.of()));
        assertThat(model.syncStatus().synced()).isTrue();
        apply(ami.link(LinkState.DOWN));
        // Every change of a link is published (with the link states); the label goes stale -> synced -> stale.
        List<String> labels = new java.util.ArrayList<>();
        for (SyncStatus s : out.syncs) {
            if (labels.isEmpty() || !labels.get(labels.size() - 1).equals(s.label())) {
                labels.add(s.label());
            }
        }
        assertThat(labels).containsExactly("stale", "synced", "stale");
        assertThat(out.syncs.get(out.syncs.size() - 1).ami()).isEqualTo(LinkState.DOWN);
    }

    @Test
    void givenACallInProgress_whenAmiResyncNoLongerListsIt_thenItEndedWhileWeWereAway() {
        customerAnsweredByAgent();
        apply(ami.link(LinkState.DOWN), ami.link(LinkState.UP), ami.resync(List.of(), List.of()));
        CallView end = out.last("c1");
        assertThat(end.state()).isEqualTo("ENDED");
        assertThat(end.disposition()).isEqualTo("ANSWERED");
        assertThat(model.activeCallCount()).isZero();
    }

    @Test
    void givenAResyncListingACallWeMissed_thenItAppearsConnected() {
        apply(ami.link(LinkState.UP), ami.resync(
                List.of(channel("c5", "PJSIP/2002-00000005", ChannelState.UP, "2002", "c5", "600"),
                        channel("a5", "PJSIP/1002-00000006", ChannelState.UP, "2002", "c5", "s")),
                List.of(new BridgeSnapshot(BridgeId.of("b5"), "basic", "simple_bridge", "", "",
                        List.of(ChannelId.of("c5"), ChannelId.of("a5"))))));
        assertThat(out.last("c5").state()).isEqualTo("CONNECTED");
        assertThat(out.last("c5").agents()).containsExactly("agent-1002");
    }

    @Test
    void givenAnEventOffTheLoop_whenApplied_thenItIsRefused() {
        assertThatThrownBy(() -> model.apply(ami.link(LinkState.UP))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside the domain loop");
    }

    @Test
    void callStateTransitionsOutOfEndedAreIllegal() {
        for (CallState s : CallState.values()) {
            assertThat(CallState.ENDED.canMoveTo(s)).isFalse();
        }
        assertThat(CallState.CONNECTED.canMoveTo(CallState.RINGING)).isTrue();
    }
}
