package org.asteriskcti.server.acd.stats;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD's append-only statistics log, in time order. Owned by the domain loop.
 *
 * <p>Each appended event is also handed to a sink (storage: {@code QueueEventStore#append}), which
 * must return at once. A log may start with the events a previous run stored ({@code restored}), so
 * that figures over today include what happened before a restart; those are not handed to the sink
 * again, and {@link #sinceStart()} leaves them out.
 */
public final class QueueEventLog {

    private static final Logger log = LoggerFactory.getLogger(QueueEventLog.class);

    private final List<QueueEvent> events = new ArrayList<>();
    private final int restored;
    private final Consumer<QueueEvent> sink;
    /** Told of each appended event after the sink (call detail records); set once at wiring. */
    private Consumer<QueueEvent> follower = e -> {};

    /** A log kept in memory only. */
    public QueueEventLog() {
        this(List.of(), e -> {});
    }

    /** A new log handing every appended event to {@code sink}. */
    public QueueEventLog(Consumer<QueueEvent> sink) {
        this(List.of(), sink);
    }

    /**
     * A log that starts with {@code restored} (stored earlier, in time order) and hands every event
     * appended from now on to {@code sink}.
     */
    public QueueEventLog(List<QueueEvent> restored, Consumer<QueueEvent> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        for (QueueEvent e : restored) {
            add(e);
        }
        this.restored = events.size();
    }

    /**
     * Appends one event and hands it to the sink; refuses one older than the last, so the log stays in
     * time order. A failing sink is logged and does not undo the append.
     */
    public void append(QueueEvent event) {
        add(event);
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("statistics log: the sink failed to take {}; it is kept in memory only", event, e);
        }
        try {
            follower.accept(event);
        } catch (RuntimeException e) {
            log.error("statistics log: the follower failed to take {}", event, e);
        }
    }

    /**
     * Who is told of every event appended from now on, after the sink (on the domain loop, like the appends);
     * set once at wiring. A failing follower is logged and does not undo the append.
     */
    public void follow(Consumer<QueueEvent> follower) {
        this.follower = Objects.requireNonNull(follower, "follower");
    }

    private void add(QueueEvent event) {
        Objects.requireNonNull(event, "event");
        if (!events.isEmpty() && event.at().isBefore(events.get(events.size() - 1).at())) {
            throw new IllegalArgumentException("statistics log is append-only in time order: " + event
                    + " is older than " + events.get(events.size() - 1).at());
        }
        events.add(event);
    }

    /** A read-only view of every event so far, restored ones first. */
    public List<QueueEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /**
     * The events appended since this log was made, without the restored ones: what happened in this
     * run, from which the current state (callers waiting now, agents' states) is computed, since after a
     * restart the ACD rebuilds that state afresh.
     */
    public List<QueueEvent> sinceStart() {
        return new AbstractList<>() {
            @Override
            public QueueEvent get(int index) {
                Objects.checkIndex(index, size());
                return events.get(restored + index);
            }

            @Override
            public int size() {
                return events.size() - restored;
            }
        };
    }

    /** How many events the log started with. */
    public int restored() {
        return restored;
    }

    public int size() {
        return events.size();
    }
}
