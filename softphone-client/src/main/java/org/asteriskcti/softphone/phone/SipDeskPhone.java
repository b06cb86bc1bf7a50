package org.asteriskcti.softphone.phone;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** What the phone thread last reported; replaced whole, so readers see one consistent picture. */
    private record Status(boolean registered, CallInfo call, CallState state, String problem) {}

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
                case HELD -> " — held call with " + who;
                case DIALLING, ALERTING -> " — calling " + who;
                default -> "";
            });
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
    public void onChange(Runnable changed) {
        listeners.add(changed);
    }

    @Override
    public void close() {
        sip.close();
    }

    private void update(Status next) {
        status = next;
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
            Status s = status;
            update(new Status(true, s.call(), s.state(), null));
        }

        @Override
        public void unregistered(String aor, String reason) {
            Status s = status;
            update(new Status(false, s.call(), s.state(), reason));
        }

        @Override
        public void incomingCall(CallInfo call) {
            Status s = status;
            update(new Status(s.registered(), call, CallState.RINGING_IN, null));
        }

        @Override
        public void callStateChanged(CallInfo call, CallState from, CallState to, String reason) {
            Status s = status;
            if (to == CallState.ENDED) {
                update(new Status(s.registered(), null, CallState.IDLE, null));
            } else {
                update(new Status(s.registered(), call, to, null));
            }
        }

        @Override
        public void error(PhoneError error) {
            Status s = status;
            boolean registration = error.kind() == PhoneError.Kind.REGISTRATION_FAILED;
            update(new Status(!registration && s.registered(), s.call(), s.state(), error.message()));
        }
    }
}
