package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.asteriskcti.server.api.AuthService;
import org.asteriskcti.server.control.PartyState;
import org.asteriskcti.server.domain.AgentId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recording with a PCI pause against a real Asterisk: a customer who speaks (sipp plays G.711 speech)
 * is answered by an agent, who starts recording, pauses it for about 2 s (a card number), resumes, and
 * pauses once more (1.5 s).
 * The stored WAV, downloaded through the CTI, holds the whole call with exact digital silence where the
 * pause was; the pause is audited; a user of another tenant cannot see or hear it.
 */
class RecordingIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final AgentId A1001 = AgentId.of("agent-1001");

    private static String yaml() {
        return """
                queues:
                  - id: support
                    tenant: demo
                    announce-period: 0s
                    wrap-up: 0s
                    overflow: {message: all-circuits-busy-now}
                tenants:
                  - id: demo
                    name: Demo
                    endpoints: ["1001", "1002", "1003", "1004", "1005"]
                    dids: ["700"]
                    routes: [{did: "700", queue: support}]
                  - id: acme
                    name: Acme
                    endpoints: []
                    dids: []
                users:
                  - username: demo1001
                    tenant: demo
                    role: agent
                    agent: agent-1001
                    password-hash: "%s"
                  - username: supervisor
                    tenant: demo
                    role: supervisor
                    password-hash: "%s"
                  - username: acme-boss
                    tenant: acme
                    role: supervisor
                    password-hash: "%s"
                """.formatted(AuthService.hashPassword("demo1001"), AuthService.hashPassword("supervisor"),
                AuthService.hashPassword("acme-boss"));
    }

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

    @Test
    void givenARecordedCall_whenTheAgentPausesForACardNumber_thenTheFileHasSilenceThereAndThePauseIsAudited() throws Exception {
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("recording"), AsteriskUnderTest.AMI_PORT, yaml())) {
            CtiIt.awaitHealthUp(cti);
            CtiIt.within(CtiIt.LINK_BOUND, "agent-1001's phone online", () -> cti.acd(acd -> acd.agent(A1001).phoneOnline()), () -> "");
            cti.acd(acd -> {
                acd.agentLogin(A1001, true);
                return null;
            });
            Sipp.Phone agent = env.sipp().agent("1001", "uas-answer.xml", Duration.ofMillis(300), 1);
            Sipp.Phone customer = env.sipp().customerCallingWithAudio("2001", "700", 4); // ~28 s of speech
            CtiIt.within(CtiIt.CALL_BOUND, "the call under call control", () -> cti.server().loop().call(() ->
                    cti.server().control().of(A1001).map(c -> c.active().stream().filter(p -> p.state() == PartyState.CONNECTED)
                            .count() == 2).orElse(false)).join(), () -> "");
            CtiClient agentDesk = CtiClient.login(cti.base(), "demo1001", "demo1001");

            JsonNode started = command(agentDesk, "rec-1", "call.record.start", "");
            String recording = started.path("recording_id").asText();
            String call = started.path("call_id").asText();
            assertThat(recording).startsWith("rec-");
            sleep(2000);
            JsonNode paused = command(agentDesk, "rec-2", "call.record.pause", "\"reason\":\"card number\"");
            assertThat(paused.path("state").asText()).isEqualTo("PAUSED");
            sleep(2000);
            command(agentDesk, "rec-3", "call.record.resume", "");
            sleep(2000);
            // A second pause in the same recording (Asterisk keeps a muted flag per live recording).
            command(agentDesk, "rec-3b", "call.record.pause", "\"reason\":\"security code\"");
            sleep(1500);
            command(agentDesk, "rec-3c", "call.record.resume", "");
            sleep(1500);
            command(agentDesk, "rec-4", "call.hangup", "");
            agent.assertSucceeded(CtiIt.CALL_BOUND);
            customer.assertSucceeded(CtiIt.CALL_BOUND);

            CtiClient boss = CtiClient.login(cti.base(), "supervisor", "supervisor");
            CtiIt.within(CtiIt.CALL_BOUND, "the recording stopped", () -> "STOPPED".equals(
                    boss.get("/api/v1/recordings/" + recording).path("state").asText()),
                    () -> boss.get("/api/v1/recordings/" + recording).toString());
            JsonNode meta = boss.get("/api/v1/recordings/" + recording);
            assertThat(boss.get("/api/v1/recordings?call=" + call).path("recordings")).hasSize(1);
            assertThat(meta.path("tenant").asText()).isEqualTo("demo");
            assertThat(meta.path("agents").toString()).contains("agent-1001");
            JsonNode pauses = meta.path("pauses");
            assertThat(pauses).hasSize(2);
            assertThat(pauses.get(1).path("reason").asText()).isEqualTo("security code");
            assertThat(pauses.get(0).path("paused_by").asText()).isEqualTo("demo1001");
            assertThat(pauses.get(0).path("resumed_by").asText()).isEqualTo("demo1001");
            assertThat(pauses.get(0).path("reason").asText()).isEqualTo("card number");

            CtiClient.Bytes audio = boss.getBytes("/api/v1/recordings/" + recording + "/audio");
            assertThat(audio.status()).as(new String(audio.body(), 0, Math.min(300, audio.body().length))).isEqualTo(200);
            assertThat(audio.contentType()).isEqualTo("audio/wav");
            Wav wav = Wav.parse(audio.body());
            // ~9 s of call recorded; both pauses are in the file (mute keeps the timeline) as exact zeros.
            assertThat(wav.seconds()).isCloseTo(9.0, within(1.0));
            List<Wav.Span> silences = wav.digitalSilences(Duration.ofMillis(1000));
            assertThat(silences).as("digital silences in %s s", wav.seconds()).hasSize(2);
            Wav.Span pause = silences.get(0);
            assertThat(pause.end() - pause.start()).isCloseTo(2.0, within(0.4));
            assertThat(pause.start()).isCloseTo(2.0, within(0.6));
            Wav.Span second = silences.get(1);
            assertThat(second.end() - second.start()).isCloseTo(1.5, within(0.4));
            assertThat(second.start()).isCloseTo(6.0, within(0.8));
            // Speech before, between and after the pauses.
            assertThat(wav.rms(0.2, pause.start() - 0.2)).isGreaterThan(100);
            assertThat(wav.rms(pause.end() + 0.2, second.start() - 0.2)).isGreaterThan(100);
            assertThat(wav.rms(second.end() + 0.2, wav.seconds() - 0.2)).isGreaterThan(100);
            java.nio.file.Files.write(env.workDir().resolve("recording").resolve(recording + ".wav"), audio.body());

            // The agent's call history links the recording.
            CtiIt.within(CtiIt.CALL_BOUND, "the call in agent-1001's history", () -> agentDesk.get(
                    "/api/v1/agents/agent-1001/history").path("entries").size() == 1, () -> "");
            JsonNode entry = agentDesk.get("/api/v1/agents/agent-1001/history").path("entries").get(0);
            assertThat(entry.path("direction").asText()).isEqualTo("INBOUND");
            assertThat(entry.path("number").asText()).isEqualTo("2001");
            assertThat(entry.path("recordings").get(0).path("url").asText()).isEqualTo("/api/v1/recordings/" + recording);

            // The agent who took the call may hear it; another tenant's supervisor cannot even see it.
            assertThat(agentDesk.getBytes("/api/v1/recordings/" + recording + "/audio").status()).isEqualTo(200);
            CtiClient acme = CtiClient.login(cti.base(), "acme-boss", "acme-boss");
            CtiClient.Bytes refused = acme.getBytes("/api/v1/recordings/" + recording + "/audio");
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.json().path("error_id").asText()).isEqualTo("recording.unknown");
            assertThat(acme.getBytes("/api/v1/recordings/" + recording).status()).isEqualTo(404);
            assertThat(acme.get("/api/v1/recordings?call=" + call).path("recordings")).isEmpty();
        }
    }
}
