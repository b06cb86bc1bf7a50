package org.asteriskcti.softphone.phone;

import java.util.Map;
import org.asteriskcti.softphone.sip.PhoneConfig;

/**
 * The built-in phone's launch options, e.g. {@code --sip-server=127.0.0.1:5060 --sip-user=1001
 * --sip-local-port=5071 --sip-register=false}. Lab agents 1001..1004 (asterisk-config/pjsip.conf) have static
 * contacts 127.0.0.1:5071..5074 and no auth: they run with {@code --sip-register=false} on their port.
 *
 * @param server      SIP server host (Asterisk)
 * @param serverPort  its SIP port
 * @param user        the endpoint / extension
 * @param password    digest password, or null when the endpoint has no auth
 * @param localAddress the address to bind SIP and RTP to ({@code --sip-local-address}, 127.0.0.1 by default)
 * @param localPort   our SIP port
 * @param register    whether to REGISTER (false for endpoints with a static contact)
 */
public record SipOptions(String server, int serverPort, String user, String password, String localAddress,
                         int localPort, boolean register) {

    /** Whether the options ask for the built-in phone at all (any {@code sip-*} option). */
    public static boolean present(Map<String, String> named) {
        return named.keySet().stream().anyMatch(k -> k.startsWith("sip-"));
    }

    /** Reads the {@code sip-*} options; fails with a message naming the bad or missing option. */
    public static SipOptions parse(Map<String, String> named) {
        String user = named.get("sip-user");
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("--sip-user=<extension> is missing");
        }
        String server = named.getOrDefault("sip-server", "127.0.0.1:5060");
        String host = server;
        int port = 5060;
        int colon = server.lastIndexOf(':');
        if (colon > 0) {
            host = server.substring(0, colon);
            port = number("sip-server", server.substring(colon + 1));
        }
        String register = named.getOrDefault("sip-register", "true").trim().toLowerCase();
        if (!register.equals("true") && !register.equals("false")) {
            throw new IllegalArgumentException("--sip-register must be true or false, was " + register);
        }
        String password = named.get("sip-password");
        return new SipOptions(host, port, user.trim(), password == null || password.isEmpty() ? null : password,
                named.getOrDefault("sip-local-address", "127.0.0.1"),
                number("sip-local-port", named.getOrDefault("sip-local-port", "5060")), Boolean.parseBoolean(register));
    }

    private static int number(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not a port (1..65535)");
        }
    }

    /** The SIP library's configuration; audio defaults to javax.sound, falling back to silence / discard. */
    public PhoneConfig.Builder config() {
        return PhoneConfig.builder(user).password(password).server(server, serverPort).local(localAddress, localPort)
                .register(register);
    }
}
