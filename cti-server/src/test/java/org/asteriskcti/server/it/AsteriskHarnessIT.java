package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The harness itself, without the CTI: Asterisk boots from asterisk-config/, AMI and ARI answer as
 * the CTI's configuration expects, and SIPp phones can place calls through it.
 */
class AsteriskHarnessIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final Duration CALL_BOUND = Duration.ofSeconds(30);

    @Test
    void givenAsteriskConfig_whenBooted_thenItIsAsterisk22WithTheCtiModules() {
        assertThat(env.asterisk().rx("core show version")).startsWith("Asterisk 22.");
        String modules = env.asterisk().rx("module show like stasis");
        assertThat(modules).contains("app_stasis.so").contains("res_stasis.so").contains("Running");
        assertThat(env.asterisk().rx("module show like app_queue")).contains("Running");
        assertThat(env.asterisk().rx("queue show support")).contains("PJSIP/1001").contains("PJSIP/1002");
        assertThat(env.asterisk().rx("pjsip show endpoints")).contains("1001").contains("2002");
    }

    @Test
    void givenAmiOn5038_whenTheCtiUserLogsIn_thenBannerLoginAndTimestampedEvents() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(AsteriskUnderTest.HOST, AsteriskUnderTest.AMI_PORT), 2000);
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("Asterisk Call Manager/");
            OutputStream out = s.getOutputStream();
            out.write(("Action: Login\r\nActionID: it-1\r\nUsername: " + AsteriskUnderTest.AMI_USER + "\r\nSecret: "
                    + AsteriskUnderTest.AMI_SECRET + "\r\nEvents: on\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> login = readMessage(in);
            assertThat(login).contains("Response: Success", "ActionID: it-1");
            // With Events: on, FullyBooted follows at once (written straight to this connection, never
            // stamped), then the security event SuccessfulAuth, a real event: timestampevents = yes
            // gives it "Timestamp: <epoch>.<micros>".
            List<String> first = readMessage(in);
            assertThat(first).contains("Event: FullyBooted");
            List<String> auth = readMessage(in);
            assertThat(auth).contains("Event: SuccessfulAuth");
            assertThat(auth).anyMatch(l -> l.matches("Timestamp: \\d+\\.\\d{6}"));
        }
    }

    @Test
    void givenAriOn8088_whenAskedForAsteriskInfo_thenVersion22() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = Base64.getEncoder().encodeToString((AsteriskUnderTest.ARI_USER + ":" + AsteriskUnderTest.ARI_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + AsteriskUnderTest.HOST + ":"
                        + AsteriskUnderTest.HTTP_PORT + "/ari/asterisk/info"))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode info = CtiClient.parse(r.body());
        assertThat(info.path("system").path("version").asText()).startsWith("22.");
        // pretty = no: one line, no indentation.
        assertThat(r.body()).doesNotContain("\n");
    }

    @Test
    void givenAgent1001Answering_whenCustomer2001DialsIt_thenBothSippPhonesComplete() {
        Sipp.Phone agent = env.sipp().agentAnswering("1001", Duration.ofMillis(500));
        Sipp.Phone customer = env.sipp().customerCalling("2001", "1001", Duration.ofSeconds(2));
        customer.assertSucceeded(CALL_BOUND);
        agent.assertSucceeded(CALL_BOUND);
    }

    @Test
    void givenNoCtiRegistered_whenCustomerDialsDid600_thenDialplanFallsBackToQueueSupport() {
        // The Stasis app "cti" is not registered (no CTI here): STASISSTATUS=FAILED -> queue support.
        // 1002 is paused so the queue rings 1001, whose phone answers.
        env.asterisk().rx("queue pause member PJSIP/1002 queue support reason it");
        try {
            Sipp.Phone agent = env.sipp().agentAnswering("1001", Duration.ofMillis(500));
            // talk >= 1 s: the queue path Answer()s first, which waits for media SIPp never sends.
            Sipp.Phone customer = env.sipp().customerCalling("2001", "600", Duration.ofSeconds(3));
            customer.assertSucceeded(CALL_BOUND);
            agent.assertSucceeded(CALL_BOUND);
        } finally {
            env.asterisk().rx("queue unpause member PJSIP/1002 queue support");
        }
    }

    /** One AMI message: header lines up to the blank line. */
    private static List<String> readMessage(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }
}
