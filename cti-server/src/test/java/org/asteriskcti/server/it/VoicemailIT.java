package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.asteriskcti.server.api.AuthService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CTI's own voicemail against a real Asterisk, through both ways in: a queue that nobody serves overflows
 * after 2 s to box 1000@default (DID 700), and an IVR flow whose entry is a voicemail node sends callers to box
 * 2000@default (DID 800). The caller (sipp) speaks G.711 speech from the answer on and hangs up: the CTI plays
 * the greeting, records over ARI until the hang-up (first test) or the maximum length (second test: the caller is
 * still there, hears the thank-you and is hung up on) ends the recording, and stores the message. The message is then listed for the tenant's supervisor with the caller's number and a plausible
 * length, its WAV downloads with speech in it, it can be marked heard; another tenant's supervisor gets 404, an
 * agent 403.
 */
class VoicemailIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    static final String FLOW = """
            entry: vm
            nodes:
              vm: {type: voicemail, mailbox: "2000@default"}
            """;

    private static String yaml(Path flows, int maxSeconds) {
        return """
                ivr:
                  dir: %s
                voicemail:
                  max-duration: %ds
                  min-duration: 1s
                  max-silence: 3s
                queues:
                  - id: support
                    tenant: demo
                    announce-period: 0s
                    wrap-up: 0s
                    max-wait: 2s
                    overflow: {voicemail: "1000@default"}
                tenants:
                  - id: demo
                    name: Demo
                    endpoints: ["1001", "1002", "1003", "1004", "1005"]
                    dids: ["700", "800"]
                    routes:
                      - {did: "700", queue: support}
                      - {did: "800", flow: it-voicemail}
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
                """.formatted(flows, maxSeconds, AuthService.hashPassword("demo1001"), AuthService.hashPassword("supervisor"),
                AuthService.hashPassword("acme-boss"));
    }

    private CtiUnderTest cti(String name, int maxSeconds) {
        Path dir = env.workDir().resolve(name);
        Path flows = dir.resolve("ivr");
        try {
            Files.createDirectories(flows.resolve("demo"));
            Files.writeString(flows.resolve("demo").resolve("it-voicemail.yaml"), FLOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CtiUnderTest cti = CtiUnderTest.start(dir, AsteriskUnderTest.AMI_PORT, yaml(flows, maxSeconds));
        CtiIt.awaitHealthUp(cti);
        return cti;
    }

    /** The one message of {@code box}, once the supervisor sees it. */
    private static JsonNode awaitMessage(CtiClient boss, String box) {
        String list = "/api/v1/voicemail?mailbox=" + box;
        CtiIt.within(CtiIt.CALL_BOUND, "a message in box " + box, () -> boss.get(list).path("messages").size() == 1,
                () -> boss.get("/api/v1/voicemail").toString());
        return boss.get(list).path("messages").get(0);
    }

    /** The message's WAV holds speech for about its length. */
    private static void assertSpeech(CtiClient boss, JsonNode m, Path keep) throws IOException {
        String id = m.path("voicemail_id").asText();
        CtiClient.Bytes audio = boss.getBytes("/api/v1/voicemail/" + id + "/audio");
        assertThat(audio.status()).as(new String(audio.body(), 0, Math.min(300, audio.body().length))).isEqualTo(200);
        assertThat(audio.contentType()).isEqualTo("audio/wav");
        Files.write(keep.resolve(id + ".wav"), audio.body());
        Wav wav = Wav.parse(audio.body());
        int seconds = m.path("duration_seconds").asInt();
        assertThat(wav.seconds()).as("the file's length against duration_seconds %s", seconds)
                .isCloseTo(seconds, within(1.5));
        assertThat(wav.rms(0.5, Math.max(1.0, Math.min(wav.seconds(), 4.0)))).as("speech in the message").isGreaterThan(100);
    }

    @Test
    void givenAQueueNobodyServes_whenTheCallerOverflowsToVoicemailAndSpeaks_thenTheSupervisorListsAndHearsTheMessage()
            throws Exception {
        try (CtiUnderTest cti = cti("voicemail-overflow", 60)) {
            // 2 passes = ~14 s of speech from the answer: 2 s in the queue, the greeting (~6 s), then ~6 s recorded
            // before the caller hangs up (which ends the recording; Asterisk keeps the file).
            Sipp.Phone customer = env.sipp().customerSpeakingThenHangingUp("2001", "700", 2);

            CtiClient boss = CtiClient.login(cti.base(), "supervisor", "supervisor");
            JsonNode m = awaitMessage(boss, "1000@default");
            customer.assertSucceeded(CtiIt.CALL_BOUND);

            assertThat(m.path("caller_number").asText()).isEqualTo("2001");
            assertThat(m.path("tenant").asText()).isEqualTo("demo");
            assertThat(m.path("origin_kind").asText()).isEqualTo("QUEUE");
            assertThat(m.path("origin").asText()).isEqualTo("support");
            assertThat(m.path("state").asText()).isEqualTo("NEW");
            assertThat(m.path("duration_seconds").asInt()).as(m.toString()).isBetween(2, 14);
            assertSpeech(boss, m, env.workDir().resolve("voicemail-overflow"));

            String id = m.path("voicemail_id").asText();
            CtiClient acme = CtiClient.login(cti.base(), "acme-boss", "acme-boss");
            CtiClient.Bytes refused = acme.getBytes("/api/v1/voicemail/" + id + "/audio");
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.json().path("error_id").asText()).isEqualTo("voicemail.unknown");
            assertThat(acme.getBytes("/api/v1/voicemail/" + id).status()).isEqualTo(404);
            assertThat(acme.get("/api/v1/voicemail").path("messages")).isEmpty();
            CtiClient agent = CtiClient.login(cti.base(), "demo1001", "demo1001");
            assertThat(agent.getBytes("/api/v1/voicemail/" + id).status()).isEqualTo(403);

            JsonNode heard = boss.post("/api/v1/voicemail/" + id + "/heard", "");
            assertThat(heard.path("state").asText()).isEqualTo("HEARD");
            assertThat(heard.path("heard_by").asText()).isEqualTo("supervisor");
            long stored = cti.server().loop().call(() -> cti.server().voicemail().stored()).join();
            assertThat(stored).isEqualTo(1);
        }
    }

    @Test
    void givenAnIvrVoicemailNode_whenTheCallerSpeaksPastTheMaximum_thenTheMessageIsCutThereStoredAndTheCtiHangsUp()
            throws Exception {
        // 5 s at most: Asterisk ends the recording while the caller still speaks (~6 s of greeting, then 5 s of
        // the ~21 s of speech); the caller, still there, hears the thank-you (~3 s) and the CTI hangs up on them
        // (at ~14 s, before they would hang up themselves at ~21 s).
        try (CtiUnderTest cti = cti("voicemail-ivr", 5)) {
            Sipp.Phone customer = env.sipp().customerSpeakingThenHangingUp("2002", "800", 3);

            CtiClient boss = CtiClient.login(cti.base(), "supervisor", "supervisor");
            JsonNode m = awaitMessage(boss, "2000@default");
            customer.assertSucceeded(CtiIt.CALL_BOUND);
            assertThat(customer.messages()).as("the CTI's BYE to the caller after the thank-you")
                    .contains("BYE sip:2002@");

            assertThat(m.path("caller_number").asText()).isEqualTo("2002");
            assertThat(m.path("origin_kind").asText()).isEqualTo("FLOW");
            assertThat(m.path("origin").asText()).isEqualTo("it-voicemail");
            assertThat(m.path("duration_seconds").asInt()).as(m.toString()).isBetween(4, 6);
            assertSpeech(boss, m, env.workDir().resolve("voicemail-ivr"));
        }
    }
}
