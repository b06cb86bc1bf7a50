package org.asteriskcti.server.asterisk.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.server.recording.RecordingException;
import org.asteriskcti.server.recording.RecordingFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stored recordings' files over ARI, against {@link FakeAriServer} answering as in ari-11. */
class AriRecordingFilesTest {

    private FakeAriServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AriRecordingFiles files() {
        server = FakeAriServer.start("ari-11-recording-mute", "cti-lab");
        return new AriRecordingFiles(new AriClient(AriSettings.of(FakeAriServer.USER, FakeAriServer.PASSWORD)
                .withBaseUrl(server.baseUrl()).withApp("cti-lab").withRequestTimeout(Duration.ofSeconds(3))));
    }

    private static RecordingException failure(java.util.concurrent.CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> f.get(5, TimeUnit.SECONDS));
        RecordingException e = RecordingException.unwrap(t);
        assertThat(e).as("RecordingException inside %s", t).isNotNull();
        return e;
    }

    @Test
    void givenAStoredRecording_whenOpened_thenItsBodyStreamsWithTypeAndLength() throws Exception {
        AriRecordingFiles files = files();

        try (RecordingFiles.Audio a = files.open("acd-11-rec-mute").get(5, TimeUnit.SECONDS)) {
            // The trace keeps a placeholder instead of the 96364 bytes of WAV; it is what the fake sends.
            byte[] body = a.body().readAllBytes();
            assertThat(a.contentType()).isEqualTo("audio/wav");
            assertThat(a.length()).hasValue(body.length);
            assertThat(new String(body, StandardCharsets.UTF_8)).contains("96364 bytes of audio/wav");
        }
        assertThat(server.requests("GET", "/ari/recordings/stored/acd-11-rec-mute/file")).hasSize(1);
    }

    @Test
    void givenNoSuchStoredRecording_whenOpened_thenAudioMissing() {
        RecordingException e = failure(files().open("cti-demo-nothing"));

        assertThat(e.errorId()).isEqualTo("recording.audio_missing");
        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void givenAsteriskDown_whenOpened_thenAsteriskFailed() {
        AriRecordingFiles files = files();
        server.stop();

        RecordingException e = failure(files.open("acd-11-rec-mute"));

        assertThat(e.errorId()).isEqualTo("recording.asterisk_failed");
        assertThat(e.status()).isEqualTo(502);
    }
}
