package org.asteriskcti.server.asterisk.ari;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Asterisk's ARI. Null arguments take the documented default.
 *
 * @param baseUrl           ARI root, default {@code http://127.0.0.1:8088/ari} (http.conf's bind address and
 *                          prefix); {@code https} gives {@code wss} for the events socket
 * @param username          ari.conf user
 * @param password          ari.conf password; never printed by {@link #toString()}
 * @param app               Stasis application name, default {@code cti}. Asterisk allows ONE events socket per
 *                          name: a second connection takes the app over, so two active CTIs need two names
 * @param requestTimeout    per REST call and for opening the socket, default 5 s (a local Asterisk answers in
 *                          milliseconds; 5 s means it is stuck)
 * @param reconnectMin      first reconnect delay, default 500 ms
 * @param reconnectMax      longest reconnect delay, default 30 s; also the pause after ApplicationReplaced
 * @param subscribeAll      {@code subscribeAll=true} on the events socket: every channel, bridge and device of
 *                          the whole Asterisk, not only the app's. Default false
 * @param heartbeatInterval WebSocket ping period, default 5 s
 * @param heartbeatTimeout  silence (no frame, no pong) after which the link counts as dead, default 10 s
 */
public record AriSettings(URI baseUrl, String username, String password, String app, Duration requestTimeout,
        Duration reconnectMin, Duration reconnectMax, boolean subscribeAll, Duration heartbeatInterval,
        Duration heartbeatTimeout) {

    public static final URI DEFAULT_BASE_URL = URI.create("http://127.0.0.1:8088/ari");
    public static final String DEFAULT_APP = "cti";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    public AriSettings {
        baseUrl = stripTrailingSlash(baseUrl == null ? DEFAULT_BASE_URL : baseUrl);
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("ARI baseUrl must be http(s), got " + baseUrl);
        }
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        app = app == null || app.isBlank() ? DEFAULT_APP : app;
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "requestTimeout");
        reconnectMin = positive(reconnectMin, DEFAULT_RECONNECT_MIN, "reconnectMin");
        reconnectMax = positive(reconnectMax, DEFAULT_RECONNECT_MAX, "reconnectMax");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax " + reconnectMax + " < reconnectMin " + reconnectMin);
        }
        heartbeatInterval = positive(heartbeatInterval, DEFAULT_HEARTBEAT_INTERVAL, "heartbeatInterval");
        heartbeatTimeout = positive(heartbeatTimeout, DEFAULT_HEARTBEAT_TIMEOUT, "heartbeatTimeout");
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout " + heartbeatTimeout
                    + " must be longer than heartbeatInterval " + heartbeatInterval);
        }
    }

    /** Defaults for everything but the credentials. */
    public static AriSettings of(String username, String password) {
        return new AriSettings(null, username, password, null, null, null, null, false, null, null);
    }

    public AriSettings withBaseUrl(URI url) {
        return new AriSettings(url, username, password, app, requestTimeout, reconnectMin, reconnectMax,
                subscribeAll, heartbeatInterval, heartbeatTimeout);
    }

    public AriSettings withApp(String newApp) {
        return new AriSettings(baseUrl, username, password, newApp, requestTimeout, reconnectMin, reconnectMax,
                subscribeAll, heartbeatInterval, heartbeatTimeout);
    }

    public AriSettings withRequestTimeout(Duration timeout) {
        return new AriSettings(baseUrl, username, password, app, timeout, reconnectMin, reconnectMax,
                subscribeAll, heartbeatInterval, heartbeatTimeout);
    }

    public AriSettings withReconnect(Duration min, Duration max) {
        return new AriSettings(baseUrl, username, password, app, requestTimeout, min, max, subscribeAll,
                heartbeatInterval, heartbeatTimeout);
    }

    public AriSettings withSubscribeAll(boolean all) {
        return new AriSettings(baseUrl, username, password, app, requestTimeout, reconnectMin, reconnectMax,
                all, heartbeatInterval, heartbeatTimeout);
    }

    public AriSettings withHeartbeat(Duration interval, Duration timeout) {
        return new AriSettings(baseUrl, username, password, app, requestTimeout, reconnectMin, reconnectMax,
                subscribeAll, interval, timeout);
    }

    /** {@code ws://host:port/ari/events?app=<app>&subscribeAll=<bool>}; credentials go in a header, not here. */
    public URI eventsUri() {
        String scheme = "https".equalsIgnoreCase(baseUrl.getScheme()) ? "wss" : "ws";
        String base = baseUrl.toString().substring(baseUrl.getScheme().length());
        return URI.create(scheme + base + "/events?app=" + URLEncoder.encode(app, StandardCharsets.UTF_8)
                + "&subscribeAll=" + subscribeAll);
    }

    @Override
    public String toString() {
        return "AriSettings[baseUrl=" + baseUrl + ", username=" + username + ", password=***, app=" + app
                + ", requestTimeout=" + requestTimeout + ", reconnect=" + reconnectMin + ".." + reconnectMax
                + ", subscribeAll=" + subscribeAll + ", heartbeat=" + heartbeatInterval + "/" + heartbeatTimeout
                + "]";
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
