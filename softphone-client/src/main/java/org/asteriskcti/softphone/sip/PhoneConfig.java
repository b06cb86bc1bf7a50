package org.asteriskcti.softphone.sip;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.asteriskcti.softphone.sip.audio.AudioSink;
import org.asteriskcti.softphone.sip.audio.AudioSource;
import org.asteriskcti.softphone.sip.audio.JavaSoundDevices;
import org.asteriskcti.softphone.sip.rtp.Codec;

/**
 * How the phone is set up. Build with {@link #builder(String)}.
 *
 * @param user            SIP user (the agent's extension, e.g. 1001)
 * @param password        digest password, or null when the server does not challenge
 * @param server          host of the registrar / PBX; numbers are dialled as sip:number@server:serverPort
 * @param domain          the domain of our address of record (defaults to the server)
 * @param localAddress    the address to bind SIP and RTP to and to put into Contact and SDP
 * @param localSipPort    UDP port for SIP (5060 by default; Asterisk's static agent contacts use 5071..)
 * @param register        whether to REGISTER (off for endpoints with a static contact)
 * @param registerExpires requested registration lifetime in seconds; refreshed before it runs out
 * @param codecs          offered in this order
 * @param autoAnswer      answer incoming calls automatically after this delay (ACD offers), or null
 * @param audioSource     a new microphone for each call
 * @param audioSink       a new speaker for each call
 */
public record PhoneConfig(String user, String password, String displayName, String server, int serverPort,
                          String domain, String localAddress, int localSipPort, boolean register,
                          int registerExpires, List<Codec> codecs, int dtmfPayloadType, Duration autoAnswer,
                          int rtpPortMin, int rtpPortMax, Supplier<AudioSource> audioSource,
                          Supplier<AudioSink> audioSink) {

    public PhoneConfig {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(localAddress, "localAddress");
        codecs = List.copyOf(codecs);
        if (registerExpires < 10 && register) {
            // sipp tests use short lifetimes; refuse nonsense only
            if (registerExpires < 2) {
                throw new IllegalArgumentException("registerExpires must be at least 2 seconds, was " + registerExpires);
            }
        }
        if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMin > rtpPortMax) {
            throw new IllegalArgumentException("bad RTP port range " + rtpPortMin + ".." + rtpPortMax);
        }
    }

    public static Builder builder(String user) {
        return new Builder(user);
    }

    public String effectiveDomain() {
        return domain != null ? domain : server;
    }

    public static final class Builder {
        private final String user;
        private String password;
        private String displayName;
        private String server = "127.0.0.1";
        private int serverPort = 5060;
        private String domain;
        private String localAddress = "127.0.0.1";
        private int localSipPort = 5060;
        private boolean register = true;
        private int registerExpires = 300;
        private List<Codec> codecs = List.of(Codec.PCMU, Codec.PCMA);
        private int dtmfPayloadType = 101;
        private Duration autoAnswer;
        private int rtpPortMin = 16000;
        private int rtpPortMax = 16999;
        private Supplier<AudioSource> audioSource = JavaSoundDevices::capture;
        private Supplier<AudioSink> audioSink = JavaSoundDevices::playback;

        private Builder(String user) {
            this.user = user;
        }

        public Builder password(String v) {
            password = v;
            return this;
        }

        public Builder displayName(String v) {
            displayName = v;
            return this;
        }

        public Builder server(String host, int port) {
            server = host;
            serverPort = port;
            return this;
        }

        public Builder domain(String v) {
            domain = v;
            return this;
        }

        public Builder local(String address, int sipPort) {
            localAddress = address;
            localSipPort = sipPort;
            return this;
        }

        public Builder register(boolean v) {
            register = v;
            return this;
        }

        public Builder registerExpires(int seconds) {
            registerExpires = seconds;
            return this;
        }

        public Builder codecs(List<Codec> v) {
            codecs = v;
            return this;
        }

        public Builder dtmfPayloadType(int v) {
            dtmfPayloadType = v;
            return this;
        }

        public Builder autoAnswer(Duration v) {
            autoAnswer = v;
            return this;
        }

        public Builder rtpPorts(int min, int max) {
            rtpPortMin = min;
            rtpPortMax = max;
            return this;
        }

        public Builder audio(Supplier<AudioSource> source, Supplier<AudioSink> sink) {
            audioSource = source;
            audioSink = sink;
            return this;
        }

        public PhoneConfig build() {
            return new PhoneConfig(user, password, displayName, server, serverPort, domain, localAddress, localSipPort,
                    register, registerExpires, codecs, dtmfPayloadType, autoAnswer, rtpPortMin, rtpPortMax,
                    audioSource, audioSink);
        }
    }
}
