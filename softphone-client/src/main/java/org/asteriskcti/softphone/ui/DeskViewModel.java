package org.asteriskcti.softphone.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.asteriskcti.protocol.CallHistoryEntry;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.protocol.Protocol.Type;
import org.asteriskcti.softphone.cti.CallRequest;
import org.asteriskcti.softphone.cti.ConnectionStatus;
import org.asteriskcti.softphone.cti.CtiException;
import org.asteriskcti.softphone.cti.DeskCommands;
import org.asteriskcti.softphone.cti.DeskModel;
import org.asteriskcti.softphone.phone.Phone;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Phase;

/**
 * The main window's logic: the agent toolbar, the call panel, the transfer picker, the history and the connection
 * status, plus every action of the window. Actions send commands; what they change comes back on the stream, so
 * the view-models only ever show the model. Failures land in {@link #messageProperty()} naming what was refused.
 */
public final class DeskViewModel {

    /** One line of the call history. */
    public record HistoryRow(String when, String direction, String who, String talk, String outcome) {}

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM. HH:mm");

    private final DeskModel model;
    private final DeskCommands commands;
    private final Phone phone;
    private final Clock clock;
    private final Executor ui;
    private final AgentBarViewModel bar = new AgentBarViewModel();
    private final CallPanelViewModel call = new CallPanelViewModel();
    private final TransferViewModel transfer = new TransferViewModel();
    private final ObjectProperty<ConnectionStatus> connection = new SimpleObjectProperty<>(ConnectionStatus.OFFLINE);
    private final StringProperty connectionText = new SimpleStringProperty("Offline");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty phoneText = new SimpleStringProperty("");
    private final BooleanProperty phoneRinging = new SimpleBooleanProperty();
    private final BooleanProperty canAnswer = new SimpleBooleanProperty();
    private final BooleanProperty canHangUp = new SimpleBooleanProperty();
    private final BooleanProperty canDecline = new SimpleBooleanProperty();
    private final BooleanProperty canHold = new SimpleBooleanProperty();
    private final BooleanProperty held = new SimpleBooleanProperty();
    private final BooleanProperty muted = new SimpleBooleanProperty();
    /** The built-in phone has a connected or held call the CTI does not show: hold and mute act on the phone. */
    private final BooleanProperty phoneLeg = new SimpleBooleanProperty();
    private final BooleanProperty autoAnswer = new SimpleBooleanProperty();
    /** Auto-answer was tried for the ring now going on; cleared when the phone stops ringing. */
    private boolean autoAnswered;
    private final StringProperty dialNumber = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final ObservableList<HistoryRow> history = FXCollections.observableArrayList();

    /** @param ui where command outcomes are shown (Platform::runLater in the app) */
    public DeskViewModel(DeskModel model, DeskCommands commands, Phone phone, Clock clock, Executor ui) {
        this.model = model;
        this.commands = commands;
        this.phone = phone;
        this.clock = clock;
        this.ui = ui;
        model.addListener(this::refresh);
        phone.onChange(() -> ui.execute(this::phoneChanged));
        autoAnswer.addListener((o, was, on) -> phoneChanged());
        refresh();
    }

    /** Re-reads the model (called on every change). */
    public void refresh() {
        var now = clock.instant();
        bar.refresh(model, now);
        call.refresh(model, now);
        transfer.refresh(model);
        ConnectionStatus s = model.status();
        connection.set(s);
        String stale = "stale".equals(model.sync()) ? " — server resyncing with Asterisk" : "";
        connectionText.set(switch (s) {
            case CONNECTED -> "Connected" + stale;
            case RECONNECTING -> "Reconnecting… " + model.statusDetail();
            case OFFLINE -> "Offline" + (model.statusDetail().isEmpty() ? "" : " — " + model.statusDetail());
        });
        phoneChanged();
        List<HistoryRow> rows = new ArrayList<>();
        for (CallHistoryEntry e : model.history()) {
            rows.add(new HistoryRow(e.startedAt() == null ? "" : WHEN.format(e.startedAt().atZone(clock.getZone())),
                    e.direction() == null ? "" : e.direction().toLowerCase(),
                    e.name() == null || e.name().isBlank() ? e.number() : e.name() + " " + e.number(),
                    Format.minutesSeconds(Duration.ofSeconds(e.talkSeconds())),
                    e.disposition() == null ? "" : e.disposition().toLowerCase()));
        }
        history.setAll(rows);
    }

    /**
     * Re-reads the phone (called on every change of it and of the model). With a built-in phone Answer is possible
     * only while it rings; without one it stays possible during an offer, to say where to answer. With auto-answer
     * on, a ringing phone is answered while the desk shows an ACD offer for this agent (never a call the CTI did not
     * offer).
     */
    public void phoneChanged() {
        phoneText.set(phone.describe());
        boolean ringing = phone.ringing();
        phoneRinging.set(ringing);
        Phase phase = call.phaseProperty().get();
        canAnswer.set(phone.available() ? ringing : phase == Phase.OFFERED);
        canHangUp.set(phase == Phase.ON_CALL || phone.inCall() && !ringing);
        canDecline.set(ringing);
        boolean own = phase != Phase.ON_CALL && phone.inCall() && !ringing;
        phoneLeg.set(own);
        canHold.set(phase == Phase.ON_CALL || own);
        held.set(own ? phone.heldByUs() : call.heldProperty().get());
        muted.set(own ? phone.muted() : call.mutedProperty().get());
        if (!ringing) {
            autoAnswered = false;
        } else if (autoAnswer.get() && phase == Phase.OFFERED && !autoAnswered) {
            autoAnswered = true;
            onPhone("auto-answer", phone::answer);
        }
    }

    /** Moves the countdown and the timers; the view calls it every second. */
    public void tick() {
        var now = clock.instant();
        bar.tick(now);
        call.tick(now);
    }

    // ---- actions -------------------------------------------------------------------------------------

    public void login() {
        run("log in", () -> commands.agentLogin(false));
    }

    public void ready() {
        run("ready", commands::agentReady);
    }

    public void notReady() {
        String reason = bar.selectedReasonProperty().get();
        if (reason == null || reason.isBlank()) {
            message.set("Pick a not-ready reason first");
            return;
        }
        run("not ready (" + reason + ")", () -> commands.agentNotReady(reason));
    }

    public void endWrapUp() {
        run("end wrap-up", commands::agentWrapUpEnd);
    }

    public void answer() {
        onPhone("answer", phone::answer);
    }

    /**
     * Declines the ringing phone with 603 Decline. For an ACD offer Asterisk ends the ring to this agent and the
     * CTI server counts it as rejected (the agent stays ready and gets this caller again only after the others).
     */
    public void decline() {
        onPhone("decline", () -> phone.reject(false));
    }

    /** Hangs up through the CTI when it knows the call; otherwise ends the built-in phone's SIP leg. */
    public void hangup() {
        if (call.phaseProperty().get() != Phase.ON_CALL && phone.inCall()) {
            onPhone("hang up", phone::hangup);
            return;
        }
        callCommand("hang up", CallRequest.of(Type.CALL_HANGUP));
    }

    /** Holds through the CTI when it knows the call; a call only the phone has is held by re-INVITE (sendonly). */
    public void toggleHold() {
        if (phoneLeg.get()) {
            boolean on = !phone.heldByUs();
            onPhone(on ? "hold" : "resume", () -> phone.hold(on));
            return;
        }
        callCommand(call.heldProperty().get() ? "resume" : "hold",
                CallRequest.of(call.heldProperty().get() ? Type.CALL_UNHOLD : Type.CALL_HOLD));
    }

    /** Mutes through the CTI when it knows the call; on a call only the phone has the phone sends silence. */
    public void toggleMute() {
        if (phoneLeg.get()) {
            boolean on = !phone.muted();
            onPhone(on ? "mute" : "unmute", () -> phone.mute(on));
            return;
        }
        callCommand(call.mutedProperty().get() ? "unmute" : "mute",
                CallRequest.of(call.mutedProperty().get() ? Type.CALL_UNMUTE : Type.CALL_MUTE));
    }

    public void dtmf(String digit) {
        callCommand("DTMF " + digit, () -> CallRequest.dtmf(digit));
    }

    public void toggleRecording() {
        callCommand(call.recordingProperty().get() ? "stop recording" : "record",
                CallRequest.of(call.recordingProperty().get() ? Type.CALL_RECORD_STOP : Type.CALL_RECORD_START));
    }

    public void togglePause() {
        callCommand(call.recordingPausedProperty().get() ? "resume recording" : "pause recording",
                call.recordingPausedProperty().get() ? CallRequest.of(Type.CALL_RECORD_RESUME) : CallRequest.recordPause("agent"));
    }

    public void dial() {
        callCommand("dial", () -> CallRequest.dial(dialNumber.get()));
    }

    public void blindTransfer() {
        callCommand("blind transfer", () -> CallRequest.toTarget(Type.CALL_TRANSFER_BLIND, transfer.target()));
    }

    public void attendedTransfer() {
        callCommand("attended transfer", () -> CallRequest.toTarget(Type.CALL_TRANSFER_ATTENDED, transfer.target()));
    }

    public void completeTransfer() {
        callCommand("complete transfer", CallRequest.of(Type.CALL_TRANSFER_COMPLETE));
    }

    public void cancelTransfer() {
        callCommand("cancel transfer", CallRequest.of(Type.CALL_TRANSFER_CANCEL));
    }

    /** With an attended transfer running: everyone together; otherwise add the picked target to the call. */
    public void conference() {
        if (call.transferringProperty().get()) {
            callCommand("conference", CallRequest.of(Type.CALL_TRANSFER_CONFERENCE));
        } else {
            callCommand("add to conference", () -> CallRequest.toTarget(Type.CALL_CONFERENCE_ADD, transfer.target()));
        }
    }

    private void callCommand(String what, CallRequest r) {
        callCommand(what, () -> r);
    }

    private void callCommand(String what, Supplier<CallRequest> build) {
        CallRequest r;
        try {
            r = build.get();
        } catch (IllegalArgumentException e) {
            message.set(capitalize(what) + ": " + e.getMessage());
            return;
        }
        run(what, () -> commands.call(r));
    }

    /** A command on the built-in phone: it needs no CTI connection. */
    private void onPhone(String what, Supplier<? extends CompletableFuture<?>> action) {
        run(what, false, action);
    }

    private void run(String what, Supplier<? extends CompletableFuture<?>> action) {
        run(what, true, action);
    }

    private void run(String what, boolean needsCti, Supplier<? extends CompletableFuture<?>> action) {
        if (needsCti && connection.get() != ConnectionStatus.CONNECTED) {
            message.set(capitalize(what) + ": not connected to the CTI server (" + connection.get().name().toLowerCase() + ")");
            return;
        }
        busy.set(true);
        message.set("");
        CompletableFuture<?> f;
        try {
            f = action.get();
        } catch (RuntimeException e) {
            busy.set(false);
            message.set(capitalize(what) + " failed: " + e.getMessage());
            return;
        }
        f.whenCompleteAsync((ok, err) -> {
            busy.set(false);
            if (err != null) {
                Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (t instanceof CtiException ce) {
                    if (Protocol.Errors.AGENT_UNKNOWN_REASON.equals(ce.errorId())) {
                        bar.serverReasons(AgentBarViewModel.allowedOf(ce.error().details()));
                    }
                    message.set(capitalize(what) + " refused: " + ce.userMessage() + " [" + ce.errorId() + "]");
                } else {
                    message.set(capitalize(what) + " failed: " + t.getMessage());
                }
            }
        }, ui);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---- properties ----------------------------------------------------------------------------------

    public AgentBarViewModel bar() {
        return bar;
    }

    public CallPanelViewModel call() {
        return call;
    }

    public TransferViewModel transfer() {
        return transfer;
    }

    public ReadOnlyObjectProperty<ConnectionStatus> connectionProperty() {
        return connection;
    }

    public ReadOnlyStringProperty connectionTextProperty() {
        return connectionText;
    }

    /** The last refusal or failure, naming what was refused; empty when the last action went through. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyStringProperty phoneTextProperty() {
        return phoneText;
    }

    /** The built-in phone rings ("your phone rings"). */
    public ReadOnlyBooleanProperty phoneRingingProperty() {
        return phoneRinging;
    }

    /** Answer makes sense now: the built-in phone rings, or (without one) an offer is there to be told about. */
    public ReadOnlyBooleanProperty canAnswerProperty() {
        return canAnswer;
    }

    /** Hang up makes sense now: a call the CTI knows, or a call on the built-in phone. */
    public ReadOnlyBooleanProperty canHangUpProperty() {
        return canHangUp;
    }

    /** Decline makes sense now: the built-in phone rings. */
    public ReadOnlyBooleanProperty canDeclineProperty() {
        return canDecline;
    }

    /** Hold and Mute make sense now: a call the CTI knows, or a call only the built-in phone has. */
    public ReadOnlyBooleanProperty canHoldProperty() {
        return canHold;
    }

    /** The call is held: by the CTI for its call, by our re-INVITE for the phone's own call. */
    public ReadOnlyBooleanProperty heldProperty() {
        return held;
    }

    /** The agent is muted: by the CTI for its call, on the phone for the phone's own call. */
    public ReadOnlyBooleanProperty mutedProperty() {
        return muted;
    }

    /** Hold and mute act on the built-in phone (a call the CTI does not show), not through the CTI. */
    public ReadOnlyBooleanProperty phoneLegProperty() {
        return phoneLeg;
    }

    /** Answer the built-in phone by itself when it rings for an ACD offer to this agent. */
    public BooleanProperty autoAnswerProperty() {
        return autoAnswer;
    }

    public StringProperty dialNumberProperty() {
        return dialNumber;
    }

    /** A command is waiting for its reply. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ObservableList<HistoryRow> history() {
        return history;
    }
}
