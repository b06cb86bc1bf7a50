package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.LoginResponse;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.protocol.Protocol.Type;
import org.asteriskcti.protocol.QueueCall;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.softphone.cti.Backoff;
import org.asteriskcti.softphone.cti.CallRequest;
import org.asteriskcti.softphone.cti.DeskModel;
import org.asteriskcti.softphone.phone.SipDeskPhone;
import org.asteriskcti.softphone.phone.SipOptions;
import org.asteriskcti.softphone.sip.CallState;
import org.asteriskcti.softphone.sip.audio.RecordingSink;
import org.asteriskcti.softphone.sip.audio.ToneSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6 end to end on a real Asterisk: the agent desktop's own classes — the CTI client and its
 * {@link DeskModel}, and the built-in SIP phone {@link SipDeskPhone} on agent 1001's static contact
 * (127.0.0.1:5071, no registration, as softphone-client/README.md runs it) — sign in as demo1001, go Ready,
 * and take a sipp customer's call to DID 700 (queue support): the desk shows the offer with the caller's
 * screen pop, the phone rings and is answered, RTP flows both ways, the customer hangs up and the desk
 * shows wrap-up, then Ready again when it runs out.
 */
class SoftphoneIT {

    private static final Logger log = LoggerFactory.getLogger(SoftphoneIT.class);

    @RegisterExtension
    static final AsteriskIt env = new AsteriskIt();

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String AGENT = "agent-1001";
    private static final int WRAP_UP_SECONDS = 4;
    private static final String QUEUES = String.join("\n",
            "queues:",
            "  - id: support",
            "    tenant: demo",
            "    announce-period: 0s",
            "    wrap-up: " + WRAP_UP_SECONDS + "s",
            "");

    /** The desk's thread: the model is fed (by the CTI client) and read only here, as on the JavaFX thread. */
    private final ExecutorService desk = Executors.newSingleThreadExecutor(r -> new Thread(r, "desk"));

    private <T> T onDesk(Callable<T> c) {
        try {
            return desk.submit(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("desk read failed: " + e, e);
        }
    }

    /** What the test does while the agent talks (the customer talks ~14 s, then hangs up). */
    private interface OnCall {
        void run() throws Exception;
    }

    /** What one desk call measured (times in ms from the customer's INVITE). */
    private record DeskCall(long startNanos, long offeredMs, long ringingMs, long connectedMs, long endedMs, long wrapUpMs,
            long rtpSent, long rtpReceived, short[] heard, String ringingText, QueueCall offer, QueueCall done,
            AgentInfo.AcdAgent inWrapUp) {}

    /**
     * The agent's day on the desk: {@code user} signs in with the softphone's CTI client (its {@code model} fed on
     * the desk thread), waits for the CTI to see their phone online, logs in and goes Ready; a sipp customer
     * 2001 calls DID 700 talking for 2 s then hanging up; the desk shows the offer, the phone rings and is
     * answered, RTP is counted until the customer's BYE, and the desk shows WRAP_UP.
     */
    private DeskCall takeACall(CtiUnderTest cti, SipDeskPhone phone, RecordingSink heard,
            org.asteriskcti.softphone.cti.CtiClient client, String user, String agent, DeskModel model,
            List<String> timeline, OnCall onCall) throws Exception {
        LoginResponse login = client.login(user, user).get(10, TimeUnit.SECONDS);
        assertThat(login.user().agent()).isEqualTo(agent);
        long t0 = System.nanoTime();
        model.addListener(() -> {
            String s = model.acdState() + "/" + model.queueCall().map(QueueCall::state).orElse("-");
            if (timeline.isEmpty() || !timeline.get(timeline.size() - 1).endsWith(" " + s)) {
                timeline.add((System.nanoTime() - t0) / 1_000_000 + "ms " + s);
            }
        });
        client.connect(List.of(Topics.AGENTS, Topics.AGENT_PREFIX + agent), model).get(15, TimeUnit.SECONDS);
        CtiIt.within(CtiIt.LINK_BOUND, "the desk sees " + agent + "'s phone online",
                () -> onDesk(() -> model.me().map(a -> a.acd().phoneOnline()).orElse(false)),
                () -> onDesk(() -> String.valueOf(model.me())));

        AgentInfo signedIn = client.agentLogin(false).get(10, TimeUnit.SECONDS);
        assertThat(signedIn.acd().state()).isEqualTo("NOT_READY");
        AgentInfo ready = client.agentReady().get(10, TimeUnit.SECONDS);
        assertThat(ready.acd().state()).isEqualTo("READY");
        CtiIt.within(Duration.ofSeconds(5), "the desk shows READY", () -> onDesk(() -> "READY".equals(model.acdState())),
                () -> String.valueOf(timeline));

        // ---- the customer calls the queue; the desk shows the offer, the phone rings ------------------
        long callStart = System.nanoTime();
        Sipp.Phone customer = env.sipp().customerSpeakingThenHangingUp("2001", "700", 2);
        CtiIt.within(BOUND, "the desk shows the offer", () -> onDesk(() -> model.queueCall()
                .filter(c -> agent.equals(c.agent()) && "OFFERING".equals(c.state())).isPresent()),
                () -> timeline + "\n" + customer);
        long offeredMs = ms(callStart);
        QueueCall offer = onDesk(() -> model.queueCall().orElseThrow());

        CtiIt.within(Duration.ofSeconds(10), "the softphone rings", phone::ringing,
                () -> phone.describe() + "\n" + timeline);
        long ringingMs = ms(callStart);
        String ringingText = phone.describe();

        // ---- the agent answers on the phone: connected, ON_CALL, RTP both ways ------------------------
        phone.answer().get(5, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the phone connected",
                () -> phone.callState().equals(Optional.of(CallState.CONNECTED)), phone::describe);
        long connectedMs = ms(callStart);
        CtiIt.within(Duration.ofSeconds(10), "the desk shows ON_CALL with the call CONNECTED",
                () -> onDesk(() -> "ON_CALL".equals(model.acdState())
                        && model.queueCall().map(c -> "CONNECTED".equals(c.state())).orElse(false)),
                () -> String.valueOf(timeline));

        onCall.run();

        // RTP counters exist only while the call is up: sample them until the customer's BYE ends it.
        long[] rtp = {0, 0};
        while (phone.callState().isPresent() && ms(callStart) < BOUND.toMillis()) {
            Optional<long[]> c = phone.rtpCounters().get(2, TimeUnit.SECONDS);
            c.ifPresent(v -> {
                rtp[0] = Math.max(rtp[0], v[0]);
                rtp[1] = Math.max(rtp[1], v[1]);
            });
            Thread.sleep(100);
        }
        long endedMs = ms(callStart);
        customer.assertSucceeded(CtiIt.CALL_BOUND);
        assertThat(phone.callState()).as("the customer's BYE reached the softphone").isEmpty();

        // ---- wrap-up on the desk ------------------------------------------------------------------------
        CtiIt.within(Duration.ofSeconds(10), "the desk shows WRAP_UP", () -> onDesk(() -> "WRAP_UP".equals(model.acdState())),
                () -> String.valueOf(timeline));
        long wrapUpMs = ms(callStart);
        QueueCall done = onDesk(() -> model.queueCall().orElseThrow());
        AgentInfo.AcdAgent inWrapUp = onDesk(() -> model.me().orElseThrow().acd());
        return new DeskCall(callStart, offeredMs, ringingMs, connectedMs, endedMs, wrapUpMs, rtp[0], rtp[1], heard.samples(),
                ringingText, offer, done, inWrapUp);
    }

    private org.asteriskcti.softphone.cti.CtiClient client(CtiUnderTest cti, ScheduledExecutorService owner) {
        return new org.asteriskcti.softphone.cti.CtiClient(cti.base(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), owner, desk,
                Backoff.standard(), Clock.systemUTC(), Duration.ofSeconds(15));
    }

    @Test
    void givenTheAgentSignedInReadyOnTheSoftphone_whenACustomerCallsTheQueue_thenThePhoneRingsAnswersCarriesRtpAndWrapUpFollows()
            throws Exception {
        ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "cti-client"));
        RecordingSink heard = new RecordingSink();
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("softphone"), AsteriskUnderTest.AMI_PORT, QUEUES)) {
            CtiIt.awaitHealthUp(cti);

            // The phone as the README's run line starts it.
            SipOptions sip = SipOptions.parse(Map.of("sip-server", AsteriskUnderTest.HOST + ":" + AsteriskUnderTest.SIP_PORT,
                    "sip-user", "1001", "sip-local-port", "5071", "sip-register", "false"));
            try (SipDeskPhone phone = SipDeskPhone.start(sip.config().rtpPorts(17000, 17099)
                            .audio(ToneSource::new1k, () -> heard).build());
                    org.asteriskcti.softphone.cti.CtiClient client = client(cti, owner)) {
                assertThat(phone.available()).isTrue();
                assertThat(phone.describe()).isEqualTo("SIP 1001@127.0.0.1:5060 static contact 127.0.0.1:5071");
                DeskModel model = new DeskModel(AGENT);
                List<String> timeline = new CopyOnWriteArrayList<>();

                DeskCall call = takeACall(cti, phone, heard, client, "demo1001", AGENT, model, timeline, () -> { });

                assertThat(call.offer().queue()).isEqualTo("support");
                assertThat(call.offer().screenPop().callerNumber()).isEqualTo("2001");
                assertThat(call.ringingText()).contains("— your phone rings:");
                assertThat(call.done().state()).as("the screen pop stays through wrap-up").isEqualTo("COMPLETED");
                assertThat(call.done().screenPop().callerNumber()).isEqualTo("2001");
                assertThat(call.inWrapUp().wrapUpEndsAt()).isNotNull();
                CtiIt.within(Duration.ofSeconds(WRAP_UP_SECONDS + 10), "READY again after the wrap-up",
                        () -> onDesk(() -> "READY".equals(model.acdState())), () -> String.valueOf(timeline));
                long readyAgainMs = ms(call.startNanos());
                String today = cti.acd(acd -> acd.today(QueueId.of("support")).toString());
                double rms = RecordingSink.rms(call.heard());

                String figures = String.format("offer on desk %d ms, phone rings %d ms, connected %d ms, call ended %d ms,"
                                + " desk WRAP_UP seen %d ms, READY again seen %d ms (wrap-up %ds); RTP sent %d received %d;"
                                + " audio heard %d samples (%.1f s) rms %.0f; ringing text '%s'; desk timeline (ms since sign-in) %s; %s",
                        call.offeredMs(), call.ringingMs(), call.connectedMs(), call.endedMs(), call.wrapUpMs(), readyAgainMs,
                        WRAP_UP_SECONDS, call.rtpSent(), call.rtpReceived(), call.heard().length, call.heard().length / 8000.0,
                        rms, call.ringingText(), timeline, today);
                log.info("SoftphoneIT figures: {}", figures);
                System.out.println("SoftphoneIT figures: " + figures);

                assertThat(call.rtpSent()).as("RTP sent by the softphone (" + figures + ")").isGreaterThan(50);
                assertThat(call.rtpReceived()).as("RTP received by the softphone (" + figures + ")").isGreaterThan(50);
                assertThat(rms).as("the customer's speech reached the softphone's sink (" + figures + ")").isGreaterThan(100);
                // The wrap-up's length as the desk saw it: from its WRAP_UP frame to the next READY one (the polling
                // above notices both later, by how long the sipp process takes to exit and the poll interval).
                assertThat(deskWrapUpMs(timeline)).as("wrap-up length on the desk (" + figures + ")")
                        .isBetween(WRAP_UP_SECONDS * 1000L - 500, WRAP_UP_SECONDS * 1000L + 2000);
                assertThat(today).contains("offered=1, answered=1");
                List<String> states = new ArrayList<>();
                for (String t : timeline) {
                    states.add(t.substring(t.indexOf(' ') + 1));
                }
                assertThat(states).as("the desk's ACD states in order").containsSubsequence(
                        "READY/-", "RESERVED/OFFERING", "ON_CALL/CONNECTED", "WRAP_UP/COMPLETED");
                assertThat(states.get(states.size() - 1)).startsWith("READY/");
            }
        } finally {
            desk.shutdownNow();
            owner.shutdownNow();
        }
    }

    /** asterisk-config/pjsip.conf's lab password of endpoint 1005 (a phone that registers, as in production). */
    private static final String PASSWORD_1005 = "lab-1005-loopback-only";

    private static SipOptions phone1005(String password) {
        return SipOptions.parse(Map.of("sip-server", AsteriskUnderTest.HOST + ":" + AsteriskUnderTest.SIP_PORT,
                "sip-user", "1005", "sip-password", password, "sip-local-port", "5075"));
    }

    @Test
    void givenAgent1005sPhoneRegisteringWithItsPassword_thenTheCtiSeesItOnlineItTakesAQueueCallAndUnregisteringTakesItOffline()
            throws Exception {
        ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "cti-client"));
        RecordingSink heard = new RecordingSink();
        String agent = "agent-1005";
        try (CtiUnderTest cti = CtiUnderTest.start(env.workDir().resolve("softphone-1005"), AsteriskUnderTest.AMI_PORT, QUEUES);
                org.asteriskcti.softphone.cti.CtiClient client = client(cti, owner)) {
            CtiIt.awaitHealthUp(cti);
            DeskModel model = new DeskModel(agent);
            List<String> timeline = new CopyOnWriteArrayList<>();
            long registerStart = System.nanoTime();
            List<String> deskSteps = new CopyOnWriteArrayList<>();
            DeskCall call;
            long registeredMs;
            try (SipDeskPhone phone = SipDeskPhone.start(phone1005(PASSWORD_1005).config().rtpPorts(17100, 17199)
                    .audio(ToneSource::new1k, () -> heard).build())) {
                CtiIt.within(Duration.ofSeconds(10), "the phone registers with digest auth", phone::available, phone::describe);
                registeredMs = ms(registerStart);
                assertThat(phone.describe()).isEqualTo("SIP 1005@127.0.0.1:5060 registered");

                call = takeACall(cti, phone, heard, client, "demo1005", agent, model, timeline,
                        () -> deskCommands(client, model, deskSteps));
            }
            // Closing the phone unregisters it (REGISTER Expires: 0): Asterisk drops the contact, the CTI's
            // ACD sees the phone offline (device state UNAVAILABLE).
            long closed = System.nanoTime();
            CtiIt.within(Duration.ofSeconds(10), "the desk sees agent-1005's phone offline after the unregistration",
                    () -> onDesk(() -> model.me().map(a -> !a.acd().phoneOnline()).orElse(false)),
                    () -> onDesk(() -> String.valueOf(model.me())));
            long offlineMs = ms(closed);
            String figures = String.format("registered %d ms after start; offer on desk %d ms, rings %d ms, connected %d ms,"
                            + " ended %d ms; RTP sent %d received %d, heard rms %.0f; offline on the desk %d ms after close;"
                            + " desk commands %s; %s",
                    registeredMs, call.offeredMs(), call.ringingMs(), call.connectedMs(), call.endedMs(), call.rtpSent(),
                    call.rtpReceived(), RecordingSink.rms(call.heard()), offlineMs, deskSteps, timeline);
            log.info("SoftphoneIT 1005 figures: {}", figures);
            System.out.println("SoftphoneIT 1005 figures: " + figures);

            assertThat(call.offer().agent()).isEqualTo(agent);
            assertThat(call.rtpSent()).as("RTP sent (" + figures + ")").isGreaterThan(50);
            assertThat(call.rtpReceived()).as("RTP received (" + figures + ")").isGreaterThan(50);
            assertThat(RecordingSink.rms(call.heard())).as("the customer's speech heard (" + figures + ")").isGreaterThan(100);
        } finally {
            desk.shutdownNow();
            owner.shutdownNow();
        }
    }

    /**
     * The desk's call commands on the live call, as its buttons send them (no call id: the agent's own call),
     * each seen back in the desk's model from the server's events: hold and take back, recording start,
     * PCI pause with a reason, resume, stop.
     */
    private void deskCommands(org.asteriskcti.softphone.cti.CtiClient client, DeskModel model, List<String> steps)
            throws Exception {
        long t = System.nanoTime();
        client.call(CallRequest.of(Type.CALL_HOLD)).get(10, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the desk shows the customer HELD", () -> onDesk(() -> customerState(model)
                .equals("HELD")), () -> onDesk(() -> String.valueOf(model.currentConversation())));
        steps.add("hold " + ms(t) + " ms");
        t = System.nanoTime();
        client.call(CallRequest.of(Type.CALL_UNHOLD)).get(10, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the desk shows the customer back", () -> onDesk(() -> customerState(model)
                .equals("CONNECTED")), () -> onDesk(() -> String.valueOf(model.currentConversation())));
        steps.add("unhold " + ms(t) + " ms");
        t = System.nanoTime();
        client.call(CallRequest.of(Type.CALL_RECORD_START)).get(10, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the desk shows the recording", () -> onDesk(() -> model.activeRecording()
                .map(r -> r.state().equals("RECORDING")).orElse(false)), () -> onDesk(() -> String.valueOf(model.activeRecording())));
        steps.add("record " + ms(t) + " ms");
        t = System.nanoTime();
        client.call(CallRequest.recordPause("card number")).get(10, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the desk shows the recording paused", () -> onDesk(() -> model.activeRecording()
                .map(r -> r.state().equals("PAUSED")).orElse(false)), () -> onDesk(() -> String.valueOf(model.activeRecording())));
        steps.add("pause " + ms(t) + " ms");
        client.call(CallRequest.of(Type.CALL_RECORD_RESUME)).get(10, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the desk shows the recording resumed", () -> onDesk(() -> model.activeRecording()
                .map(r -> r.state().equals("RECORDING") && r.pauses().size() == 1).orElse(false)),
                () -> onDesk(() -> String.valueOf(model.activeRecording())));
        t = System.nanoTime();
        client.call(CallRequest.of(Type.CALL_RECORD_STOP)).get(10, TimeUnit.SECONDS);
        CtiIt.within(Duration.ofSeconds(5), "the recording gone from the desk", () -> onDesk(() -> model.activeRecording()
                .isEmpty()), () -> onDesk(() -> String.valueOf(model.activeRecording())));
        steps.add("stop " + ms(t) + " ms");
    }

    private static String customerState(DeskModel model) {
        return model.currentConversation().flatMap(c -> c.parties().stream().filter(p -> "CUSTOMER".equals(p.role()))
                .findFirst()).map(p -> p.state()).orElse("-");
    }

    @Test
    void givenAWrongPassword_thenThePhoneSaysSoAndIsNotAvailable() throws Exception {
        try (SipDeskPhone phone = SipDeskPhone.start(phone1005("not-the-password").config().rtpPorts(17200, 17299).build())) {
            CtiIt.within(Duration.ofSeconds(10), "the phone reports the refused registration",
                    () -> phone.describe().contains(" — "), phone::describe);
            log.info("wrong password: {}", phone.describe());
            assertThat(phone.available()).isFalse();
            assertThat(phone.describe()).startsWith("SIP 1005@127.0.0.1:5060 not registered — ");
        } finally {
            desk.shutdownNow();
        }
    }

    /** From the desk timeline ("<ms>ms STATE/visit" entries): the time from the first WRAP_UP to the next READY. */
    private static long deskWrapUpMs(List<String> timeline) {
        long start = -1;
        for (String t : timeline) {
            long at = Long.parseLong(t.substring(0, t.indexOf("ms ")));
            String state = t.substring(t.indexOf(' ') + 1);
            if (start < 0 && state.startsWith("WRAP_UP/")) {
                start = at;
            } else if (start >= 0 && state.startsWith("READY/")) {
                return at - start;
            }
        }
        throw new AssertionError("no WRAP_UP followed by READY on the desk: " + timeline);
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
