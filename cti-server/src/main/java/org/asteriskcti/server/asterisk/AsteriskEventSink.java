package org.asteriskcti.server.asterisk;

/**
 * Where edge adapters deliver translated events. Implementations must not block the caller (an
 * adapter's socket reader): the domain's implementation only enqueues onto the domain executor.
 */
@FunctionalInterface
public interface AsteriskEventSink {
    void accept(AsteriskEvent event);
}
