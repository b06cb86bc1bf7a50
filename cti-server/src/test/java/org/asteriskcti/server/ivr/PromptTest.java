package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptTest {

    private static Optional<String> vars(String name) {
        return Optional.ofNullable(Map.of("acct", "1234", "name", "dupont", "bad", "12ab").get(name));
    }

    @Test
    void givenEachKind_whenParsed_thenKindAndText() {
        assertThat(Prompt.parse("sound:queue-thankyou")).isEqualTo(new Prompt(Prompt.Kind.SOUND, "queue-thankyou"));
        assertThat(Prompt.parse("file:greetings/welcome")).isEqualTo(new Prompt(Prompt.Kind.FILE, "greetings/welcome"));
        assertThat(Prompt.parse("digits:0123#")).isEqualTo(new Prompt(Prompt.Kind.DIGITS, "0123#"));
        assertThat(Prompt.parse("number:-42")).isEqualTo(new Prompt(Prompt.Kind.NUMBER, "-42"));
    }

    @Test
    void givenNoKind_thenRefused() {
        assertThatThrownBy(() -> Prompt.parse("hello")).hasMessage("prompt 'hello' has no kind (expected sound:, file:, digits: or number:)");
        assertThatThrownBy(() -> Prompt.parse("sound:")).hasMessage("prompt 'sound:' is empty");
        assertThatThrownBy(() -> Prompt.parse("number:1.5")).hasMessage("prompt 'number:1.5' is not a valid number");
    }

    @Test
    void givenVariables_whenResolved_thenSubstitutedOrSkipped() {
        assertThat(Prompt.parse("digits:${acct}").resolve(PromptTest::vars)).contains(new Prompt(Prompt.Kind.DIGITS, "1234"));
        assertThat(Prompt.parse("file:customers/${name}").resolve(PromptTest::vars)).contains(new Prompt(Prompt.Kind.FILE, "customers/dupont"));
        assertThat(Prompt.parse("digits:${missing}").resolve(PromptTest::vars)).as("unset").isEmpty();
        assertThat(Prompt.parse("number:${bad}").resolve(PromptTest::vars)).as("not sayable as a number").isEmpty();
    }
}
