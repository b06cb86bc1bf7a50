package org.asteriskcti.softphone.sip;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps what the phone reported, for tests. */
final class EventLog implements PhoneListener {

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<CallState> states = new CopyOnWriteArrayList<>();
    final StringBuffer dtmf = new StringBuffer();
    final List<PhoneError> errors = new CopyOnWriteArrayList<>();
    volatile CallInfo lastIncoming;
    volatile int registrations;

    @Override
    public void registered(String aor, int expiresSeconds) {
        registrations++;
        events.add("registered " + aor + " " + expiresSeconds);
    }

    @Override
    public void unregistered(String aor, String reason) {
        events.add("unregistered " + aor + " " + reason);
    }

    @Override
    public void incomingCall(CallInfo call) {
        lastIncoming = call;
        events.add("incoming " + call.remoteNumber() + " " + call.remoteName());
    }

    @Override
    public void callStateChanged(CallInfo call, CallState from, CallState to, String reason) {
        states.add(to);
        events.add(from + "->" + to + " " + reason);
    }

    @Override
    public void dtmfReceived(CallInfo call, char digit) {
        dtmf.append(digit);
    }

    @Override
    public void error(PhoneError error) {
        errors.add(error);
        events.add("error " + error);
    }

    CallState last() {
        return states.isEmpty() ? CallState.IDLE : states.get(states.size() - 1);
    }
}
