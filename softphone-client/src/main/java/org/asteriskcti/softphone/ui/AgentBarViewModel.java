package org.asteriskcti.softphone.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.asteriskcti.protocol.AgentInfo;
import org.asteriskcti.softphone.cti.DeskModel;

/**
 * The agent toolbar: the state (Ready / Not ready with its reason / Wrap-up with a countdown / on a call), which
 * state buttons apply, and the not-ready reasons to pick from. Plain JavaFX properties: no toolkit needed.
 */
public final class AgentBarViewModel {

    /**
     * The server's built-in defaults until the agent:<id> snapshot names the tenant's list
     * ({@code not_ready_reasons}; older servers: the {@code allowed} of an agent.unknown_reason refusal).
     */
    public static final List<String> DEFAULT_REASONS = List.of("break", "lunch", "training", "meeting", "back-office");

    private final StringProperty agentName = new SimpleStringProperty("");
    private final StringProperty stateText = new SimpleStringProperty("Offline");
    private final StringProperty stateStyle = new SimpleStringProperty("unknown");
    private final StringProperty wrapUpRemaining = new SimpleStringProperty("");
    private final StringProperty nextState = new SimpleStringProperty("");
    private final BooleanProperty canLogin = new SimpleBooleanProperty();
    private final BooleanProperty canReady = new SimpleBooleanProperty();
    private final BooleanProperty canNotReady = new SimpleBooleanProperty();
    private final BooleanProperty canEndWrapUp = new SimpleBooleanProperty();
    private final ObservableList<String> reasons = FXCollections.observableArrayList(DEFAULT_REASONS);
    private final StringProperty selectedReason = new SimpleStringProperty(DEFAULT_REASONS.get(0));
    private Instant wrapUpEndsAt;

    /** Re-reads the model. */
    void refresh(DeskModel model, Instant now) {
        AgentInfo me = model.me().orElse(null);
        if (!model.notReadyReasons().isEmpty() && !model.notReadyReasons().equals(reasons)) {
            serverReasons(model.notReadyReasons());
        }
        agentName.set(me == null ? "" : me.name() + " (" + me.agentId() + ")");
        String state = model.acdState();
        String reason = me == null || me.acd() == null ? null : me.acd().reason();
        wrapUpEndsAt = me == null || me.acd() == null ? null : me.acd().wrapUpEndsAt();
        stateStyle.set(state.toLowerCase().replace('_', '-'));
        stateText.set(switch (state) {
            case "READY" -> "Ready";
            case "NOT_READY" -> "Not ready" + (reason == null ? "" : " — " + reason);
            case "RESERVED" -> "Ringing";
            case "ON_CALL" -> "On call";
            case "WRAP_UP" -> "Wrap-up";
            case "ON_OTHER" -> "On another call";
            case "LOGGED_OUT" -> "Logged out";
            default -> me == null ? "No agent" : "Phone " + me.phone().toLowerCase();
        });
        String next = me == null || me.acd() == null ? null : me.acd().nextState();
        nextState.set(next == null ? "" : "then " + ("NOT_READY".equals(next) ? "not ready — " + me.acd().nextReason()
                : next.toLowerCase().replace('_', ' ')));
        boolean known = !"UNKNOWN".equals(state);
        canLogin.set("LOGGED_OUT".equals(state));
        // The server refuses READY while an offer rings (agent.illegal_transition): not offered then.
        canReady.set(known && !List.of("LOGGED_OUT", "READY", "RESERVED").contains(state));
        canNotReady.set(known && !"LOGGED_OUT".equals(state));
        canEndWrapUp.set("WRAP_UP".equals(state));
        if (reason != null && "NOT_READY".equals(state) && !reasons.contains(reason)
                && !List.of("login", "phone offline", "no answer", "phone busy", "ring failed").contains(reason)) {
            reasons.add(reason);
        }
        tick(now);
    }

    /** Moves the countdown. */
    void tick(Instant now) {
        if (wrapUpEndsAt == null || !canEndWrapUp.get()) {
            wrapUpRemaining.set("");
            return;
        }
        wrapUpRemaining.set(Format.minutesSeconds(Duration.between(now, wrapUpEndsAt)));
    }

    /** The server named its reasons (details.allowed of agent.unknown_reason): they replace ours. */
    void serverReasons(Object allowed) {
        if (allowed instanceof List<?> l && !l.isEmpty()) {
            List<String> r = new ArrayList<>();
            l.forEach(x -> r.add(String.valueOf(x)));
            reasons.setAll(r);
            if (!r.contains(selectedReason.get())) {
                selectedReason.set(r.get(0));
            }
        }
    }

    static Object allowedOf(Map<String, Object> details) {
        return details == null ? null : details.get("allowed");
    }

    public ReadOnlyStringProperty agentNameProperty() {
        return agentName;
    }

    public ReadOnlyStringProperty stateTextProperty() {
        return stateText;
    }

    /** A CSS-friendly state name: ready, not-ready, wrap-up, on-call, reserved, logged-out, unknown... */
    public ReadOnlyStringProperty stateStyleProperty() {
        return stateStyle;
    }

    /** "m:ss" left of wrap-up; empty outside wrap-up. */
    public ReadOnlyStringProperty wrapUpRemainingProperty() {
        return wrapUpRemaining;
    }

    /** What follows the current call or wrap-up, e.g. "then ready"; empty when nothing is queued. */
    public ReadOnlyStringProperty nextStateProperty() {
        return nextState;
    }

    public ReadOnlyBooleanProperty canLoginProperty() {
        return canLogin;
    }

    public ReadOnlyBooleanProperty canReadyProperty() {
        return canReady;
    }

    public ReadOnlyBooleanProperty canNotReadyProperty() {
        return canNotReady;
    }

    public ReadOnlyBooleanProperty canEndWrapUpProperty() {
        return canEndWrapUp;
    }

    public ObservableList<String> reasons() {
        return reasons;
    }

    public StringProperty selectedReasonProperty() {
        return selectedReason;
    }
}
