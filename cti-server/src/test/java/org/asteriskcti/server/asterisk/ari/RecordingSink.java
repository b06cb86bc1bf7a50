package org.asteriskcti.server.asterisk.ari;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.AsteriskEvent.LinkStateChanged;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.LinkState;

/** Collects what a connector delivers, in order, for assertions from the test thread. */
final class RecordingSink implements AsteriskEventSink {

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

    List<LinkState> linkStates() {
        return ofType(LinkStateChanged.class).stream().map(LinkStateChanged::state).collect(Collectors.toList());
    }

    /** Names of the event records in order, e.g. {@code [LinkStateChanged, ResyncSnapshot, StasisStarted]}. */
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

    int size() {
        return events.size();
    }
}
