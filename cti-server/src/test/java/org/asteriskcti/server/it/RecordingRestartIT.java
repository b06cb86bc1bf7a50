package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A recording survives {@code kill -9}: an agent records a customer who speaks and pauses it (a card number);
 * the CTI dies while paused and Asterisk goes on recording, muted. The new process takes the recording back
 * from its database (PAUSED: a mute cannot be seen in Asterisk's state), the agent resumes it and hangs up
 * through the API, and the WAV holds one digital silence, from the pause to the resume, then speech again.
 */
class RecordingRestartIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final String YAML = "queues:\n  - id: support\n    tenant: demo\n    wrap-up: 0s\n"
            + "    announce-period: 0s\n    overflow: {message: all-circuits-busy-now}\n";

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode command(CtiClient c, String id, String type, String fields) {
        return c.post("/api/v1/call-control/" + type, "{\"command_id\":\"" + id + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    private static JsonNode conversations(CtiClient c) {
        return c.get("/api/v1/conversations").path("conversations");
    }

    @Test
    void givenAPausedRecording_whenTheCtiIsKilledAndStartedAgain_thenItIsResumedAndEndedThroughTheNewOneWithThePauseClosed()
            throws Exception {
        Path dir = env.workDir().resolve("rec-restart");
        int port = CtiProcess.freePort();
        Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(300), 1);
        Sipp.Phone customer;
        String recording;
        try (CtiProcess cti = CtiProcess.start(dir, port, YAML, "cti-1")) {
            cti.awaitUp();
            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001 READY", () -> {
                try {
                    boss.post("/api/v1/agents/agent-1001/login", "{\"ready\": true}");
                    return true;
                } catch (AssertionError e) {
                    return false;
                }
            }, () -> "");
            customer = env.sipp().customerCallingWithAudio("2001", "700", 10); // ~70 s of speech
            CtiIt.within(CtiIt.CALL_BOUND, "the ACD call under call control", () -> conversations(boss).size() == 1
                    && conversations(boss).get(0).path("parties").size() == 2, () -> conversations(boss).toString());
            CtiClient desk = CtiClient.login(cti.base(), "demo1001", "demo1001");

            recording = command(desk, "rr-1", "call.record.start", "").path("recording_id").asText();
            assertThat(recording).startsWith("rec-");
            sleep(2000);
            assertThat(command(desk, "rr-2", "call.record.pause", "\"reason\":\"card number\"").path("state").asText())
                    .isEqualTo("PAUSED");
            sleep(1000); // the store's writer has it
            cti.kill9();
        }
        try (CtiProcess cti = CtiProcess.start(dir, port, YAML, "cti-2")) {
            cti.awaitUp();
            CtiClient desk = CtiClient.login(cti.base(), "demo1001", "demo1001");
            CtiClient boss = CtiClient.login(cti.base(), CtiIt.SUPERVISOR, CtiIt.SUPERVISOR);
            CtiIt.within(CtiIt.LINK_BOUND, "the conversation taken back", () -> conversations(boss).size() == 1,
                    () -> conversations(boss) + "\n" + cti.tail());
            JsonNode back = boss.get("/api/v1/recordings/" + recording);
            assertThat(back.path("state").asText()).as(back.toString()).isEqualTo("PAUSED");
            sleep(1000);

            JsonNode resumed = command(desk, "rr-3", "call.record.resume", "");
            assertThat(resumed.path("state").asText()).as(resumed.toString()).isEqualTo("RECORDING");
            sleep(2500);
            command(desk, "rr-4", "call.hangup", "");
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);

            CtiIt.within(CtiIt.CALL_BOUND, "the recording stopped", () -> "STOPPED".equals(
                    boss.get("/api/v1/recordings/" + recording).path("state").asText()),
                    () -> boss.get("/api/v1/recordings/" + recording) + "\n" + cti.tail());
            JsonNode meta = boss.get("/api/v1/recordings/" + recording);
            assertThat(meta.path("end_reason").asText()).isEqualTo("CALL_ENDED");
            JsonNode pauses = meta.path("pauses");
            assertThat(pauses).as(meta.toString()).hasSize(1);
            assertThat(pauses.get(0).path("paused_by").asText()).isEqualTo("demo1001");
            assertThat(pauses.get(0).path("resumed_by").asText()).isEqualTo("demo1001");
            assertThat(pauses.get(0).path("ended_with_recording").asBoolean()).isFalse();
            double pausedFor = Duration.between(Instant.parse(pauses.get(0).path("paused_at").asText()),
                    Instant.parse(pauses.get(0).path("resumed_at").asText())).toMillis() / 1000.0;

            CtiClient.Bytes audio = boss.getBytes("/api/v1/recordings/" + recording + "/audio");
            assertThat(audio.status()).isEqualTo(200);
            Files.write(dir.resolve(recording + ".wav"), audio.body());
            Wav wav = Wav.parse(audio.body());
            List<Wav.Span> silences = wav.digitalSilences(Duration.ofMillis(1000));
            assertThat(silences).as("digital silences in %s s (pause audited %s s)", wav.seconds(), pausedFor).hasSize(1);
            Wav.Span pause = silences.get(0);
            // The silence starts at the pause, lasts through the restart until the resume, then speech comes back.
            assertThat(pause.start()).isCloseTo(2.0, within(0.6));
            assertThat(pause.end() - pause.start()).isCloseTo(pausedFor, within(0.6));
            assertThat(wav.seconds() - pause.end()).as("speech after the resume").isGreaterThan(1.5);
            assertThat(wav.rms(0.2, pause.start() - 0.2)).isGreaterThan(100);
            assertThat(wav.rms(pause.end() + 0.2, wav.seconds() - 0.2)).isGreaterThan(100);
        }
    }
}
