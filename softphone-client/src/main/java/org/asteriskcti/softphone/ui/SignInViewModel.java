package org.asteriskcti.softphone.ui;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.asteriskcti.protocol.Protocol;
import org.asteriskcti.softphone.cti.CtiClient;
import org.asteriskcti.softphone.cti.CtiException;
import org.asteriskcti.softphone.phone.AudioDevices;
import org.asteriskcti.softphone.phone.NoPhone;
import org.asteriskcti.softphone.phone.Phone;
import org.asteriskcti.softphone.phone.SipOptions;

/**
 * The sign-in form: server URL, user, password, and the optional Phone section (the built-in SIP phone's
 * {@link SipOptions}, prefilled from the {@code --sip-*} launch options, and its microphone and speaker); errors
 * that say what to fix, naming the field. The phone is started once the sign-in succeeded; with the Phone section
 * left empty the desk runs with {@link NoPhone}.
 */
public final class SignInViewModel {

    /** Logs in and opens the stream; completes once the desk is live. */
    @FunctionalInterface
    public interface SignInService {
        CompletableFuture<DeskSession> signIn(URI server, String username, String password);
    }

    /** What the desk starts with: the live session, its phone and whether that phone auto-answers ACD offers. */
    public record SignedIn(DeskSession session, Phone phone, boolean autoAnswer) {}

    /** One entry of a device picker: what the form shows and the {@code sip-microphone/speaker} value. */
    public record AudioChoice(String label, String option) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final SignInService service;
    private final Executor ui;
    private final Function<SipOptions, Phone> phones;
    private final Consumer<SignedIn> signedIn;
    private final StringProperty server = new SimpleStringProperty("http://localhost:8080");
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty sipServer = new SimpleStringProperty("");
    private final StringProperty sipUser = new SimpleStringProperty("");
    private final StringProperty sipPassword = new SimpleStringProperty("");
    private final StringProperty sipLocalPort = new SimpleStringProperty("");
    private final BooleanProperty sipRegister = new SimpleBooleanProperty(true);
    private final BooleanProperty autoAnswer = new SimpleBooleanProperty();
    private final ObservableList<AudioChoice> microphones = FXCollections.observableArrayList();
    private final ObservableList<AudioChoice> speakers = FXCollections.observableArrayList();
    private final ObjectProperty<AudioChoice> microphone = new SimpleObjectProperty<>();
    private final ObjectProperty<AudioChoice> speaker = new SimpleObjectProperty<>();
    /** Launch options the form has no field for (e.g. {@code sip-local-address}); passed on unchanged. */
    private final Map<String, String> otherSipOptions = new LinkedHashMap<>();
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();

    /**
     * @param devices  the machine's microphones and speakers, listed once for the pickers
     * @param phones   starts the built-in phone from the form's options once signed in (a phone that cannot start
     *                 comes back as a {@link NoPhone} saying why)
     */
    public SignInViewModel(SignInService service, Executor ui, AudioDevices devices, Function<SipOptions, Phone> phones,
                           Consumer<SignedIn> signedIn) {
        this.service = service;
        this.ui = ui;
        this.phones = phones;
        this.signedIn = signedIn;
        List<String> mics = devices.microphones();
        if (!mics.isEmpty()) {
            microphones.add(new AudioChoice("System default microphone", AudioDevices.DEFAULT));
            mics.forEach(m -> microphones.add(new AudioChoice(m, m)));
        }
        microphones.add(new AudioChoice(mics.isEmpty() ? "Silence (no microphone found)" : "Silence (send no voice)",
                AudioDevices.SILENCE));
        List<String> outs = devices.speakers();
        if (!outs.isEmpty()) {
            speakers.add(new AudioChoice("System default speaker", AudioDevices.DEFAULT));
            outs.forEach(o -> speakers.add(new AudioChoice(o, o)));
        }
        speakers.add(new AudioChoice(outs.isEmpty() ? "None (no speaker found)" : "None (discard audio)",
                AudioDevices.NONE));
        microphone.set(microphones.get(0));
        speaker.set(speakers.get(0));
    }

    /**
     * Fills the form from the launch options: {@code server}, {@code user}, every {@code sip-*} option and
     * {@code auto-answer}.
     */
    public void prefill(Map<String, String> named, boolean autoAnswerFlag) {
        Optional.ofNullable(named.get("server")).ifPresent(server::set);
        Optional.ofNullable(named.get("user")).ifPresent(username::set);
        named.forEach((k, v) -> {
            switch (k) {
                case SipOptions.SERVER -> sipServer.set(v);
                case SipOptions.USER -> sipUser.set(v);
                case SipOptions.PASSWORD -> sipPassword.set(v);
                case SipOptions.LOCAL_PORT -> sipLocalPort.set(v);
                case SipOptions.REGISTER -> sipRegister.set(!"false".equalsIgnoreCase(v.strip()));
                case SipOptions.MICROPHONE -> microphone.set(choose(microphones, v));
                case SipOptions.SPEAKER -> speaker.set(choose(speakers, v));
                default -> {
                    if (k.startsWith("sip-")) {
                        otherSipOptions.put(k, v);
                    }
                }
            }
        });
        autoAnswer.set(autoAnswerFlag || "true".equalsIgnoreCase(named.get("auto-answer")));
    }

    private static AudioChoice choose(ObservableList<AudioChoice> choices, String option) {
        for (AudioChoice c : choices) {
            if (c.option().equals(option.strip())) {
                return c;
            }
        }
        if (AudioDevices.DEFAULT.equals(option.strip())) {
            return choices.get(0); // no device at all: the default is silence / none
        }
        AudioChoice missing = new AudioChoice(option.strip() + " (not found)", option.strip());
        choices.add(choices.size() - 1, missing);
        return missing;
    }

    /** Whether the Phone section asks for the built-in phone (server, user, password or port filled in). */
    public boolean phoneWanted() {
        return !blank(sipServer) || !blank(sipUser) || !blank(sipPassword) || !blank(sipLocalPort)
                || !otherSipOptions.isEmpty();
    }

    /**
     * The built-in phone's options from the Phone section, empty when it is left empty; fails with a message
     * naming the form's field.
     */
    public Optional<SipOptions> phoneOptions() {
        if (!phoneWanted()) {
            return Optional.empty();
        }
        Map<String, String> named = new LinkedHashMap<>(otherSipOptions);
        put(named, SipOptions.SERVER, sipServer.get());
        put(named, SipOptions.USER, sipUser.get());
        put(named, SipOptions.PASSWORD, sipPassword.get());
        put(named, SipOptions.LOCAL_PORT, sipLocalPort.get());
        named.put(SipOptions.REGISTER, String.valueOf(sipRegister.get()));
        named.put(SipOptions.MICROPHONE, microphone.get() == null ? AudioDevices.DEFAULT : microphone.get().option());
        named.put(SipOptions.SPEAKER, speaker.get() == null ? AudioDevices.DEFAULT : speaker.get().option());
        try {
            return Optional.of(SipOptions.parse(named));
        } catch (SipOptions.BadOption e) {
            String field = FIELDS.getOrDefault(e.option(), "--" + e.option());
            String problem = e.problem();
            throw new IllegalArgumentException("Phone: " + field
                    + (problem.startsWith("is ") || problem.startsWith("must ") ? " " : ": ") + problem);
        }
    }

    /** The form's name of each {@code sip-*} option. */
    private static final Map<String, String> FIELDS = Map.of(SipOptions.SERVER, "SIP server", SipOptions.USER,
            "SIP user", SipOptions.PASSWORD, "SIP password", SipOptions.LOCAL_PORT, "Local SIP port",
            SipOptions.REGISTER, "Register", SipOptions.LOCAL_ADDRESS, "--sip-local-address (launch option)");

    private static void put(Map<String, String> named, String key, String value) {
        if (value != null && !value.isBlank()) {
            named.put(key, value);
        }
    }

    private static boolean blank(StringProperty p) {
        return p.get() == null || p.get().isBlank();
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
        Optional<SipOptions> phoneOptions;
        try {
            phoneOptions = phoneOptions();
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        error.set("");
        busy.set(true);
        service.signIn(uri, user, password.get()).whenCompleteAsync((session, err) -> {
            busy.set(false);
            if (err == null) {
                password.set("");
                signedIn.accept(new SignedIn(session, startPhone(phoneOptions), autoAnswer.get()));
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

    private Phone startPhone(Optional<SipOptions> options) {
        if (options.isEmpty()) {
            return new NoPhone();
        }
        try {
            return phones.apply(options.get());
        } catch (RuntimeException e) {
            return new NoPhone("built-in SIP phone not started: " + e.getMessage());
        }
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

    /** SIP server host[:port]; empty means 127.0.0.1:5060 when the phone is wanted. */
    public StringProperty sipServerProperty() {
        return sipServer;
    }

    public StringProperty sipUserProperty() {
        return sipUser;
    }

    public StringProperty sipPasswordProperty() {
        return sipPassword;
    }

    /** Our SIP port; empty means 5060. */
    public StringProperty sipLocalPortProperty() {
        return sipLocalPort;
    }

    /** REGISTER with the server (off for a static contact such as the lab agents'). */
    public BooleanProperty sipRegisterProperty() {
        return sipRegister;
    }

    /** Answer ACD offers on the built-in phone by themselves. */
    public BooleanProperty autoAnswerProperty() {
        return autoAnswer;
    }

    public ObservableList<AudioChoice> microphones() {
        return microphones;
    }

    public ObservableList<AudioChoice> speakers() {
        return speakers;
    }

    public ObjectProperty<AudioChoice> microphoneProperty() {
        return microphone;
    }

    public ObjectProperty<AudioChoice> speakerProperty() {
        return speaker;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }
}
