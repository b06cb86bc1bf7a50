package org.asteriskcti.server.acd.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The ACD's append-only statistics log, in time order. Owned by the domain loop. (Kept in memory for
 * now; storage will append the same records to a table.)
 */
public final class QueueEventLog {

    private final List<QueueEvent> events = new ArrayList<>();

    /** Appends one event; refuses one older than the last, so the log stays in time order. */
    public void append(QueueEvent event) {
        if (!events.isEmpty() && event.at().isBefore(events.get(events.size() - 1).at())) {
            throw new IllegalArgumentException("statistics log is append-only in time order: " + event
                    + " is older than " + events.get(events.size() - 1).at());
        }
        events.add(event);
    }

    /** A read-only view of every event so far. */
    public List<QueueEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public int size() {
        return events.size();
    }
}
