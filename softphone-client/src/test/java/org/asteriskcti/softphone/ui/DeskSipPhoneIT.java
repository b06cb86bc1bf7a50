package org.asteriskcti.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.softphone.phone.SipDeskPhone;
import org.asteriskcti.softphone.sip.CallState;
import org.asteriskcti.softphone.sip.PhoneConfig;
import org.asteriskcti.softphone.sip.audio.NullSink;
import org.asteriskcti.softphone.sip.audio.ToneSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's view-model on the real {@link SipDeskPhone} (static contact, no registration, like lab agent 1001),
 * with Debian's sipp playing Asterisk's ACD leg on loopback. Skipped when sipp is not installed.
 */
class DeskSipPhoneIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");

    @TempDir
    Path dir;
    private Process sipp;
    private SipDeskPhone phone;
    /** Stands in for the JavaFX thread: the view-model and the model are only touched here. */
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private DeskFixture f;
    private DeskViewModel vm;

    @BeforeAll
    static void needSipp() {
        Assumptions.assumeTrue(Files.isExecutable(SIPP), "sipp not installed (/usr/bin/sipp): skipping the desk phone ITs");
    }

    @AfterEach
    void stop() {
        if (phone != null) {
            phone.close();
        }
        if (sipp != null && sipp.isAlive()) {
            sipp.destroy();
        }
        ui.shutdownNow();
    }

    private void deskOn(int sipPort, int rtpBase) throws Exception {
        phone = SipDeskPhone.start(PhoneConfig.builder("1001").register(false).server("127.0.0.1", 5060)
                .local("127.0.0.1", sipPort).rtpPorts(rtpBase, rtpBase + 99)
                .audio(ToneSource::new1k, NullSink::new).build());
        onUi(() -> {
            f = new DeskFixture().readyIdle();
            vm = new DeskViewModel(f.model, f.commands, phone, f.clock, ui);
            return null;
        });
    }

    private <T> T onUi(Callable<T> c) throws Exception {
        return ui.submit(c).get(5, TimeUnit.SECONDS);
    }

    private boolean onUiTest(Callable<Boolean> c) {
        try {
            return onUi(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Process sipp(int phonePort, int sippPort, int mediaPort) throws IOException {
        return sipp("uac_answer.xml", phonePort, sippPort, mediaPort);
    }

    private Process sipp(String name, int phonePort, int sippPort, int mediaPort) throws IOException {
        Path scenario = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/sipp/" + name)) {
            Files.copy(in, scenario);
        }
        List<String> cmd = new ArrayList<>(List.of(SIPP.toString(), "-sf", scenario.toString(), "127.0.0.1:" + phonePort,
                "-s", "1001", "-p", String.valueOf(sippPort), "-mp", String.valueOf(mediaPort),
                "-i", "127.0.0.1", "-m", "1", "-nostdin", "-trace_err", "-timeout", "30s", "-timeout_error"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
    }

    private String sippOutput() throws IOException {
        StringBuilder sb = new StringBuilder(Files.readString(dir.resolve("sipp.out")));
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(x -> x.getFileName().toString().endsWith("_errors.log")).toList()) {
                sb.append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    /** Waits for media both ways while the call is up; the BYE from sipp ends it afterwards. */
    private long[] rtpWhileConnected() {
        long[][] seen = new long[1][];
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            Optional<long[]> c = phone.rtpCounters().get(2, TimeUnit.SECONDS);
            c.ifPresent(v -> seen[0] = v);
            return c.isPresent() && c.get()[0] > 10 && c.get()[1] > 10;
        });
        return seen[0];
    }

    @Test
    void givenSippRingsTheAgentsPhone_whenTheAgentClicksAnswer_thenSippGets200AndRtpFlowsUntilItsBye() throws Exception {
        deskOn(25181, 26500);
        assertThat(onUi(() -> vm.canAnswerProperty().get())).isFalse();
        assertThat(onUi(() -> vm.phoneTextProperty().get())).isEqualTo("SIP 1001@127.0.0.1:5060 static contact 127.0.0.1:25181");
        onUi(() -> {
            f.offer();
            return null;
        });
        assertThat(onUi(() -> vm.canAnswerProperty().get())).as("offered, but the phone does not ring yet").isFalse();

        sipp = sipp(25181, 25180, 26600);
        await().atMost(10, TimeUnit.SECONDS).until(() -> onUiTest(() -> vm.canAnswerProperty().get()));
        assertThat(onUi(() -> vm.phoneRingingProperty().get())).isTrue();
        assertThat(onUi(() -> vm.phoneTextProperty().get())).endsWith("— your phone rings: Sipp Caller 0612345678");

        onUi(() -> {
            vm.answer();
            return null;
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> phone.callState().equals(Optional.of(CallState.CONNECTED)));
        assertThat(onUi(() -> vm.canAnswerProperty().get())).isFalse();
        long[] rtp = rtpWhileConnected();
        assertThat(rtp[1]).as("packets from sipp's g711a.pcap").isGreaterThan(10);

        assertThat(sipp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(sippOutput()).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> phone.callState().isEmpty());
        assertThat(onUi(() -> vm.messageProperty().get())).isEmpty();
        assertThat(onUi(() -> vm.phoneTextProperty().get())).doesNotContain("rings");
    }

    @Test
    void givenAutoAnswerAndAnAcdOffer_whenSippRings_thenThePhoneAnswersByItselfAndTheCallCompletes() throws Exception {
        deskOn(25183, 26700);
        onUi(() -> {
            vm.autoAnswerProperty().set(true);
            f.offer();
            return null;
        });
        sipp = sipp(25183, 25182, 26800);
        await().atMost(10, TimeUnit.SECONDS).until(() -> phone.callState().equals(Optional.of(CallState.CONNECTED)));
        rtpWhileConnected();
        assertThat(sipp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(sippOutput()).isZero();
        assertThat(f.commands.sent).as("answering is the phone's, not the CTI's").isEmpty();
    }

    @Test
    void givenSippRingsTheAgentsPhone_whenTheAgentDeclines_thenSippGets603AndThePhoneIsIdle() throws Exception {
        deskOn(25187, 27100);
        assertThat(onUi(() -> vm.canDeclineProperty().get())).isFalse();
        onUi(() -> {
            f.offer();
            return null;
        });
        sipp = sipp("uac_decline.xml", 25187, 25186, 27200);
        await().atMost(10, TimeUnit.SECONDS).until(() -> onUiTest(() -> vm.canDeclineProperty().get()));
        onUi(() -> {
            vm.decline();
            return null;
        });
        assertThat(sipp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(sippOutput()).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> phone.callState().isEmpty());
        assertThat(onUi(() -> vm.canDeclineProperty().get())).isFalse();
        assertThat(onUi(() -> vm.messageProperty().get())).isEmpty();
        assertThat(f.commands.sent).as("declining is the phone's, not the CTI's").isEmpty();
    }

    @Test
    void givenACallOnlyThePhoneHas_whenTheAgentHoldsMutesAndResumes_thenSippSeesSendonlyThenSendrecv() throws Exception {
        deskOn(25189, 27300);
        sipp = sipp("uac_hold.xml", 25189, 25188, 27400);
        await().atMost(10, TimeUnit.SECONDS).until(() -> onUiTest(() -> vm.canAnswerProperty().get()));
        onUi(() -> {
            vm.answer();
            return null;
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> phone.callState().equals(Optional.of(CallState.CONNECTED)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> onUiTest(() -> vm.canHoldProperty().get()));
        assertThat(onUi(() -> vm.phoneLegProperty().get())).as("no CTI call: hold and mute act on the phone").isTrue();

        onUi(() -> {
            vm.toggleMute();
            vm.toggleHold();
            return null;
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> onUiTest(() -> vm.heldProperty().get()));
        assertThat(phone.callState()).contains(CallState.HELD);
        assertThat(onUi(() -> vm.mutedProperty().get())).isTrue();
        assertThat(onUi(() -> vm.phoneTextProperty().get())).contains("on hold (by you)").contains("muted");

        onUi(() -> {
            vm.toggleHold();
            return null;
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> !onUiTest(() -> vm.heldProperty().get()));
        assertThat(phone.callState()).contains(CallState.CONNECTED);
        assertThat(sipp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(sippOutput()).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> phone.callState().isEmpty());
        assertThat(onUi(() -> vm.messageProperty().get())).isEmpty();
        assertThat(f.commands.sent).as("hold and mute of the phone's own call are not CTI commands").isEmpty();
    }

    @Test
    void givenNothingRings_whenTheAgentAnswers_thenTheMessageSaysSo() throws Exception {
        deskOn(25185, 26900);
        onUi(() -> {
            vm.answer();
            return null;
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> !onUi(() -> vm.messageProperty().get()).isEmpty());
        assertThat(onUi(() -> vm.messageProperty().get()))
                .isEqualTo("Answer failed: your SIP phone 1001 is not ringing: there is no call to answer yet");
    }
}
