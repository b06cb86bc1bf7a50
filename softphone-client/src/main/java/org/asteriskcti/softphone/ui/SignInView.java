package org.asteriskcti.softphone.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** The sign-in form; all logic is in {@link SignInViewModel}. */
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
        VBox box = new VBox(12, title, form, go, error);
        box.setPadding(new Insets(24));
        box.setAlignment(Pos.TOP_LEFT);
        box.setMaxWidth(420);
        return box;
    }
}
