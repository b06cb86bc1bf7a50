package org.asteriskcti.softphone.phone;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.sip.SipException;
import org.asteriskcti.softphone.sip.CallInfo;
import org.asteriskcti.softphone.sip.CallState;
import org.asteriskcti.softphone.sip.PhoneConfig;
import org.asteriskcti.softphone.sip.PhoneError;
import org.asteriskcti.softphone.sip.PhoneListener;
import org.asteriskcti.softphone.sip.SipPhone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk's phone on the built-in SIP library. It keeps a copy of what the desk asks often (registered, the
 * ringing call, the call's state), written only by the {@link SipPhone}'s thread through its
 * {@link PhoneListener} and read by the UI thread; commands go to the {@link SipPhone}, which owns the call.
 */
public final class SipDeskPhone implements Phone {

    private static final Logger LOG = LoggerFactory.getLogger(SipDeskPhone.class);

    /**
     * What the phone thread last reported (plus our own hold and mute, set when those commands completed); replaced
     * whole, so readers see one consistent picture.
     */
    private record Status(boolean registered, CallInfo call, CallState state, String problem, boolean heldByUs,
                          boolean muted) {
        Status(boolean registered, CallInfo call, CallState state, String problem) {
            this(registered, call, state, problem, false, false);
        }

        Status held(boolean on) {
            return new Status(registered, call, state, problem, on, muted);
        }

        Status mute(boolean on) {
            return new Status(registered, call, state, problem, heldByUs, on);
        }
    }

    private final PhoneConfig config;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Status status = new Status(false, null, CallState.IDLE, null);
    private final SipPhone sip;

    private SipDeskPhone(PhoneConfig config) throws SipException {
        this.config = config;
        this.sip = SipPhone.start(config, new Listener());
    }

    /** Binds the SIP port and, when configured, registers; fails when the port cannot be bound. */
    public static SipDeskPhone start(PhoneConfig config) throws SipException {
        return new SipDeskPhone(config);
    }

    @Override
    public boolean available() {
        return !config.register() || status.registered();
    }

    @Override
    public String describe() {
        Status s = status;
        StringBuilder b = new StringBuilder("SIP ").append(config.user()).append('@').append(config.server())
                .append(':').append(config.serverPort());
        if (!config.register()) {
            b.append(" static contact ").append(config.localAddress()).append(':').append(config.localSipPort());
        } else {
            b.append(s.registered() ? " registered" : " not registered");
        }
        if (s.call() != null) {
            String who = s.call().remoteName().isBlank() ? s.call().remoteNumber()
                    : s.call().remoteName() + " " + s.call().remoteNumber();
            b.append(switch (s.state()) {
                case RINGING_IN -> " — your phone rings: " + who;
                case CONNECTED -> " — on call with " + who;
                case HELD -> (s.heldByUs() ? " — on hold (by you): " : " — held by the far end: ") + who;
                case DIALLING, ALERTING -> " — calling " + who;
                default -> "";
            });
        }
        if (s.call() != null && s.muted()) {
            b.append(" — muted");
        }
        if (s.problem() != null) {
            b.append(" — ").append(s.problem());
        }
        return b.toString();
    }

    @Override
    public boolean ringing() {
        return status.state() == CallState.RINGING_IN;
    }

    @Override
    public boolean inCall() {
        return status.call() != null;
    }

    /** The call on this phone and its state, empty when idle. */
    public Optional<CallState> callState() {
        Status s = status;
        return s.call() == null ? Optional.empty() : Optional.of(s.state());
    }

    /** RTP packets sent and received on the current call; empty when no media runs. */
    public CompletableFuture<Optional<long[]>> rtpCounters() {
        return sip.rtpCounters();
    }

    @Override
    public CompletableFuture<Void> answer() {
        if (!ringing()) {
            Status s = status;
            return CompletableFuture.failedFuture(new IllegalStateException(s.call() == null
                    ? "your SIP phone " + config.user() + " is not ringing: there is no call to answer yet"
                    : "your SIP phone " + config.user() + " has a call that is " + s.state().name().toLowerCase()
                            + ", not ringing"));
        }
        return sip.answer();
    }

    @Override
    public CompletableFuture<Void> hangup() {
        return sip.hangup();
    }

    @Override
    public CompletableFuture<Void> reject(boolean busy) {
        if (!ringing()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "your SIP phone " + config.user() + " is not ringing: there is no call to decline"));
        }
        return sip.reject(busy);
    }

    @Override
    public CompletableFuture<Void> hold(boolean on) {
        Status s = status;
        if (s.call() == null || !s.state().established()) {
            return CompletableFuture.failedFuture(new IllegalStateException("your SIP phone " + config.user()
                    + " has no connected call to " + (on ? "hold" : "resume")));
        }
        return (on ? sip.hold() : sip.unhold()).thenRun(() -> change(x -> x.call() == null ? x : x.held(on)));
    }

    @Override
    public CompletableFuture<Void> mute(boolean on) {
        if (status.call() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("your SIP phone " + config.user()
                    + " has no call to " + (on ? "mute" : "unmute")));
        }
        return sip.mute(on).thenRun(() -> change(x -> x.call() == null ? x : x.mute(on)));
    }

    @Override
    public boolean heldByUs() {
        return status.heldByUs();
    }

    @Override
    public boolean muted() {
        return status.muted();
    }

    @Override
    public void onChange(Runnable changed) {
        listeners.add(changed);
    }

    @Override
    public void close() {
        sip.close();
    }

    /** Writes the status from the phone thread or a command's completion; listeners run outside the lock. */
    private void change(UnaryOperator<Status> how) {
        synchronized (this) {
            status = how.apply(status);
        }
        fire();
    }

    private void fire() {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("phone change listener failed", e);
            }
        }
    }

    /** Runs on the SIP phone's thread. */
    private final class Listener implements PhoneListener {
        @Override
        public void registered(String aor, int expiresSeconds) {
            change(s -> new Status(true, s.call(), s.state(), null, s.heldByUs(), s.muted()));
        }

        @Override
        public void unregistered(String aor, String reason) {
            change(s -> new Status(false, s.call(), s.state(), reason, s.heldByUs(), s.muted()));
        }

        @Override
        public void incomingCall(CallInfo call) {
            change(s -> new Status(s.registered(), call, CallState.RINGING_IN, null));
        }

        @Override
        public void callStateChanged(CallInfo call, CallState from, CallState to, String reason) {
            if (to == CallState.ENDED) {
                change(s -> new Status(s.registered(), null, CallState.IDLE, null));
            } else {
                change(s -> new Status(s.registered(), call, to, null, s.heldByUs() && to == CallState.HELD, s.muted()));
            }
        }

        @Override
        public void error(PhoneError error) {
            boolean registration = error.kind() == PhoneError.Kind.REGISTRATION_FAILED;
            change(s -> new Status(!registration && s.registered(), s.call(), s.state(), error.message(), s.heldByUs(),
                    s.muted()));
        }
    }
}
