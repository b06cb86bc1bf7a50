package org.asteriskcti.server.asterisk.ami;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.LinkState;

/** A sink that keeps what the connector delivered, in order, for assertions from the test thread. */
final class EventRecorder implements AsteriskEventSink {

    private final List<AsteriskEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(AsteriskEvent event) {
        events.add(event);
    }

    List<AsteriskEvent> all() {
        return List.copyOf(events);
    }

    <T extends AsteriskEvent> List<T> ofType(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    <T extends AsteriskEvent> List<T> ofType(Class<T> type, Predicate<T> filter) {
        return ofType(type).stream().filter(filter).collect(Collectors.toList());
    }

    <T extends AsteriskEvent> T first(Class<T> type, Predicate<T> filter) {
        return ofType(type, filter).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " matching in " + kinds()));
    }

    boolean has(Class<? extends AsteriskEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }

    List<LinkStateChanged> links() {
        return ofType(LinkStateChanged.class);
    }

    List<LinkState> linkStates() {
        return links().stream().map(LinkStateChanged::state).collect(Collectors.toList());
    }

    /** Simple names of the records, in order. */
    List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.toList());
    }

    int indexOf(AsteriskEvent e) {
        List<AsteriskEvent> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == e) {
                return i;
            }
        }
        return -1;
    }
}
