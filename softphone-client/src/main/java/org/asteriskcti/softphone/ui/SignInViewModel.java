package org.asteriskcti.softphone.ui;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.softphone.cti.CtiClient;
import org.asteriskcti.softphone.cti.CtiException;

/** The sign-in form: server URL, user, password; errors that say what to fix. */
public final class SignInViewModel {

    /** Logs in and opens the stream; completes once the desk is live. */
    @FunctionalInterface
    public interface SignInService {
        CompletableFuture<DeskSession> signIn(URI server, String username, String password);
    }

    private final SignInService service;
    private final Executor ui;
    private final Consumer<DeskSession> signedIn;
    private final StringProperty server = new SimpleStringProperty("http://localhost:8080");
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();

    public SignInViewModel(SignInService service, Executor ui, Consumer<DeskSession> signedIn) {
        this.service = service;
        this.ui = ui;
        this.signedIn = signedIn;
    }

    public void signIn() {
        if (busy.get()) {
            return;
        }
        URI uri;
        try {
            uri = CtiClient.checkServer(new URI(server.get() == null ? "" : server.get().strip()));
        } catch (URISyntaxException e) {
            error.set("Server URL is not a URL: " + e.getReason() + " (e.g. http://cti.example:8080)");
            return;
        } catch (IllegalArgumentException e) {
            error.set(capital(e.getMessage()) + " (e.g. http://cti.example:8080)");
            return;
        }
        String user = username.get() == null ? "" : username.get().strip();
        if (user.isEmpty()) {
            error.set("Enter your user name");
            return;
        }
        if (password.get() == null || password.get().isEmpty()) {
            error.set("Enter your password");
            return;
        }
        error.set("");
        busy.set(true);
        service.signIn(uri, user, password.get()).whenCompleteAsync((session, err) -> {
            busy.set(false);
            if (err == null) {
                password.set("");
                signedIn.accept(session);
                return;
            }
            Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (t instanceof CtiException ce && Protocol.Errors.INVALID_CREDENTIALS.equals(ce.errorId())) {
                error.set("Wrong user name or password");
            } else if (t instanceof CtiException ce) {
                error.set(capital(ce.userMessage()));
            } else {
                error.set("Sign-in failed: " + t.getMessage());
            }
        }, ui);
    }

    private static String capital(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public StringProperty serverProperty() {
        return server;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }
}
