package org.asteriskcti.softphone.sip;

/**
 * What the phone tells its UI. Called on the phone's own thread, in order: do not block (a JavaFX
 * UI hands each call over with {@code Platform.runLater}).
 */
public interface PhoneListener {

    default void registered(String aor, int expiresSeconds) {
    }

    default void unregistered(String aor, String reason) {
    }

    default void incomingCall(CallInfo call) {
    }

    default void callStateChanged(CallInfo call, CallState from, CallState to, String reason) {
    }

    default void dtmfReceived(CallInfo call, char digit) {
    }

    default void error(PhoneError error) {
    }
}
