package org.asteriskcti.softphone.sip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Debian's baresip as a far end on 127.0.0.1, for {@link BaresipIT}: its own config directory, a sine
 * source (ausine), the sndfile filter dumping what it sends and what it decodes, and ctrl_tcp to drive
 * it (netstring-framed JSON commands; its events arrive on the same connection).
 */
final class Baresip implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/baresip");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final int sipPort;
    final String uri;
    private final Process process;
    private final Socket ctrl;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> responses = new LinkedBlockingQueue<>();
    private final AtomicInteger tokens = new AtomicInteger();

    private Baresip(Path dir, int sipPort, Process process, Socket ctrl) {
        this.dir = dir;
        this.sipPort = sipPort;
        this.uri = "sip:baresip@127.0.0.1:" + sipPort;
        this.process = process;
        this.ctrl = ctrl;
        Thread reader = new Thread(this::readEvents, "baresip-ctrl");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts baresip listening on a free loopback port, playing a {@code toneHz} sine (ausine makes 48 kHz
     * stereo; baresip resamples to the codec) and answering calls itself after {@code answermode}.
     */
    static Baresip start(Path dir, int toneHz, String answermode, int rtpMin, int rtpMax) throws IOException, InterruptedException {
        int sipPort = freePort();
        int ctrlPort = freePort();
        Files.writeString(dir.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + sipPort,
                "net_interface 127.0.0.1",
                "call_local_timeout 120",
                "call_max_calls 1",
                "audio_source ausine," + toneHz,
                "audio_player aubridge,nil", // a player that plays nowhere: decoding (and the dump) still happens
                "audio_alert aubridge,nil",
                "ausrc_srate 48000",
                "ausrc_channels 2",
                "rtp_ports " + rtpMin + "-" + rtpMax,
                "rtcp_mux no",
                "rtp_stats yes",
                "jitter_buffer_delay 1-5",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module sndfile.so",
                "module ausine.so",
                "module aubridge.so",
                "module_tmp account.so",
                "module_app menu.so",
                "module_app ctrl_tcp.so",
                "ctrl_tcp_listen 127.0.0.1:" + ctrlPort,
                "snd_path " + dir,
                ""));
        Files.writeString(dir.resolve("accounts"),
                "\"Bare SIP\" <sip:baresip@127.0.0.1>;regint=0;answermode=" + answermode + ";audio_codecs=pcmu,pcma\n");
        Process p = new ProcessBuilder(BINARY.toString(), "-f", dir.toString(), "-v").redirectErrorStream(true)
                .redirectOutput(dir.resolve("baresip.log").toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(LOOPBACK, ctrlPort), 500);
                return new Baresip(dir, sipPort, p, s);
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("baresip did not open ctrl_tcp on " + ctrlPort + ": "
                            + Files.readString(dir.resolve("baresip.log")), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (baresip's sip_listen opens both). */
    static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK);
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // UDP side busy: try another
            }
        }
        throw new IOException("no free port on 127.0.0.1");
    }

    /** Runs a ctrl_tcp command and returns its answer's {@code data}; fails when baresip says not ok. */
    String command(String command, String params) throws IOException, InterruptedException {
        String token = "t" + tokens.incrementAndGet();
        ObjectNode cmd = JSON.createObjectNode().put("command", command).put("token", token);
        if (params != null) {
            cmd.put("params", params);
        }
        byte[] body = JSON.writeValueAsBytes(cmd);
        OutputStream out = ctrl.getOutputStream();
        synchronized (out) {
            out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(',');
            out.flush();
        }
        JsonNode r = responses.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new IOException("baresip did not answer " + command);
        }
        if (!r.path("ok").asBoolean()) {
            throw new IOException("baresip refused " + command + " " + params + ": " + r);
        }
        return r.path("data").asText();
    }

    private void readEvents() {
        try (InputStream in = ctrl.getInputStream()) {
            while (true) {
                int len = 0;
                int b;
                while ((b = in.read()) != ':') {
                    if (b < '0' || b > '9') {
                        return;
                    }
                    len = len * 10 + (b - '0');
                }
                JsonNode msg = JSON.readTree(in.readNBytes(len));
                in.read(); // the netstring's ','
                if (msg.path("event").asBoolean()) {
                    events.add(msg);
                } else if (msg.path("response").asBoolean()) {
                    responses.add(msg);
                }
            }
        } catch (IOException closed) {
            // baresip stopped
        }
    }

    /** The types of the events baresip reported so far, e.g. CALL_ESTABLISHED. */
    List<String> eventTypes() {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    /** The {@code param} of each event of this type, in order (the digit for CALL_DTMF_START). */
    List<String> eventParams(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).map(e -> e.path("param").asText()).toList();
    }

    boolean hasEvent(String type) {
        return eventTypes().contains(type);
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("baresip.log"), StandardCharsets.ISO_8859_1);
    }

    /**
     * The RTP packets baresip counted for the call that ended (its rtp_stats summary, written when the call's
     * audio is destroyed): {transmitted, received}; empty until then.
     */
    Optional<long[]> rtpSummary() throws IOException {
        Matcher m = Pattern.compile("audio\\s+Transmit:\\s+Receive:\\s+packets:\\s+(\\d+)\\s+(\\d+)").matcher(log());
        return m.find() ? Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}) : Optional.empty();
    }

    /**
     * What baresip decoded ("dec", i.e. heard from us) or encoded ("enc") in the call, from the sndfile
     * filter's dump: 8 kHz mono, as the filter sits next to the G.711 codec. Complete once the call ended.
     */
    short[] dump(String which) throws IOException {
        Path file;
        try (var files = Files.list(dir)) {
            List<Path> dumps = files.filter(f -> f.getFileName().toString().startsWith("dump-")
                    && f.getFileName().toString().endsWith("-" + which + ".wav")).sorted().toList();
            file = dumps.stream().findFirst()
                    .orElseThrow(() -> new IOException("no sndfile " + which + " dump in " + dir));
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != 8000 || f.getChannels() != 1 || f.getSampleSizeInBits() != 16) {
                throw new IOException(file + ": expected 8 kHz mono 16-bit, got " + f);
            }
            byte[] bytes = in.readAllBytes();
            short[] out = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
            return out;
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(file + ": not a WAV javax.sound reads", e);
        }
    }

    @Override
    public void close() {
        try {
            ctrl.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
