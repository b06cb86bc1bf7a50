package org.asteriskcti.server.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.agent.NotReadyReason;
import org.asteriskcti.server.agent.NotReadyReasons;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

/**
 * The ACD's Asterisk side against a recording fake of the Asterisk commands, with the real
 * {@link AcdService} on a manual loop: what is asked of Asterisk, in which order, and what the ACD
 * makes of Asterisk's answers (the shapes of ari-08/09/10).
 */
class AsteriskAcdPortTest {

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    private final List<EntryChanged> entryChanges = new ArrayList<>();
    private AsteriskAcdPort port;
    private AcdService acd;
    private final QueueEventLog log = new QueueEventLog();

    private void start(UnaryOperator<QueueDefinition.Builder> support) {
        Map<AgentId, String> endpoints = new LinkedHashMap<>();
        endpoints.put(AgentId.of("a1"), "PJSIP/1001");
        endpoints.put(AgentId.of("a2"), "PJSIP/1002");
        port = new AsteriskAcdPort(loop, asterisk, new AcdListener() {
            @Override
            public void agentStateChanged(org.asteriskcti.server.agent.AgentStateChanged change) {}

            @Override
            public void entryChanged(EntryChanged change) {
                entryChanges.add(change);
            }
        }, endpoints, "t");
        QueueDefinition q = support.apply(QueueDefinition.builder("support", "demo").announcePeriod(Duration.ZERO)
                .ringTimeout(Duration.ofSeconds(15)).wrapUp(Duration.ofSeconds(10))).build();
        QueueDefinition vip = QueueDefinition.builder("vip", "demo").announcePeriod(Duration.ZERO).mohClass("jazz").build();
        acd = new AcdService(loop, port, log, new AcdConfig(List.of(q, vip),
                List.of(AgentProfile.of("a1", "demo"), AgentProfile.of("a2", "demo")), NotReadyReasons.of("break"),
                Map.of(), 20, Duration.ofMinutes(30)));
        port.attach(acd);
    }

    private void start() {
        start(b -> b);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private <T> T call(Supplier<T> task) {
        CompletableFuture<T> f = loop.call(task);
        scheduler.runAll();
        try {
            return f.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    private void event(AsteriskEvent e) {
        run(() -> port.onEvent(e));
    }

    private EventMeta meta(Source s) {
        return new EventMeta(s, clock.instant(), clock.instant(), 0);
    }

    private static ChannelSnapshot caller(String id, String number, Map<String, String> vars) {
        return new ChannelSnapshot(ChannelId.of(id), "PJSIP/" + number + "-0000000" + id.length(), ChannelState.UP,
                new Party(number, "Customer " + number), Party.EMPTY, null, "cti-inbound", "700", "", "en", null, vars);
    }

    private static ChannelSnapshot leg(String id, ChannelState state, Map<String, String> vars) {
        return new ChannelSnapshot(ChannelId.of(id), "PJSIP/1001-00000099", state, Party.EMPTY, Party.EMPTY, null,
                "", "", "", "en", null, vars);
    }

    private EntryId admit(String channel) {
        return call(() -> port.admit(caller(channel, "2001", Map.of()), QueueId.of("support")));
    }

    private void ready(String... agents) {
        for (String a : agents) {
            run(() -> {
                acd.phoneOnline(AgentId.of(a));
                acd.agentLogin(AgentId.of(a), true);
            });
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private AgentView agent(String a) {
        return call(() -> acd.agent(AgentId.of(a)));
    }

    private void legAnswers(String legId) {
        event(new AsteriskEvent.StasisStarted(meta(Source.ARI), leg(legId, ChannelState.UP, Map.of()), "cti",
                List.of("agent", "x")));
    }

    private void hungUp(String channel, int cause) {
        event(new AsteriskEvent.ChannelHungUp(meta(Source.ARI), ChannelId.of(channel), cause, ""));
    }

    private String legOf(int n) {
        return asterisk.originates.get(n).channelId().value();
    }

    // ---- tests ------------------------------------------------------------------------------------------

    @Test
    void givenACallerAndAReadyAgent_whenAdmitted_thenAnsweredHeldMarkedAndTheAgentRungWithTheCustomersId() {
        start();
        ready("a1");
        EntryId entry = admit("c1");

        // (With Asterisk answering at once the caller's chain runs through before the originate is sent;
        // with a real Asterisk the originate goes out while the caller's requests are on their way.)
        assertThat(asterisk.log).containsExactly(
                "answer c1",
                "bridge.create acd-hold-support HOLDING",
                "bridge.add acd-hold-support c1",
                "bridge.moh acd-hold-support default",
                "setvar c1 CTI_QUEUE_ENTRY=e=" + entry.value().replace("/", "%2F") + "&t=demo&q=support&at="
                        + clock.instant().toEpochMilli() + "&p=0",
                "setvar c1 CTI_TENANT=demo",
                "originate acd-t-1 PJSIP/1001 args=[agent, " + entry + "] originator=c1 callerId=\"Customer 2001\" <2001>");
        assertThat(asterisk.originates.get(0).variables()).containsEntry("CTI_AGENT_LEG",
                "entry=" + entry.value().replace("/", "%2F") + "&agent=a1&caller=c1").containsEntry("CTI_TENANT", "demo");
        assertThat(asterisk.originates.get(0).timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(agent("a1").state()).isEqualTo(AgentState.RESERVED);
    }

    @Test
    void givenARouteWithPriorityAndLanguage_thenTheCallerIsServedFirstAndBothAreRemembered() {
        start();
        admit("c1");
        EntryId vip = call(() -> port.admit(caller("c2", "2002", Map.of()), QueueId.of("support"), 5, java.util.Optional.of("zh")));
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).extracting(w -> w.entry().caller().value())
                .containsExactly("c2", "c1");
        assertThat(asterisk.lines("setvar c2 CTI_QUEUE_ENTRY")).singleElement().asString()
                .contains("&p=5&lang=zh").contains(vip.value().replace("/", "%2F"));
    }

    @Test
    void givenTheAgentAnswers_thenTheCallerMovesToAMixingBridgeWithTheLeg_andEitherHangupEndsTheCall() {
        start();
        ready("a1");
        admit("c1");
        asterisk.clear();
        legAnswers("acd-t-1");

        assertThat(asterisk.log).startsWith("bridge.create acd-mix-acd-t-1 MIXING", "bridge.add acd-mix-acd-t-1 c1",
                "bridge.add acd-mix-acd-t-1 acd-t-1");
        assertThat(asterisk.lines("setvar c1 CTI_QUEUE_ENTRY=")).singleElement().asString().contains("&ag=a1&c=");
        assertThat(agent("a1").state()).isEqualTo(AgentState.ON_CALL);

        asterisk.clear();
        clock.advance(Duration.ofSeconds(30));
        hungUp("c1", 16);
        assertThat(asterisk.log).containsExactlyInAnyOrder("hangup acd-t-1 NORMAL", "hangup c1 NORMAL",
                "bridge.destroy acd-mix-acd-t-1");
        assertThat(agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        // AMI's Hangup of the same channel, and the leg's own hangup, change nothing more.
        asterisk.clear();
        hungUp("c1", 16);
        hungUp("acd-t-1", 16);
        assertThat(asterisk.log).isEmpty();
        assertThat(agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
    }

    @Test
    void givenTheAgentHangsUpFirst_thenTheCallerIsHungUpAndTheAgentWrapsUp() {
        start();
        ready("a1");
        admit("c1");
        legAnswers("acd-t-1");
        asterisk.clear();
        hungUp("acd-t-1", 16);
        assertThat(asterisk.log).contains("hangup c1 NORMAL", "bridge.destroy acd-mix-acd-t-1");
        assertThat(agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(call(() -> acd.entryOf(ChannelId.of("c1")))).isEmpty();
    }

    @Test
    void givenTheAgentsPhoneIsBusy_thenTheAgentGoesNotReadyAndTheNextAgentRings() {
        start();
        ready("a1", "a2");
        admit("c1");
        hungUp("acd-t-1", 17); // 486 Busy Here (ari-09)
        assertThat(agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a1").reason()).isEqualTo(NotReadyReason.PHONE_BUSY);
        assertThat(asterisk.originates).hasSize(2);
        assertThat(asterisk.originates.get(1).endpoint()).isEqualTo("PJSIP/1002");
        assertThat(agent("a2").state()).isEqualTo(AgentState.RESERVED);
    }

    @Test
    void givenTheAgentDoesNotAnswerInTime_thenTheLegIsCancelledAsNoAnswer_andTheCallerGoesToTheNextAgent() {
        start();
        ready("a1", "a2");
        admit("c1");
        asterisk.clear();
        scheduler.advance(Duration.ofSeconds(15));
        assertThat(asterisk.log).startsWith("hangup acd-t-1 NO_ANSWER");
        assertThat(agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a1").reason()).isEqualTo(NotReadyReason.NO_ANSWER);
        assertThat(asterisk.originates).extracting(o -> o.endpoint()).containsExactly("PJSIP/1002");
        // The cancelled leg's ChannelDestroyed (cause 19, ari-10) and a late StasisStart change nothing.
        hungUp("acd-t-1", 19);
        assertThat(agent("a1").reason()).isEqualTo(NotReadyReason.NO_ANSWER);
        assertThat(agent("a2").state()).isEqualTo(AgentState.RESERVED);
    }

    @Test
    void givenTheCallerHangsUpWhileTheAgentRings_thenTheLegIsCancelledNormallyAndTheAgentIsReadyAgain() {
        start();
        ready("a1");
        admit("c1");
        asterisk.clear();
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), ChannelId.of("c1"), "cti"));
        assertThat(asterisk.log).containsExactly("hangup acd-t-1 NORMAL");
        assertThat(agent("a1").state()).isEqualTo(AgentState.READY);
        hungUp("acd-t-1", 16);
        assertThat(agent("a1").state()).isEqualTo(AgentState.READY);
    }

    @Test
    void givenALegAnswersAfterItsOfferWasWithdrawn_thenItIsHungUp() {
        start();
        ready("a1");
        admit("c1");
        scheduler.advance(Duration.ofSeconds(15)); // ring timeout
        asterisk.clear();
        legAnswers("acd-t-1");
        assertThat(asterisk.log).containsExactly("hangup acd-t-1 NORMAL");
        assertThat(agent("a1").state()).isEqualTo(AgentState.NOT_READY);
    }

    @Test
    void givenTheOriginateItselfFails_thenTheOfferFailsAndTheAgentIsNotReadyRingFailed() {
        start();
        asterisk.failWhen(line -> line.startsWith("originate")
                ? new AriException(422, AriException.Kind.UNPROCESSABLE, "Allocation failed", "POST", "/channels", null) : null);
        ready("a1");
        admit("c1");
        assertThat(agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a1").reason()).isEqualTo(NotReadyReason.RING_FAILED);
        assertThat(call(() -> acd.entryOf(ChannelId.of("c1")))).get().extracting(EntryView::state).isEqualTo(EntryState.WAITING);
    }

    @Test
    void givenSlowAsteriskAnswers_whenTheAgentAnswersAtOnce_thenTheCallerIsStillHeldBeforeBeingMovedToTheAgent() {
        start();
        ready("a1");
        asterisk.hold();
        admit("c1");
        legAnswers("acd-t-1");
        // Nothing else for the caller goes out before the answer is through (the agent leg and the
        // holding bridge itself do not wait for it).
        assertThat(asterisk.log.stream().filter(l -> l.contains(" c1") && !l.startsWith("originate"))).containsExactly("answer c1");
        assertThat(asterisk.log).hasSize(3).anySatisfy(l -> assertThat(l).startsWith("originate acd-t-1"))
                .contains("bridge.create acd-hold-support HOLDING");
        asterisk.completeHeld();
        List<String> forCaller = asterisk.log.stream().filter(l -> l.contains(" c1")).toList();
        assertThat(forCaller).containsSubsequence("answer c1", "bridge.add acd-hold-support c1",
                "bridge.add acd-mix-acd-t-1 c1");
    }

    @Test
    void givenMusicStopsWhenTheHoldingBridgeEmpties_thenItIsStartedAgainForTheNextCaller_butNotForASecondWaitingCaller() {
        start();
        admit("c1");
        admit("c2");
        assertThat(asterisk.lines("bridge.moh")).hasSize(1);
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), ChannelId.of("c1"), "cti"));
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), ChannelId.of("c2"), "cti"));
        admit("c3");
        assertThat(asterisk.lines("bridge.moh")).hasSize(2);
        assertThat(asterisk.lines("bridge.create acd-hold")).hasSize(1);
    }

    @Test
    void givenPositionAnnouncements_thenTheCallerHearsPositionAndWaitAndFinishedOnesAreCounted() {
        start(b -> b.announcePeriod(Duration.ofSeconds(30)).defaultHandleTime(Duration.ofMinutes(3)));
        admit("c1");
        admit("c2");
        ready("a1");
        run(() -> acd.agentNotReady(AgentId.of("a1"), NotReadyReason.of("break")));
        asterisk.clear();
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(asterisk.lines("play")).containsExactly(
                "play c1 [sound:queue-youarenext, sound:queue-holdtime, number:3, sound:queue-minutes]",
                "play c2 [sound:queue-thereare, number:2, sound:queue-callswaiting, sound:queue-holdtime, number:6, sound:queue-minutes]");
        event(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), "acd-t-pos-1", "channel:c1", PlaybackState.FINISHED,
                "sound:queue-youarenext"));
        event(new AsteriskEvent.PlaybackChanged(meta(Source.ARI), "someone-elses", "channel:c9", PlaybackState.FINISHED, "x"));
        assertThat(port.announcementsPlayed()).isEqualTo(1);
    }

    @Test
    void givenNoAgentsStaffed_thenTheWaitIsNotAnnounced() {
        assertThat(AsteriskAcdPort.announcement(4, Duration.ZERO)).containsExactly("sound:queue-thereare", "number:4",
                "sound:queue-callswaiting");
        assertThat(AsteriskAcdPort.announcement(1, Duration.ofSeconds(61))).containsExactly("sound:queue-youarenext",
                "sound:queue-holdtime", "number:2", "sound:queue-minutes");
        assertThat(AsteriskAcdPort.announcement(1, Duration.ofSeconds(40))).endsWith("number:1", "sound:queue-minute");
    }

    @Test
    void givenOverflowToAMessage_thenTheCallerLeavesTheBridgeAndContinuesInTheMessageContext() {
        start(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.HangupWithMessage("all-circuits-busy-now")));
        admit("c1");
        asterisk.clear();
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(asterisk.log).containsExactly("setvar c1 CTI_MESSAGE=all-circuits-busy-now",
                "bridge.remove acd-hold-support c1", "continue c1 cti-message,s,1");
        // Its StasisEnd (leaving for the dialplan) is not an abandon.
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), ChannelId.of("c1"), "cti"));
        assertThat(entryChanges).extracting(c -> c.entry().state()).containsExactly(EntryState.WAITING, EntryState.OVERFLOWED);
    }

    @Test
    void givenTheCtisVoicemail_whenAQueueOverflowsToIt_thenTheEntryLeavesTheChannelAndTheBridgeThenTheCallerLeavesAMessage() {
        start(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.ToVoicemail("1000@default")));
        List<String> left = new java.util.ArrayList<>();
        port.sendToVoicemail(r -> left.add(r.channel() + " " + r.tenant() + " " + r.mailbox() + " " + r.origin().encode()
                + " from " + r.caller().number() + " after " + asterisk.log));
        admit("c1");
        asterisk.clear();

        scheduler.advance(Duration.ofSeconds(60));

        assertThat(asterisk.log).containsExactly("setvar c1 CTI_QUEUE_ENTRY=", "bridge.remove acd-hold-support c1");
        assertThat(left).containsExactly("c1 demo 1000@default QUEUE:support from 2001 after "
                + List.of("setvar c1 CTI_QUEUE_ENTRY=", "bridge.remove acd-hold-support c1"));
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), ChannelId.of("c1"), "cti"));
        assertThat(entryChanges).extracting(c -> c.entry().state()).containsExactly(EntryState.WAITING, EntryState.OVERFLOWED);
    }

    @Test
    void givenOverflowToAnotherQueue_thenTheCallerMovesToThatQueuesHoldingBridgeWithItsMusic() {
        start(b -> b.maxWait(Duration.ofSeconds(60), new OverflowTarget.ToQueue(QueueId.of("vip"))));
        admit("c1");
        asterisk.clear();
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(asterisk.log).containsSubsequence("bridge.create acd-hold-vip HOLDING", "bridge.add acd-hold-vip c1",
                "bridge.moh acd-hold-vip jazz");
        assertThat(asterisk.lines("setvar c1 CTI_QUEUE_ENTRY")).singleElement().asString().contains("&q=vip&");
    }

    @Test
    void givenTheAgentsPhones_whenAriComesUp_thenTheirStateIsReadAndFollowed() {
        start();
        asterisk.endpointStates.put("PJSIP/1002", false);
        event(new AsteriskEvent.LinkStateChanged(meta(Source.ARI), LinkState.UP, "up"));
        assertThat(asterisk.log).containsExactly("watch [PJSIP/1001, PJSIP/1002]");
        assertThat(agent("a1").phoneOnline()).isTrue();
        assertThat(agent("a2").phoneOnline()).isFalse();
        run(() -> acd.agentLogin(AgentId.of("a1"), true));
        assertThat(agent("a1").state()).isEqualTo(AgentState.READY);
        event(new AsteriskEvent.DeviceStateChanged(meta(Source.AMI), "PJSIP/1001", DeviceState.UNAVAILABLE));
        assertThat(agent("a1").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a1").reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
        assertThatThrownByReady("a1");
        event(new AsteriskEvent.DeviceStateChanged(meta(Source.AMI), "PJSIP/1001", DeviceState.NOT_INUSE));
        assertThat(agent("a1").phoneOnline()).isTrue();
        run(() -> acd.agentReady(AgentId.of("a1")));
        assertThat(agent("a1").state()).isEqualTo(AgentState.READY);
    }

    private void assertThatThrownByReady(String a) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(() -> acd.agentReady(AgentId.of(a))))
                .hasMessageContaining("not registered");
    }

    @Test
    void givenADirectCallOnAnAgentsPhone_thenTheAgentIsOnOther_butNotForTheAcdsOwnRing() {
        start();
        ready("a1", "a2");
        event(new AsteriskEvent.DeviceStateChanged(meta(Source.AMI), "PJSIP/1002", DeviceState.INUSE));
        assertThat(agent("a2").state()).isEqualTo(AgentState.ON_OTHER);
        admit("c1");
        event(new AsteriskEvent.DeviceStateChanged(meta(Source.AMI), "PJSIP/1001", DeviceState.RINGING));
        assertThat(agent("a1").state()).isEqualTo(AgentState.RESERVED);
        event(new AsteriskEvent.DeviceStateChanged(meta(Source.AMI), "PJSIP/1002", DeviceState.NOT_INUSE));
        assertThat(agent("a2").state()).isEqualTo(AgentState.READY);
    }

    // ---- callback -----------------------------------------------------------------------------------------

    private void dtmf(String channel, char digit) {
        event(new AsteriskEvent.DtmfReceived(meta(Source.ARI), ChannelId.of(channel), digit, 100));
    }

    @Test
    void givenTheCallbackKey_thenTheCallerIsThankedAndLetGo_andWhenAnAgentTakesTheTurnTheCustomerIsDialledIntoTheirBridge() {
        start(b -> b.callbackKey("*"));
        admit("c1");
        dtmf("c1", '5');
        assertThat(call(() -> acd.entryOf(ChannelId.of("c1")))).isPresent();
        asterisk.clear();
        dtmf("c1", '*');
        assertThat(asterisk.log).containsExactly("setvar c1 CTI_MESSAGE=auth-thankyou&vm-goodbye",
                "bridge.remove acd-hold-support c1", "continue c1 cti-message,s,1");
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).extracting(w -> w.entry().caller().value())
                .containsExactly("callback-2001-c1");
        // The caller's own StasisEnd is not an abandon.
        event(new AsteriskEvent.StasisEnded(meta(Source.ARI), ChannelId.of("c1"), "cti"));

        asterisk.clear();
        ready("a1");
        assertThat(asterisk.originates).singleElement().satisfies(o -> {
            assertThat(o.endpoint()).isEqualTo("PJSIP/1001");
            assertThat(o.callerId()).isEqualTo("\"Customer 2001\" <2001>");
        });
        legAnswers("acd-t-1");
        assertThat(asterisk.originates).hasSize(2);
        AsteriskCommandsOriginate dial = new AsteriskCommandsOriginate(asterisk.originates.get(1));
        assertThat(dial.endpoint()).isEqualTo("Local/2001@from-internal/n");
        assertThat(dial.args()).startsWith("callback");
        assertThat(asterisk.log).containsSubsequence("bridge.create acd-mix-acd-t-1 MIXING", "bridge.add acd-mix-acd-t-1 acd-t-1",
                "originate acd-t-cb-2 Local/2001@from-internal/n args=[callback, callback-2001-c1/2] originator=acd-t-1 callerId=null");
        // The agent's leg names no originator: the customer has no channel while waiting for the callback.
        assertThat(asterisk.originates.get(0).originator()).isNull();
        assertThat(agent("a1").state()).isEqualTo(AgentState.ON_CALL);

        event(new AsteriskEvent.StasisStarted(meta(Source.ARI), leg("acd-t-cb-2", ChannelState.UP, Map.of()), "cti",
                List.of("callback", "x")));
        assertThat(asterisk.log).contains("bridge.add acd-mix-acd-t-1 acd-t-cb-2");
        assertThat(events(org.asteriskcti.server.acd.stats.QueueEvent.CallbackDialled.class)).singleElement()
                .satisfies(d -> assertThat(d.outcome()).isEqualTo(org.asteriskcti.server.acd.stats.QueueEvent.CallbackOutcome.ANSWERED));

        asterisk.clear();
        hungUp("acd-t-cb-2", 16); // the customer hangs up
        assertThat(asterisk.log).contains("hangup acd-t-1 NORMAL", "bridge.destroy acd-mix-acd-t-1");
        assertThat(agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
    }

    @Test
    void givenARestart_thenCallbacksStillWaitingInTheStoredLogAreBackInLineAndCalled() {
        start();
        Instant t0 = clock.instant().minusSeconds(300);
        org.asteriskcti.server.domain.TenantId demo = org.asteriskcti.server.domain.TenantId.of("demo");
        // The log of the CTI before: c9 asked for a callback (still waiting), c8's callback was answered.
        log.append(new org.asteriskcti.server.acd.stats.QueueEvent.Entered(t0, QueueId.of("support"), demo,
                EntryId.of("callback-2009-c9/4"), ChannelId.of("callback-2009-c9"), t0.minusSeconds(60), EntryOrigin.CALLBACK, 0));
        log.append(new org.asteriskcti.server.acd.stats.QueueEvent.Entered(t0.plusSeconds(1), QueueId.of("support"), demo,
                EntryId.of("callback-2008-c8/5"), ChannelId.of("callback-2008-c8"), t0.minusSeconds(90), EntryOrigin.CALLBACK, 0));
        log.append(new org.asteriskcti.server.acd.stats.QueueEvent.Answered(t0.plusSeconds(2), QueueId.of("support"),
                EntryId.of("callback-2008-c8/5"), AgentId.of("a2"), Duration.ofSeconds(92)));
        log.append(new org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval(t0.plusSeconds(3), AgentId.of("a1"), demo,
                AgentState.LOGGED_OUT, AgentState.READY, null, org.asteriskcti.server.agent.TransitionCause.LOGIN, Duration.ZERO));
        event(new AsteriskEvent.LinkStateChanged(meta(Source.ARI), LinkState.UP, "up"));
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(), List.of()));
        // a1 is back READY and gets c9's callback: rung with c9's number.
        assertThat(agent("a1").state()).isEqualTo(AgentState.RESERVED);
        assertThat(asterisk.originates).singleElement().satisfies(o -> assertThat(o.callerId()).isEqualTo("<2009>"));
        legAnswers(asterisk.originates.get(0).channelId().value());
        assertThat(asterisk.originates).hasSize(2);
        assertThat(asterisk.originates.get(1).endpoint()).isEqualTo("Local/2009@from-internal/n");
    }

    @Test
    void givenTheCalledBackCustomerIsBusy_thenThatIsRecordedAndTheAgentIsReleased() {
        start(b -> b.callbackKey("#"));
        admit("c1");
        dtmf("c1", '#');
        ready("a1");
        legAnswers("acd-t-1");
        asterisk.clear();
        hungUp("acd-t-cb-2", 17);
        assertThat(events(org.asteriskcti.server.acd.stats.QueueEvent.CallbackDialled.class)).singleElement()
                .satisfies(d -> assertThat(d.outcome()).isEqualTo(org.asteriskcti.server.acd.stats.QueueEvent.CallbackOutcome.BUSY));
        assertThat(asterisk.log).contains("hangup acd-t-1 NORMAL");
        hungUp("acd-t-1", 16);
        assertThat(agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
    }

    @Test
    void givenACallerWithoutANumber_whenTheyPressTheCallbackKey_thenTheyStayInLine() {
        start(b -> b.callbackKey("*"));
        call(() -> port.admit(caller("c1", "anonymous", Map.of()), QueueId.of("support")));
        dtmf("c1", '*');
        assertThat(call(() -> acd.entryOf(ChannelId.of("c1")))).isPresent();
    }

    private record AsteriskCommandsOriginate(String endpoint, List<String> args) {
        AsteriskCommandsOriginate(org.asteriskcti.server.asterisk.AsteriskCommands.Originate o) {
            this(o.endpoint(), o.appArgs());
        }
    }

    private <T extends org.asteriskcti.server.acd.stats.QueueEvent> List<T> events(Class<T> type) {
        return call(() -> log.events().stream().filter(type::isInstance).map(type::cast).toList());
    }

    // ---- restart ------------------------------------------------------------------------------------------

    private static Map<String, String> entryVar(String entry, Instant at, String more) {
        return Map.of(AsteriskAcdPort.ENTRY_VAR, "e=" + entry + "&t=demo&q=support&at=" + at.toEpochMilli() + "&p=0" + more);
    }

    @Test
    void givenARestart_thenWaitingCallersAreRequeuedInTheirOriginalOrder_connectedCallsGivenBack_andHalfMadeOffersHungUp() {
        start();
        Instant t0 = clock.instant().minusSeconds(120);
        ChannelSnapshot later = caller("c-late", "2002", entryVar("c-late%2F7", t0.plusSeconds(30), ""));
        ChannelSnapshot earlier = caller("c-early", "2001", entryVar("c-early%2F3", t0, ""));
        ChannelSnapshot talking = caller("c-talk", "2003", entryVar("c-talk%2F1", t0.minusSeconds(60),
                "&ag=a1&c=" + t0.minusSeconds(50).toEpochMilli()));
        ChannelSnapshot talkLeg = leg("acd-old-1", ChannelState.UP,
                Map.of(AsteriskAcdPort.LEG_VAR, "entry=c-talk%2F1&agent=a1&caller=c-talk"));
        ChannelSnapshot oldCallbackLeg = leg("acd-mx1-cb-9", ChannelState.UP, Map.of());
        ChannelSnapshot ringingLeg = leg("acd-old-2", ChannelState.RINGING,
                Map.of(AsteriskAcdPort.LEG_VAR, "entry=c-early%2F3&agent=a2&caller=c-early"));
        BridgeSnapshot hold = new BridgeSnapshot(BridgeId.of("acd-hold-support"), "holding", "holding_bridge", "Stasis",
                "acd-hold-support", List.of(ChannelId.of("c-late"), ChannelId.of("c-early")));
        BridgeSnapshot mix = new BridgeSnapshot(BridgeId.of("acd-mix-acd-old-1"), "mixing", "simple_bridge", "Stasis",
                "acd-mix-acd-old-1", List.of(ChannelId.of("c-talk"), ChannelId.of("acd-old-1")));

        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(later, talking, talkLeg, ringingLeg, earlier, oldCallbackLeg),
                List.of(hold, mix)));

        assertThat(call(() -> acd.waiting(QueueId.of("support")))).extracting(w -> w.entry().id().value())
                .containsExactly("c-early/3", "c-late/7");
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).extracting(w -> w.entry().arrivedAt())
                .containsExactly(t0, t0.plusSeconds(30));
        assertThat(agent("a1").state()).isEqualTo(AgentState.ON_CALL);
        assertThat(call(() -> acd.entryOf(ChannelId.of("c-talk")))).get()
                .satisfies(e -> assertThat(e.state()).isEqualTo(EntryState.CONNECTED));
        assertThat(asterisk.log).contains("hangup acd-old-2 NORMAL", "hangup acd-mx1-cb-9 NORMAL");
        assertThat(asterisk.lines("bridge.add")).isEmpty(); // still held, music and all
        assertThat(port.restoredWaiting()).isEqualTo(2);
        assertThat(port.restoredConnected()).isEqualTo(1);

        // The first agent to be ready gets the earliest caller.
        run(() -> acd.phoneOnline(AgentId.of("a2")));
        run(() -> acd.agentLogin(AgentId.of("a2"), true));
        assertThat(asterisk.originates).singleElement().satisfies(o -> assertThat(o.originator()).isEqualTo(ChannelId.of("c-early")));

        // The restored call ends normally: the agent wraps up.
        hungUp("c-talk", 16);
        assertThat(agent("a1").state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(asterisk.log).contains("hangup acd-old-1 NORMAL", "bridge.destroy acd-mix-acd-old-1");
    }

    @Test
    void givenARestart_whenThePhonesAreKnown_thenAgentsAreBackInTheStateTheStoredLogLastShows() {
        start();
        Instant before = clock.instant().minusSeconds(600);
        org.asteriskcti.server.domain.TenantId demo = org.asteriskcti.server.domain.TenantId.of("demo");
        log.append(new org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval(before, AgentId.of("a1"), demo,
                AgentState.LOGGED_OUT, AgentState.READY, null, org.asteriskcti.server.agent.TransitionCause.LOGIN, Duration.ZERO));
        log.append(new org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval(before.plusSeconds(1), AgentId.of("a2"), demo,
                AgentState.LOGGED_OUT, AgentState.NOT_READY, NotReadyReason.of("break"),
                org.asteriskcti.server.agent.TransitionCause.AGENT_REQUEST, Duration.ZERO));
        for (int i = 0; i < 3; i++) {
            log.append(new org.asteriskcti.server.acd.stats.QueueEvent.Completed(before.plusSeconds(10 + i), QueueId.of("support"),
                    EntryId.of("c" + i + "/1"), AgentId.of("a1"), Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO));
        }
        event(new AsteriskEvent.LinkStateChanged(meta(Source.ARI), LinkState.UP, "up"));
        assertThat(agent("a1").state()).as("not before the calls in progress are restored").isEqualTo(AgentState.LOGGED_OUT);
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(), List.of()));
        assertThat(agent("a1").state()).isEqualTo(AgentState.READY);
        assertThat(agent("a2").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("a2").reason()).isEqualTo(NotReadyReason.of("break"));
        assertThat(agent("a1").callsHandledToday()).as("least-calls stays fair").isEqualTo(3);
        assertThat(agent("a2").callsHandledToday()).isZero();
        // Once only: a later reconnect changes nothing.
        run(() -> acd.agentLogout(AgentId.of("a1")));
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(), List.of()));
        assertThat(agent("a1").state()).isEqualTo(AgentState.LOGGED_OUT);
    }

    @Test
    void givenTheCtiDiedBetweenTheAgentsAnswerAndTheBridging_thenTheCallIsConnectedAfterTheRestart() {
        start();
        Instant t0 = clock.instant().minusSeconds(30);
        ChannelSnapshot waiting = caller("c1", "2001", entryVar("c1%2F1", t0, "")); // not yet marked connected
        ChannelSnapshot answered = new ChannelSnapshot(ChannelId.of("acd-old-1"), "PJSIP/1001-00000009", ChannelState.UP,
                Party.EMPTY, Party.EMPTY, null, "", "", "", "en", t0.plusSeconds(5),
                Map.of(AsteriskAcdPort.LEG_VAR, "entry=c1%2F1&agent=a1&caller=c1"));
        BridgeSnapshot hold = new BridgeSnapshot(BridgeId.of("acd-hold-support"), "holding", "holding_bridge", "Stasis",
                "acd-hold-support", List.of(ChannelId.of("c1")));
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(waiting, answered), List.of(hold)));
        assertThat(agent("a1").state()).isEqualTo(AgentState.ON_CALL);
        assertThat(asterisk.log).containsSubsequence("bridge.create acd-mix-acd-old-1 MIXING", "bridge.add acd-mix-acd-old-1 c1",
                "bridge.add acd-mix-acd-old-1 acd-old-1");
        assertThat(asterisk.lines("setvar c1 CTI_QUEUE_ENTRY")).singleElement().asString()
                .contains("&ag=a1&c=" + t0.plusSeconds(5).toEpochMilli());
        assertThat(asterisk.lines("hangup")).isEmpty();
    }

    @Test
    void givenARestart_whenACustomerWasInThePostCallSurvey_thenTheAcdLeavesThemToTheSurvey() {
        start();
        Instant t0 = clock.instant().minusSeconds(120);
        Map<String, String> vars = new java.util.LinkedHashMap<>(entryVar("c-sv%2F1", t0,
                "&ag=a1&c=" + t0.plusSeconds(10).toEpochMilli()));
        vars.put("CTI_SURVEY", "tenant=demo&queue=support&entry=c-sv%2F1&agent=a1");
        ChannelSnapshot surveyed = caller("c-sv", "2001", vars);
        // Without the survey's mark the same channel is a call whose agent is gone: hung up (see below).
        ChannelSnapshot over = caller("c-over", "2002", entryVar("c-over%2F1", t0, "&ag=a2&c=" + t0.toEpochMilli()));

        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(surveyed, over), List.of()));

        assertThat(asterisk.lines("hangup")).containsExactly("hangup c-over NORMAL");
        assertThat(call(() -> acd.entryOf(ChannelId.of("c-sv")))).isEmpty();
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).isEmpty();
    }

    @Test
    void givenAReconnect_thenCallersWhoHungUpWhileWeWereAwayAreAbandoned() {
        start();
        admit("c1");
        admit("c2");
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(caller("c2", "2002", Map.of())), List.of()));
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).extracting(w -> w.entry().caller().value())
                .containsExactly("c2");
    }

    @Test
    void givenAnUnreadableEntryOnAChannel_thenThatCallerGoesToTheFallbackAndTheOthersAreRestored() {
        start();
        ChannelSnapshot bad = caller("c-bad", "2009", Map.of(AsteriskAcdPort.ENTRY_VAR, "e=x&t=demo&q=support&at=yesterday"));
        ChannelSnapshot good = caller("c-good", "2001", entryVar("c-good%2F1", clock.instant(), ""));
        event(new AsteriskEvent.ResyncSnapshot(meta(Source.ARI), List.of(bad, good), List.of()));
        assertThat(asterisk.log).contains("continue c-bad cti-message,s,1");
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).hasSize(1);
    }

    @Test
    void entryRecordsSurviveTheirEncoding() {
        EntryRecord r = new EntryRecord(EntryId.of("1732.5/3&x=y"),
                org.asteriskcti.server.domain.TenantId.of("demo"), QueueId.of("support"), Instant.ofEpochMilli(1732352000123L),
                5, "fr", Map.of("billing", 4, "sales", 7), AgentId.of("a1"), Instant.ofEpochMilli(1732352010000L),
                new ScreenPop("+33 611&22=33", "Zoë", java.util.Optional.of("Île-de-France"), java.util.Optional.of("fr"),
                        List.of(new ScreenPop.Choice("lang", "2"), new ScreenPop.Choice("menu", "#")),
                        Map.of("lookup.tier", "gold & more", "account", "12345")));
        EntryRecord back = EntryRecord.decode(r.encode());
        assertThat(back.screenPop).isEqualTo(r.screenPop);
        assertThat(back.entry).isEqualTo(r.entry);
        assertThat(back.arrivedAt).isEqualTo(r.arrivedAt);
        assertThat(back.priority).isEqualTo(5);
        assertThat(back.language).isEqualTo("fr");
        assertThat(back.skills).isEqualTo(Map.of("billing", 4, "sales", 7));
        assertThat(back.agent).isEqualTo(AgentId.of("a1"));
        assertThat(back.connectedAt).isEqualTo(r.connectedAt);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EntryRecord.decode("e=x&t=demo&at=1"))
                .hasMessageContaining("'q' missing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EntryRecord.decode("e=x&t=demo&q=s&at=1&pop=ch%3Dmenu"))
                .hasMessage("bad screen pop choice 'menu' in e=x&t=demo&q=s&at=1&pop=ch%3Dmenu");
    }

    @Test
    void givenAnIvrCallerWithAScreenPop_whenQueuedOfferedAndTheCtiRestarts_thenThePopTravelsAndSurvives() {
        start();
        ScreenPop pop = new ScreenPop("2001", "Ann", java.util.Optional.of("north"), java.util.Optional.of("fr"),
                List.of(new ScreenPop.Choice("menu", "1")), Map.of("account", "42"));
        ChannelSnapshot ch = caller("c1", "2001", Map.of());
        EntryId id = call(() -> port.admit(ch, QueueId.of("support"), 0, java.util.Optional.of("fr"), Map.of("billing", 2), pop));
        assertThat(call(() -> acd.waiting(QueueId.of("support")))).singleElement()
                .satisfies(w -> assertThat(w.entry().screenPop()).isEqualTo(pop));
        String kept = asterisk.lines("setvar c1 " + AsteriskAcdPort.ENTRY_VAR + "=").get(0)
                .substring(("setvar c1 " + AsteriskAcdPort.ENTRY_VAR + "=").length());
        EntryRecord rec = EntryRecord.decode(kept);
        assertThat(rec.entry).isEqualTo(id);
        assertThat(rec.screenPop).isEqualTo(pop);
        assertThat(rec.skills).as("the IVR's skills are kept for a restart too").isEqualTo(Map.of("billing", 2));
    }

    @Test
    void givenACallerForOneAgent_whenQueued_thenTheEntryAndTheRecordOnTheChannelNameThatAgentOnly() {
        start();
        ChannelSnapshot ch = caller("c1", "2001", Map.of());
        call(() -> port.admit(ch, QueueId.of("support"), 0, java.util.Optional.empty(), Map.of(), ScreenPop.caller("2001", ""),
                java.util.Optional.of(AgentId.of("a1"))));
        String kept = asterisk.lines("setvar c1 " + AsteriskAcdPort.ENTRY_VAR + "=").get(0)
                .substring(("setvar c1 " + AsteriskAcdPort.ENTRY_VAR + "=").length());
        assertThat(EntryRecord.decode(kept).onlyAgent).isEqualTo(AgentId.of("a1"));
        assertThat(EntryRecord.decode(kept).request(ChannelId.of("c1")).agent()).contains(AgentId.of("a1"));
    }
}
