package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.domain.AgentId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervision against a real Asterisk: an ACD call (customer 2001 dials 700, agent 1001 answers) and the
 * demo supervisor listening, whispering and barging from phone 1004, over the client API.
 *
 * <p>What the phones hear is measured, not assumed: every phone's SIP side is SIPp, its media side an
 * {@link RtpPhone} saying a tone of its own (customer 440 Hz, agent 1700 Hz, supervisor 1000 Hz) and
 * recording what Asterisk sends it. LISTEN: the supervisor hears both sides of the agent's leg (440 and
 * 1700), nobody hears the supervisor; WHISPER: the agent hears 1000, the customer does not; BARGE: both
 * do. Beside that, ARI itself is asked: the snoop channel is in the supervisor's bridge {@code sup-<id>},
 * and in BARGE their phone is in the call's bridge. Another tenant's supervisor is refused on the call
 * exactly like on one that does not exist, and an agent user is refused.
 */
class SupervisionIT {

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final Logger log = LoggerFactory.getLogger(SupervisionIT.class);

    private static final String SUP_HASH = "\"$argon2id$v=19$m=19456,t=2,p=1$vYKIDG0sQ3F2OnHaCRdToA$wQzAzimVFohEEiVAXUUrjB6nggH3Q6PZAdFk8+lVt8Y\"";
    private static final String DEMO1001_HASH = "\"$argon2id$v=19$m=19456,t=2,p=1$QaKtjQ/bqN6BCbNocfEO5A$vaGK6df2aTGz29HoSEZjIR/aELZve3/BuiD+GlUWCnM\"";
    /** The demo tenant as shipped, a second tenant "other" with a supervisor of its own (password "supervisor"). */
    private static final String YAML = """
            queues:
              - {id: support, tenant: demo, overflow: {message: all-circuits-busy-now}, announce-period: 0s, wrap-up: 0s}
            tenants:
              - id: demo
                time-zone: UTC
                endpoints: ["1001", "1002", "1003", "1004", "1005"]
                dids: ["600", "700", "800"]
                routes:
                  - {did: "700", queue: support}
              - {id: other, endpoints: ["3001"], dids: ["900"]}
            users:
              - {username: supervisor, tenant: demo, role: supervisor, endpoint: PJSIP/1004, password-hash: %1$s}
              - {username: demo1001, tenant: demo, role: agent, agent: agent-1001, password-hash: %2$s}
              - {username: sup-b, tenant: other, role: supervisor, endpoint: PJSIP/3001, password-hash: %1$s}
            """.formatted(SUP_HASH, DEMO1001_HASH);

    private static final double CUSTOMER_HZ = 440;
    private static final double AGENT_HZ = 1700;
    private static final double SUPERVISOR_HZ = 1000;
    /** Heard: at least this part of the power at the tone's frequency (alone ~1, one of two ~0.5). */
    private static final double HEARD = 0.1;
    /** Not heard: less than this. */
    private static final double NOT_HEARD = 0.02;
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // ---- the call -----------------------------------------------------------------------------------------

    /** Phones and the CTI of one test; closed in reverse order. */
    private static final class Setup implements AutoCloseable {
        final CtiUnderTest cti;
        final RtpPhone customerMedia = new RtpPhone("customer 2001", 16116, CUSTOMER_HZ);
        final RtpPhone agentMedia = new RtpPhone("agent 1001", 16016, AGENT_HZ);
        final RtpPhone supervisorMedia = new RtpPhone("supervisor 1004", 16046, SUPERVISOR_HZ);
        Sipp.Phone customer;
        Sipp.Phone agent;
        Sipp.Phone supervisorPhone;
        CtiClient supervisor;
        CtiClient.Connection ws;
        String call;

        Setup(String name) {
            cti = CtiUnderTest.start(env.workDir().resolve(name), AsteriskUnderTest.AMI_PORT, YAML);
        }

        String media() {
            return String.join("\n", customerMedia.describe(), agentMedia.describe(), supervisorMedia.describe());
        }

        @Override
        public void close() {
            if (ws != null) {
                ws.close();
            }
            customerMedia.close();
            agentMedia.close();
            supervisorMedia.close();
            cti.close();
        }
    }

    /** CTI up, agent 1001 READY, the supervisor on "calls", customer 2001 connected to the agent through queue support. */
    private static Setup acdCall(String name) {
        Setup s = new Setup(name);
        CtiIt.awaitHealthUp(s.cti);
        AgentId a1 = AgentId.of("agent-1001");
        CtiIt.within(CtiIt.LINK_BOUND, "agent-1001's phone online", () -> s.cti.acd(acd -> acd.agent(a1).phoneOnline()),
                () -> s.cti.acd(acd -> acd.agent(a1)).toString());
        s.cti.acd(acd -> {
            acd.agentLogin(a1, true);
            return null;
        });
        AgentState state = s.cti.acd(acd -> acd.agent(a1).state());
        assertThat(state).isEqualTo(AgentState.READY);
        s.supervisor = s.cti.login("supervisor", "supervisor");
        s.ws = s.supervisor.connect();
        String sub = s.ws.subscribe("calls");
        CtiIt.within(Duration.ofSeconds(5), "subscribed to calls", () -> s.ws.reply(sub).isPresent(), s.ws::dump);

        s.agent = env.sipp().phone("agent-1001-rtp", 5071, "uas-answer-rtp-port.xml", List.of(
                "-i", AsteriskUnderTest.HOST, "-p", "5071", "-mp", "16010", "-s", "1001", "-d", "500", "-key", "rtp_port", "16016"));
        s.customer = env.sipp().phone("customer-2001-rtp-to-700", 5081, "uac-wait-bye-rtp-port.xml", List.of(
                AsteriskUnderTest.HOST + ":" + AsteriskUnderTest.SIP_PORT, "-key", "caller", "2001", "-s", "700",
                "-i", AsteriskUnderTest.HOST, "-p", "5081", "-mp", "16110", "-key", "rtp_port", "16116"));
        JsonNode conversation = CtiIt.awaitEvent(s.ws, "conversation.updated", c -> connected(c, "AGENT") && connected(c, "CUSTOMER"),
                "the ACD call is a conversation with customer and agent connected");
        s.call = conversation.path("id").asText();
        hears(s, s.agentMedia, CUSTOMER_HZ, "the agent hears the customer");
        hears(s, s.customerMedia, AGENT_HZ, "the customer hears the agent");
        return s;
    }

    private static boolean connected(JsonNode conversation, String role) {
        for (JsonNode p : conversation.path("parties")) {
            if (role.equals(p.path("role").asText()) && "CONNECTED".equals(p.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    // ---- asking -------------------------------------------------------------------------------------------

    private record Answer(int status, JsonNode body) {}

    /** {@code POST /api/v1/call-control/<type>} with {@code json}, whatever the status. */
    private static Answer command(CtiUnderTest cti, CtiClient user, String type, String json) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(cti.base().resolve("/api/v1/call-control/" + type))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + user.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        return new Answer(r.statusCode(), CtiClient.parse(r.body()));
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.status()).as("answer %s", a.body()).isEqualTo(200);
        return a.body();
    }

    /** {@code GET /ari<path>} on the test Asterisk, as the CTI's ARI user. */
    private static Answer ari(String path) {
        String auth = Base64.getEncoder().encodeToString((AsteriskUnderTest.ARI_USER + ":" + AsteriskUnderTest.ARI_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://" + AsteriskUnderTest.HOST + ":"
                + AsteriskUnderTest.HTTP_PORT + "/ari" + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + auth).GET().build());
        return new Answer(r.statusCode(), r.body().isBlank() ? null : CtiClient.parse(r.body()));
    }

    private static List<String> bridgeChannels(String bridge) {
        Answer a = ari("/bridges/" + bridge);
        List<String> out = new ArrayList<>();
        if (a.status() == 200) {
            a.body().path("channels").forEach(c -> out.add(c.asText()));
        }
        return out;
    }

    private static HttpResponse<String> send(HttpRequest req) {
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The first monitor.updated with this mode and state and a version above {@code after}. */
    private static JsonNode awaitMonitor(Setup s, String mode, String state, long after) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        CtiIt.within(BOUND, "monitor.updated " + state + " " + mode, () -> {
            s.ws.events("monitor.updated").stream().map(f -> f.path("data"))
                    .filter(d -> mode.equals(d.path("mode").asText()) && state.equals(d.path("state").asText())
                            && d.path("version").asLong() > after)
                    .findFirst().ifPresent(found::set);
            return found.get() != null;
        }, s.ws::dump);
        return found.get();
    }

    // ---- hearing ------------------------------------------------------------------------------------------

    private static final long SECOND = 1_000_000_000L;

    /** Within the bound, a second of what {@code phone} hears has {@code hz} in it. */
    private static void hears(Setup s, RtpPhone phone, double hz, String what) {
        CtiIt.within(BOUND, what, () -> {
            long now = System.nanoTime();
            return phone.share(hz, now - SECOND, now) > HEARD;
        }, () -> shares(s, phone, hz));
        log.info("{}: {}", what, shares(s, phone, hz).lines().findFirst().orElse(""));
    }

    /** A full second of what {@code phone} hears from now on has audio, but not {@code hz}. */
    private static void doesNotHear(Setup s, RtpPhone phone, double hz, String what) {
        sleep(300); // requests of a switch just reported done may still be on the wire
        long from = System.nanoTime();
        sleep(1000);
        long to = System.nanoTime();
        assertThat(phone.power(from, to)).as("%s: it hears something at all\n%s", what, s.media()).isGreaterThan(10_000);
        assertThat(phone.share(hz, from, to)).as("%s\n%s", what, shares(s, phone, hz)).isLessThan(NOT_HEARD);
        log.info("{}: {}", what, shares(s, phone, hz).lines().findFirst().orElse(""));
    }

    private static String shares(Setup s, RtpPhone phone, double hz) {
        long now = System.nanoTime();
        return String.format("%s: last second %.3f at %.0f Hz (customer %.3f, agent %.3f, supervisor %.3f), power %.0f%n%s",
                phone, phone.share(hz, now - SECOND, now), hz, phone.share(CUSTOMER_HZ, now - SECOND, now),
                phone.share(AGENT_HZ, now - SECOND, now), phone.share(SUPERVISOR_HZ, now - SECOND, now),
                phone.power(now - SECOND, now), s.media());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void within(String what, java.util.concurrent.Callable<Boolean> condition, Supplier<String> context) {
        CtiIt.within(BOUND, what, condition, context);
    }

    // ---- the tests ----------------------------------------------------------------------------------------

    @Test
    void givenAnAcdCall_whenTheSupervisorListensWhispersAndBarges_thenTheyHearTheCall_andAreHeardOnlyAsTheModeSays() {
        try (Setup s = acdCall("supervise-modes")) {
            s.supervisorPhone = env.sipp().phone("supervisor-1004-rtp", 5074, "uas-answer-rtp-port.xml", List.of(
                    "-i", AsteriskUnderTest.HOST, "-p", "5074", "-mp", "16040", "-s", "1004", "-d", "300", "-key", "rtp_port", "16046"));
            CtiClient.Connection agentDesk = s.cti.login("demo1001", "demo1001").connect();
            String deskSub = agentDesk.subscribe("agent:agent-1001");
            CtiIt.within(Duration.ofSeconds(5), "the agent's desk subscribed", () -> agentDesk.reply(deskSub).isPresent(), agentDesk::dump);

            // LISTEN: their phone rings, then a snoop on the agent's leg joins their own bridge.
            JsonNode started = ok(command(s.cti, s.supervisor, "call.monitor.listen", "{\"command_id\":\"m1\",\"call\":\"" + s.call + "\"}"));
            assertThat(started.path("state").asText()).isEqualTo("RINGING_SUPERVISOR");
            assertThat(started.path("endpoint").asText()).isEqualTo("PJSIP/1004");
            String id = started.path("id").asText();
            String bridge = "sup-" + id;
            JsonNode listening = awaitMonitor(s, "LISTEN", "ACTIVE", 0);
            within("ARI: the supervisor's bridge holds their phone and the snoop",
                    () -> bridgeChannels(bridge).containsAll(List.of(id + "-phone", id + "-snoop-1")), () -> ari("/bridges/" + bridge).toString());
            assertThat(ari("/channels/" + id + "-snoop-1").body().path("name").asText()).startsWith("Snoop/");
            hears(s, s.supervisorMedia, CUSTOMER_HZ, "LISTEN: the supervisor hears the customer (snoop media)");
            hears(s, s.supervisorMedia, AGENT_HZ, "LISTEN: the supervisor hears the agent (snoop media)");
            doesNotHear(s, s.agentMedia, SUPERVISOR_HZ, "LISTEN: the agent does not hear the supervisor");
            doesNotHear(s, s.customerMedia, SUPERVISOR_HZ, "LISTEN: the customer does not hear the supervisor");

            // WHISPER: a new snoop that whispers to the agent; the first one goes.
            ok(command(s.cti, s.supervisor, "call.monitor.whisper", "{\"command_id\":\"m2\",\"call\":\"" + s.call + "\"}"));
            JsonNode whispering = awaitMonitor(s, "WHISPER", "ACTIVE", listening.path("version").asLong());
            within("ARI: the whispering snoop replaced the listening one", () -> {
                List<String> in = bridgeChannels(bridge);
                return in.contains(id + "-snoop-2") && !in.contains(id + "-snoop-1");
            }, () -> ari("/bridges/" + bridge).toString());
            hears(s, s.agentMedia, SUPERVISOR_HZ, "WHISPER: the agent hears the supervisor");
            hears(s, s.supervisorMedia, CUSTOMER_HZ, "WHISPER: the supervisor still hears the customer");
            doesNotHear(s, s.customerMedia, SUPERVISOR_HZ, "WHISPER: the customer does not hear the supervisor");

            // Until a barge the monitored agent's desk is told nothing: no session, no snoop, no supervisor's phone.
            assertThat(agentDesk.dump()).doesNotContain(id).doesNotContain("Snoop/").doesNotContain("PJSIP/1004");
            agentDesk.close();

            // BARGE: their phone is in the call's bridge, a SUPERVISOR party everyone hears.
            ok(command(s.cti, s.supervisor, "call.monitor.barge", "{\"command_id\":\"m3\",\"call\":\"" + s.call + "\"}"));
            JsonNode barging = awaitMonitor(s, "BARGE", "ACTIVE", whispering.path("version").asLong());
            within("ARI: the supervisor's phone is in the call's bridge", () -> bridgeChannels(s.call).contains(id + "-phone"),
                    () -> ari("/bridges/" + s.call).toString());
            CtiIt.awaitEvent(s.ws, "conversation.updated", c -> c.path("id").asText().equals(s.call) && connected(c, "SUPERVISOR"),
                    "the conversation shows the supervisor");
            hears(s, s.customerMedia, SUPERVISOR_HZ, "BARGE: the customer hears the supervisor");
            hears(s, s.agentMedia, SUPERVISOR_HZ, "BARGE: the agent hears the supervisor");
            hears(s, s.supervisorMedia, CUSTOMER_HZ, "BARGE: the supervisor hears the customer");

            // Back to LISTEN: a new snoop, their phone back in their own bridge; nobody hears them any more.
            ok(command(s.cti, s.supervisor, "call.monitor.listen", "{\"command_id\":\"m4\",\"call\":\"" + s.call + "\"}"));
            awaitMonitor(s, "LISTEN", "ACTIVE", barging.path("version").asLong());
            within("ARI: phone and a new snoop back in the supervisor's bridge",
                    () -> bridgeChannels(bridge).containsAll(List.of(id + "-phone", id + "-snoop-3")), () -> ari("/bridges/" + bridge).toString());
            assertThat(bridgeChannels(s.call)).doesNotContain(id + "-phone");
            doesNotHear(s, s.customerMedia, SUPERVISOR_HZ, "LISTEN again: the customer does not hear the supervisor");
            hears(s, s.supervisorMedia, CUSTOMER_HZ, "LISTEN again: the supervisor hears the customer");

            // Another tenant's supervisor: refused exactly like a call that does not exist. An agent: forbidden.
            CtiClient other = s.cti.login("sup-b", "supervisor");
            Answer theirs = command(s.cti, other, "call.monitor.listen", "{\"command_id\":\"b1\",\"call\":\"" + s.call + "\"}");
            Answer none = command(s.cti, other, "call.monitor.listen", "{\"command_id\":\"b2\",\"call\":\"no-such-call\"}");
            assertThat(theirs.status()).isEqualTo(404).isEqualTo(none.status());
            assertThat(theirs.body().path("error_id").asText()).isEqualTo("call.unknown").isEqualTo(none.body().path("error_id").asText());
            assertThat(theirs.body().path("message").asText()).isEqualTo("no call '" + s.call + "'");
            Answer agentUser = command(s.cti, s.cti.login("demo1001", "demo1001"), "call.monitor.listen",
                    "{\"command_id\":\"a1\",\"call\":\"" + s.call + "\"}");
            assertThat(agentUser.status()).isEqualTo(403);
            assertThat(agentUser.body().path("error_id").asText()).isEqualTo("auth.forbidden");

            // Stop: phone and snoop hung up, the bridge gone; the call goes on.
            JsonNode stopped = ok(command(s.cti, s.supervisor, "call.monitor.stop", "{\"command_id\":\"m5\"}"));
            assertThat(stopped.path("state").asText()).isEqualTo("ENDED");
            s.supervisorPhone.assertSucceeded(CtiIt.CALL_BOUND); // got the BYE
            within("ARI: the supervisor's bridge is gone", () -> ari("/bridges/" + bridge).status() == 404,
                    () -> ari("/bridges/" + bridge).toString());
            CtiIt.awaitEvent(s.ws, "monitor.ended", m -> id.equals(m.path("id").asText()), "monitor.ended");
            hears(s, s.customerMedia, AGENT_HZ, "after the stop the customer still talks to the agent");

            ok(command(s.cti, s.supervisor, "call.hangup", "{\"command_id\":\"h1\",\"agent\":\"agent-1001\"}"));
            s.customer.assertSucceeded(CtiIt.CALL_BOUND);
            s.agent.assertSucceeded(CtiIt.CALL_BOUND);
        }
    }

    @Test
    void givenAListeningSupervisor_whenTheCallEnds_thenTheSessionEndsAndTheirPhoneIsHungUp() {
        try (Setup s = acdCall("supervise-call-ends")) {
            s.supervisorPhone = env.sipp().phone("supervisor-1004-rtp", 5074, "uas-answer-rtp-port.xml", List.of(
                    "-i", AsteriskUnderTest.HOST, "-p", "5074", "-mp", "16040", "-s", "1004", "-d", "300", "-key", "rtp_port", "16046"));
            // The phone named in the command this time (the same one the user has configured).
            JsonNode started = ok(command(s.cti, s.supervisor, "call.monitor.whisper",
                    "{\"command_id\":\"m1\",\"call\":\"" + s.call + "\",\"endpoint\":\"1004\"}"));
            String id = started.path("id").asText();
            awaitMonitor(s, "WHISPER", "ACTIVE", 0);
            hears(s, s.agentMedia, SUPERVISOR_HZ, "WHISPER: the agent hears the supervisor");

            ok(command(s.cti, s.supervisor, "call.hangup", "{\"command_id\":\"h1\",\"agent\":\"agent-1001\"}"));

            JsonNode ended = CtiIt.awaitEvent(s.ws, "monitor.ended", m -> id.equals(m.path("id").asText()), "monitor.ended");
            assertThat(ended.path("reason").asText()).isIn("the call ended", "agent agent-1001 left the call");
            s.supervisorPhone.assertSucceeded(CtiIt.CALL_BOUND);
            s.customer.assertSucceeded(CtiIt.CALL_BOUND);
            s.agent.assertSucceeded(CtiIt.CALL_BOUND);
            within("ARI: the supervisor's bridge is gone", () -> ari("/bridges/sup-" + id).status() == 404,
                    () -> ari("/bridges/sup-" + id).toString());
        }
    }
}
