package org.asteriskcti.server.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.LinkState;

/** A sink that keeps what an edge connector delivered, in order, for assertions from the test thread. */
public final class EventRecorder implements AsteriskEventSink {

    private final List<AsteriskEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(AsteriskEvent event) {
        events.add(event);
    }

    public List<AsteriskEvent> all() {
        return List.copyOf(events);
    }

    public <T extends AsteriskEvent> List<T> ofType(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    public <T extends AsteriskEvent> List<T> ofType(Class<T> type, Predicate<T> filter) {
        return ofType(type).stream().filter(filter).collect(Collectors.toList());
    }

    public <T extends AsteriskEvent> T first(Class<T> type, Predicate<T> filter) {
        return ofType(type, filter).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " matching in " + kinds()));
    }

    public boolean has(Class<? extends AsteriskEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }

    public List<LinkStateChanged> links() {
        return ofType(LinkStateChanged.class);
    }

    public List<LinkState> linkStates() {
        return links().stream().map(LinkStateChanged::state).collect(Collectors.toList());
    }

    /** Simple names of the records, in order. */
    public List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.toList());
    }

    public int indexOf(AsteriskEvent e) {
        List<AsteriskEvent> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == e) {
                return i;
            }
        }
        return -1;
    }

    public int size() {
        return events.size();
    }
}
