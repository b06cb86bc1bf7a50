package org.asteriskcti.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speaking customer of the live suite ({@code uac-audio.xml}, {@link Sipp#customerCallingWithAudio})
 * against a SIPp far end on loopback, no Asterisk: it sends A-law RTP without a gap across passes of the
 * pcap, and answers a BYE that comes in the middle of its speech. Skipped without {@code sipp} or the pcap.
 */
class SippSpeechScenarioTest {

    @TempDir
    Path dir;

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Path scenario(String name) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = SippSpeechScenarioTest.class.getResourceAsStream("/it/sipp/" + name)) {
            assertThat(in).as("test resource it/sipp/%s", name).isNotNull();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    private Process sipp(Path binary, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        cmd.addAll(List.of("-m", "1", "-aa", "-nostdin", "-timeout", "40s", "-timeout_error"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    @Test
    void givenTwoPassesOfSpeech_whenTheFarEndHangsUpDuringTheSecond_thenRtpFlowedWithoutAGapAndTheByeIsAnswered()
            throws Exception {
        Path binary = Sipp.binary().orElse(null);
        Assumptions.assumeTrue(binary != null, "sipp is not on the PATH: the speech scenario is not checked");
        Assumptions.assumeTrue(Files.isRegularFile(Sipp.SPEECH_PCAP), Sipp.SPEECH_PCAP + " missing (Debian sip-tester)");
        Path uac = scenario("uac-audio.xml");
        Path farEnd = scenario("test-far-end-bye.xml");
        int farPort = freeUdpPort();
        int uacPort = freeUdpPort();

        try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            rtp.setSoTimeout(3000);
            Process far = sipp(binary, "far", List.of("-sf", farEnd.toString(), "-key", "rtpport",
                    Integer.toString(rtp.getLocalPort()), "-i", "127.0.0.1", "-p", Integer.toString(farPort), "-d", "10000"));
            Process customer = null;
            try {
                Thread.sleep(300);
                customer = sipp(binary, "customer", List.of("127.0.0.1:" + farPort, "-sf", uac.toString(),
                        "-set", "loops", "2", "-key", "caller", "2002", "-s", "700", "-i", "127.0.0.1",
                        "-p", Integer.toString(uacPort), "-mp", Integer.toString(freeUdpPort())));

                List<Long> arrivals = new ArrayList<>();
                int payloadType = -1;
                byte[] buf = new byte[2048];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        rtp.receive(p);
                    } catch (SocketTimeoutException e) {
                        break; // silent for 3 s: the call is over
                    }
                    arrivals.add(System.nanoTime());
                    payloadType = buf[1] & 0x7f;
                }

                assertThat(customer.waitFor(20, TimeUnit.SECONDS)).as("the customer's sipp ended").isTrue();
                assertThat(customer.exitValue()).as("the customer's call completed: %s",
                        Files.readString(dir.resolve("customer.out"))).isZero();
                assertThat(far.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(far.exitValue()).as("the far end's BYE was answered").isZero();
                assertThat(payloadType).as("G.711 A-law").isEqualTo(8);
                double span = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
                assertThat(span).as("speech went on past the first pass (%.2f s) until the BYE", span)
                        .isGreaterThan(Sipp.SPEECH_PASS.toMillis() / 1000.0 + 2);
                long maxGapMs = 0;
                for (int i = 1; i < arrivals.size(); i++) {
                    maxGapMs = Math.max(maxGapMs, (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000);
                }
                assertThat(maxGapMs).as("no gap in the speech between passes").isLessThan(250);
            } finally {
                far.destroyForcibly();
                if (customer != null) {
                    customer.destroyForcibly();
                }
            }
        }
    }
}
