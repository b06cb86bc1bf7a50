package org.asteriskcti.server.asterisk.ami;

import java.time.Duration;
import java.util.Objects;

/**
 * How the AMI edge reaches one Asterisk.
 *
 * <p>Liveness: a ping is sent every {@code pingInterval}; no answer within {@code pingTimeout} closes
 * the socket and reconnects. The socket read timeout is {@code pingInterval + pingTimeout}, a second
 * net for the same case. With the defaults (4 s + 4 s) a half-open TCP link is noticed within 8 s,
 * inside the 10 s budget.
 *
 * @param host            Asterisk host
 * @param port            AMI port (manager.conf {@code port}, usually 5038)
 * @param username        manager.conf user section
 * @param secret          its secret (sent as an MD5 challenge answer, never in clear; never logged)
 * @param connectTimeout  TCP connect timeout, and the longest wait for the banner and each login step
 * @param pingInterval    time between two pings while connected
 * @param pingTimeout     a ping unanswered for this long means the link is dead (half-open TCP)
 * @param reconnectMin    first backoff delay after a failed attempt or a lost link
 * @param reconnectMax    backoff ceiling; the delay doubles per failed attempt, with jitter, up to this
 * @param eventMask       Login {@code Events:} classes. The default keeps most noise out: no
 *                        {@code dialplan} (VarSet, Newexten), {@code cdr}, {@code reporting}
 *                        (RTCP), {@code security}. CEL events are sent with class {@code call}
 *                        (cel_manager), so the mask cannot exclude them: the translator drops them. Every event this edge translates
 *                        except VarSet is in {@code system,call,agent,user,dtmf}; add {@code dialplan}
 *                        to receive {@code CTI_*} VarSets (and the flood that comes with them).
 * @param actionTimeout   longest wait for the answer to one action, including the resync lists
 */
public record AmiSettings(String host, int port, String username, String secret, Duration connectTimeout,
        Duration pingInterval, Duration pingTimeout, Duration reconnectMin, Duration reconnectMax, String eventMask,
        Duration actionTimeout) {

    /** Event classes verified against the traces' {@code Privilege:} headers (see class comment). */
    public static final String DEFAULT_EVENT_MASK = "system,call,agent,user,dtmf";

    public AmiSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        if (host.isBlank()) {
            throw new IllegalArgumentException("AMI host must not be blank");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("AMI port out of range: " + port);
        }
        connectTimeout = positive(connectTimeout, "connectTimeout");
        pingInterval = positive(pingInterval, "pingInterval");
        pingTimeout = positive(pingTimeout, "pingTimeout");
        reconnectMin = positive(reconnectMin, "reconnectMin");
        reconnectMax = positive(reconnectMax, "reconnectMax");
        actionTimeout = positive(actionTimeout, "actionTimeout");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax " + reconnectMax + " < reconnectMin " + reconnectMin);
        }
        eventMask = eventMask == null || eventMask.isBlank() ? DEFAULT_EVENT_MASK : eventMask.trim();
    }

    /** Defaults: connect 5 s, ping every 4 s with a 4 s timeout, backoff 0.5 s..30 s, actions 10 s. */
    public static AmiSettings of(String host, int port, String username, String secret) {
        return new AmiSettings(host, port, username, secret, Duration.ofSeconds(5), Duration.ofSeconds(4),
                Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofSeconds(30), DEFAULT_EVENT_MASK,
                Duration.ofSeconds(10));
    }

    public AmiSettings withPing(Duration interval, Duration timeout) {
        return new AmiSettings(host, port, username, secret, connectTimeout, interval, timeout, reconnectMin,
                reconnectMax, eventMask, actionTimeout);
    }

    public AmiSettings withReconnect(Duration min, Duration max) {
        return new AmiSettings(host, port, username, secret, connectTimeout, pingInterval, pingTimeout, min, max,
                eventMask, actionTimeout);
    }

    public AmiSettings withConnectTimeout(Duration timeout) {
        return new AmiSettings(host, port, username, secret, timeout, pingInterval, pingTimeout, reconnectMin,
                reconnectMax, eventMask, actionTimeout);
    }

    public AmiSettings withActionTimeout(Duration timeout) {
        return new AmiSettings(host, port, username, secret, connectTimeout, pingInterval, pingTimeout, reconnectMin,
                reconnectMax, eventMask, timeout);
    }

    public AmiSettings withEventMask(String mask) {
        return new AmiSettings(host, port, username, secret, connectTimeout, pingInterval, pingTimeout, reconnectMin,
                reconnectMax, mask, actionTimeout);
    }

    /** No data at all for this long closes the socket, even if pings could not be sent. */
    public Duration socketReadTimeout() {
        return pingInterval.plus(pingTimeout);
    }

    /** {@code host:port}, for log lines. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "AmiSettings[" + username + "@" + address() + ", connectTimeout=" + connectTimeout + ", ping="
                + pingInterval + "/" + pingTimeout + ", reconnect=" + reconnectMin + ".." + reconnectMax
                + ", eventMask=" + eventMask + ", actionTimeout=" + actionTimeout + "]";
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
