package org.asteriskcti.softphone.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.protocol.QueueInfo;
import org.asteriskcti.softphone.cti.DeskModel;

/**
 * The transfer / conference target picker: the other agents with their live state (free ones first), the queues,
 * or a number typed in. {@link #target()} is what goes into the command's {@code target}.
 */
public final class TransferViewModel {

    /** One pickable target. {@code target} is agent:<id> or queue:<id>. */
    public record Target(String target, String label, String detail, boolean available) {
        @Override
        public String toString() {
            return label + " — " + detail;
        }
    }

    private final ObservableList<Target> agents = FXCollections.observableArrayList();
    private final ObservableList<Target> queues = FXCollections.observableArrayList();
    private final ObjectProperty<Target> selected = new SimpleObjectProperty<>();
    private final StringProperty number = new SimpleStringProperty("");

    void refresh(DeskModel model) {
        List<Target> a = new ArrayList<>();
        for (AgentInfo info : model.agents()) {
            if (info.agentId().equals(model.agentId())) {
                continue;
            }
            String state = info.acd() != null ? info.acd().state() : "PHONE_" + info.phone();
            boolean free = info.acd() != null ? "READY".equals(state) : "IDLE".equals(info.phone());
            String detail = switch (state) {
                case "READY" -> "ready";
                case "NOT_READY" -> "not ready" + (info.acd().reason() == null ? "" : " (" + info.acd().reason() + ")");
                case "RESERVED" -> "ringing";
                case "ON_CALL", "ON_OTHER" -> "on a call";
                case "WRAP_UP" -> "wrap-up";
                case "LOGGED_OUT" -> "logged out";
                default -> "phone " + info.phone().toLowerCase();
            };
            a.add(new Target("agent:" + info.agentId(), info.name() + " (" + info.agentId() + ")", detail, free));
        }
        a.sort(Comparator.comparing((Target t) -> !t.available()).thenComparing(Target::label, String.CASE_INSENSITIVE_ORDER));
        List<Target> q = new ArrayList<>();
        for (QueueInfo info : model.queues()) {
            String detail = info.stats() == null ? "queue"
                    : info.stats().waiting() + " waiting, " + info.stats().staffed() + " staffed";
            q.add(new Target("queue:" + info.queueId(), info.name() == null ? info.queueId() : info.name(), detail, true));
        }
        Target keep = selected.get();
        agents.setAll(a);
        queues.setAll(q);
        if (keep != null) {
            // Keep the choice across refreshes, with the target's new state.
            selected.set(a.stream().filter(t -> t.target().equals(keep.target())).findFirst()
                    .or(() -> q.stream().filter(t -> t.target().equals(keep.target())).findFirst()).orElse(null));
        }
    }

    /**
     * The target to send: the number typed in if any, else the picked agent or queue.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public String target() {
        String n = number.get() == null ? "" : number.get().strip();
        if (!n.isEmpty()) {
            if (!n.matches("\\+?[0-9*#]+")) {
                throw new IllegalArgumentException("the number may hold digits, * and # (and a leading +), got '" + n + "'");
            }
            return n;
        }
        Target t = selected.get();
        if (t == null) {
            throw new IllegalArgumentException("pick an agent or queue, or type a number, to transfer to");
        }
        return t.target();
    }

    public ObservableList<Target> agents() {
        return agents;
    }

    public ObservableList<Target> queues() {
        return queues;
    }

    public ObjectProperty<Target> selectedProperty() {
        return selected;
    }

    public StringProperty numberProperty() {
        return number;
    }
}
