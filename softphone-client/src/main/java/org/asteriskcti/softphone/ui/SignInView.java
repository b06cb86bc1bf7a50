package org.asteriskcti.softphone.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.asteriskcti.softphone.ui.SignInViewModel.AudioChoice;

/** The sign-in form with its optional Phone section; all logic is in {@link SignInViewModel}. */
public final class SignInView {
    private SignInView() {}

    public static Parent build(SignInViewModel vm) {
        TextField server = new TextField();
        server.setId("server");
        server.textProperty().bindBidirectional(vm.serverProperty());
        TextField user = new TextField();
        user.setId("username");
        user.textProperty().bindBidirectional(vm.usernameProperty());
        PasswordField pass = new PasswordField();
        pass.setId("password");
        pass.textProperty().bindBidirectional(vm.passwordProperty());
        Button go = new Button("Sign in");
        go.setId("signIn");
        go.setDefaultButton(true);
        go.disableProperty().bind(vm.busyProperty());
        go.setOnAction(e -> vm.signIn());
        Label error = new Label();
        error.setId("signInError");
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("CTI server"), server);
        form.addRow(1, new Label("User"), user);
        form.addRow(2, new Label("Password"), pass);
        server.setPrefColumnCount(24);
        Label title = new Label("Agent desktop — sign in");
        title.getStyleClass().add("title");
        VBox box = new VBox(12, title, form, phone(vm), go, error);
        box.setPadding(new Insets(24));
        box.setAlignment(Pos.TOP_LEFT);
        box.setMaxWidth(460);
        return box;
    }

    /** The built-in SIP phone: open when launch options filled it, else collapsed (empty = no built-in phone). */
    private static TitledPane phone(SignInViewModel vm) {
        TextField sipServer = text("sipServer", "127.0.0.1:5060");
        sipServer.textProperty().bindBidirectional(vm.sipServerProperty());
        TextField sipUser = text("sipUser", "extension, e.g. 1001");
        sipUser.textProperty().bindBidirectional(vm.sipUserProperty());
        PasswordField sipPassword = new PasswordField();
        sipPassword.setId("sipPassword");
        sipPassword.setPromptText("empty: endpoint without auth");
        sipPassword.textProperty().bindBidirectional(vm.sipPasswordProperty());
        TextField localPort = text("sipLocalPort", "5060");
        localPort.textProperty().bindBidirectional(vm.sipLocalPortProperty());
        CheckBox register = new CheckBox("Register (off: static contact)");
        register.setId("sipRegister");
        register.selectedProperty().bindBidirectional(vm.sipRegisterProperty());
        CheckBox auto = new CheckBox("Auto-answer ACD calls");
        auto.setId("sipAutoAnswer");
        auto.selectedProperty().bindBidirectional(vm.autoAnswerProperty());
        ComboBox<AudioChoice> mic = new ComboBox<>(vm.microphones());
        mic.setId("microphone");
        mic.valueProperty().bindBidirectional(vm.microphoneProperty());
        mic.setMaxWidth(Double.MAX_VALUE);
        ComboBox<AudioChoice> spk = new ComboBox<>(vm.speakers());
        spk.setId("speaker");
        spk.valueProperty().bindBidirectional(vm.speakerProperty());
        spk.setMaxWidth(Double.MAX_VALUE);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, new Label("SIP server"), sipServer);
        grid.addRow(1, new Label("SIP user"), sipUser);
        grid.addRow(2, new Label("SIP password"), sipPassword);
        grid.addRow(3, new Label("Local SIP port"), localPort);
        grid.add(register, 1, 4);
        grid.add(auto, 1, 5);
        grid.addRow(6, new Label("Microphone"), mic);
        grid.addRow(7, new Label("Speaker"), spk);
        Label hint = new Label("Leave empty to answer on your desk phone.");
        hint.getStyleClass().add("hint");
        TitledPane pane = new TitledPane("Phone (built-in SIP phone, optional)", new VBox(6, grid, hint));
        pane.setId("phoneSection");
        pane.setExpanded(vm.phoneWanted());
        return pane;
    }

    private static TextField text(String id, String prompt) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        return t;
    }
}
