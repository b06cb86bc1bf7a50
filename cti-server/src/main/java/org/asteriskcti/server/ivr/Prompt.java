package org.asteriskcti.server.ivr;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing to say: {@code sound:<name>} (an Asterisk sound, in the call's language),
 * {@code file:<name>} (a file of the tenant's own), {@code digits:<text>} (said digit by digit) or
 * {@code number:<text>} (said as a number). The text may hold {@code ${var}} references to call data,
 * replaced when the prompt is played ({@link #resolve}).
 */
public record Prompt(Kind kind, String text) {

    public enum Kind {
        SOUND("sound"), FILE("file"), DIGITS("digits"), NUMBER("number");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9*#]+");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");

    public Prompt {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Parses {@code kind:text}; the error (without location) says what is wrong. A sound or file name
     * without {@code ${var}} must be a plain path ({@code [A-Za-z0-9_./-]}, no {@code ..}); a digits or
     * number literal must be digits.
     */
    public static Prompt parse(String spec) throws IllegalArgumentException {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("prompt '" + spec + "' has no kind (expected sound:, file:, digits: or number:)");
        }
        String prefix = spec.substring(0, colon);
        String text = spec.substring(colon + 1);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.prefix.equals(prefix)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("prompt '" + spec + "' has unknown kind '" + prefix
                    + "' (expected sound:, file:, digits: or number:)");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("prompt '" + spec + "' is empty");
        }
        if (!hasVars(text)) {
            checkLiteral(kind, text, spec);
        }
        return new Prompt(kind, text);
    }

    private static void checkLiteral(Kind kind, String text, String spec) {
        boolean ok = switch (kind) {
            case SOUND, FILE -> NAME.matcher(text).matches() && !text.contains("..") && !text.startsWith("/");
            case DIGITS -> DIGITS.matcher(text).matches();
            case NUMBER -> NUMBER.matcher(text).matches();
        };
        if (!ok) {
            throw new IllegalArgumentException("prompt '" + spec + "' is not a valid " + kind.prefix);
        }
    }

    static boolean hasVars(String text) {
        return VAR.matcher(text).find();
    }

    /**
     * The prompt with every {@code ${var}} replaced from {@code vars}; empty when a variable is unset
     * or the result is not sayable (a digits prompt whose variable holds letters): such a prompt is
     * skipped rather than said wrong.
     */
    public Optional<Prompt> resolve(Function<String, Optional<String>> vars) {
        Optional<String> text = substitute(this.text, vars);
        if (text.isEmpty() || text.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            checkLiteral(kind, text.get(), kind.prefix + ":" + text.get());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Prompt(kind, text.get()));
    }

    /** {@code template} with every {@code ${var}} replaced; empty when one of them is unset. */
    public static Optional<String> substitute(String template, Function<String, Optional<String>> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Optional<String> v = vars.apply(m.group(1));
            if (v.isEmpty()) {
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v.get()));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    @Override
    public String toString() {
        return kind.prefix + ":" + text;
    }
}
