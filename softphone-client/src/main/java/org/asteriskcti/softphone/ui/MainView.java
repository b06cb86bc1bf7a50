package org.asteriskcti.softphone.ui;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.asteriskcti.softphone.cti.ConnectionStatus;
import org.asteriskcti.softphone.ui.CallPanelViewModel.Phase;

/** The main window: toolbar, call panel, transfer, keypad, dial, history, status bar. Thin: binds to the view-models. */
public final class MainView {
    private MainView() {}

    /** @param ticking run the one-second timer (tests drive {@link DeskViewModel#tick()} themselves) */
    public static Parent build(DeskViewModel vm, boolean ticking) {
        BorderPane root = new BorderPane();
        root.getStyleClass().add("desk");
        VBox top = new VBox(banner(vm), toolbar(vm.bar(), vm));
        root.setTop(top);
        root.setCenter(callPanel(vm));
        root.setRight(side(vm));
        root.setBottom(statusBar(vm));
        if (ticking) {
            Timeline t = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick()));
            t.setCycleCount(Timeline.INDEFINITE);
            t.play();
        }
        return root;
    }

    private static Node banner(DeskViewModel vm) {
        Label l = new Label();
        l.setId("connectionBanner");
        l.getStyleClass().add("banner");
        l.setMaxWidth(Double.MAX_VALUE);
        l.textProperty().bind(vm.connectionTextProperty());
        l.visibleProperty().bind(vm.connectionProperty().isNotEqualTo(ConnectionStatus.CONNECTED));
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    private static Node toolbar(AgentBarViewModel bar, DeskViewModel vm) {
        Label name = new Label();
        name.textProperty().bind(bar.agentNameProperty());
        name.getStyleClass().add("agent-name");
        Label state = new Label();
        state.setId("agentState");
        state.textProperty().bind(bar.stateTextProperty());
        state.getStyleClass().add("state");
        bar.stateStyleProperty().addListener((o, a, b) -> {
            state.getStyleClass().removeIf(c -> c.startsWith("state-"));
            state.getStyleClass().add("state-" + b);
        });
        state.getStyleClass().add("state-" + bar.stateStyleProperty().get());
        Label countdown = new Label();
        countdown.setId("wrapUpCountdown");
        countdown.getStyleClass().add("countdown");
        countdown.textProperty().bind(bar.wrapUpRemainingProperty());
        Label next = new Label();
        next.textProperty().bind(bar.nextStateProperty());
        Button login = button("Log in", "agentLogin", vm::login);
        login.visibleProperty().bind(bar.canLoginProperty());
        login.managedProperty().bind(login.visibleProperty());
        Button ready = button("Ready", "ready", vm::ready);
        ready.disableProperty().bind(bar.canReadyProperty().not());
        ComboBox<String> reasons = new ComboBox<>(bar.reasons());
        reasons.setId("reason");
        reasons.valueProperty().bindBidirectional(bar.selectedReasonProperty());
        Button notReady = button("Not ready", "notReady", vm::notReady);
        notReady.disableProperty().bind(bar.canNotReadyProperty().not());
        Button endWrap = button("End wrap-up", "endWrapUp", vm::endWrapUp);
        endWrap.visibleProperty().bind(bar.canEndWrapUpProperty());
        endWrap.managedProperty().bind(endWrap.visibleProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label conn = new Label();
        conn.setId("connection");
        conn.textProperty().bind(Bindings.createStringBinding(() -> switch (vm.connectionProperty().get()) {
            case CONNECTED -> "● online";
            case RECONNECTING -> "◌ reconnecting";
            case OFFLINE -> "○ offline";
        }, vm.connectionProperty()));
        HBox box = new HBox(10, name, state, countdown, next, login, ready, reasons, notReady, endWrap, grow, conn);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(8, 12, 8, 12));
        box.getStyleClass().add("toolbar");
        return box;
    }

    private static Node callPanel(DeskViewModel vm) {
        CallPanelViewModel c = vm.call();
        Label title = new Label();
        title.setId("callTitle");
        title.getStyleClass().add("call-title");
        title.textProperty().bind(c.titleProperty());
        Label number = new Label();
        number.setId("callerNumber");
        number.getStyleClass().add("caller-number");
        number.textProperty().bind(c.callerNumberProperty());
        Label name = new Label();
        name.setId("callerName");
        name.getStyleClass().add("caller-name");
        name.textProperty().bind(c.callerNameProperty());
        Label queue = new Label();
        queue.setId("callQueue");
        queue.textProperty().bind(Bindings.createStringBinding(() -> c.queueProperty().get().isEmpty() ? ""
                : "Queue " + c.queueProperty().get(), c.queueProperty()));
        Label wait = new Label();
        wait.setId("waitTime");
        wait.textProperty().bind(c.waitTextProperty());
        Label timer = new Label();
        timer.setId("callTimer");
        timer.getStyleClass().add("timer");
        timer.textProperty().bind(c.timerProperty());
        Label rec = new Label();
        rec.getStyleClass().add("recording");
        rec.textProperty().bind(c.recordingStateProperty());
        Label xfer = new Label();
        xfer.setId("transferState");
        xfer.textProperty().bind(c.transferStateProperty());

        TableView<CallPanelViewModel.Row> pop = new TableView<>(c.screenPop());
        pop.setId("screenPop");
        TableColumn<CallPanelViewModel.Row, String> k = new TableColumn<>("Screen pop");
        k.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().label()));
        k.setPrefWidth(140);
        TableColumn<CallPanelViewModel.Row, String> v = new TableColumn<>("");
        v.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().value()));
        v.setPrefWidth(260);
        pop.getColumns().add(k);
        pop.getColumns().add(v);
        pop.setPrefHeight(170);
        pop.setPlaceholder(new Label("No IVR data"));

        var onCall = c.phaseProperty().isEqualTo(Phase.ON_CALL);
        Button answer = button("Answer", "answer", vm::answer);
        answer.disableProperty().bind(vm.canAnswerProperty().not());
        answer.getStyleClass().add("answer");
        Button hangup = button("Hang up", "hangup", vm::hangup);
        hangup.disableProperty().bind(vm.canHangUpProperty().not());
        hangup.getStyleClass().add("hangup");
        Button decline = button("Decline", "decline", vm::decline);
        decline.disableProperty().bind(vm.canDeclineProperty().not());
        decline.getStyleClass().add("decline");
        Button hold = button("Hold", "hold", vm::toggleHold);
        hold.textProperty().bind(Bindings.when(vm.heldProperty()).then("Resume").otherwise("Hold"));
        hold.disableProperty().bind(vm.canHoldProperty().not());
        Button mute = button("Mute", "mute", vm::toggleMute);
        mute.textProperty().bind(Bindings.when(vm.mutedProperty()).then("Unmute").otherwise("Mute"));
        mute.disableProperty().bind(vm.canHoldProperty().not());
        Button record = button("Record", "record", vm::toggleRecording);
        record.textProperty().bind(Bindings.when(c.recordingProperty()).then("Stop rec.").otherwise("Record"));
        record.disableProperty().bind(onCall.not());
        Button pause = button("Pause rec.", "pauseRecording", vm::togglePause);
        pause.textProperty().bind(Bindings.when(c.recordingPausedProperty()).then("Resume rec.").otherwise("Pause rec."));
        pause.disableProperty().bind(c.recordingProperty().not());
        HBox actions = new HBox(8, answer, decline, hangup, hold, mute, record, pause);
        Label rings = new Label("Your phone rings");
        rings.setId("phoneRings");
        rings.getStyleClass().add("phone-rings");
        rings.visibleProperty().bind(vm.phoneRingingProperty());

        VBox who = new VBox(4, title, number, name, new HBox(16, queue, wait), new HBox(16, timer, rec, xfer), rings);
        VBox panel = new VBox(12, who, pop, actions, new Separator(), transfer(vm, onCall), keypad(vm, onCall));
        panel.setPadding(new Insets(12));
        panel.getStyleClass().add("call-panel");
        return panel;
    }

    private static Node transfer(DeskViewModel vm, javafx.beans.binding.BooleanBinding onCall) {
        TransferViewModel t = vm.transfer();
        ComboBox<TransferViewModel.Target> agents = new ComboBox<>(t.agents());
        agents.setId("transferAgent");
        agents.setPromptText("Agent");
        agents.setPrefWidth(230);
        ComboBox<TransferViewModel.Target> queues = new ComboBox<>(t.queues());
        queues.setId("transferQueue");
        queues.setPromptText("Queue");
        queues.setPrefWidth(180);
        agents.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                t.selectedProperty().set(b);
                queues.setValue(null);
            }
        });
        queues.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                t.selectedProperty().set(b);
                agents.setValue(null);
            }
        });
        TextField number = new TextField();
        number.setId("transferNumber");
        number.setPromptText("or number");
        number.setPrefColumnCount(10);
        number.textProperty().bindBidirectional(t.numberProperty());
        Button blind = button("Blind", "blindTransfer", vm::blindTransfer);
        Button attended = button("Attended", "attendedTransfer", vm::attendedTransfer);
        Button complete = button("Complete", "completeTransfer", vm::completeTransfer);
        Button cancel = button("Cancel", "cancelTransfer", vm::cancelTransfer);
        Button conf = button("Conference", "conference", vm::conference);
        blind.disableProperty().bind(onCall.not().or(vm.call().transferringProperty()));
        attended.disableProperty().bind(onCall.not().or(vm.call().transferringProperty()));
        complete.disableProperty().bind(vm.call().transferringProperty().not());
        cancel.disableProperty().bind(vm.call().transferringProperty().not());
        conf.disableProperty().bind(onCall.not());
        VBox box = new VBox(6, new Label("Transfer / conference"), new HBox(8, agents, queues, number),
                new HBox(8, blind, attended, complete, cancel, conf));
        return box;
    }

    private static Node keypad(DeskViewModel vm, javafx.beans.binding.BooleanBinding onCall) {
        GridPane pad = new GridPane();
        pad.setId("keypad");
        pad.setHgap(4);
        pad.setVgap(4);
        String[] keys = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"};
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            Button b = button(k, "dtmf" + (k.equals("*") ? "Star" : k.equals("#") ? "Hash" : k), () -> vm.dtmf(k));
            b.setPrefWidth(40);
            b.disableProperty().bind(onCall.not());
            pad.add(b, i % 3, i / 3);
        }
        return new TitledPane("Keypad (DTMF)", pad);
    }

    private static Node side(DeskViewModel vm) {
        TextField number = new TextField();
        number.setId("dialNumber");
        number.setPromptText("Number to dial");
        number.textProperty().bindBidirectional(vm.dialNumberProperty());
        Button dial = button("Dial", "dial", vm::dial);
        dial.disableProperty().bind(vm.call().phaseProperty().isNotEqualTo(Phase.IDLE)
                .and(vm.call().phaseProperty().isNotEqualTo(Phase.WRAP_UP)));
        number.setOnAction(e -> vm.dial());
        ListView<DeskViewModel.HistoryRow> history = new ListView<>(vm.history());
        history.setId("history");
        history.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(DeskViewModel.HistoryRow r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null
                        : r.when() + "  " + r.direction() + "  " + r.who() + "\n   " + r.outcome() + ", talked " + r.talk());
            }
        });
        history.setPlaceholder(new Label("No calls yet"));
        VBox.setVgrow(history, Priority.ALWAYS);
        VBox box = new VBox(8, new Label("Click to dial"), new HBox(6, number, dial), new Label("Call history"), history);
        box.setPadding(new Insets(12));
        box.setPrefWidth(320);
        return box;
    }

    private static Node statusBar(DeskViewModel vm) {
        Label conn = new Label();
        conn.setId("statusConnection");
        conn.textProperty().bind(vm.connectionTextProperty());
        Label phone = new Label();
        phone.setId("statusPhone");
        phone.textProperty().bind(vm.phoneTextProperty());
        CheckBox auto = new CheckBox("Auto-answer ACD calls");
        auto.setId("autoAnswer");
        auto.selectedProperty().bindBidirectional(vm.autoAnswerProperty());
        Label msg = new Label();
        msg.setId("message");
        msg.getStyleClass().add("error");
        msg.textProperty().bind(vm.messageProperty());
        HBox box = new HBox(16, conn, new Separator(javafx.geometry.Orientation.VERTICAL), phone, auto,
                new Separator(javafx.geometry.Orientation.VERTICAL), msg);
        box.setPadding(new Insets(4, 12, 4, 12));
        box.getStyleClass().add("status-bar");
        return box;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }
}
