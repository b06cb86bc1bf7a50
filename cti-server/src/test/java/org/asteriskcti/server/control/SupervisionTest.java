package org.asteriskcti.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.config.ConfigLoader;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.testsupport.FakeAsteriskCommands;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supervision's state machine and what it asks of Asterisk, against a recording fake on a manual loop,
 * beside a real {@link CallControl}: every way in (listen, whisper, barge; the user's phone or one named),
 * every switch, every way out (stop, no answer, the supervisor or the agent hanging up, the call ending,
 * Asterisk refusing), and who may not (another tenant's supervisor). Two tenants: demo (agents 1001, 1002,
 * 1004; supervisor "supervisor" with phone PJSIP/1003, admin "admin" without one) and other (agent 3001,
 * supervisor "sup-b" with phone PJSIP/3002).
 */
class SupervisionTest {

    static final String HASH = "\"$argon2id$v=19$m=19456,t=2,p=1$vYKIDG0sQ3F2OnHaCRdToA$wQzAzimVFohEEiVAXUUrjB6nggH3Q6PZAdFk8+lVt8Y\"";
    static final String CONFIG = """
            tenants:
              - {id: demo, endpoints: ["1001", "1002", "1003", "1004"], dids: ["700"]}
              - {id: other, endpoints: ["3001", "3002"], dids: ["900"]}
            agents:
              - {id: agent-1001, tenant: demo, endpoint: PJSIP/1001}
              - {id: agent-1002, tenant: demo, endpoint: PJSIP/1002}
              - {id: agent-1004, tenant: demo, endpoint: PJSIP/1004}
              - {id: agent-3001, tenant: other, endpoint: PJSIP/3001}
            users:
              - {username: supervisor, tenant: demo, role: supervisor, endpoint: PJSIP/1003, password-hash: %1$s}
              - {username: admin, tenant: demo, role: admin, password-hash: %1$s}
              - {username: sup-b, tenant: other, role: supervisor, endpoint: PJSIP/3002, password-hash: %1$s}
              - {username: demo1001, tenant: demo, role: agent, agent: agent-1001, password-hash: %1$s}
            """.formatted(HASH);

    private static final TenantId DEMO = TenantId.of("demo");
    private static final TenantId OTHER = TenantId.of("other");
    private static final AgentId A1 = AgentId.of("agent-1001");
    private static final AgentId A2 = AgentId.of("agent-1002");
    private static final Supervision.Supervisor SUP = new Supervision.Supervisor(UserId.of("supervisor"), DEMO, null);
    private static final Supervision.Supervisor SUP_B = new Supervision.Supervisor(UserId.of("sup-b"), OTHER, null);
    private static final String PHONE = "mon-t-1-phone";
    private static final String BRIDGE = "sup-mon-t-1";

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DomainLoop loop = new DomainLoop(scheduler, clock);
    private final FakeAsteriskCommands asterisk = new FakeAsteriskCommands();
    /** Every monitor change as "STATE MODE". */
    private final List<String> updates = new ArrayList<>();
    private CallControl control;
    private Supervision supervision;

    @BeforeEach
    void setUp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cti.yaml");
        Files.writeString(file, CONFIG);
        DialPlan plan = new DialPlan(ConfigLoader.load(file, Map.of()));
        control = new CallControl(loop, asterisk, plan, c -> { }, (customer, party, tenant, queue, arrival) -> { },
                "t", Duration.ofSeconds(30), "default");
        supervision = new Supervision(loop, asterisk, control, plan, s -> updates.add(s.state() + " " + s.mode()), "t",
                Duration.ofSeconds(30));
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

    /** Runs a command and returns its outcome, failing the test if it was refused. */
    private MonitorSession cmd(Supplier<CompletableFuture<MonitorSession>> command) {
        CompletableFuture<MonitorSession> f = call(command);
        scheduler.runAll();
        return f.join();
    }

    /** Runs a command that must be refused (at once or by its outcome) and returns why. */
    private ControlException refused(Supplier<CompletableFuture<MonitorSession>> command) {
        try {
            CompletableFuture<MonitorSession> f = call(command);
            scheduler.runAll();
            f.join();
        } catch (ControlException e) {
            return e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ControlException c) {
                return c;
            }
            throw e;
        }
        return fail("the command was not refused");
    }

    private MonitorSession listen(Conversation c) {
        return cmd(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, null));
    }

    private MonitorSession mode(Conversation c, MonitorMode mode) {
        return cmd(() -> supervision.monitor(SUP, c, null, mode, null));
    }

    /** As the server does: call control first, then supervision. */
    private void event(AsteriskEvent e) {
        call(() -> {
            control.onEvent(e);
            supervision.onEvent(e);
            return null;
        });
    }

    private EventMeta meta() {
        return new EventMeta(Source.ARI, clock.instant(), clock.instant(), 0);
    }

    private static ChannelSnapshot channel(String id) {
        return new ChannelSnapshot(ChannelId.of(id), "PJSIP/x-1", ChannelState.UP, Party.EMPTY, Party.EMPTY, null, "", "", "",
                "en", null);
    }

    private void started(String channel, String... args) {
        event(new AsteriskEvent.StasisStarted(meta(), channel(channel), "cti", List.of(args)));
    }

    private void phoneAnswers() {
        started(PHONE, Supervision.PHONE_ARG, "mon-t-1");
    }

    private void snoopUp(int n) {
        started("mon-t-1-snoop-" + n, Supervision.SNOOP_ARG, "mon-t-1");
    }

    private void hungUp(String channel, int cause) {
        event(new AsteriskEvent.ChannelHungUp(meta(), ChannelId.of(channel), cause, ""));
    }

    /** An ACD call of tenant demo: customer c1 and agent-1001's leg l1 in acd-mix-l1. */
    private Conversation acdCall() {
        return acdCall(DEMO, "l1", A1, "c1");
    }

    private Conversation acdCall(TenantId tenant, String leg, AgentId agent, String customer) {
        Conversation c = call(() -> control.adoptAcd(BridgeId.of("acd-mix-" + leg), tenant, QueueId.of("support"),
                org.asteriskcti.server.acd.EntryId.of(customer + "/1"), Instant.parse("2026-11-23T08:59:00Z"), ChannelId.of(customer), new Party("2001", "Customer One"),
                ChannelId.of(leg), agent, CompletableFuture.completedFuture(null)));
        asterisk.clear(); // the conversation's marks on its channels (CallControlTest covers them)
        return c;
    }

    /** A listening session on the ACD call, up: the phone answered, the snoop in the bridge. */
    private MonitorSession listening(Conversation c) {
        MonitorSession s = listen(c);
        phoneAnswers();
        snoopUp(1);
        asterisk.clear();
        updates.clear();
        return s;
    }

    private static Participant party(Conversation c, String channel) {
        return c.party(ChannelId.of(channel)).orElseThrow();
    }

    // ---- starting -----------------------------------------------------------------------------------------

    @Nested
    class Start {

        @Test
        void givenACall_whenASupervisorListens_thenTheirPhoneRings_thenOnAnswerABridgeAndASnoopOnTheAgentsLeg() {
            Conversation c = acdCall();

            MonitorSession s = listen(c);

            assertThat(asterisk.log).containsExactly("originate mon-t-1-phone PJSIP/1003 args=[sup, mon-t-1] originator=null"
                    + " callerId=\"Monitor agent-1001\" <1001>");
            assertThat(asterisk.originates.get(0).variables()).containsEntry(Supervision.SESSION_VAR, "mon-t-1");
            assertThat(s.state()).isEqualTo(MonitorState.RINGING_SUPERVISOR);
            assertThat(s.agentLeg()).isEqualTo(ChannelId.of("l1"));

            phoneAnswers();
            assertThat(asterisk.log).containsSubsequence("bridge.create " + BRIDGE + " MIXING", "bridge.add " + BRIDGE + " " + PHONE,
                    "snoop l1 mon-t-1-snoop-1 LISTEN args=[snoop, mon-t-1]");
            assertThat(s.state()).isEqualTo(MonitorState.CONNECTING);

            snoopUp(1);
            assertThat(asterisk.log).endsWith("bridge.add " + BRIDGE + " mon-t-1-snoop-1");
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(s.mode()).isEqualTo(MonitorMode.LISTEN);
            assertThat(updates).containsExactly("RINGING_SUPERVISOR LISTEN", "CONNECTING LISTEN", "ACTIVE LISTEN");
        }

        @Test
        void givenAListeningSupervisor_thenTheyAreNoPartyOfTheCall_andTheCallsPartiesDoNotChange() {
            Conversation c = acdCall();
            long before = c.version();

            listening(c);

            assertThat(c.parties()).extracting(Participant::role).containsExactly(Role.CUSTOMER, Role.AGENT);
            assertThat(c.version()).isEqualTo(before);
        }

        @Test
        void givenWhisper_thenTheSnoopWhispersToTheAgent() {
            Conversation c = acdCall();

            mode(c, MonitorMode.WHISPER);
            phoneAnswers();

            assertThat(asterisk.lines("snoop")).containsExactly("snoop l1 mon-t-1-snoop-1 WHISPER args=[snoop, mon-t-1]");
        }

        @Test
        void givenBarge_thenNoSnoop_theirPhoneJoinsTheCallsBridgeAsASupervisorParty() {
            Conversation c = acdCall();

            MonitorSession s = mode(c, MonitorMode.BARGE);
            phoneAnswers();

            assertThat(asterisk.lines("snoop")).isEmpty();
            assertThat(asterisk.log).containsSubsequence("bridge.add " + BRIDGE + " " + PHONE, "bridge.add acd-mix-l1 " + PHONE);
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(party(c, PHONE).role()).isEqualTo(Role.SUPERVISOR);
            assertThat(party(c, PHONE).state()).isEqualTo(PartyState.CONNECTED);
            assertThat(party(c, PHONE).name()).isEqualTo("supervisor");
        }

        @Test
        void givenAPhoneNamedInTheCommand_thenThatPhoneIsRung_asADeviceOrAnExtension() {
            Conversation c = acdCall();

            cmd(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, "1002"));

            assertThat(asterisk.originates.get(0).endpoint()).isEqualTo("PJSIP/1002");
        }

        @Test
        void givenAPhoneNotOfTheTenant_thenRefusedNamingIt() {
            Conversation c = acdCall();

            ControlException e = refused(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, "PJSIP/3001"));

            assertThat(e.errorId()).isEqualTo(ControlException.INVALID_TARGET);
            assertThat(e.getMessage()).contains("'PJSIP/3001' is not one of your tenant's phones");
            assertThat(asterisk.log).isEmpty();
        }

        @Test
        void givenAUserWithoutAPhone_whenNoneIsNamed_thenRefusedSayingHowToGiveOne() {
            Conversation c = acdCall();
            Supervision.Supervisor admin = new Supervision.Supervisor(UserId.of("admin"), DEMO, null);

            ControlException e = refused(() -> supervision.monitor(admin, c, null, MonitorMode.LISTEN, null));

            assertThat(e.errorId()).isEqualTo(ControlException.NO_PHONE);
            assertThat(e.getMessage()).contains("users[].endpoint").contains("'endpoint'");
        }

        @Test
        void givenAnotherTenantsSupervisor_thenTheCallIsRefusedExactlyLikeAnUnknownOne() {
            Conversation c = acdCall();

            ControlException e = refused(() -> supervision.monitor(SUP_B, c, null, MonitorMode.LISTEN, null));

            assertThat(e.errorId()).isEqualTo(ControlException.UNKNOWN_CALL);
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("no call '" + c.id() + "'");
            assertThat(asterisk.log).isEmpty();
        }

        @Test
        void givenTheirOwnTenantsCall_thenTheOtherTenantsSupervisorMayListen() {
            Conversation c = acdCall(OTHER, "l9", AgentId.of("agent-3001"), "c9");

            MonitorSession s = cmd(() -> supervision.monitor(SUP_B, c, null, MonitorMode.LISTEN, null));

            assertThat(s.endpoint()).isEqualTo("PJSIP/3002");
        }

        @Test
        void givenTheSupervisorsOwnCall_thenRefused() {
            Conversation c = acdCall();
            Supervision.Supervisor self = new Supervision.Supervisor(UserId.of("supervisor"), DEMO, A1);

            assertThat(refused(() -> supervision.monitor(self, c, null, MonitorMode.LISTEN, null)).getMessage())
                    .contains("your own call");
        }

        @Test
        void givenTheSupervisorsPhoneIsTheAgentsPhone_thenRefused() {
            Conversation c = acdCall(DEMO, "l4", AgentId.of("agent-1004"), "c4");

            ControlException e = refused(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, "PJSIP/1004"));

            assertThat(e.errorId()).isEqualTo(ControlException.NOT_POSSIBLE);
            assertThat(e.getMessage()).contains("PJSIP/1004 is agent agent-1004's phone");
        }

        @Test
        void givenAnAgentNotOnTheCall_thenRefusedAsAnUnknownParty() {
            Conversation c = acdCall();

            ControlException e = refused(() -> supervision.monitor(SUP, c, A2, MonitorMode.LISTEN, null));

            assertThat(e.errorId()).isEqualTo(ControlException.UNKNOWN_PARTY);
        }

        @Test
        void givenACallWithTwoAgents_thenTheAgentMustBeNamed_andTheNamedOneIsSnoopedOn() {
            Conversation c = acdCall();
            call(() -> control.addParty(A1, "1002"));
            started("ctl-t-1", CallControl.APP_ARG, c.id());

            assertThat(refused(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, null)).getMessage())
                    .contains("several agents (agent-1001, agent-1002)");
            cmd(() -> supervision.monitor(SUP, c, A2, MonitorMode.LISTEN, null));
            phoneAnswers();
            assertThat(asterisk.lines("snoop")).containsExactly("snoop ctl-t-1 mon-t-1-snoop-1 LISTEN args=[snoop, mon-t-1]");
        }

        @Test
        void givenAnAgentWhosePhoneStillRings_thenRefusedUntilTheyAnswer() {
            Conversation c = call(() -> control.dial(DEMO, A1, "2002")).join();

            assertThat(refused(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, null)).getMessage())
                    .contains("agent-1001 has not answered yet");
        }

        @Test
        void givenAnEndedCall_thenRefusedAsUnknown() {
            Conversation c = acdCall();
            hungUp("c1", 16);

            assertThat(refused(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, null)).errorId())
                    .isEqualTo(ControlException.UNKNOWN_CALL);
        }

        @Test
        void givenASupervisorMonitoringACall_whenTheyAskForAnotherCall_thenRefusedNamingTheRunningOne() {
            Conversation c = acdCall();
            Conversation other = acdCall(DEMO, "l2", A2, "c2");
            listen(c);

            ControlException e = refused(() -> supervision.monitor(SUP, other, null, MonitorMode.LISTEN, null));

            assertThat(e.errorId()).isEqualTo(ControlException.MONITOR_IN_PROGRESS);
            assertThat(e.details()).containsEntry("call", c.id());
        }

        @Test
        void givenTwoSupervisors_thenEachHasASessionOfTheirOwnOnTheSameCall() {
            Conversation c = acdCall();
            Supervision.Supervisor admin = new Supervision.Supervisor(UserId.of("admin"), DEMO, null);

            MonitorSession a = listen(c);
            MonitorSession b = cmd(() -> supervision.monitor(admin, c, null, MonitorMode.WHISPER, "1002"));

            assertThat(a.id()).isNotEqualTo(b.id());
            assertThat(call(() -> supervision.all(DEMO))).hasSize(2);
        }

        @Test
        void givenAsteriskRefusesToRingThePhone_thenTheCommandFailsAndTheSessionIsGone() {
            asterisk.failWhen(line -> line.startsWith("originate")
                    ? new AriException(422, AriException.Kind.UNPROCESSABLE, "Allocation failed", "POST", "/channels", null) : null);
            Conversation c = acdCall();

            ControlException e = refused(() -> supervision.monitor(SUP, c, null, MonitorMode.LISTEN, null));

            assertThat(e.errorId()).isEqualTo(ControlException.ASTERISK_FAILED);
            assertThat(e.getMessage()).contains("could not ring PJSIP/1003");
            assertThat(call(() -> supervision.of(SUP.user()))).isEmpty();
            assertThat(updates).last().isEqualTo("ENDED LISTEN");
        }
    }

    // ---- switching ----------------------------------------------------------------------------------------

    @Nested
    class Switching {

        @Test
        void givenListening_whenWhisper_thenANewWhisperingSnoopJoinsBeforeTheOldOneIsHungUp() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            MonitorSession same = mode(c, MonitorMode.WHISPER);

            assertThat(same).isSameAs(s);
            assertThat(asterisk.log).containsExactly("snoop l1 mon-t-1-snoop-2 WHISPER args=[snoop, mon-t-1]");
            assertThat(s.state()).isEqualTo(MonitorState.SWITCHING);
            snoopUp(2);
            assertThat(asterisk.log).containsExactly("snoop l1 mon-t-1-snoop-2 WHISPER args=[snoop, mon-t-1]",
                    "bridge.add " + BRIDGE + " mon-t-1-snoop-2", "hangup mon-t-1-snoop-1 NORMAL");
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(s.mode()).isEqualTo(MonitorMode.WHISPER);
            assertThat(updates).containsExactly("SWITCHING WHISPER", "ACTIVE WHISPER");
        }

        @Test
        void givenListenWhisperBargeListen_thenEachStepMovesThePhoneOrTheSnoop_andTheSessionStaysOne() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            mode(c, MonitorMode.WHISPER);
            snoopUp(2);
            asterisk.clear();

            mode(c, MonitorMode.BARGE);
            assertThat(asterisk.log).containsExactly("bridge.add acd-mix-l1 " + PHONE, "hangup mon-t-1-snoop-2 NORMAL");
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(party(c, PHONE).state()).isEqualTo(PartyState.CONNECTED);
            asterisk.clear();

            mode(c, MonitorMode.LISTEN);
            assertThat(s.state()).isEqualTo(MonitorState.SWITCHING);
            assertThat(party(c, PHONE).state()).as("in the call until the snoop is up").isEqualTo(PartyState.CONNECTED);
            snoopUp(3);
            assertThat(asterisk.log).containsExactly("snoop l1 mon-t-1-snoop-3 LISTEN args=[snoop, mon-t-1]",
                    "bridge.add " + BRIDGE + " mon-t-1-snoop-3", "bridge.add " + BRIDGE + " " + PHONE);
            assertThat(party(c, PHONE).state()).isEqualTo(PartyState.GONE);
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(s.mode()).isEqualTo(MonitorMode.LISTEN);
            assertThat(call(() -> supervision.all(DEMO))).containsExactly(s);
            assertThat(updates).containsExactly("SWITCHING WHISPER", "ACTIVE WHISPER", "SWITCHING BARGE", "ACTIVE BARGE",
                    "SWITCHING LISTEN", "ACTIVE LISTEN");
        }

        @Test
        void givenBargedAgain_thenThePhoneIsOneSupervisorPartyAgain() {
            Conversation c = acdCall();
            listening(c);
            mode(c, MonitorMode.BARGE);
            mode(c, MonitorMode.LISTEN);
            snoopUp(2);

            mode(c, MonitorMode.BARGE);

            assertThat(c.active()).extracting(Participant::role).containsExactly(Role.CUSTOMER, Role.AGENT, Role.SUPERVISOR);
        }

        @Test
        void givenABargingSupervisorMutedAsAParty_whenTheyGoBackToWhisper_thenTheirPhoneIsUnmuted() {
            Conversation c = acdCall();
            listening(c);
            mode(c, MonitorMode.BARGE);
            call(() -> control.muteParticipant(c, ChannelId.of(PHONE), true));
            scheduler.runAll();
            asterisk.clear();

            mode(c, MonitorMode.WHISPER);
            snoopUp(2);

            assertThat(asterisk.log).contains("unmute " + PHONE);
        }

        @Test
        void givenTheSameModeAgain_thenNothingIsAskedOfAsterisk() {
            Conversation c = acdCall();
            listening(c);

            mode(c, MonitorMode.LISTEN);

            assertThat(asterisk.log).isEmpty();
            assertThat(updates).isEmpty();
        }

        @Test
        void givenTheSupervisorsPhoneStillRings_whenTheyAskForBarge_thenTheyBargeStraightInWhenTheyAnswer() {
            Conversation c = acdCall();
            MonitorSession s = listen(c);

            mode(c, MonitorMode.BARGE);
            assertThat(s.state()).isEqualTo(MonitorState.RINGING_SUPERVISOR);
            phoneAnswers();

            assertThat(asterisk.lines("snoop")).isEmpty();
            assertThat(asterisk.log).contains("bridge.add acd-mix-l1 " + PHONE);
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
        }

        @Test
        void givenASwitchUnderWay_whenAnotherModeIsAsked_thenItFollowsOnceTheFirstIsUp() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            mode(c, MonitorMode.WHISPER);
            mode(c, MonitorMode.BARGE);
            assertThat(asterisk.log).containsExactly("snoop l1 mon-t-1-snoop-2 WHISPER args=[snoop, mon-t-1]");

            snoopUp(2);

            assertThat(asterisk.log).containsExactly("snoop l1 mon-t-1-snoop-2 WHISPER args=[snoop, mon-t-1]",
                    "bridge.add " + BRIDGE + " mon-t-1-snoop-2", "hangup mon-t-1-snoop-1 NORMAL",
                    "bridge.add acd-mix-l1 " + PHONE, "hangup mon-t-1-snoop-2 NORMAL");
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(s.mode()).isEqualTo(MonitorMode.BARGE);
        }

        @Test
        void givenAsteriskRefusesTheNewSnoop_thenTheCommandFails_andTheSessionStaysInTheOldMode() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);
            asterisk.failWhen(line -> line.startsWith("snoop")
                    ? new AriException(500, AriException.Kind.SERVER_ERROR, "Allocation failed", "POST", "/channels/l1/snoop", null) : null);

            ControlException e = refused(() -> supervision.monitor(SUP, c, null, MonitorMode.WHISPER, null));

            assertThat(e.errorId()).isEqualTo(ControlException.ASTERISK_FAILED);
            assertThat(e.getMessage()).contains("could not let you whisper to agent agent-1001").contains("Allocation failed");
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(s.mode()).isEqualTo(MonitorMode.LISTEN);
            assertThat(asterisk.lines("hangup")).isEmpty();
            assertThat(updates).containsExactly("SWITCHING WHISPER", "ACTIVE LISTEN");
        }

        @Test
        void givenAsteriskRefusesToMoveThePhoneIntoTheCall_thenTheCommandFails_andTheSupervisorKeepsListening() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);
            asterisk.failWhen(line -> line.startsWith("bridge.add acd-mix-l1")
                    ? new AriException(422, AriException.Kind.UNPROCESSABLE, "Channel not in Stasis", "POST", "/bridges", null) : null);

            ControlException e = refused(() -> supervision.monitor(SUP, c, null, MonitorMode.BARGE, null));

            assertThat(e.getMessage()).contains("could not bring you into call");
            assertThat(s.mode()).isEqualTo(MonitorMode.LISTEN);
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(c.party(ChannelId.of(PHONE))).isEmpty();
            assertThat(asterisk.lines("hangup")).isEmpty();
        }
    }

    // ---- ending -------------------------------------------------------------------------------------------

    @Nested
    class End {

        @Test
        void givenAListeningSupervisor_whenTheyStop_thenPhoneAndSnoopAreHungUpAndTheBridgeDestroyed() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            MonitorSession after = cmd(() -> supervision.stop(SUP.user(), null));

            assertThat(after.state()).isEqualTo(MonitorState.ENDED);
            assertThat(after.reason()).isEqualTo("stopped by supervisor");
            assertThat(asterisk.log).containsExactly("hangup " + PHONE + " NORMAL", "hangup mon-t-1-snoop-1 NORMAL",
                    "bridge.destroy " + BRIDGE);
            assertThat(call(() -> supervision.of(SUP.user()))).isEmpty();
            assertThat(s.endedAt()).isNotNull();
            assertThat(updates).containsExactly("ENDED LISTEN");
            assertThat(c.ended()).isFalse();
        }

        @Test
        void givenABargingSupervisor_whenTheyStop_thenTheyLeaveTheCall_andTheCallGoesOn() {
            Conversation c = acdCall();
            listening(c);
            mode(c, MonitorMode.BARGE);
            asterisk.clear();

            cmd(() -> supervision.stop(SUP.user(), c.id()));
            hungUp(PHONE, 16);

            assertThat(party(c, PHONE).state()).isEqualTo(PartyState.GONE);
            assertThat(asterisk.log).containsExactly("hangup " + PHONE + " NORMAL", "bridge.destroy " + BRIDGE);
            assertThat(c.ended()).isFalse();
            assertThat(c.active()).extracting(Participant::role).containsExactly(Role.CUSTOMER, Role.AGENT);
        }

        @Test
        void givenNoSession_whenStop_thenRefusedWithMonitorNone() {
            Conversation c = acdCall();

            assertThat(refused(() -> supervision.stop(SUP.user(), null)).errorId()).isEqualTo(ControlException.MONITOR_NONE);
            listen(c);
            assertThat(refused(() -> supervision.stop(SUP.user(), "call-x")).errorId()).isEqualTo(ControlException.MONITOR_NONE);
        }

        @Test
        void givenTheSupervisorDoesNotAnswer_thenTheSessionEndsSayingSo_withNothingToCleanUp() {
            Conversation c = acdCall();
            MonitorSession s = listen(c);
            asterisk.clear();

            hungUp(PHONE, 19);

            assertThat(s.state()).isEqualTo(MonitorState.ENDED);
            assertThat(s.reason()).isEqualTo("the supervisor's phone PJSIP/1003: no answer");
            assertThat(asterisk.log).isEmpty();
            assertThat(updates).containsExactly("RINGING_SUPERVISOR LISTEN", "ENDED LISTEN");
        }

        @Test
        void givenTheSupervisorsPhoneIsBusy_thenTheSessionEndsSayingSo() {
            Conversation c = acdCall();
            MonitorSession s = listen(c);

            hungUp(PHONE, 17);

            assertThat(s.reason()).isEqualTo("the supervisor's phone PJSIP/1003: busy");
        }

        @Test
        void givenTheSupervisorHangsUp_thenTheSnoopIsHungUpAndTheBridgeDestroyed() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            hungUp(PHONE, 16);

            assertThat(s.reason()).isEqualTo("the supervisor hung up");
            assertThat(asterisk.log).containsExactly("hangup mon-t-1-snoop-1 NORMAL", "bridge.destroy " + BRIDGE);
            assertThat(c.ended()).isFalse();
        }

        @Test
        void givenABargingSupervisorHangsUp_thenTheCallGoesOnWithoutThem() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);
            mode(c, MonitorMode.BARGE);

            hungUp(PHONE, 16);

            assertThat(s.ended()).isTrue();
            assertThat(c.ended()).isFalse();
            assertThat(party(c, PHONE).state()).isEqualTo(PartyState.GONE);
        }

        @Test
        void givenTheAgentHangsUp_thenTheCallEnds_andSoDoesTheSession() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            hungUp("l1", 16);

            assertThat(c.ended()).isTrue();
            assertThat(s.state()).isEqualTo(MonitorState.ENDED);
            assertThat(s.reason()).isEqualTo("the call ended");
            assertThat(asterisk.log).contains("hangup " + PHONE + " NORMAL", "hangup mon-t-1-snoop-1 NORMAL", "bridge.destroy " + BRIDGE);
            assertThat(call(() -> supervision.of(SUP.user()))).isEmpty();
        }

        @Test
        void givenTheCustomerHangsUp_thenTheSessionEndsWithTheCall() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            hungUp("c1", 16);

            assertThat(s.reason()).isEqualTo("the call ended");
            assertThat(asterisk.log).contains("hangup l1 NORMAL", "hangup " + PHONE + " NORMAL", "bridge.destroy " + BRIDGE);
        }

        @Test
        void givenABargingSupervisor_whenTheAgentHangsUp_thenTheCallEnds_theCustomerIsNotLeftTalkingToTheSupervisor() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);
            mode(c, MonitorMode.BARGE);
            asterisk.clear();

            hungUp("l1", 16);

            assertThat(c.ended()).isTrue();
            assertThat(asterisk.log).contains("hangup c1 NORMAL", "hangup " + PHONE + " NORMAL", "bridge.destroy acd-mix-l1",
                    "bridge.destroy " + BRIDGE);
            assertThat(s.ended()).isTrue();
        }

        @Test
        void givenAConference_whenTheMonitoredAgentLeaves_thenTheSessionEnds_whileTheCallGoesOn() {
            Conversation c = acdCall();
            call(() -> control.addParty(A1, "1002"));
            started("ctl-t-1", CallControl.APP_ARG, c.id());
            MonitorSession s = cmd(() -> supervision.monitor(SUP, c, A1, MonitorMode.LISTEN, null));
            phoneAnswers();
            snoopUp(1);

            hungUp("l1", 16);

            assertThat(c.ended()).isFalse();
            assertThat(s.reason()).isEqualTo("agent agent-1001 left the call");
            assertThat(asterisk.log).contains("hangup " + PHONE + " NORMAL", "bridge.destroy " + BRIDGE);
        }

        @Test
        void givenTheSnoopIsReportedGoneBeforeTheAgentsLeg_thenTheSessionEndsSayingTheAgentLeft() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            hungUp("mon-t-1-snoop-1", 16);
            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            hungUp("l1", 16);

            assertThat(s.reason()).isEqualTo("the call ended");
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(s.reason()).isEqualTo("the call ended");
            assertThat(asterisk.log).doesNotContain("hangup mon-t-1-snoop-1 NORMAL");
        }

        @Test
        void givenTheSnoopIsHungUpByItself_thenAfterAMomentTheSessionEndsSayingSo() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            hungUp("mon-t-1-snoop-1", 16);
            scheduler.advance(Supervision.SNOOP_LOSS_GRACE);

            assertThat(s.reason()).isEqualTo("the listening channel mon-t-1-snoop-1 was hung up");
            assertThat(asterisk.log).containsExactly("hangup " + PHONE + " NORMAL", "bridge.destroy " + BRIDGE);
            assertThat(c.ended()).isFalse();
        }

        @Test
        void givenAsteriskRefusesTheFirstSnoop_thenTheSessionEndsWithTheReason_andPhoneAndBridgeAreCleanedUp() {
            Conversation c = acdCall();
            MonitorSession s = listen(c);
            asterisk.failWhen(line -> line.startsWith("snoop")
                    ? new AriException(404, AriException.Kind.NOT_FOUND, "Channel not found", "POST", "/channels/l1/snoop", null) : null);

            phoneAnswers();

            assertThat(s.state()).isEqualTo(MonitorState.ENDED);
            assertThat(s.reason()).startsWith("Asterisk could not let you listen to agent agent-1001").contains("Channel not found");
            assertThat(asterisk.log).containsSubsequence("snoop l1 mon-t-1-snoop-1 LISTEN args=[snoop, mon-t-1]",
                    "hangup " + PHONE + " NORMAL", "bridge.destroy " + BRIDGE);
            assertThat(updates).containsExactly("RINGING_SUPERVISOR LISTEN", "CONNECTING LISTEN", "ENDED LISTEN");
            assertThat(call(() -> supervision.of(SUP.user()))).isEmpty();
        }

        @Test
        void givenAnEndedSession_thenTheSupervisorMayStartAnother() {
            Conversation c = acdCall();
            listening(c);
            cmd(() -> supervision.stop(SUP.user(), null));

            MonitorSession again = listen(c);

            assertThat(again.id()).isEqualTo("mon-t-2");
        }
    }

    // ---- strays and resync ----------------------------------------------------------------------------------

    @Nested
    class Strays {

        @Test
        void givenASnoopNoSessionWaitsFor_thenItIsHungUp() {
            started("mon-old-3-snoop-1", Supervision.SNOOP_ARG, "mon-old-3");
            started("mon-old-3-phone", Supervision.PHONE_ARG, "mon-old-3");

            assertThat(asterisk.log).containsExactly("hangup mon-old-3-snoop-1 NORMAL", "hangup mon-old-3-phone NORMAL");
        }

        @Test
        void givenSomeoneElsesSnoop_thenItIsLeftAlone() {
            started("rec-7", Supervision.SNOOP_ARG, "x");

            assertThat(asterisk.log).isEmpty();
        }

        @Test
        void givenAnAriResync_whenThePhoneLegIsGone_thenTheSessionEnds_andLeftoversOfAnEarlierRunGo() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            event(new AsteriskEvent.ResyncSnapshot(meta(), List.of(channel("l1"), channel("c1"), channel("mon-t-1-snoop-1"),
                    channel("mon-old-1-phone")), List.of(BridgeSnapshot.ofId(BridgeId.of("sup-mon-old-1")),
                    BridgeSnapshot.ofId(BridgeId.of("acd-mix-l1")))));

            assertThat(s.reason()).isEqualTo("the supervisor's phone leg went while Asterisk was not connected");
            assertThat(asterisk.log).contains("hangup mon-t-1-snoop-1 NORMAL", "bridge.destroy " + BRIDGE,
                    "hangup mon-old-1-phone NORMAL", "bridge.destroy sup-mon-old-1");
            assertThat(asterisk.log).doesNotContain("hangup " + PHONE + " NORMAL", "bridge.destroy acd-mix-l1");
        }

        @Test
        void givenAnAriResync_whenAllIsThere_thenTheSessionGoesOn() {
            Conversation c = acdCall();
            MonitorSession s = listening(c);

            event(new AsteriskEvent.ResyncSnapshot(meta(), List.of(channel("l1"), channel("c1"), channel("mon-t-1-snoop-1"),
                    channel(PHONE)), List.of(BridgeSnapshot.ofId(BridgeId.of(BRIDGE)))));

            assertThat(s.state()).isEqualTo(MonitorState.ACTIVE);
            assertThat(asterisk.log).isEmpty();
        }
    }

    @Test
    void theStateMachineRefusesIllegalTransitions() {
        assertThat(MonitorState.RINGING_SUPERVISOR.canGo(MonitorState.ACTIVE)).isFalse();
        assertThat(MonitorState.ENDED.canGo(MonitorState.ACTIVE)).isFalse();
        assertThat(MonitorState.ACTIVE.canGo(MonitorState.CONNECTING)).isFalse();
        assertThat(MonitorState.SWITCHING.canGo(MonitorState.ACTIVE)).isTrue();
        Conversation c = acdCall();
        MonitorSession s = listen(c);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.go(MonitorState.ACTIVE, clock.instant()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RINGING_SUPERVISOR -> ACTIVE");
    }
}
