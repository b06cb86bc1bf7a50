package org.asteriskcti.softphone.ui;

import java.time.Clock;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.asteriskcti.softphone.phone.NoPhone;
import org.asteriskcti.softphone.phone.Phone;

/** The agent desktop: sign in, then the main window. Wiring only. */
public final class DeskApp extends Application {

    public static final String CSS = DeskApp.class.getResource("desk.css").toExternalForm();

    private DeskSession session;

    @Override
    public void start(Stage stage) {
        Clock clock = Clock.systemDefaultZone();
        Phone phone = new NoPhone(); // the SIP library (org.asteriskcti.softphone.sip) replaces this
        SignInViewModel signIn = new SignInViewModel(new CtiSignIn(Platform::runLater, clock), Platform::runLater, s -> {
            session = s;
            DeskViewModel vm = new DeskViewModel(s.model(), s.commands(), phone, clock, Platform::runLater);
            show(stage, MainView.build(vm, true), "Agent desktop — " + s.user().username(), 1180, 720);
        });
        String server = getParameters().getNamed().get("server");
        if (server != null) {
            signIn.serverProperty().set(server);
        }
        String user = getParameters().getNamed().get("user");
        if (user != null) {
            signIn.usernameProperty().set(user);
        }
        show(stage, SignInView.build(signIn), "Agent desktop — sign in", 460, 300);
    }

    private static void show(Stage stage, Parent root, String title, double w, double h) {
        Scene scene = new Scene(root, w, h);
        scene.getStylesheets().add(CSS);
        stage.setTitle(title);
        stage.setScene(scene);
        stage.show();
    }

    @Override
    public void stop() {
        if (session != null) {
            session.signOut().run();
        }
    }
}
