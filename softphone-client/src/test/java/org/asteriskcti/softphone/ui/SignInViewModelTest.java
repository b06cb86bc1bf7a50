package org.asteriskcti.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.softphone.cti.CtiException;
import org.junit.jupiter.api.Test;

class SignInViewModelTest {

    private final List<String> calls = new ArrayList<>();
    private CompletableFuture<DeskSession> answer = new CompletableFuture<>();
    private final List<DeskSession> signedIn = new ArrayList<>();
    private final SignInViewModel vm = new SignInViewModel((server, user, pass) -> {
        calls.add(server + " " + user);
        return answer;
    }, Runnable::run, signedIn::add);

    @Test
    void givenABadUrlOrEmptyFields_thenNothingIsSentAndTheErrorSaysWhatToFix() {
        vm.serverProperty().set("cti.example:8080");
        vm.usernameProperty().set("alice");
        vm.passwordProperty().set("x");
        vm.signIn();
        assertThat(vm.errorProperty().get()).startsWith("Server URL must start with http:// or https://");
        vm.serverProperty().set("http://cti.example:8080");
        vm.usernameProperty().set(" ");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEqualTo("Enter your user name");
        vm.usernameProperty().set("alice");
        vm.passwordProperty().set("");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEqualTo("Enter your password");
        assertThat(calls).isEmpty();
    }

    @Test
    void givenWrongCredentials_thenTheErrorSaysSoAndTheFormStaysUsable() {
        fill();
        vm.signIn();
        assertThat(vm.busyProperty().get()).isTrue();
        answer.completeExceptionally(new CtiException(new ErrorBody("auth.invalid_credentials", 401, "bad", Map.of())));
        assertThat(vm.errorProperty().get()).isEqualTo("Wrong user name or password");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(calls).containsExactly("http://cti.example:8080 alice");
        assertThat(signedIn).isEmpty();
    }

    @Test
    void givenAnUnreachableServer_thenTheErrorNamesIt() {
        fill();
        vm.signIn();
        answer.completeExceptionally(new CtiException(CtiException.UNREACHABLE,
                "cannot reach the CTI server at http://cti.example:8080 (connection refused)"));
        assertThat(vm.errorProperty().get()).isEqualTo("Cannot reach the CTI server at http://cti.example:8080 (connection refused)");
    }

    @Test
    void givenASuccessfulSignIn_thenTheSessionIsHandedOnAndThePasswordForgotten() {
        fill();
        vm.signIn();
        DeskSession s = new DeskSession(null, null, null, () -> { });
        answer.complete(s);
        assertThat(signedIn).containsExactly(s);
        assertThat(vm.passwordProperty().get()).isEmpty();
        assertThat(vm.errorProperty().get()).isEmpty();
    }

    private void fill() {
        vm.serverProperty().set("http://cti.example:8080");
        vm.usernameProperty().set("alice");
        vm.passwordProperty().set("secret");
    }
}
