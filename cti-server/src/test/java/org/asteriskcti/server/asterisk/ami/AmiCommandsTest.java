package org.asteriskcti.server.asterisk.ami;

import org.asteriskcti.server.testsupport.EventRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.asteriskcti.server.asterisk.AsteriskEvent.ResyncSnapshot;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The typed commands: what goes on the wire, how answers and failures come back. */
class AmiCommandsTest {

    private static final ChannelId CUSTOMER = ChannelId.of("1795422504.22");
    private static final String OK = "Response: Success\r\nActionID: %s\r\nMessage: %s\r\n\r\n";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final EventRecorder events = new EventRecorder();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void givenNoLink_whenCommandsAreSent_thenEachFailsAtOnceWithNotConnected() {
        AmiConnector connector = new AmiConnector(AmiSettings.of("127.0.0.1", 5038, "cti", "cti-secret"), events,
                Clock.systemUTC());
        open.add(connector);

        List<CompletableFuture<?>> futures = List.of(connector.ping(), connector.hangup(CUSTOMER, 16),
                connector.getVariable(CUSTOMER, "CTI_CALL_ID"),
                connector.originate(OriginateRequest.of("PJSIP/1001", "from-internal", "2002")));

        assertThat(futures).allSatisfy(f -> {
            assertThat(f).isCompletedExceptionally();
            assertThat(cause(f)).isInstanceOf(AmiNotConnectedException.class).hasMessageContaining("is down");
        });
        assertThat(connector.state()).isEqualTo(LinkState.DOWN);
    }

    @Test
    void givenAsteriskRefusesHangup_whenHangup_thenTypedActionExceptionWithAsterisksMessage() {
        AmiConnector connector = connected(FakeAmiServer.replaying("ami-00-login-and-actions")
                .respond("Hangup", (id, a) -> "Response: Error\r\nActionID: " + id
                        + "\r\nMessage: No such channel\r\n\r\n"));

        Throwable failure = cause(connector.hangup(ChannelId.of("gone-1"), 16));

        assertThat(failure).isInstanceOf(AmiActionException.class);
        assertThat(((AmiActionException) failure).action()).isEqualTo("Hangup");
        assertThat(((AmiActionException) failure).reason()).isEqualTo("No such channel");
    }

    @Test
    void givenRedirectBlindTransferSetvarGetvar_whenSent_thenHeadersNameTheChannelByUniqueidAndAnswersAreMapped()
            throws Exception {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions")
                .respond("Redirect", (id, a) -> String.format(OK, id, "Redirect successful"))
                .respond("BlindTransfer", (id, a) -> String.format(OK, id, "Transfer successful"))
                .respond("Setvar", (id, a) -> String.format(OK, id, "Variable Set"))
                // Asterisk answers a missing variable with Success and an empty Value (ami-00 lab-10).
                .respond("Getvar", (id, a) -> "Response: Success\r\nActionID: " + id + "\r\nVariable: "
                        + a.header("Variable") + "\r\nValue: \r\n\r\n");
        AmiConnector connector = connected(server);

        connector.redirect(CUSTOMER, "from-internal", "1003", 1).get(5, TimeUnit.SECONDS);
        connector.blindTransfer(ChannelId.of("1795422417.5"), "from-internal", "1003").get(5, TimeUnit.SECONDS);
        connector.setVariable(CUSTOMER, "CTI_CALL_ID", "call-42").get(5, TimeUnit.SECONDS);
        String missing = connector.getVariable(CUSTOMER, "CTI_NOT_SET").get(5, TimeUnit.SECONDS);

        assertThat(missing).isEmpty();
        FakeAmiServer.ClientAction redirect = server.actions("Redirect").get(0);
        assertThat(redirect.header("Channel")).isEqualTo("1795422504.22");
        assertThat(redirect.header("Context")).isEqualTo("from-internal");
        assertThat(redirect.header("Exten")).isEqualTo("1003");
        assertThat(redirect.header("Priority")).isEqualTo("1");
        FakeAmiServer.ClientAction transfer = server.actions("BlindTransfer").get(0);
        assertThat(transfer.header("Channel")).isEqualTo("1795422417.5");
        assertThat(transfer.header("Context")).isEqualTo("from-internal");
        assertThat(transfer.header("Exten")).isEqualTo("1003");
        FakeAmiServer.ClientAction setvar = server.actions("Setvar").get(0);
        assertThat(setvar.header("Variable")).isEqualTo("CTI_CALL_ID");
        assertThat(setvar.header("Value")).isEqualTo("call-42");
        assertThat(server.actions("Getvar").get(0).header("Variable")).isEqualTo("CTI_NOT_SET");
    }

    @Test
    void givenValueWithLineBreak_whenSetVariable_thenRejectedBeforeAnythingIsSent() {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions");
        AmiConnector connector = connected(server);

        Throwable failure = cause(connector.setVariable(CUSTOMER, "CTI_X", "a\r\nAction: Hangup"));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR or LF");
        assertThat(server.actions("Setvar")).isEmpty();
    }

    @Test
    void givenAnswerArrives_whenFutureCompletes_thenNotOnAsteriskJavasReaderOrEventThread() throws Exception {
        AmiConnector connector = connected(FakeAmiServer.replaying("ami-00-login-and-actions"));
        AtomicReference<String> thread = new AtomicReference<>();

        CompletableFuture<Void> pong = connector.ping();
        pong.whenComplete((v, e) -> thread.set(Thread.currentThread().getName()));
        pong.get(5, TimeUnit.SECONDS);

        await().atMost(2, TimeUnit.SECONDS).until(() -> thread.get() != null);
        assertThat(thread.get()).doesNotStartWith("Asterisk-Java");
    }

    @Test
    void givenNoAnswer_whenTheLinkDrops_thenPendingCommandFailsWithNotConnected() {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions").respond("Getvar", (id, a) -> "");
        AmiConnector connector = connected(server);

        CompletableFuture<String> pending = connector.getVariable(CUSTOMER, "CTI_CALL_ID");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !server.actions("Getvar").isEmpty());
        server.dropConnections();

        assertThat(cause(pending)).isInstanceOf(AmiNotConnectedException.class)
                .hasMessageContaining("lost before the answer");
    }

    @Test
    void givenNoAnswer_whenActionTimeoutPasses_thenActionExceptionSaysSo() {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions").respond("Getvar", (id, a) -> "");
        AmiConnector connector = connected(server, Duration.ofMillis(300));

        Throwable failure = cause(connector.getVariable(CUSTOMER, "CTI_CALL_ID"));

        assertThat(failure).isInstanceOf(AmiActionException.class);
        assertThat(((AmiActionException) failure).reason()).isEqualTo("no answer within 300 ms");
    }

    @Test
    void givenOriginateWithoutRef_whenQueued_thenConnectorMadeUpARefAndSentItAsActionIdUserPart() throws Exception {
        FakeAmiServer server = FakeAmiServer.replaying("ami-00-login-and-actions")
                .respond("Originate", (id, a) -> String.format(OK, id, "Originate successfully queued"));
        AmiConnector connector = connected(server);

        String ref = connector.originate(OriginateRequest.of("PJSIP/1001", "from-internal", "2002")
                .withVariables(Map.of("CTI_CALL_ID", "call-7"))).get(5, TimeUnit.SECONDS);

        assertThat(ref).startsWith("cti-orig-");
        FakeAmiServer.ClientAction sent = server.actions("Originate").get(0);
        assertThat(sent.actionId()).endsWith("#" + ref);
        assertThat(sent.header("Async")).isEqualTo("true");
        assertThat(sent.header("Priority")).isEqualTo("1");
        assertThat(sent.header("Timeout")).isEqualTo("30000");
        assertThat(sent.lines()).contains("variable: CTI_CALL_ID=call-7");
    }

    // ---- harness ------------------------------------------------------------------------------

    private AmiConnector connected(FakeAmiServer server) {
        return connected(server, Duration.ofSeconds(10));
    }

    private AmiConnector connected(FakeAmiServer server, Duration actionTimeout) {
        server.start();
        open.add(server);
        AmiSettings settings = AmiSettings.of("127.0.0.1", server.port(), "cti", "cti-secret")
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .withActionTimeout(actionTimeout);
        AmiConnector connector = new AmiConnector(settings, events, Clock.systemUTC());
        open.add(connector);
        connector.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.has(ResyncSnapshot.class));
        return connector;
    }

    private static Throwable cause(CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
        assertThat(t).as("the future must fail").isInstanceOf(ExecutionException.class);
        return t.getCause();
    }
}
