package org.asteriskcti.softphone.ui;

import java.time.Clock;
import java.util.Map;
import javax.sip.SipException;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.asteriskcti.softphone.phone.AudioDevices;
import org.asteriskcti.softphone.phone.NoPhone;
import org.asteriskcti.softphone.phone.Phone;
import org.asteriskcti.softphone.phone.SipDeskPhone;
import org.asteriskcti.softphone.phone.SipOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent desktop: sign in, then the main window. Wiring only. */
public final class DeskApp extends Application {

    public static final String CSS = DeskApp.class.getResource("desk.css").toExternalForm();

    private static final Logger LOG = LoggerFactory.getLogger(DeskApp.class);

    private DeskSession session;
    private Phone phone;

    @Override
    public void start(Stage stage) {
        Clock clock = Clock.systemDefaultZone();
        Map<String, String> named = getParameters().getNamed();
        boolean autoAnswer = getParameters().getUnnamed().contains("--auto-answer");
        SignInViewModel signIn = new SignInViewModel(new CtiSignIn(Platform::runLater, clock), Platform::runLater,
                AudioDevices.javaSound(), DeskApp::startPhone, in -> {
            session = in.session();
            phone = in.phone();
            DeskViewModel vm = new DeskViewModel(in.session().model(), in.session().commands(), phone, clock,
                    Platform::runLater);
            vm.autoAnswerProperty().set(in.autoAnswer());
            show(stage, MainView.build(vm, true), "Agent desktop — " + in.session().user().username(), 1180, 720);
        });
        signIn.prefill(named, autoAnswer);
        show(stage, SignInView.build(signIn), "Agent desktop — sign in", 500, 640);
    }

    /** The built-in SIP phone from the sign-in form's options; one that cannot start is a {@link NoPhone} saying why. */
    static Phone startPhone(SipOptions options) {
        try {
            return SipDeskPhone.start(options.config().build());
        } catch (IllegalArgumentException | SipException e) {
            LOG.warn("built-in SIP phone not started: {}", e.getMessage());
            return new NoPhone("built-in SIP phone not started: " + e.getMessage());
        }
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
        if (phone != null) {
            phone.close();
        }
    }
}
