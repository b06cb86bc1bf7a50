package org.asteriskcti.server.agent;

import static org.asteriskcti.server.agent.AgentState.LOGGED_OUT;
import static org.asteriskcti.server.agent.AgentState.NOT_READY;
import static org.asteriskcti.server.agent.AgentState.ON_CALL;
import static org.asteriskcti.server.agent.AgentState.ON_OTHER;
import static org.asteriskcti.server.agent.AgentState.READY;
import static org.asteriskcti.server.agent.AgentState.RESERVED;
import static org.asteriskcti.server.agent.AgentState.WRAP_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.asteriskcti.server.domain.UserId;
import org.asteriskcti.server.testsupport.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class AgentTest {

    private static final Duration WRAP = Duration.ofSeconds(15);
    private static final Duration MAX_WRAP = Duration.ofSeconds(60);
    private static final NotReadyReason BREAK = NotReadyReason.of("break");
    private static final NotReadyReason LUNCH = NotReadyReason.of("lunch");
    private static final UserId BOSS = UserId.of("supervisor");

    private final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    private final List<AgentStateChanged> changes = new ArrayList<>();
    private final Agent agent = new Agent(AgentProfile.of("agent-1", "demo"), ZoneId.of("Europe/Paris"),
            Set.of(BREAK, LUNCH), clock, changes::add);

    // ---- the table ----------------------------------------------------------------------------------

    /** The table as the issue states it, written independently of AgentState. */
    private static final List<String> LEGAL = List.of(
            "LOGGED_OUT>READY", "LOGGED_OUT>NOT_READY", "LOGGED_OUT>ON_OTHER", "LOGGED_OUT>ON_CALL",
            "READY>NOT_READY", "READY>RESERVED", "READY>ON_OTHER", "READY>LOGGED_OUT",
            "NOT_READY>READY", "NOT_READY>NOT_READY", "NOT_READY>RESERVED", "NOT_READY>ON_OTHER", "NOT_READY>LOGGED_OUT",
            "RESERVED>ON_CALL", "RESERVED>READY", "RESERVED>NOT_READY", "RESERVED>ON_OTHER", "RESERVED>LOGGED_OUT",
            "ON_CALL>WRAP_UP", "ON_CALL>READY", "ON_CALL>NOT_READY", "ON_CALL>ON_OTHER", "ON_CALL>LOGGED_OUT",
            "WRAP_UP>READY", "WRAP_UP>NOT_READY", "WRAP_UP>ON_OTHER", "WRAP_UP>LOGGED_OUT",
            "ON_OTHER>READY", "ON_OTHER>NOT_READY", "ON_OTHER>LOGGED_OUT");

    static Stream<Arguments> everyPair() {
        return Stream.of(AgentState.values()).flatMap(f -> Stream.of(AgentState.values()).map(t -> Arguments.of(f, t)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void givenTheTransitionTable_whenAskedAboutAPair_thenItAllowsExactlyTheListedOnes(AgentState from, AgentState to) {
        assertThat(from.canGoTo(to)).isEqualTo(LEGAL.contains(from + ">" + to));
    }

    @Test
    void givenEveryLegalTransition_whenDrivenThroughTheAgent_thenEachIsSeenAtLeastOnce() {
        List<String> seen = new ArrayList<>();
        Consumer<AgentStateChanged> record = c -> seen.add(c.from() + ">" + c.to());
        for (Consumer<Agent> path : everyPath()) {
            List<AgentStateChanged> sink = new ArrayList<>();
            Agent a = new Agent(AgentProfile.of("a", "demo"), ZoneId.of("UTC"), Set.of(BREAK, LUNCH), clock,
                    sink::add);
            path.accept(a);
            sink.forEach(record);
        }
        assertThat(seen).containsAll(LEGAL);
    }

    /** Scenarios that together take every legal transition through the agent's real commands. */
    private List<Consumer<Agent>> everyPath() {
        return List.of(
                a -> { // a call restored after a CTI restart, then wrap-up as usual
                    a.phoneOnline();
                    a.restoreOnCall();
                    a.callEnded(WRAP, MAX_WRAP);
                    a.endWrapUp();
                },
                a -> { // ready, not ready, reason change, ready, reserved, call, wrap-up, ready, logout
                    a.phoneOnline();
                    a.login(true);
                    a.request(RequestedState.notReady(BREAK));
                    a.request(RequestedState.notReady(LUNCH));
                    a.request(RequestedState.READY);
                    a.reserve();
                    a.answered();
                    a.callEnded(WRAP, MAX_WRAP);
                    a.endWrapUp();
                    a.request(RequestedState.LOGGED_OUT);
                },
                a -> { // login not ready, other call from NOT_READY and back, logout from NOT_READY
                    a.login(false);
                    a.otherCallStarted();
                    a.otherCallEnded();
                    a.request(RequestedState.LOGGED_OUT);
                },
                a -> { // login while on another call, back to READY, other call from READY, logout from ON_OTHER
                    a.phoneOnline();
                    a.otherCallStarted();
                    a.login(true);
                    a.otherCallEnded();
                    a.otherCallStarted();
                    a.request(RequestedState.LOGGED_OUT);
                },
                a -> { // RESERVED -> READY, NOT_READY, LOGGED_OUT, ON_OTHER
                    a.phoneOnline();
                    a.login(true);
                    a.reserve();
                    a.offerCancelled();
                    a.reserve();
                    a.offerFailed(RingFailure.NO_ANSWER);
                    a.request(RequestedState.READY);
                    a.reserve();
                    a.request(RequestedState.LOGGED_OUT);
                    a.login(true);
                    a.reserve();
                    a.otherCallStarted();
                    a.offerFailed(RingFailure.BUSY);
                    a.otherCallEnded();
                },
                a -> { // NOT_READY -> RESERVED: a pickup
                    a.phoneOnline();
                    a.login(false);
                    a.reserveForPickup();
                    a.offerCancelled();
                },
                a -> { // ON_CALL -> READY / NOT_READY / ON_OTHER without wrap-up, ON_CALL -> LOGGED_OUT forced
                    a.phoneOnline();
                    a.login(true);
                    a.reserve();
                    a.answered();
                    a.callEnded(Duration.ZERO, Duration.ZERO);
                    a.reserve();
                    a.answered();
                    a.request(RequestedState.notReady(BREAK));
                    a.callEnded(Duration.ZERO, Duration.ZERO);
                    a.request(RequestedState.READY);
                    a.reserve();
                    a.answered();
                    a.otherCallStarted();
                    a.callEnded(Duration.ZERO, Duration.ZERO);
                    a.otherCallEnded();
                    a.reserve();
                    a.answered();
                    a.force(RequestedState.LOGGED_OUT, BOSS);
                },
                a -> { // WRAP_UP -> NOT_READY (asked for), ON_OTHER, LOGGED_OUT
                    a.phoneOnline();
                    a.login(true);
                    a.reserve();
                    a.answered();
                    a.callEnded(WRAP, MAX_WRAP);
                    a.request(RequestedState.notReady(BREAK));
                    a.endWrapUp();
                    a.request(RequestedState.READY);
                    a.reserve();
                    a.answered();
                    a.callEnded(WRAP, MAX_WRAP);
                    a.otherCallStarted();
                    a.endWrapUp();
                    a.otherCallEnded();
                    a.reserve();
                    a.answered();
                    a.callEnded(WRAP, MAX_WRAP);
                    a.request(RequestedState.LOGGED_OUT);
                });
    }

    // ---- login, ready, not ready ------------------------------------------------------------------------

    @Test
    void givenALoggedOutAgentWithPhoneOnline_whenTheyLogInReady_thenReadyWithLoginCauseAndIdleSinceNow() {
        agent.phoneOnline();
        clock.advance(Duration.ofSeconds(30));

        agent.login(true);

        AgentStateChanged c = last();
        assertThat(c.from()).isEqualTo(LOGGED_OUT);
        assertThat(c.to()).isEqualTo(READY);
        assertThat(c.cause()).isEqualTo(Cause.of(TransitionCause.LOGIN));
        assertThat(c.at()).isEqualTo(Instant.parse("2026-11-23T09:00:30Z"));
        assertThat(c.inFromState()).isEqualTo(Duration.ofSeconds(30));
        assertThat(agent.since()).isEqualTo(c.at());
        assertThat(agent.idleSince()).isEqualTo(c.at());
    }

    @Test
    void givenALoggedOutAgent_whenTheyLogInNotReady_thenNotReadyWithReasonLogin() {
        agent.phoneOnline();
        agent.login(false);
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.LOGIN);
        assertThat(agent.idleSince()).isNull();
    }

    @Test
    void givenThePhoneIsOffline_whenTheAgentLogsInAskingForReady_thenLoggedInButNotReadyPhoneOffline() {
        agent.login(true);
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
    }

    @Test
    void givenANotReadyAgent_whenTheyPickAnotherReason_thenANewIntervalStartsWithTheNewReason() {
        agent.phoneOnline();
        agent.login(false);
        agent.request(RequestedState.notReady(BREAK));
        clock.advance(Duration.ofMinutes(10));

        agent.request(RequestedState.notReady(LUNCH));

        AgentStateChanged c = last();
        assertThat(c.from()).isEqualTo(NOT_READY);
        assertThat(c.fromReason()).isEqualTo(BREAK);
        assertThat(c.to()).isEqualTo(NOT_READY);
        assertThat(c.reason()).isEqualTo(LUNCH);
        assertThat(c.inFromState()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void givenAReadyAgent_whenTheyAskForAReasonNotConfigured_thenUnknownReasonAndNothingChanges() {
        readyAgent();
        int before = changes.size();
        assertThatThrownBy(() -> agent.request(RequestedState.notReady("coffee")))
                .isInstanceOfSatisfying(AgentStateException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.unknown_reason");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).containsEntry("reason", "coffee");
                });
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(changes).hasSize(before);
    }

    @Test
    void givenAReadyAgent_whenTheyAskForASystemReasonThatIsNotConfigured_thenUnknownReason() {
        readyAgent();
        assertThatThrownBy(() -> agent.request(RequestedState.notReady(NotReadyReason.NO_ANSWER)))
                .hasMessageStartingWith("agent.unknown_reason");
    }

    // ---- phone registration ---------------------------------------------------------------------------

    @Test
    void givenANotReadyAgentWithPhoneOffline_whenTheyAskForReady_thenPhoneUnregisteredAndStillNotReady() {
        agent.login(false);
        assertThatThrownBy(() -> agent.request(RequestedState.READY))
                .isInstanceOfSatisfying(AgentStateException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.phone_unregistered");
                    assertThat(e.status()).isEqualTo(409);
                });
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.LOGIN);
    }

    @Test
    void givenAReadyAgent_whenThePhoneGoesOffline_thenNotReadyPhoneOfflineWithThatCause() {
        readyAgent();
        agent.phoneOffline();
        AgentStateChanged c = last();
        assertThat(c.to()).isEqualTo(NOT_READY);
        assertThat(c.reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
        assertThat(c.cause()).isEqualTo(Cause.of(TransitionCause.PHONE_OFFLINE));
    }

    @Test
    void givenANotReadyAgentOnBreak_whenThePhoneGoesOffline_thenTheyKeepTheirReasonWithoutATransition() {
        readyAgent();
        agent.request(RequestedState.notReady(BREAK));
        int before = changes.size();
        agent.phoneOffline();
        assertThat(agent.reason()).isEqualTo(BREAK);
        assertThat(changes).hasSize(before);
    }

    @Test
    void givenAnAgentInWrapUp_whenThePhoneGoesOfflineAndWrapUpEnds_thenNotReadyPhoneOfflineInsteadOfReady() {
        onCall();
        agent.callEnded(WRAP, MAX_WRAP);
        agent.phoneOffline();
        assertThat(agent.state()).isEqualTo(WRAP_UP);
        clock.advance(WRAP);
        assertThat(agent.wrapUpTimerFired()).isTrue();
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
    }

    @Test
    void givenAnOfflinePhoneComingBack_whenNothingElseHappens_thenTheAgentStaysNotReadyUntilTheyAsk() {
        readyAgent();
        agent.phoneOffline();
        agent.phoneOnline();
        assertThat(agent.state()).isEqualTo(NOT_READY);
        agent.request(RequestedState.READY);
        assertThat(agent.state()).isEqualTo(READY);
    }

    // ---- offers -------------------------------------------------------------------------------------------

    @Test
    void givenARingingOffer_whenItIsNotAnswered_thenNotReadyNoAnswer() {
        readyAgent();
        agent.reserve();
        agent.offerFailed(RingFailure.NO_ANSWER);
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.NO_ANSWER);
        assertThat(last().cause().kind()).isEqualTo(TransitionCause.RING_NO_ANSWER);
    }

    @Test
    void givenARingingOffer_whenThePhoneIsBusyOrFails_thenNotReadyWithTheMatchingSystemReason() {
        readyAgent();
        agent.reserve();
        agent.offerFailed(RingFailure.BUSY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.PHONE_BUSY);
        agent.request(RequestedState.READY);
        agent.reserve();
        agent.offerFailed(RingFailure.FAILED);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.RING_FAILED);
    }

    @Test
    void givenARingingOffer_whenTheCallerHangsUpOrTheAgentRejects_thenReadyKeepingTheirIdlePosition() {
        readyAgent();
        Instant idle = agent.idleSince();
        clock.advance(Duration.ofSeconds(40));
        agent.reserve();
        clock.advance(Duration.ofSeconds(5));
        agent.offerCancelled();
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(agent.idleSince()).isEqualTo(idle);
        agent.reserve();
        agent.offerFailed(RingFailure.REJECTED);
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(agent.idleSince()).isEqualTo(idle);
        assertThat(last().cause().kind()).isEqualTo(TransitionCause.OFFER_REJECTED);
    }

    @Test
    void givenARingingOffer_whenTheAgentAsksForReady_thenRefusedBecauseACallIsRinging() {
        readyAgent();
        agent.reserve();
        assertThatThrownBy(() -> agent.request(RequestedState.READY)).hasMessageStartingWith("agent.illegal_transition")
                .hasMessageContaining("RESERVED -> READY");
        assertThat(agent.state()).isEqualTo(RESERVED);
    }

    @Test
    void givenARingingOffer_whenThePhoneGoesOffline_thenNotReadyPhoneOffline() {
        readyAgent();
        agent.reserve();
        agent.phoneOffline();
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(NotReadyReason.PHONE_OFFLINE);
    }

    // ---- calls and wrap-up -----------------------------------------------------------------------------

    @Test
    void givenAnAgentOnACall_whenTheCallEnds_thenWrapUpForTheQueueTimeAndOneCallHandled() {
        onCall();
        agent.callEnded(WRAP, MAX_WRAP);
        assertThat(agent.state()).isEqualTo(WRAP_UP);
        assertThat(agent.wrapUpEndsAt()).isEqualTo(clock.instant().plus(WRAP));
        assertThat(agent.callsHandledToday()).isEqualTo(1);
    }

    @Test
    void givenWrapUp_whenTheTimerFiresEarlyOrLate_thenOnlyTheOneAtTheEndEndsIt() {
        onCall();
        agent.callEnded(WRAP, MAX_WRAP);
        clock.advance(Duration.ofSeconds(14));
        assertThat(agent.wrapUpTimerFired()).isFalse();
        assertThat(agent.state()).isEqualTo(WRAP_UP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(agent.wrapUpTimerFired()).isTrue();
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(last().cause().kind()).isEqualTo(TransitionCause.WRAP_UP_TIMER);
        assertThat(agent.idleSince()).isEqualTo(clock.instant());
        assertThat(agent.wrapUpTimerFired()).isFalse();
    }

    @Test
    void givenWrapUp_whenTheAgentEndsItEarly_thenReadyWithCauseWrapUpEnded() {
        onCall();
        agent.callEnded(WRAP, MAX_WRAP);
        clock.advance(Duration.ofSeconds(3));
        agent.endWrapUp();
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(last().cause().kind()).isEqualTo(TransitionCause.WRAP_UP_ENDED);
        assertThat(last().inFromState()).isEqualTo(Duration.ofSeconds(3));
        assertThat(agent.wrapUpEndsAt()).isNull();
    }

    @Test
    void givenWrapUp_whenExtendedWithinTheLimit_thenTheEndMovesAndTheLimitIsExact() {
        onCall();
        Instant start = clock.instant();
        agent.callEnded(WRAP, MAX_WRAP);
        assertThat(agent.extendWrapUp(Duration.ofSeconds(30))).isEqualTo(start.plusSeconds(45));
        assertThat(agent.extendWrapUp(Duration.ofSeconds(15))).isEqualTo(start.plusSeconds(60));
        assertThatThrownBy(() -> agent.extendWrapUp(Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(AgentStateException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.wrap_up_limit");
                    assertThat(e.details()).containsEntry("remaining_seconds", 0L);
                });
        assertThat(agent.wrapUpEndsAt()).isEqualTo(start.plusSeconds(60));
    }

    @Test
    void givenWrapUp_whenAnExtensionIsNotPositive_thenInvalidRequest() {
        onCall();
        agent.callEnded(WRAP, MAX_WRAP);
        assertThatThrownBy(() -> agent.extendWrapUp(Duration.ZERO)).hasMessageStartingWith("agent.invalid_request");
    }

    @Test
    void givenAnAgentNotInWrapUp_whenTheyEndOrExtendWrapUp_thenNotInWrapUp() {
        readyAgent();
        assertThatThrownBy(agent::endWrapUp).hasMessageStartingWith("agent.not_in_wrap_up");
        assertThatThrownBy(() -> agent.extendWrapUp(Duration.ofSeconds(5))).hasMessageStartingWith("agent.not_in_wrap_up");
    }

    @Test
    void givenAnAgentOnACall_whenTheyAskForNotReady_thenTheyStayOnTheCallAndGoNotReadyAfterWrapUp() {
        onCall();
        int before = changes.size();
        agent.request(RequestedState.notReady(LUNCH));
        assertThat(agent.state()).isEqualTo(ON_CALL);
        assertThat(changes).hasSize(before);
        agent.callEnded(WRAP, MAX_WRAP);
        agent.request(RequestedState.notReady(BREAK));
        clock.advance(WRAP);
        agent.wrapUpTimerFired();
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(BREAK);
    }

    @Test
    void givenAnAgentOnACall_whenTheyAskToLogOut_thenRefusedButASupervisorCanForceIt() {
        onCall();
        assertThatThrownBy(() -> agent.request(RequestedState.LOGGED_OUT))
                .isInstanceOfSatisfying(AgentStateException.class, e -> {
                    assertThat(e.errorId()).isEqualTo("agent.illegal_transition");
                    assertThat(e.details()).containsEntry("from", "ON_CALL").containsEntry("to", "LOGGED_OUT");
                });
        agent.force(RequestedState.LOGGED_OUT, BOSS);
        assertThat(agent.state()).isEqualTo(LOGGED_OUT);
        assertThat(last().cause()).isEqualTo(Cause.forcedBy(BOSS));
        assertThat(last().cause().supervisor()).isEqualTo(BOSS);
    }

    @Test
    void givenWrapUp_whenASupervisorForcesReady_thenItEndsAtOnce() {
        onCall();
        agent.callEnded(WRAP, MAX_WRAP);
        agent.force(RequestedState.READY, BOSS);
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(last().cause().kind()).isEqualTo(TransitionCause.FORCED_BY_SUPERVISOR);
    }

    @Test
    void givenALoggedOutAgent_whenASupervisorForcesNotReady_thenLoggedInNotReadyWithThatReason() {
        agent.force(RequestedState.notReady(BREAK), BOSS);
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(BREAK);
    }

    @Test
    void givenALoggedOutAgentWithPhoneOffline_whenASupervisorForcesReady_thenPhoneUnregistered() {
        assertThatThrownBy(() -> agent.force(RequestedState.READY, BOSS)).hasMessageStartingWith("agent.phone_unregistered");
        assertThat(agent.state()).isEqualTo(LOGGED_OUT);
    }

    @Test
    void givenAnAgentOnACall_whenASupervisorForcesNotReady_thenItAppliesAfterTheCall() {
        onCall();
        agent.force(RequestedState.notReady(LUNCH), BOSS);
        assertThat(agent.state()).isEqualTo(ON_CALL);
        assertThat(agent.next()).isEqualTo(RequestedState.notReady(LUNCH));
        agent.callEnded(Duration.ZERO, Duration.ZERO);
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(LUNCH);
    }

    // ---- other calls ----------------------------------------------------------------------------------------

    @Test
    void givenANotReadyAgent_whenAPersonalCallComesAndGoes_thenOnOtherThenBackToTheirReason() {
        readyAgent();
        agent.request(RequestedState.notReady(BREAK));
        agent.otherCallStarted();
        assertThat(agent.state()).isEqualTo(ON_OTHER);
        agent.otherCallEnded();
        assertThat(agent.state()).isEqualTo(NOT_READY);
        assertThat(agent.reason()).isEqualTo(BREAK);
        assertThat(last().cause().kind()).isEqualTo(TransitionCause.OTHER_CALL_ENDED);
    }

    @Test
    void givenAnAgentOnAPersonalCall_whenTheyAskForReady_thenReadyWhenItEndsWithANewIdleTime() {
        readyAgent();
        agent.request(RequestedState.notReady(BREAK));
        agent.otherCallStarted();
        agent.request(RequestedState.READY);
        assertThat(agent.state()).isEqualTo(ON_OTHER);
        clock.advance(Duration.ofMinutes(2));
        agent.otherCallEnded();
        assertThat(agent.state()).isEqualTo(READY);
        assertThat(agent.idleSince()).isEqualTo(clock.instant());
    }

    // ---- illegal transitions -------------------------------------------------------------------------------

    static Stream<Arguments> illegalCommands() {
        return Stream.of(
                Arguments.of(LOGGED_OUT, "ready", "agent.illegal_transition"),
                Arguments.of(LOGGED_OUT, "logout", "agent.illegal_transition"),
                Arguments.of(LOGGED_OUT, "reserve", "agent.illegal_transition"),
                Arguments.of(LOGGED_OUT, "answered", "agent.illegal_transition"),
                Arguments.of(READY, "login", "agent.illegal_transition"),
                Arguments.of(READY, "ready", "agent.illegal_transition"),
                Arguments.of(READY, "answered", "agent.illegal_transition"),
                Arguments.of(READY, "callEnded", "agent.illegal_transition"),
                Arguments.of(READY, "offerCancelled", "agent.illegal_transition"),
                Arguments.of(READY, "endWrapUp", "agent.not_in_wrap_up"),
                Arguments.of(NOT_READY, "reserve", "agent.illegal_transition"),
                Arguments.of(NOT_READY, "offerFailed", "agent.illegal_transition"),
                Arguments.of(RESERVED, "reserve", "agent.illegal_transition"),
                Arguments.of(RESERVED, "callEnded", "agent.illegal_transition"),
                Arguments.of(ON_CALL, "reserve", "agent.illegal_transition"),
                Arguments.of(ON_CALL, "answered", "agent.illegal_transition"),
                Arguments.of(ON_CALL, "logout", "agent.illegal_transition"),
                Arguments.of(WRAP_UP, "reserve", "agent.illegal_transition"),
                Arguments.of(WRAP_UP, "answered", "agent.illegal_transition"),
                Arguments.of(WRAP_UP, "callEnded", "agent.illegal_transition"),
                Arguments.of(ON_OTHER, "reserve", "agent.illegal_transition"),
                Arguments.of(ON_OTHER, "answered", "agent.illegal_transition"),
                Arguments.of(ON_OTHER, "login", "agent.illegal_transition"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("illegalCommands")
    void givenAnAgentInAState_whenACommandThatDoesNotFitArrives_thenRefusedWithItsErrorIdAndNothingChanges(
            AgentState state, String command, String errorId) {
        driveTo(state);
        AgentView before = agent.view();
        int published = changes.size();

        assertThatThrownBy(() -> command(command)).isInstanceOfSatisfying(AgentStateException.class, e -> {
            assertThat(e.errorId()).isEqualTo(errorId);
            assertThat(e.agent()).isEqualTo(agent.id());
        });

        assertThat(agent.view()).isEqualTo(before);
        assertThat(changes).hasSize(published);
    }

    @ParameterizedTest
    @EnumSource(AgentState.class)
    void givenAnyState_whenDrivenThere_thenTheHelperReachesIt(AgentState state) {
        driveTo(state);
        assertThat(agent.state()).isEqualTo(state);
    }

    // ---- idle time, calls today, logging ---------------------------------------------------------------

    @Test
    void givenCallsHandledLateInTheTenantsDay_whenItsMidnightPasses_thenTheCountRestartsAtZero() {
        // 22:50 UTC is 23:50 in Paris.
        clock.set(Instant.parse("2026-11-23T22:50:00Z"));
        onCall();
        agent.callEnded(Duration.ZERO, Duration.ZERO);
        agent.reserve();
        agent.answered();
        agent.callEnded(Duration.ZERO, Duration.ZERO);
        assertThat(agent.callsHandledToday()).isEqualTo(2);
        clock.set(Instant.parse("2026-11-23T23:00:00Z"));
        assertThat(agent.callsHandledToday()).isZero();
        agent.reserve();
        agent.answered();
        agent.callEnded(Duration.ZERO, Duration.ZERO);
        assertThat(agent.callsHandledToday()).isEqualTo(1);
    }

    @Test
    void givenAFewTransitions_whenLogged_thenExactlyOneInfoLinePerTransitionNamingBothStatesAndTheCause() {
        Logger logger = (Logger) LoggerFactory.getLogger(Agent.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            agent.login(true); // phone offline: NOT_READY(phone offline)
            agent.force(RequestedState.notReady(BREAK), BOSS);
            agent.request(RequestedState.LOGGED_OUT);
        } finally {
            logger.detachAppender(appender);
        }
        List<String> lines = appender.list.stream().filter(e -> e.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).containsExactly(
                "agent agent-1 LOGGED_OUT -> NOT_READY(phone offline) cause=LOGIN after 0s",
                "agent agent-1 NOT_READY(phone offline) -> NOT_READY(break) cause=FORCED_BY_SUPERVISOR by supervisor after 0s",
                "agent agent-1 NOT_READY(break) -> LOGGED_OUT cause=AGENT_REQUEST after 0s");
        assertThat(changes).hasSize(3);
    }

    @Test
    void givenACauseWithoutTheSupervisorKind_whenASupervisorIdIsGiven_thenRejected() {
        assertThatThrownBy(() -> new Cause(TransitionCause.AGENT_REQUEST, BOSS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cause(TransitionCause.FORCED_BY_SUPERVISOR, null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private AgentStateChanged last() {
        return changes.get(changes.size() - 1);
    }

    private void readyAgent() {
        agent.phoneOnline();
        agent.login(true);
    }

    private void onCall() {
        readyAgent();
        agent.reserve();
        agent.answered();
    }

    private void driveTo(AgentState state) {
        switch (state) {
            case LOGGED_OUT -> { }
            case READY -> readyAgent();
            case NOT_READY -> {
                readyAgent();
                agent.request(RequestedState.notReady(BREAK));
            }
            case RESERVED -> {
                readyAgent();
                agent.reserve();
            }
            case ON_CALL -> onCall();
            case WRAP_UP -> {
                onCall();
                agent.callEnded(WRAP, MAX_WRAP);
            }
            case ON_OTHER -> {
                readyAgent();
                agent.otherCallStarted();
            }
        }
    }

    private void command(String name) {
        switch (name) {
            case "login" -> agent.login(true);
            case "ready" -> agent.request(RequestedState.READY);
            case "logout" -> agent.request(RequestedState.LOGGED_OUT);
            case "reserve" -> agent.reserve();
            case "answered" -> agent.answered();
            case "callEnded" -> agent.callEnded(WRAP, MAX_WRAP);
            case "offerCancelled" -> agent.offerCancelled();
            case "offerFailed" -> agent.offerFailed(RingFailure.NO_ANSWER);
            case "endWrapUp" -> agent.endWrapUp();
            default -> throw new IllegalArgumentException(name);
        }
    }
}
