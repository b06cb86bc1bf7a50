package org.asteriskcti.server.asterisk.ami;

import java.time.Duration;

/**
 * Hook for counters and gauges of the AMI edge. Called on AMI threads: implementations must be cheap
 * and must not block (increment a counter, nothing more). Every method defaults to doing nothing.
 */
public interface AmiMetrics {

    AmiMetrics NONE = new AmiMetrics() {};

    /** A connect/login attempt failed; the next one starts after {@code nextDelay}. */
    default void connectAttemptFailed(String reason, Duration nextDelay) {}

    /** Logged in; the link is up (resync follows). */
    default void linkUp() {}

    /** The link went down (once per outage). */
    default void linkDown(String reason) {}

    /** A resync finished and its snapshot was delivered. */
    default void resyncCompleted(int channels, int bridges, int bufferedEvents, Duration took) {}

    /** An AMI event became an {@code AsteriskEvent} of the given simple type name. */
    default void eventTranslated(String asteriskEventType) {}

    /** An AMI event was not translated (noise, or a type this edge does not map). */
    default void eventDropped(String amiEventType) {}

    /** An action was answered (ok or Error) after {@code took}. */
    default void actionCompleted(String action, boolean ok, Duration took) {}
}
