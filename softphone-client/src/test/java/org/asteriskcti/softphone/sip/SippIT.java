package org.asteriskcti.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.softphone.sip.audio.NullSink;
import org.asteriskcti.softphone.sip.audio.ToneSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our phone against Debian's sipp on loopback; skipped when sipp is not installed. */
class SippIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");

    @TempDir
    Path dir;
    private Process sipp;
    private SipPhone phone;
    private final EventLog log = new EventLog();

    @BeforeAll
    static void needSipp() {
        Assumptions.assumeTrue(Files.isExecutable(SIPP), "sipp not installed (/usr/bin/sipp): skipping the sipp tests");
    }

    @AfterEach
    void stop() {
        if (phone != null) {
            phone.close();
        }
        if (sipp != null && sipp.isAlive()) {
            sipp.destroy();
        }
    }

    private Path scenario(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/sipp/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private Process sipp(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SIPP.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-i", "127.0.0.1", "-m", "1", "-nostdin", "-trace_err", "-timeout", "30s", "-timeout_error"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
    }

    private String sippOutput() throws IOException {
        StringBuilder sb = new StringBuilder(Files.readString(dir.resolve("sipp.out")));
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith("_errors.log")).toList()) {
                sb.append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    @Test
    void givenARegistrarThatChallenges_whenThePhoneRegisters_thenTheDigestIsAcceptedRefreshedAndRemoved() throws Exception {
        sipp = sipp("-sf", scenario("registrar.xml").toString(), "-p", "25160");
        Thread.sleep(500);
        phone = SipPhone.start(PhoneConfig.builder("1001").password("s3cret").server("127.0.0.1", 25160)
                .local("127.0.0.1", 25161).registerExpires(3).audio(ToneSource::new1k, NullSink::new).build(), log);

        await().atMost(10, TimeUnit.SECONDS).until(() -> log.registrations >= 2);
        assertThat(log.events.get(0)).isEqualTo("registered sip:1001@127.0.0.1 3");
        phone.unregister().get(5, TimeUnit.SECONDS);
        assertThat(sipp.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(sippOutput()).isZero();
        assertThat(log.events).last().asString().startsWith("unregistered sip:1001@127.0.0.1");
        assertThat(log.errors).isEmpty();
    }

    @Test
    void givenAWrongPassword_whenThePhoneRegisters_thenTheRegistrarsRefusalIsReported() throws Exception {
        sipp = sipp("-sf", scenario("registrar.xml").toString(), "-p", "25162");
        Thread.sleep(500);
        phone = SipPhone.start(PhoneConfig.builder("1001").password("wrong").server("127.0.0.1", 25162)
                .local("127.0.0.1", 25163).registerExpires(3).audio(ToneSource::new1k, NullSink::new).build(), log);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !log.errors.isEmpty());
        assertThat(log.errors.get(0).kind()).isEqualTo(PhoneError.Kind.REGISTRATION_FAILED);
        assertThat(log.errors.get(0).message()).contains("refused REGISTER for sip:1001@127.0.0.1").contains("403");
        assertThat(phone.isRegistered().get(1, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void givenSippCalls_whenAutoAnswered_thenRfc4733DigitsFromItsCapturesAreReceivedAndItsByeEndsTheCall() throws Exception {
        phone = SipPhone.start(PhoneConfig.builder("1001").register(false).local("127.0.0.1", 25165)
                .autoAnswer(Duration.ofMillis(200)).rtpPorts(26300, 26399)
                .audio(ToneSource::new1k, NullSink::new).build(), log);
        sipp = sipp("-sf", scenario("uac_dtmf.xml").toString(), "127.0.0.1:25165", "-s", "1001", "-p", "25164",
                "-mp", "26400");

        await().atMost(10, TimeUnit.SECONDS).until(() -> log.last() == CallState.CONNECTED);
        assertThat(log.lastIncoming.remoteNumber()).isEqualTo("0612345678");
        assertThat(log.lastIncoming.remoteName()).isEqualTo("Sipp Caller");
        await().atMost(15, TimeUnit.SECONDS).until(() -> log.last() == CallState.ENDED);
        assertThat(sipp.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(sippOutput()).isZero();
        assertThat(log.dtmf.toString()).isEqualTo("19");
        assertThat(log.events).anyMatch(e -> e.contains("far end hung up"));
    }

    @Test
    void givenNoCall_whenAnswering_thenRefusedWithAClearMessage() throws Exception {
        phone = SipPhone.start(PhoneConfig.builder("1001").register(false).local("127.0.0.1", 25167).build(), log);
        assertThat(phone.answer()).failsWithin(2, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("no call");
    }
}
