package org.asteriskcti.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Parent;
import javafx.scene.Scene;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.softphone.cti.ConnectionStatus;
import org.asteriskcti.softphone.cti.CtiException;
import org.asteriskcti.softphone.phone.NoPhone;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The real windows on a real display (Xvfb in CI, see .ci/run): sign-in and the main window in each state, with
 * a PNG of each under target/screenshots/. Skipped, with one line, where there is no display.
 */
@EnabledIfEnvironmentVariable(named = "DISPLAY", matches = ".+",
        disabledReason = "no DISPLAY: JavaFX window tests skipped (run under Xvfb: .ci/run starts one)")
class DeskWindowTest {

    private static Stage stage;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void display() throws Exception {
        String display = System.getenv("DISPLAY");
        try {
            stage = FxToolkit.registerPrimaryStage();
        } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
            String msg = String.valueOf(e.getMessage()) + " " + e.getCause();
            Assumptions.assumeFalse(msg.contains("Unable to open DISPLAY"),
                    "DISPLAY=" + display + " cannot be opened: JavaFX window tests skipped");
            throw e;
        }
    }

    private Scene show(Parent root, double w, double h) throws Exception {
        AtomicReference<Scene> scene = new AtomicReference<>();
        FxToolkit.setupStage(s -> {
            Scene sc = new Scene(root, w, h);
            sc.getStylesheets().add(DeskApp.CSS);
            s.setScene(sc);
            s.show();
            scene.set(sc);
        });
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        return scene.get();
    }

    @Test
    void signIn_wrongPassword_showsTheErrorAndKeepsTheForm() throws Exception {
        CompletableFuture<DeskSession> refused = CompletableFuture.failedFuture(
                new CtiException(new ErrorBody("auth.invalid_credentials", 401, "bad", Map.of())));
        SignInViewModel vm = new SignInViewModel((s, u, p) -> refused, javafx.application.Platform::runLater,
                new SignInViewModelTest.FakeDevices(List.of(), List.of()), o -> new NoPhone(), x -> { });
        Scene scene = show(SignInView.build(vm), 500, 640);
        assertThat(robot.lookup("#phoneSection").queryAs(TitledPane.class).isExpanded())
                .as("no --sip-* options: the Phone section stays closed").isFalse();
        robot.clickOn("#username").write("alice");
        robot.clickOn("#password").write("wrong");
        robot.clickOn("#signIn");
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertThat(text("#signInError")).isEqualTo("Wrong user name or password");
        assertThat(vm.usernameProperty().get()).isEqualTo("alice");
        screenshot(scene, "sign-in-error");
    }

    @Test
    void signIn_phoneSection_prefilledFromLaunchOptions_namesABadField() throws Exception {
        SignInViewModel vm = new SignInViewModel((s, u, p) -> new CompletableFuture<>(),
                javafx.application.Platform::runLater,
                new SignInViewModelTest.FakeDevices(List.of("USB Headset [plughw:1,0]"), List.of("USB Headset [plughw:1,0]")),
                o -> new NoPhone(), x -> { });
        vm.prefill(Map.of("server", "http://localhost:8080", "user", "alice", "sip-server", "127.0.0.1:5060",
                "sip-user", "1001", "sip-local-port", "5071", "sip-register", "false"), true);
        Scene scene = show(SignInView.build(vm), 500, 640);
        assertThat(robot.lookup("#phoneSection").queryAs(TitledPane.class).isExpanded()).isTrue();
        assertThat(robot.lookup("#sipUser").queryAs(TextField.class).getText()).isEqualTo("1001");
        assertThat(robot.lookup("#sipRegister").queryAs(CheckBox.class).isSelected()).isFalse();
        assertThat(robot.lookup("#sipAutoAnswer").queryAs(CheckBox.class).isSelected()).isTrue();
        assertThat(robot.lookup("#microphone").queryAs(ComboBox.class).getValue()).hasToString("System default microphone");
        screenshot(scene, "0-sign-in-phone");

        robot.clickOn("#password").write("secret");
        robot.doubleClickOn("#sipLocalPort").write("50x");
        robot.clickOn("#signIn");
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertThat(text("#signInError")).isEqualTo("Phone: Local SIP port: '50x' is not a port (1..65535)");
        screenshot(scene, "0-sign-in-phone-error");
    }

    @Test
    void mainWindow_inEachState() throws Exception {
        DeskFixture f = new DeskFixture();
        Scene scene = show(MainView.build(f.vm, false), 1180, 720);

        fx(() -> f.model.status(ConnectionStatus.RECONNECTING, "link failed: connection reset"));
        assertThat(robot.lookup("#connectionBanner").query().isVisible()).isTrue();
        assertThat(text("#connectionBanner")).isEqualTo("Reconnecting… link failed: connection reset");
        screenshot(scene, "1-reconnecting");

        fx(f::readyIdle);
        assertThat(robot.lookup("#connectionBanner").query().isVisible()).isFalse();
        assertThat(text("#agentState")).isEqualTo("Ready");
        assertThat(button("#answer").isDisabled()).isTrue();
        screenshot(scene, "2-ready-idle");

        fx(f::offered);
        assertThat(text("#callTitle")).isEqualTo("Incoming call");
        assertThat(text("#callerNumber")).isEqualTo("+4930123456");
        assertThat(text("#callerName")).isEqualTo("Erika Muster");
        assertThat(robot.lookup("#screenPop").queryAs(TableView.class).getItems().size()).isEqualTo(5);
        assertThat(button("#answer").isDisabled()).isFalse();
        assertThat(button("#decline").isDisabled()).isFalse();
        screenshot(scene, "3-offered-screen-pop");

        robot.clickOn("#answer");
        assertThat(f.phone.answered).isEqualTo(1);
        fx(() -> {
            f.onCall();
            f.clock.advance(java.time.Duration.ofSeconds(95));
            f.vm.tick();
        });
        assertThat(text("#callTitle")).isEqualTo("On call");
        assertThat(text("#callTimer")).isEqualTo("1:33");
        assertThat(button("#hold").isDisabled()).isFalse();
        assertThat(button("#decline").isDisabled()).isTrue();
        robot.clickOn("#dtmf7");
        assertThat(f.commands.calls).extracting(r -> r.digits()).containsExactly("7");
        screenshot(scene, "4-on-call");

        fx(() -> f.wrapUp(f.clock.instant().plusSeconds(60)));
        assertThat(text("#agentState")).isEqualTo("Wrap-up");
        assertThat(text("#wrapUpCountdown")).isEqualTo("1:00");
        assertThat(robot.lookup("#endWrapUp").query().isVisible()).isTrue();
        screenshot(scene, "5-wrap-up");
    }

    private void fx(Runnable r) {
        robot.interact(r);
    }

    private String text(String query) {
        return robot.lookup(query).queryAs(Labeled.class).getText();
    }

    private Button button(String query) {
        return robot.lookup(query).queryAs(Button.class);
    }

    private void screenshot(Scene scene, String name) throws IOException {
        AtomicReference<WritableImage> img = new AtomicReference<>();
        robot.interact(() -> img.set(scene.snapshot(null)));
        WritableImage image = img.get();
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        ImageIO.write(out, "png", dir.resolve(name + ".png").toFile());
    }
}
