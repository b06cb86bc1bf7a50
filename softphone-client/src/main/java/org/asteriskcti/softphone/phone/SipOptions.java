package org.asteriskcti.softphone.phone;

import java.util.Map;
import java.util.function.Supplier;
import org.asteriskcti.softphone.sip.PhoneConfig;
import org.asteriskcti.softphone.sip.audio.AudioSink;
import org.asteriskcti.softphone.sip.audio.AudioSource;
import org.asteriskcti.softphone.sip.audio.JavaSoundDevices;
import org.asteriskcti.softphone.sip.audio.NullSink;
import org.asteriskcti.softphone.sip.audio.SilenceSource;

/**
 * The built-in phone's options, from the launch options (e.g. {@code --sip-server=127.0.0.1:5060 --sip-user=1001
 * --sip-local-port=5071 --sip-register=false}) or the sign-in form's Phone section, which fills the same
 * {@code sip-*} map. Lab agents 1001..1004 (asterisk-config/pjsip.conf) have static contacts
 * 127.0.0.1:5071..5074 and no auth: they run with {@code --sip-register=false} on their port.
 *
 * @param server      SIP server host (Asterisk)
 * @param serverPort  its SIP port
 * @param user        the endpoint / extension
 * @param password    digest password, or null when the endpoint has no auth
 * @param localAddress the address to bind SIP and RTP to ({@code --sip-local-address}, 127.0.0.1 by default)
 * @param localPort   our SIP port
 * @param register    whether to REGISTER (false for endpoints with a static contact)
 * @param microphone  a capture device name, {@link AudioDevices#DEFAULT} or {@link AudioDevices#SILENCE}
 * @param speaker     a playback device name, {@link AudioDevices#DEFAULT} or {@link AudioDevices#NONE}
 */
public record SipOptions(String server, int serverPort, String user, String password, String localAddress,
                         int localPort, boolean register, String microphone, String speaker) {

    /** The {@code sip-*} keys, in the order the form shows them. */
    public static final String SERVER = "sip-server";
    public static final String USER = "sip-user";
    public static final String PASSWORD = "sip-password";
    public static final String LOCAL_PORT = "sip-local-port";
    public static final String LOCAL_ADDRESS = "sip-local-address";
    public static final String REGISTER = "sip-register";
    public static final String MICROPHONE = "sip-microphone";
    public static final String SPEAKER = "sip-speaker";

    /** An option that is missing or wrong: which one ({@code sip-user}...) and what is wrong with it. */
    public static final class BadOption extends IllegalArgumentException {
        private final String option;
        private final String problem;

        BadOption(String option, String problem) {
            super("--" + option + ": " + problem);
            this.option = option;
            this.problem = problem;
        }

        /** The option's key without dashes, e.g. {@code sip-local-port}. */
        public String option() {
            return option;
        }

        /** What is wrong, without the option's name, e.g. "'50x' is not a port (1..65535)". */
        public String problem() {
            return problem;
        }
    }

    public SipOptions(String server, int serverPort, String user, String password, String localAddress, int localPort,
                      boolean register) {
        this(server, serverPort, user, password, localAddress, localPort, register, AudioDevices.DEFAULT,
                AudioDevices.DEFAULT);
    }

    /** Whether the options ask for the built-in phone at all (any {@code sip-*} option). */
    public static boolean present(Map<String, String> named) {
        return named.keySet().stream().anyMatch(k -> k.startsWith("sip-"));
    }

    /** Reads the {@code sip-*} options; fails with a {@link BadOption} naming the bad or missing option. */
    public static SipOptions parse(Map<String, String> named) {
        String user = named.get(USER);
        if (user == null || user.isBlank()) {
            throw new BadOption(USER, "is missing (the extension, e.g. 1001)");
        }
        if (user.strip().chars().anyMatch(c -> Character.isWhitespace(c) || c == '@' || c == ':')) {
            throw new BadOption(USER, "'" + user.strip() + "' is not a SIP user (no spaces, '@' or ':')");
        }
        String server = blankToDefault(named.get(SERVER), "127.0.0.1:5060");
        String host = server;
        int port = 5060;
        int colon = server.lastIndexOf(':');
        if (colon >= 0) {
            host = server.substring(0, colon).strip();
            port = number(SERVER, server.substring(colon + 1), "'" + server + "' has no valid port");
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new BadOption(SERVER, "'" + server + "' is not host[:port] (e.g. pbx.example:5060)");
        }
        String register = blankToDefault(named.get(REGISTER), "true").toLowerCase();
        if (!register.equals("true") && !register.equals("false")) {
            throw new BadOption(REGISTER, "must be true or false, was " + register);
        }
        String password = named.get(PASSWORD);
        String localPort = blankToDefault(named.get(LOCAL_PORT), "5060");
        return new SipOptions(host, port, user.strip(), password == null || password.isEmpty() ? null : password,
                blankToDefault(named.get(LOCAL_ADDRESS), "127.0.0.1"),
                number(LOCAL_PORT, localPort, "'" + localPort + "' is not a port (1..65535)"),
                Boolean.parseBoolean(register), blankToDefault(named.get(MICROPHONE), AudioDevices.DEFAULT),
                blankToDefault(named.get(SPEAKER), AudioDevices.DEFAULT));
    }

    private static String blankToDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value.strip();
    }

    private static int number(String option, String value, String problem) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new BadOption(option, problem);
    }

    /** The SIP library's configuration: the chosen microphone and speaker, falling back to silence / discard. */
    public PhoneConfig.Builder config() {
        return PhoneConfig.builder(user).password(password).server(server, serverPort).local(localAddress, localPort)
                .register(register).audio(source(microphone), sink(speaker));
    }

    static Supplier<AudioSource> source(String microphone) {
        if (microphone == null || AudioDevices.DEFAULT.equals(microphone)) {
            return JavaSoundDevices::capture;
        }
        if (AudioDevices.SILENCE.equals(microphone)) {
            return SilenceSource::new;
        }
        return () -> JavaSoundDevices.capture(microphone);
    }

    static Supplier<AudioSink> sink(String speaker) {
        if (speaker == null || AudioDevices.DEFAULT.equals(speaker)) {
            return JavaSoundDevices::playback;
        }
        if (AudioDevices.NONE.equals(speaker)) {
            return NullSink::new;
        }
        return () -> JavaSoundDevices.playback(speaker);
    }
}
