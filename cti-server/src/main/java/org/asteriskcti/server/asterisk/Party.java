package org.asteriskcti.server.asterisk;

/** A caller-id or connected-line party; empty strings (never null) where Asterisk had none. */
public record Party(String number, String name) {
    public static final Party EMPTY = new Party("", "");

    public Party {
        number = clean(number);
        name = clean(name);
    }

    /** AMI writes {@code <unknown>} for an absent value. */
    private static String clean(String s) {
        if (s == null || s.equals("<unknown>")) {
            return "";
        }
        return s;
    }
}
