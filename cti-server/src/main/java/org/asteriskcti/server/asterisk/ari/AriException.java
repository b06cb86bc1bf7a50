package org.asteriskcti.server.asterisk.ari;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failed ARI REST call: Asterisk answered with an error status, or it could not be reached in time.
 * The futures of {@link AriClient} complete exceptionally with this (wrapped in a
 * {@link CompletionException} when observed through {@code join()}; see {@link #unwrap(Throwable)}).
 */
public final class AriException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Stable, typed reason; {@link #status()} keeps the exact HTTP code. */
    public enum Kind {
        /** 400: a parameter is missing or wrong. */
        BAD_REQUEST,
        /** 401: wrong ARI user or password. */
        UNAUTHORIZED,
        /** 403: the ARI user may not do this (read_only). */
        FORBIDDEN,
        /** 404: the channel, bridge, playback or recording does not exist (any more). */
        NOT_FOUND,
        /** 409: wrong state, e.g. {@code Bridge isn't playing music}, channel not in Stasis. */
        CONFLICT,
        /** 422: e.g. the endpoint or the media does not exist. */
        UNPROCESSABLE,
        /** 5xx. */
        SERVER_ERROR,
        /** No HTTP answer: connection refused or reset, timeout. {@link #status()} is 0. */
        UNAVAILABLE,
        /** Any other status (3xx, 405...), or a 2xx whose body could not be read. */
        UNEXPECTED;

        public static Kind ofStatus(int status) {
            switch (status) {
                case 400:
                    return BAD_REQUEST;
                case 401:
                    return UNAUTHORIZED;
                case 403:
                    return FORBIDDEN;
                case 404:
                    return NOT_FOUND;
                case 409:
                    return CONFLICT;
                case 422:
                    return UNPROCESSABLE;
                default:
                    if (status >= 500 && status <= 599) {
                        return SERVER_ERROR;
                    }
                    return status == 0 ? UNAVAILABLE : UNEXPECTED;
            }
        }
    }

    private final int status;
    private final Kind kind;
    private final String asteriskMessage;
    private final String method;
    private final String path;

    public AriException(int status, Kind kind, String asteriskMessage, String method, String path, Throwable cause) {
        super(describe(status, kind, asteriskMessage, method, path), cause);
        this.status = status;
        this.kind = kind;
        this.asteriskMessage = asteriskMessage == null ? "" : asteriskMessage;
        this.method = method;
        this.path = path;
    }

    /** HTTP status, 0 when Asterisk gave no answer. */
    public int status() {
        return status;
    }

    public Kind kind() {
        return kind;
    }

    /** Asterisk's {@code message} from the JSON body (e.g. {@code Channel not found}), or our own text; never null. */
    public String asteriskMessage() {
        return asteriskMessage;
    }

    public String method() {
        return method;
    }

    /** The request path as sent, e.g. {@code /ari/channels/does-not-exist}. */
    public String path() {
        return path;
    }

    /** Whether {@code t} (or the AriException it wraps) is Asterisk's 404: the channel, bridge... is gone. */
    public static boolean isNotFound(Throwable t) {
        AriException e = unwrap(t);
        return e != null && e.kind() == Kind.NOT_FOUND;
    }

    /** A failure of an ARI command in one line for logs: the AriException's message, else the cause itself. */
    public static String describeFailure(Throwable t) {
        AriException e = unwrap(t);
        if (e != null) {
            return e.getMessage();
        }
        Throwable cause = t;
        while (cause.getCause() != null && cause instanceof CompletionException) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** Finds the AriException inside CompletionException/ExecutionException wrappers; null if there is none. */
    public static AriException unwrap(Throwable t) {
        Throwable cur = t;
        while (cur != null) {
            if (cur instanceof AriException) {
                return (AriException) cur;
            }
            if (!(cur instanceof CompletionException) && !(cur instanceof ExecutionException)) {
                return null;
            }
            cur = cur.getCause();
        }
        return null;
    }

    private static String describe(int status, Kind kind, String message, String method, String path) {
        String s = method + " " + path + " -> " + (status == 0 ? "no answer" : String.valueOf(status)) + " " + kind;
        return message == null || message.isEmpty() ? s : s + ": " + message;
    }
}
