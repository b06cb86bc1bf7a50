package org.asteriskcti.server.asterisk.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** REST calls against {@link FakeAriServer} answering with the recorded exchanges. */
class AriClientTest {

    private FakeAriServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AriClient clientFor(String trace) {
        server = FakeAriServer.start(trace, "cti-lab");
        return new AriClient(settings(server.baseUrl()));
    }

    private static AriSettings settings(URI base) {
        return AriSettings.of(FakeAriServer.USER, FakeAriServer.PASSWORD)
                .withBaseUrl(base)
                .withApp("cti-lab")
                .withRequestTimeout(Duration.ofSeconds(3));
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    private static AriException failure(CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> f.get(5, TimeUnit.SECONDS));
        AriException e = AriException.unwrap(t);
        assertThat(e).as("AriException inside %s", t).isNotNull();
        return e;
    }

    @Test
    void givenUnknownChannel_whenGetChannel_thenNotFoundWithAsterisksMessage() {
        AriClient client = clientFor("ari-05-stasis-bridge-record-snoop");

        AriException e = failure(client.getChannel(ChannelId.of("does-not-exist")));

        assertThat(e.kind()).isEqualTo(AriException.Kind.NOT_FOUND);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.asteriskMessage()).isEqualTo("Channel not found");
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/ari/channels/does-not-exist");
        assertThat(e.getMessage()).contains("404").contains("Channel not found");
    }

    @Test
    void givenHoldingBridgeWhoseMusicStopped_whenStopBridgeMoh_thenConflictWithMessage() throws Exception {
        AriClient client = clientFor("ari-08-acd-answered");
        // the recorded order: everything before the DELETE .../moh
        await(client.subscribe("cti-lab", List.of("endpoint:PJSIP/1001", "deviceState:PJSIP/1001")));

        AriException e = failure(client.stopBridgeMoh(BridgeId.of("acd-08-hold")));

        assertThat(e.kind()).isEqualTo(AriException.Kind.CONFLICT);
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.asteriskMessage()).isEqualTo("Bridge isn't playing music");
        assertThat(e.method()).isEqualTo("DELETE");
        assertThat(e.path()).isEqualTo("/ari/bridges/acd-08-hold/moh");
    }

    @Test
    void givenAri08Flow_whenDrivenThroughTheClient_thenEveryRecordedAnswerIsReadIntoOurRecords() throws Exception {
        AriClient client = clientFor("ari-08-acd-answered");
        ChannelId caller = ChannelId.of("1795424151.45");
        ChannelId agent = ChannelId.of("acd-08-agent-1001");
        BridgeId hold = BridgeId.of("acd-08-hold");
        BridgeId mix = BridgeId.of("acd-08-mix-1");

        AriApplication subscribed = await(client.subscribe("cti-lab",
                List.of("endpoint:PJSIP/1001", "deviceState:PJSIP/1001")));
        await(client.answer(caller));
        BridgeSnapshot holding = await(client.createBridge(hold, "holding", "acd-08-hold"));
        await(client.startBridgeMoh(hold, "default"));
        await(client.addChannel(hold, caller));
        AriPlayback playback = await(client.playOnChannel(caller, "sound:queue-youarenext", "en", "acd-08-pos-1"));
        BridgeSnapshot holdingNow = await(client.getBridge(hold));
        ChannelSnapshot leg = await(client.originate(
                OriginateRequest.toApp("PJSIP/1001", "cti-lab", List.of("agent", "acd-08-call-1"))
                        .withCallerId("\"Customer One\" <2001>")
                        .withTimeout(Duration.ofSeconds(30))
                        .withChannelId(agent)
                        .withVariables(Map.of("CTI_CALL_ID", "acd-08-call-1"))));
        BridgeSnapshot mixing = await(client.createBridge(mix, "mixing", "acd-08-mix-1"));
        await(client.removeChannel(hold, caller));
        await(client.addChannel(mix, caller));
        await(client.addChannel(mix, agent));
        BridgeSnapshot mixingNow = await(client.getBridge(mix));
        String callId = await(client.getChannelVariable(agent, "CTI_CALL_ID"));
        await(client.hangup(agent));
        await(client.destroyBridge(mix));
        AriException noMusic = failure(client.stopBridgeMoh(hold));
        await(client.destroyBridge(hold));
        AriApplication unsubscribed = await(client.unsubscribe("cti-lab",
                List.of("endpoint:PJSIP/1001", "deviceState:PJSIP/1001")));

        assertThat(subscribed.endpointIds()).containsExactly("PJSIP/1001");
        assertThat(subscribed.deviceNames()).containsExactly("PJSIP/1001");
        assertThat(holding.type()).isEqualTo("holding");
        assertThat(holding.technology()).isEqualTo("holding_bridge");
        assertThat(playback.id()).isEqualTo("acd-08-pos-1");
        assertThat(playback.state()).isEqualTo("queued");
        assertThat(playback.targetUri()).isEqualTo("channel:1795424151.45");
        assertThat(holdingNow.channels()).containsExactly(caller);
        assertThat(leg.id()).isEqualTo(agent);
        assertThat(leg.name()).isEqualTo("PJSIP/1001-00000015");
        assertThat(leg.state()).isEqualTo(ChannelState.DOWN);
        assertThat(leg.caller().number()).isEqualTo("2001");
        assertThat(mixing.type()).isEqualTo("mixing");
        assertThat(mixingNow.technology()).isEqualTo("native_rtp");
        assertThat(mixingNow.channels()).containsExactly(caller, agent);
        assertThat(callId).isEqualTo("acd-08-call-1");
        assertThat(noMusic.kind()).isEqualTo(AriException.Kind.CONFLICT);
        assertThat(unsubscribed.endpointIds()).isEmpty();

        FakeAriServer.Request originate = server.requests("POST", "/ari/channels").get(0);
        assertThat(originate.body()).isEqualTo("{\"variables\":{\"CTI_CALL_ID\":\"acd-08-call-1\"}}");
        assertThat(originate.query()).containsEntry("callerId", "\"Customer One\" <2001>")
                .containsEntry("appArgs", "agent,acd-08-call-1")
                .containsEntry("timeout", "30");
        assertThat(originate.authorization()).startsWith("Basic ");
    }

    @Test
    void givenAri05Flow_whenDrivenThroughTheClient_thenSnoopRecordDtmfAndVariablesWork() throws Exception {
        AriClient client = clientFor("ari-05-stasis-bridge-record-snoop");
        ChannelId caller = ChannelId.of("1795422593.31");
        BridgeId bridge = BridgeId.of("cti-lab-bridge-1");

        AriAsteriskInfo info = await(client.asteriskInfo());
        AriApplication app = await(client.getApplication());
        await(client.answer(caller));
        await(client.playOnChannel(caller, "sound:hello-world", "en", "lab-pb-1"));
        await(client.sendDtmf(caller, "3", 100));
        await(client.setChannelVariable(caller, "CTI_TAG", "lab"));
        String tag = await(client.getChannelVariable(caller, "CTI_TAG"));
        await(client.createBridge(bridge, "mixing", "cti-lab-bridge"));
        await(client.addChannel(bridge, caller));
        ChannelSnapshot agent = await(client.originate(
                OriginateRequest.toApp("PJSIP/1002", "cti-lab", List.of("dialed", "agent"))
                        .withCallerId("CTI Lab <700>").withTimeout(Duration.ofSeconds(30))
                        .withChannelId(ChannelId.of("lab-agent-leg-1"))));
        await(client.addChannel(bridge, agent.id()));
        AriLiveRecording rec = await(client.recordBridge(bridge, RecordOptions.of("lab-bridge-rec-1", "wav")
                .withIfExists(RecordOptions.IfExists.OVERWRITE).withBeep(false)));
        AriLiveRecording live = await(client.getLiveRecording("lab-bridge-rec-1"));
        await(client.stopRecording("lab-bridge-rec-1"));
        ChannelSnapshot snoop = await(client.snoop(caller, AriMediaDirection.BOTH, AriMediaDirection.NONE, "cti-lab",
                List.of("snoop"), ChannelId.of("lab-snoop-1")));
        AriLiveRecording snoopRec = await(client.recordChannel(snoop.id(), RecordOptions.of("lab-snoop-rec-1", "wav")
                .withIfExists(RecordOptions.IfExists.OVERWRITE)));
        await(client.stopRecording("lab-snoop-rec-1"));
        await(client.hangup(snoop.id()));
        List<ChannelSnapshot> channels = await(client.listChannels());
        await(client.hangupWithCause(caller, 16));
        await(client.hangup(agent.id()));
        await(client.destroyBridge(bridge));
        await(client.deleteStoredRecording("lab-snoop-rec-1"));

        assertThat(info.version()).isEqualTo("22.10.1");
        assertThat(info.entityId()).isEqualTo("02:fc:00:00:00:01");
        assertThat(info.startupTime()).isEqualTo(Instant.parse("2026-11-23T08:26:22.687Z"));
        assertThat(app.name()).isEqualTo("cti-lab");
        assertThat(app.channelIds()).isEmpty();
        assertThat(tag).isEqualTo("lab");
        assertThat(agent.name()).isEqualTo("PJSIP/1002-00000019");
        assertThat(rec.state()).isEqualTo("queued");
        assertThat(rec.targetUri()).isEqualTo("bridge:cti-lab-bridge-1");
        assertThat(live.state()).isEqualTo("recording");
        assertThat(snoop.name()).isEqualTo("Snoop/1795422593.31-00000001");
        assertThat(snoopRec.state()).isEqualTo("recording");
        assertThat(channels).extracting(c -> c.id().value()).contains("lab-agent-leg-1", "lab-snoop-1");
        assertThat(server.requests("POST", "/ari/channels").get(0).body()).as("no variables, no body").isEmpty();
    }

    @Test
    void givenAri11Recordings_whenMutedPausedAndStopped_thenEvery204CompletesAndPauseShows() throws Exception {
        AriClient client = clientFor("ari-11-recording-mute");
        ChannelId caller = ChannelId.of("1795424200.59");
        BridgeId mix = BridgeId.of("acd-11-mix-1");
        RecordOptions wav = RecordOptions.of("acd-11-rec-mute", "wav")
                .withIfExists(RecordOptions.IfExists.OVERWRITE).withBeep(false);

        await(client.answer(caller));
        await(client.createBridge(mix, "mixing", "acd-11-mix-1"));
        await(client.addChannel(mix, caller));
        await(client.originate(OriginateRequest.toApp("PJSIP/1001", "cti-lab", List.of("agent", "acd-11-call-1"))
                .withCallerId("\"Customer Two\" <2002>").withTimeout(Duration.ofSeconds(30))
                .withChannelId(ChannelId.of("acd-11-agent-1001"))
                .withVariables(Map.of("CTI_CALL_ID", "acd-11-call-1"))));
        await(client.addChannel(mix, ChannelId.of("acd-11-agent-1001")));
        await(client.recordBridge(mix, wav));
        Void muted = await(client.muteRecording("acd-11-rec-mute"));
        AriLiveRecording whileMuted = await(client.getLiveRecording("acd-11-rec-mute"));
        Void unmuted = await(client.unmuteRecording("acd-11-rec-mute"));
        await(client.getLiveRecording("acd-11-rec-mute"));
        Void stopped = await(client.stopRecording("acd-11-rec-mute"));
        await(client.recordBridge(mix, RecordOptions.of("acd-11-rec-pause", "wav")
                .withIfExists(RecordOptions.IfExists.OVERWRITE).withBeep(false)));
        Void paused = await(client.pauseRecording("acd-11-rec-pause"));
        AriLiveRecording whilePaused = await(client.getLiveRecording("acd-11-rec-pause"));
        Void unpaused = await(client.unpauseRecording("acd-11-rec-pause"));
        AriLiveRecording afterPause = await(client.getLiveRecording("acd-11-rec-pause"));

        assertThat(muted).isNull();
        assertThat(unmuted).isNull();
        assertThat(stopped).isNull();
        assertThat(paused).isNull();
        assertThat(unpaused).isNull();
        assertThat(whileMuted.state()).as("a mute cannot be seen").isEqualTo("recording");
        assertThat(whilePaused.state()).isEqualTo("paused");
        assertThat(afterPause.state()).isEqualTo("recording");
        assertThat(server.requests("POST", "/ari/recordings/live/acd-11-rec-mute/mute")).hasSize(1);
        assertThat(server.requests("DELETE", "/ari/recordings/live/acd-11-rec-pause/pause")).hasSize(1);
    }

    @Test
    void givenRingTimeout_whenHangupWithReason_thenReasonSentAsRecorded() throws Exception {
        AriClient client = clientFor("ari-10-agent-no-answer-then-caller-abandons");

        Void done = await(client.hangup(ChannelId.of("acd-10-agent-1001"), HangupReason.NO_ANSWER));

        assertThat(done).isNull();
        assertThat(server.requests("DELETE", "/ari/channels/acd-10-agent-1001").get(0).query())
                .containsExactly(Map.entry("reason", "no_answer"));
    }

    @Test
    void givenFailedOriginate_whenGetChannelRightAfter_thenNotFound() {
        AriClient client = clientFor("ari-09-agent-busy-then-next");

        AriException e = failure(client.getChannel(ChannelId.of("acd-09-agent-1001")));

        assertThat(e.kind()).isEqualTo(AriException.Kind.NOT_FOUND);
        assertThat(e.asteriskMessage()).isEqualTo("Channel not found");
    }

    @Test
    void givenIdsWithSpacesAndSlashes_whenCalled_thenPathAndQueryArePercentEncoded() {
        AriClient client = clientFor("ari-05-stasis-bridge-record-snoop");

        AriException e = failure(client.setChannelVariable(ChannelId.of("odd id/1"), "CTI_X", "a&b=c d"));

        assertThat(e.path()).isEqualTo("/ari/channels/odd%20id%2F1/variable");
        assertThat(e.asteriskMessage()).contains("no recorded exchange");
        FakeAriServer.Request seen = server.requests().get(server.requests().size() - 1);
        assertThat(seen.query()).containsEntry("value", "a&b=c d").containsEntry("variable", "CTI_X");
    }

    @Test
    void givenWrongPassword_whenCalled_thenUnauthorized() {
        server = FakeAriServer.start("ari-05-stasis-bridge-record-snoop", "cti-lab");
        AriClient client = new AriClient(new AriSettings(server.baseUrl(), FakeAriServer.USER, "wrong", "cti-lab",
                null, null, null, false, null, null));

        AriException e = failure(client.asteriskInfo());

        assertThat(e.kind()).isEqualTo(AriException.Kind.UNAUTHORIZED);
        assertThat(e.status()).isEqualTo(401);
    }

    @Test
    void givenNothingListening_whenCalled_thenUnavailableWithoutStatus() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        AriClient client = new AriClient(settings(URI.create("http://127.0.0.1:" + freePort + "/ari")));

        AriException e = failure(client.listChannels());

        assertThat(e.kind()).isEqualTo(AriException.Kind.UNAVAILABLE);
        assertThat(e.status()).isZero();
        assertThat(e.path()).isEqualTo("/ari/channels");
    }

    @Test
    void givenAsteriskTooSlow_whenCalled_thenUnavailableTimeout() {
        server = FakeAriServer.start("ari-05-stasis-bridge-record-snoop", "cti-lab");
        server.setRestDelay(Duration.ofSeconds(3));
        AriClient client = new AriClient(settings(server.baseUrl()).withRequestTimeout(Duration.ofMillis(200)));

        AriException e = failure(client.asteriskInfo());

        assertThat(e.kind()).isEqualTo(AriException.Kind.UNAVAILABLE);
        assertThat(e.asteriskMessage()).contains("timed out");
    }

    @Test
    void givenStatusCodes_whenMappedToKinds_thenStable() {
        assertThat(AriException.Kind.ofStatus(400)).isEqualTo(AriException.Kind.BAD_REQUEST);
        assertThat(AriException.Kind.ofStatus(403)).isEqualTo(AriException.Kind.FORBIDDEN);
        assertThat(AriException.Kind.ofStatus(422)).isEqualTo(AriException.Kind.UNPROCESSABLE);
        assertThat(AriException.Kind.ofStatus(503)).isEqualTo(AriException.Kind.SERVER_ERROR);
        assertThat(AriException.Kind.ofStatus(405)).isEqualTo(AriException.Kind.UNEXPECTED);
    }

    @Test
    void givenSettings_whenPrinted_thenNoPasswordAndEventsUriHasAppAndSubscribeAll() {
        AriSettings s = AriSettings.of("cti", "cti-secret").withSubscribeAll(true);

        assertThat(s.toString()).doesNotContain("cti-secret");
        assertThat(s.eventsUri()).isEqualTo(URI.create("ws://127.0.0.1:8088/ari/events?app=cti&subscribeAll=true"));
        assertThat(AriSettings.of("u", "p").withBaseUrl(URI.create("https://pbx:8089/ari/")).eventsUri())
                .isEqualTo(URI.create("wss://pbx:8089/ari/events?app=cti&subscribeAll=false"));
    }
}
