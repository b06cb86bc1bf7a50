package org.asteriskcti.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.protocol.ErrorBody;
import org.asteriskcti.softphone.cti.CtiException;
import org.asteriskcti.softphone.phone.AudioDevices;
import org.asteriskcti.softphone.phone.NoPhone;
import org.asteriskcti.softphone.phone.SipOptions;
import org.asteriskcti.softphone.ui.SignInViewModel.AudioChoice;
import org.asteriskcti.softphone.ui.SignInViewModel.SignedIn;
import org.junit.jupiter.api.Test;

class SignInViewModelTest {

    /** A device list as javax.sound would give it, fixed for the test. */
    record FakeDevices(List<String> microphones, List<String> speakers) implements AudioDevices {}

    private final List<String> calls = new ArrayList<>();
    private CompletableFuture<DeskSession> answer = new CompletableFuture<>();
    private final List<SignedIn> signedIn = new ArrayList<>();
    private final List<SipOptions> phonesStarted = new ArrayList<>();
    private final DeskFixture.FakePhone phone = new DeskFixture.FakePhone();
    private final SignInViewModel vm = model(new FakeDevices(List.of(), List.of()));

    private SignInViewModel model(AudioDevices devices) {
        return new SignInViewModel((server, user, pass) -> {
            calls.add(server + " " + user);
            return answer;
        }, Runnable::run, devices, options -> {
            phonesStarted.add(options);
            return phone;
        }, signedIn::add);
    }

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
        assertThat(signedIn).hasSize(1);
        assertThat(signedIn.get(0).session()).isSameAs(s);
        assertThat(signedIn.get(0).phone()).as("Phone section left empty").isInstanceOf(NoPhone.class);
        assertThat(phonesStarted).isEmpty();
        assertThat(vm.passwordProperty().get()).isEmpty();
        assertThat(vm.errorProperty().get()).isEmpty();
    }

    @Test
    void givenTheLaunchOptions_thenThePhoneSectionIsPrefilledAndThePhoneStartsFromItAfterSignIn() {
        vm.prefill(Map.of("server", "http://cti.example:8080", "user", "alice", "sip-server", "127.0.0.1:5060",
                "sip-user", "1001", "sip-local-port", "5071", "sip-register", "false", "sip-local-address", "127.0.0.2"),
                true);
        assertThat(vm.serverProperty().get()).isEqualTo("http://cti.example:8080");
        assertThat(vm.usernameProperty().get()).isEqualTo("alice");
        assertThat(vm.sipServerProperty().get()).isEqualTo("127.0.0.1:5060");
        assertThat(vm.sipUserProperty().get()).isEqualTo("1001");
        assertThat(vm.sipLocalPortProperty().get()).isEqualTo("5071");
        assertThat(vm.sipRegisterProperty().get()).isFalse();
        assertThat(vm.autoAnswerProperty().get()).isTrue();
        assertThat(vm.phoneWanted()).isTrue();

        vm.passwordProperty().set("secret");
        vm.signIn();
        assertThat(phonesStarted).as("not before the sign-in succeeded").isEmpty();
        answer.complete(new DeskSession(null, null, null, () -> { }));
        assertThat(phonesStarted).containsExactly(new SipOptions("127.0.0.1", 5060, "1001", null, "127.0.0.2", 5071,
                false, AudioDevices.SILENCE, AudioDevices.NONE));
        assertThat(signedIn.get(0).phone()).isSameAs(phone);
        assertThat(signedIn.get(0).autoAnswer()).isTrue();
    }

    @Test
    void givenBadPhoneFields_thenNothingIsSentAndTheErrorNamesTheField() {
        fill();
        vm.sipServerProperty().set("pbx.example:5060");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEqualTo("Phone: SIP user is missing (the extension, e.g. 1001)");
        vm.sipUserProperty().set("1001");
        vm.sipLocalPortProperty().set("50x");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEqualTo("Phone: Local SIP port: '50x' is not a port (1..65535)");
        vm.sipLocalPortProperty().set("70000");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEqualTo("Phone: Local SIP port: '70000' is not a port (1..65535)");
        vm.sipLocalPortProperty().set("5071");
        vm.sipServerProperty().set("pbx.example:0");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEqualTo("Phone: SIP server: 'pbx.example:0' has no valid port");
        vm.sipServerProperty().set(":5060");
        vm.signIn();
        assertThat(vm.errorProperty().get()).startsWith("Phone: SIP server: ':5060' is not host[:port]");
        assertThat(calls).isEmpty();

        vm.sipServerProperty().set("pbx.example");
        vm.sipPasswordProperty().set("s3cret");
        vm.signIn();
        assertThat(vm.errorProperty().get()).isEmpty();
        answer.complete(new DeskSession(null, null, null, () -> { }));
        assertThat(phonesStarted).containsExactly(new SipOptions("pbx.example", 5060, "1001", "s3cret", "127.0.0.1",
                5071, true, AudioDevices.SILENCE, AudioDevices.NONE));
    }

    @Test
    void givenAPhoneThatCannotStart_thenTheDeskRunsWithNoPhoneSayingWhy() {
        SignInViewModel failing = new SignInViewModel((s, u, p) -> answer, Runnable::run,
                new FakeDevices(List.of(), List.of()), options -> {
                    throw new IllegalStateException("port 5071 is taken");
                }, signedIn::add);
        failing.serverProperty().set("http://cti.example:8080");
        failing.usernameProperty().set("alice");
        failing.passwordProperty().set("secret");
        failing.sipUserProperty().set("1001");
        failing.signIn();
        answer.complete(new DeskSession(null, null, null, () -> { }));
        assertThat(signedIn.get(0).phone().available()).isFalse();
        assertThat(signedIn.get(0).phone().describe()).isEqualTo("built-in SIP phone not started: port 5071 is taken");
    }

    @Test
    void givenAMachineWithoutSoundDevices_thenThePickersOfferOnlySilenceAndNone() {
        assertThat(vm.microphones()).extracting(AudioChoice::label).containsExactly("Silence (no microphone found)");
        assertThat(vm.speakers()).extracting(AudioChoice::label).containsExactly("None (no speaker found)");
        assertThat(vm.microphoneProperty().get().option()).isEqualTo(AudioDevices.SILENCE);
        assertThat(vm.speakerProperty().get().option()).isEqualTo(AudioDevices.NONE);

        vm.prefill(Map.of("sip-microphone", "default", "sip-speaker", "default"), false);
        assertThat(vm.microphones()).as("the default is silence here, not a missing device").hasSize(1);
        assertThat(vm.microphoneProperty().get().option()).isEqualTo(AudioDevices.SILENCE);
        assertThat(vm.speakerProperty().get().option()).isEqualTo(AudioDevices.NONE);
    }

    @Test
    void givenSoundDevices_thenThePickersListThemAndTheChosenOnesReachThePhone() {
        SignInViewModel withDevices = model(new FakeDevices(List.of("USB Headset [plughw:1,0]", "Built-in Mic"),
                List.of("USB Headset [plughw:1,0]")));
        assertThat(withDevices.microphones()).extracting(AudioChoice::option)
                .containsExactly("default", "USB Headset [plughw:1,0]", "Built-in Mic", "silence");
        assertThat(withDevices.speakers()).extracting(AudioChoice::option)
                .containsExactly("default", "USB Headset [plughw:1,0]", "none");
        assertThat(withDevices.microphoneProperty().get().label()).isEqualTo("System default microphone");

        withDevices.prefill(Map.of("sip-user", "1001", "sip-speaker", "USB Headset [plughw:1,0]"), false);
        withDevices.microphoneProperty().set(withDevices.microphones().get(2));
        assertThat(withDevices.phoneOptions().orElseThrow())
                .extracting(SipOptions::microphone, SipOptions::speaker)
                .containsExactly("Built-in Mic", "USB Headset [plughw:1,0]");

        withDevices.prefill(Map.of("sip-microphone", "Gone Mic"), false);
        assertThat(withDevices.microphoneProperty().get().label()).isEqualTo("Gone Mic (not found)");
        assertThat(withDevices.phoneOptions().orElseThrow().microphone()).isEqualTo("Gone Mic");
    }

    private void fill() {
        vm.serverProperty().set("http://cti.example:8080");
        vm.usernameProperty().set("alice");
        vm.passwordProperty().set("secret");
    }
}
