package org.asteriskcti.server.asterisk.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.server.asterisk.LiveRecordingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a restarted CTI asks of a recording it finds in its store ({@code AriCommands.liveRecording}),
 * against {@link FakeAriServer} answering as Asterisk did in ari-11: paused while paused, recording again
 * after the unpause, recording while muted (a mute cannot be seen), and 404 for one that is gone.
 */
class AriLiveRecordingTest {

    private FakeAriServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AriCommands commands() {
        server = FakeAriServer.start("ari-11-recording-mute", "cti-lab");
        return new AriCommands(new AriClient(AriSettings.of(FakeAriServer.USER, FakeAriServer.PASSWORD)
                .withBaseUrl(server.baseUrl()).withApp("cti-lab").withRequestTimeout(Duration.ofSeconds(3))));
    }

    private static Optional<LiveRecordingState> get(AriCommands c, String name) throws Exception {
        return c.liveRecording(name).get(5, TimeUnit.SECONDS);
    }

    @Test
    void givenTheTracedRecordings_whenAsked_thenTheirStatesAreAsteriskAnsweredThem() throws Exception {
        AriCommands c = commands();

        assertThat(get(c, "acd-11-rec-pause")).contains(LiveRecordingState.PAUSED);
        assertThat(get(c, "acd-11-rec-pause")).contains(LiveRecordingState.RECORDING);
        // Muted: still "recording" for Asterisk (ari-11), so the store's open pause is the truth.
        assertThat(get(c, "acd-11-rec-mute")).contains(LiveRecordingState.RECORDING);
        assertThat(server.requests("GET", "/ari/recordings/live/acd-11-rec-pause")).hasSize(2);
    }

    @Test
    void givenARecordingAsteriskDoesNotKnow_thenItIsGone() throws Exception {
        assertThat(get(commands(), "cti-demo-gone")).isEmpty();
    }

    @Test
    void givenATracedStoredRecording_whenDeleted_thenTheDeleteIsSentAndSucceeds() throws Exception {
        AriCommands c = commands();

        c.deleteStoredRecording("acd-11-rec-mute").get(5, TimeUnit.SECONDS);

        assertThat(server.requests("DELETE", "/ari/recordings/stored/acd-11-rec-mute")).hasSize(1);
    }

    @Test
    void givenAriStates_thenEachMapsToOurs() {
        assertThat(AriCommands.liveState("queued")).isEqualTo(LiveRecordingState.QUEUED);
        assertThat(AriCommands.liveState("done")).isEqualTo(LiveRecordingState.ENDED);
        assertThat(AriCommands.liveState("failed")).isEqualTo(LiveRecordingState.ENDED);
        assertThat(AriCommands.liveState("canceled")).isEqualTo(LiveRecordingState.ENDED);
        assertThat(AriCommands.liveState("PAUSED")).isEqualTo(LiveRecordingState.PAUSED);
    }
}
