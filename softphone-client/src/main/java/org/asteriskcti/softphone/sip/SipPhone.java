package org.asteriskcti.softphone.sip;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.asteriskcti.softphone.sip.rtp.MediaParams;
import org.asteriskcti.softphone.sip.rtp.RtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The softphone's SIP user agent: registration with digest auth and refresh, one call at a time
 * (a second incoming call gets 486 Busy Here), hold/resume by re-INVITE, RFC 4733 DTMF.
 *
 * <p>One thread — the phone thread — owns all state. JAIN-SIP's callbacks only create server
 * transactions (which must happen on the stack's thread to absorb retransmissions) and hand the
 * message over; the public commands run on the phone thread and complete their futures there.
 * The {@link PhoneListener} is called on the phone thread.
 */
public final class SipPhone implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipPhone.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, INFO";
    private static final int DTMF_DURATION_MS = 100;

    private final PhoneConfig config;
    private final PhoneListener listener;
    private final ScheduledExecutorService loop;
    private final SdpNegotiator negotiator;
    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final String aor;

    // registration, owned by the phone thread
    private final String registerCallId;
    private final String registerFromTag = newTag();
    private long registerCseq;
    private boolean registered;
    private boolean unregistering;
    private ScheduledFuture<?> registerRefresh;
    private Challenge registerChallenge;
    private CompletableFuture<Void> registerResult;

    // the call, owned by the phone thread
    private Call call;

    private record Challenge(boolean proxy, String realm, String nonce, String algorithm, String qop, String opaque,
                             int[] nonceCount) {
    }

    private enum Reinvite { NONE, HOLD, RESUME }

    private final class Call {
        final CallStateMachine state;
        final CallInfo info;
        final DatagramSocket rtpSocket;
        final long sdpSessionId = RANDOM.nextInt(1_000_000_000);
        long sdpVersion = 1;
        Dialog dialog;
        ClientTransaction inviteTx;
        Request inviteRequest;
        ServerTransaction inviteServerTx;
        String localTag;
        Sdp remoteOffer;
        boolean provisionalReceived;
        boolean cancelPending;
        boolean localHold;
        boolean remoteHold;
        boolean muted;
        Reinvite pendingReinvite = Reinvite.NONE;
        CompletableFuture<Void> reinviteResult;
        Challenge challenge;
        RtpSession rtp;
        ScheduledFuture<?> autoAnswer;

        Call(CallInfo info, DatagramSocket rtpSocket) {
            this.info = info;
            this.state = new CallStateMachine(info.callId());
            this.rtpSocket = rtpSocket;
        }
    }

    private SipPhone(PhoneConfig config, PhoneListener listener) throws SipException {
        this.config = config;
        this.listener = listener;
        this.negotiator = new SdpNegotiator(config.codecs(), config.dtmfPayloadType());
        String name = "sip-phone-" + config.user() + "-" + config.localSipPort();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name + "-" + STACKS.incrementAndGet());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        try {
            this.stack = factory.createSipStack(p);
            this.addresses = factory.createAddressFactory();
            this.headers = factory.createHeaderFactory();
            this.messages = factory.createMessageFactory();
            ListeningPoint lp = stack.createListeningPoint(config.localAddress(), config.localSipPort(), ListeningPoint.UDP);
            this.provider = stack.createSipProvider(lp);
            provider.addSipListener(new StackListener());
        } catch (Exception e) {
            loop.shutdownNow();
            throw new SipException("cannot listen for SIP on " + config.localAddress() + ":" + config.localSipPort()
                    + " (udp): " + e.getMessage(), e);
        }
        this.registerCallId = newTag() + newTag() + "@" + config.localAddress();
        this.aor = "sip:" + config.user() + "@" + config.effectiveDomain();
    }

    /** Starts the phone (listening for SIP) and, when configured, registers it. */
    public static SipPhone start(PhoneConfig config, PhoneListener listener) throws SipException {
        SipPhone phone = new SipPhone(config, listener);
        LOG.info("phone {} listening on {}:{} (udp)", phone.aor, config.localAddress(), config.localSipPort());
        if (config.register()) {
            phone.register();
        }
        return phone;
    }

    public PhoneConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- commands

    /** Registers (or refreshes now); completes when the registrar accepted, fails with its answer. */
    public CompletableFuture<Void> register() {
        return submitAsync(() -> {
            unregistering = false;
            registerResult = new CompletableFuture<>();
            sendRegister(config.registerExpires());
            return registerResult;
        });
    }

    /** Removes our binding (REGISTER with Expires: 0) and stops refreshing. */
    public CompletableFuture<Void> unregister() {
        return submitAsync(() -> {
            unregistering = true;
            cancel(registerRefresh);
            registerResult = new CompletableFuture<>();
            sendRegister(0);
            return registerResult;
        });
    }

    /** Calls a number (sent to the server) or a full sip: URI. */
    public CompletableFuture<CallInfo> dial(String target) {
        return submit(() -> startOutgoing(target));
    }

    public CompletableFuture<Void> answer() {
        return submit(() -> {
            Call c = requireCall();
            answerCall(c, "answered");
            return null;
        });
    }

    /** Declines the ringing call: 486 Busy Here, or 603 Decline when {@code busy} is false. */
    public CompletableFuture<Void> reject(boolean busy) {
        return submit(() -> {
            Call c = requireCall();
            requireMove(c, CallState.ENDED);
            if (c.state.state() != CallState.RINGING_IN) {
                throw new IllegalCallTransitionException(c.info.callId(), c.state.state(), CallState.ENDED);
            }
            int code = busy ? Response.BUSY_HERE : Response.DECLINE;
            c.inviteServerTx.sendResponse(response(code, c.inviteServerTx.getRequest(), c.localTag));
            end(c, busy ? "rejected (486 Busy Here)" : "declined (603 Decline)");
            return null;
        });
    }

    /** Ends the call: BYE when established, CANCEL while dialling, 486 while ringing. */
    public CompletableFuture<Void> hangup() {
        return submit(() -> {
            Call c = requireCall();
            switch (c.state.state()) {
                case RINGING_IN -> {
                    c.inviteServerTx.sendResponse(response(Response.BUSY_HERE, c.inviteServerTx.getRequest(), c.localTag));
                    end(c, "rejected (486 Busy Here)");
                }
                case DIALLING, ALERTING -> {
                    if (c.provisionalReceived) {
                        sendCancel(c);
                    } else {
                        c.cancelPending = true; // RFC 3261 §9.1: CANCEL only after a provisional response
                    }
                    end(c, "cancelled by us");
                }
                case CONNECTED, HELD -> {
                    sendBye(c);
                    end(c, "hung up by us");
                }
                default -> throw new IllegalCallTransitionException(c.info.callId(), c.state.state(), CallState.ENDED);
            }
            return null;
        });
    }

    /** Puts the far end on hold (re-INVITE with a=sendonly); completes when it accepted. */
    public CompletableFuture<Void> hold() {
        return submitAsync(() -> reinvite(Reinvite.HOLD));
    }

    /** Takes the call off hold (re-INVITE with a=sendrecv). */
    public CompletableFuture<Void> unhold() {
        return submitAsync(() -> reinvite(Reinvite.RESUME));
    }

    /**
     * Mutes (or unmutes) our microphone on the current call: RTP keeps flowing with silence. Kept for the whole
     * call, also across hold; a new call starts unmuted. Fails when there is no call.
     */
    public CompletableFuture<Void> mute(boolean muted) {
        return submit(() -> {
            Call c = requireCall();
            if (c.muted != muted) {
                LOG.info("call {}: microphone {}", c.info.callId(), muted ? "muted" : "unmuted");
            }
            c.muted = muted;
            if (c.rtp != null) {
                c.rtp.mute(muted);
            }
            return null;
        });
    }

    /** Sends DTMF digits as RFC 4733 events, one after the other. */
    public CompletableFuture<Void> sendDtmf(String digits) {
        return submit(() -> {
            Call c = requireCall();
            if (c.state.state() != CallState.CONNECTED || c.rtp == null) {
                throw new IllegalStateException("call " + c.info.callId() + ": DTMF needs a connected call, it is "
                        + c.state.state());
            }
            for (char d : digits.toCharArray()) {
                c.rtp.sendDtmf(d, DTMF_DURATION_MS);
            }
            return null;
        });
    }

    /** A snapshot of the current call's state, empty when idle. */
    public CompletableFuture<Optional<CallState>> callState() {
        return submit(() -> Optional.ofNullable(call).map(c -> c.state.state()));
    }

    /** RTP counters of the current call: packets sent, received; empty when no media runs. */
    public CompletableFuture<Optional<long[]>> rtpCounters() {
        return submit(() -> Optional.ofNullable(call).map(c -> c.rtp).map(r -> new long[] {r.packetsSent(), r.packetsReceived()}));
    }

    public CompletableFuture<Boolean> isRegistered() {
        return submit(() -> registered);
    }

    @Override
    public void close() {
        try {
            submit(() -> {
                if (call != null) {
                    try {
                        if (call.state.state().established()) {
                            sendBye(call);
                        } else if (call.state.state() == CallState.RINGING_IN) {
                            call.inviteServerTx.sendResponse(response(Response.BUSY_HERE, call.inviteServerTx.getRequest(), call.localTag));
                        } else if (call.provisionalReceived) {
                            sendCancel(call);
                        }
                    } catch (Exception e) {
                        LOG.debug("ending the call on close failed: {}", e.getMessage());
                    }
                    end(call, "phone closed");
                }
                cancel(registerRefresh);
                if (registered) {
                    unregistering = true;
                    sendRegister(0);
                }
                return null;
            }).get(2, TimeUnit.SECONDS);
            if (registered) {
                Thread.sleep(300); // let the un-REGISTER leave
            }
        } catch (Exception e) {
            LOG.debug("close: {}", e.toString());
        }
        loop.shutdownNow();
        stack.stop();
    }

    // ---------------------------------------------------------------- plumbing

    private <T> CompletableFuture<T> submit(Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.call());
            } catch (Exception e) {
                refused(e);
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private <T> CompletableFuture<T> submitAsync(Callable<CompletableFuture<T>> action) {
        return submit(action).thenCompose(f -> f);
    }

    private void refused(Exception e) {
        LOG.info("command refused: {}", e.getMessage());
        String callId = call != null ? call.info.callId() : null;
        tell(() -> listener.error(new PhoneError(PhoneError.Kind.COMMAND_REFUSED, callId, String.valueOf(e.getMessage()))));
    }

    /** Runs a handover from JAIN-SIP's thread; a failure is logged and reported, never lost. */
    private void handOver(String what, ThrowingRunnable r) {
        loop.execute(() -> {
            try {
                r.run();
            } catch (Exception e) {
                LOG.warn("handling {} failed", what, e);
                String callId = call != null ? call.info.callId() : null;
                tell(() -> listener.error(new PhoneError(PhoneError.Kind.CALL_FAILED, callId,
                        "handling " + what + " failed: " + e.getMessage())));
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void tell(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("phone listener threw", e);
        }
    }

    private Call requireCall() {
        if (call == null) {
            throw new IllegalStateException("no call");
        }
        return call;
    }

    private static void requireMove(Call c, CallState target) {
        if (!c.state.state().canMoveTo(target)) {
            throw new IllegalCallTransitionException(c.info.callId(), c.state.state(), target);
        }
    }

    private void move(Call c, CallState target, String reason) {
        CallState from = c.state.moveTo(target, reason);
        tell(() -> listener.callStateChanged(c.info, from, target, reason));
        if (target == CallState.ENDED) {
            cleanUp(c);
        }
    }

    private void end(Call c, String reason) {
        if (c.state.state() != CallState.ENDED) {
            move(c, CallState.ENDED, reason);
        }
    }

    private void cleanUp(Call c) {
        cancel(c.autoAnswer);
        if (c.rtp != null) {
            c.rtp.close();
        } else {
            c.rtpSocket.close();
        }
        if (c.reinviteResult != null) {
            c.reinviteResult.completeExceptionally(new IllegalStateException("call ended"));
        }
        if (call == c) {
            call = null;
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static String newTag() {
        return HexFormat.of().formatHex(randomBytes(6));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private SipURI contactUri() throws Exception {
        SipURI uri = addresses.createSipURI(config.user(), config.localAddress());
        uri.setPort(config.localSipPort());
        return uri;
    }

    private ContactHeader contact() throws Exception {
        return headers.createContactHeader(addresses.createAddress(contactUri()));
    }

    private List<ViaHeader> via() throws Exception {
        List<ViaHeader> vias = new ArrayList<>();
        vias.add(headers.createViaHeader(config.localAddress(), config.localSipPort(), ListeningPoint.UDP, null));
        return vias;
    }

    private Address ourAddress() throws Exception {
        Address a = addresses.createAddress(addresses.createSipURI(config.user(), config.effectiveDomain()));
        if (config.displayName() != null) {
            a.setDisplayName(config.displayName());
        }
        return a;
    }

    private Response response(int code, Request request, String toTag) throws Exception {
        Response r = messages.createResponse(code, request);
        if (toTag != null && code != Response.TRYING) {
            ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (to.getTag() == null) {
                to.setTag(toTag);
            }
        }
        if (code / 100 == 2 || code == Response.RINGING || code == Response.SESSION_PROGRESS) {
            r.addHeader(contact());
        }
        r.addHeader(headers.createAllowHeader(ALLOW));
        return r;
    }

    private void setSdp(javax.sip.message.Message m, Sdp sdp) throws Exception {
        ContentTypeHeader ct = headers.createContentTypeHeader("application", "sdp");
        m.setContent(sdp.format().getBytes(StandardCharsets.US_ASCII), ct);
    }

    private static Sdp sdpOf(javax.sip.message.Message m) {
        byte[] raw = m.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        return Sdp.parse(new String(raw, StandardCharsets.US_ASCII));
    }

    private static String describe(Response r) {
        return r.getStatusCode() + " " + r.getReasonPhrase();
    }

    // ---------------------------------------------------------------- registration

    private void sendRegister(int expires) throws Exception {
        SipURI registrar = addresses.createSipURI(null, config.server());
        registrar.setPort(config.serverPort());
        Address me = ourAddress();
        FromHeader from = headers.createFromHeader(me, registerFromTag);
        ToHeader to = headers.createToHeader(me, null);
        CallIdHeader callId = headers.createCallIdHeader(registerCallId);
        CSeqHeader cseq = headers.createCSeqHeader(++registerCseq, Request.REGISTER);
        Request r = messages.createRequest(registrar, Request.REGISTER, callId, cseq, from, to, via(),
                headers.createMaxForwardsHeader(70));
        r.addHeader(contact());
        r.addHeader(headers.createExpiresHeader(expires));
        r.addHeader(headers.createAllowHeader(ALLOW));
        if (registerChallenge != null) {
            r.addHeader(authorization(registerChallenge, r));
        }
        ClientTransaction tx = provider.getNewClientTransaction(r);
        tx.sendRequest();
        LOG.debug("REGISTER {} expires={} cseq={}", aor, expires, registerCseq);
    }

    private void onRegisterResponse(Response r, Request sent) throws Exception {
        int code = r.getStatusCode();
        if (code < 200) {
            return;
        }
        boolean zeroExpires = expiresOf(sent) == 0;
        if (code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) {
            Challenge c = challengeOf(r);
            boolean sentAuth = sent.getHeader(AuthorizationHeader.NAME) != null
                    || sent.getHeader(javax.sip.header.ProxyAuthorizationHeader.NAME) != null;
            if (config.password() == null) {
                registrationFailed("registrar " + config.server() + ":" + config.serverPort() + " asks for a password ("
                        + describe(r) + ") and none is configured for " + config.user());
                return;
            }
            if (sentAuth && !isStale(r) && registerChallenge != null && registerChallenge.nonce().equals(c.nonce())) {
                registrationFailed("registrar " + config.server() + ":" + config.serverPort() + " rejected the credentials of "
                        + config.user() + " (realm \"" + c.realm() + "\"): wrong user or password");
                return;
            }
            registerChallenge = c;
            sendRegister(expiresOf(sent));
            return;
        }
        if (code / 100 != 2) {
            registrationFailed("registrar " + config.server() + ":" + config.serverPort() + " refused REGISTER for "
                    + aor + ": " + describe(r));
            return;
        }
        CompletableFuture<Void> result = registerResult;
        registerResult = null;
        if (zeroExpires || unregistering) {
            boolean was = registered;
            registered = false;
            if (was) {
                tell(() -> listener.unregistered(aor, "unregistered"));
            }
        } else {
            int expires = grantedExpires(r, sent);
            registered = true;
            long refreshMs = expires > 60 ? (expires - 30) * 1000L : expires * 750L;
            cancel(registerRefresh);
            registerRefresh = loop.schedule(() -> {
                try {
                    sendRegister(config.registerExpires());
                } catch (Exception e) {
                    registrationFailed("cannot refresh the registration of " + aor + ": " + e.getMessage());
                }
            }, refreshMs, TimeUnit.MILLISECONDS);
            LOG.info("registered {} for {} s, refreshing in {} ms", aor, expires, refreshMs);
            tell(() -> listener.registered(aor, expires));
        }
        if (result != null) {
            result.complete(null);
        }
    }

    private void registrationFailed(String message) {
        LOG.warn(message);
        boolean was = registered;
        registered = false;
        cancel(registerRefresh);
        registerChallenge = null;
        if (was) {
            tell(() -> listener.unregistered(aor, message));
        }
        tell(() -> listener.error(new PhoneError(PhoneError.Kind.REGISTRATION_FAILED, null, message)));
        if (registerResult != null) {
            registerResult.completeExceptionally(new SipException(message));
            registerResult = null;
        }
    }

    private static int expiresOf(Request r) {
        ExpiresHeader e = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        return e == null ? 3600 : e.getExpires();
    }

    private int grantedExpires(Response r, Request sent) throws Exception {
        String ourContact = contactUri().toString();
        for (var it = r.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.getAddress().getURI().toString().equals(ourContact) && c.getExpires() >= 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader e = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        return e != null ? e.getExpires() : expiresOf(sent);
    }

    // ---------------------------------------------------------------- digest

    private Challenge challengeOf(Response r) {
        WWWAuthenticateHeader h = (WWWAuthenticateHeader) r.getHeader(WWWAuthenticateHeader.NAME);
        boolean proxy = false;
        if (h == null) {
            h = (ProxyAuthenticateHeader) r.getHeader(ProxyAuthenticateHeader.NAME);
            proxy = true;
        }
        if (h == null) {
            throw new IllegalStateException(describe(r) + " without a WWW-Authenticate / Proxy-Authenticate header");
        }
        if (!"Digest".equalsIgnoreCase(h.getScheme())) {
            throw new IllegalStateException("authentication scheme " + h.getScheme() + " is not supported (Digest only)");
        }
        return new Challenge(proxy, h.getRealm(), h.getNonce(), h.getAlgorithm(), DigestAuth.chooseQop(h.getQop()),
                h.getOpaque(), new int[] {0});
    }

    private static boolean isStale(Response r) {
        WWWAuthenticateHeader h = (WWWAuthenticateHeader) r.getHeader(WWWAuthenticateHeader.NAME);
        if (h == null) {
            h = (ProxyAuthenticateHeader) r.getHeader(ProxyAuthenticateHeader.NAME);
        }
        return h != null && "true".equalsIgnoreCase(h.getParameter("stale"));
    }

    private AuthorizationHeader authorization(Challenge c, Request r) throws Exception {
        AuthorizationHeader h = c.proxy()
                ? headers.createProxyAuthorizationHeader("Digest")
                : headers.createAuthorizationHeader("Digest");
        String uri = r.getRequestURI().toString();
        String cnonce = newTag();
        int nc = ++c.nonceCount()[0];
        String ncHex = String.format("%08x", nc);
        h.setUsername(config.user());
        h.setRealm(c.realm());
        h.setNonce(c.nonce());
        h.setURI(r.getRequestURI());
        h.setResponse(DigestAuth.response(c.algorithm(), config.user(), c.realm(), config.password(), c.nonce(),
                r.getMethod(), uri, c.qop(), ncHex, cnonce));
        if (c.algorithm() != null) {
            h.setAlgorithm(c.algorithm());
        }
        if (c.opaque() != null) {
            h.setOpaque(c.opaque());
        }
        if (c.qop() != null) {
            h.setQop(c.qop());
            h.setCNonce(cnonce);
            h.setNonceCount(nc);
        }
        return h;
    }

    // ---------------------------------------------------------------- outgoing calls

    private CallInfo startOutgoing(String target) throws Exception {
        if (call != null) {
            throw new IllegalStateException("already in a call (" + call.info.callId() + ", " + call.state.state() + ")");
        }
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("nothing to dial");
        }
        URI requestUri;
        try {
            if (target.startsWith("sip:")) {
                requestUri = addresses.createURI(target);
            } else {
                SipURI u = addresses.createSipURI(target.trim(), config.server());
                u.setPort(config.serverPort());
                requestUri = u;
            }
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("cannot dial '" + target + "': not a number or sip: URI (" + e.getMessage() + ")");
        }
        CallIdHeader callId = provider.getNewCallId();
        String remoteUser = requestUri instanceof SipURI s && s.getUser() != null ? s.getUser() : target;
        CallInfo info = new CallInfo(callId.getCallId(), CallInfo.Direction.OUTBOUND, remoteUser, "", requestUri.toString());
        DatagramSocket socket = RtpSession.bind(InetAddress.getByName(config.localAddress()), config.rtpPortMin(), config.rtpPortMax());
        Call c = new Call(info, socket);
        c.localTag = newTag();
        Request invite = messages.createRequest(requestUri, Request.INVITE, callId,
                headers.createCSeqHeader(1L, Request.INVITE), headers.createFromHeader(ourAddress(), c.localTag),
                headers.createToHeader(addresses.createAddress(requestUri), null), via(), headers.createMaxForwardsHeader(70));
        invite.addHeader(contact());
        invite.addHeader(headers.createAllowHeader(ALLOW));
        setSdp(invite, negotiator.offer(config.localAddress(), socket.getLocalPort(), c.sdpSessionId, c.sdpVersion,
                MediaDirection.SENDRECV));
        c.inviteRequest = invite;
        call = c;
        move(c, CallState.DIALLING, "INVITE " + requestUri);
        sendInvite(c, invite);
        return info;
    }

    private void sendInvite(Call c, Request invite) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(invite);
        c.inviteTx = tx;
        c.dialog = tx.getDialog();
        tx.sendRequest();
    }

    private void sendCancel(Call c) throws Exception {
        Request cancel = c.inviteTx.createCancel();
        provider.getNewClientTransaction(cancel).sendRequest();
    }

    private void sendBye(Call c) throws Exception {
        Request bye = c.dialog.createRequest(Request.BYE);
        ClientTransaction tx = provider.getNewClientTransaction(bye);
        c.dialog.sendRequest(tx);
    }

    private void ack(Dialog dialog, Response r) throws Exception {
        long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
        dialog.sendAck(dialog.createAck(cseq));
    }

    private void onInviteResponse(Response r, ClientTransaction tx, Dialog dialog) throws Exception {
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        int code = r.getStatusCode();
        Call c = call;
        if (c == null || !c.info.callId().equals(callId)) {
            if (code / 100 == 2 && dialog != null) {
                // a 200 for a call we already gave up (CANCEL raced with the answer): confirm and end it
                ack(dialog, r);
                Request bye = dialog.createRequest(Request.BYE);
                dialog.sendRequest(provider.getNewClientTransaction(bye));
            }
            return;
        }
        if (c.state.state().established() || c.pendingReinvite != Reinvite.NONE && tx != c.inviteTx) {
            onReinviteResponse(c, r, dialog);
            return;
        }
        if (tx != c.inviteTx) {
            return; // late response to an INVITE we re-sent with credentials
        }
        if (code < 200) {
            if (code == Response.TRYING) {
                return;
            }
            c.provisionalReceived = true;
            if (c.cancelPending) {
                c.cancelPending = false;
                sendCancel(c);
                return;
            }
            if (c.state.state() == CallState.DIALLING) {
                move(c, CallState.ALERTING, describe(r));
            }
            return;
        }
        if (code / 100 == 2) {
            Dialog d = dialog != null ? dialog : tx.getDialog();
            c.dialog = d;
            ack(d, r);
            Sdp answer;
            SdpNegotiator.Result result;
            try {
                answer = sdpOf(r);
                if (answer == null) {
                    throw new SdpException("200 OK without an SDP answer");
                }
                result = negotiator.answered(answer, MediaDirection.SENDRECV);
            } catch (SdpException e) {
                sendBye(c);
                failCall(c, e instanceof NoCommonCodecException ? PhoneError.Kind.NO_COMMON_CODEC : PhoneError.Kind.CALL_FAILED,
                        "call to " + c.info.remoteUri() + " answered with unusable SDP: " + e.getMessage());
                return;
            }
            startMedia(c, result.media());
            move(c, CallState.CONNECTED, describe(r));
            return;
        }
        if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED)
                && config.password() != null && c.challenge == null) {
            c.challenge = challengeOf(r);
            Request again = (Request) c.inviteRequest.clone();
            CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            again.removeHeader(ViaHeader.NAME);
            again.addHeader(via().get(0));
            again.addHeader(authorization(c.challenge, again));
            c.inviteRequest = again;
            c.provisionalReceived = false;
            sendInvite(c, again);
            return;
        }
        if (c.state.state() == CallState.ENDED) {
            return;
        }
        String reason = switch (code) {
            case Response.BUSY_HERE, Response.BUSY_EVERYWHERE -> "busy (" + describe(r) + ")";
            case Response.REQUEST_TERMINATED -> "cancelled (" + describe(r) + ")";
            case Response.NOT_ACCEPTABLE_HERE -> "no common codec: the far end refused our offer " + config.codecs()
                    + " (" + describe(r) + ")";
            case Response.UNAUTHORIZED, Response.PROXY_AUTHENTICATION_REQUIRED -> "authentication failed for "
                    + config.user() + " (" + describe(r) + ")";
            default -> "call to " + c.info.remoteUri() + " failed: " + describe(r);
        };
        PhoneError.Kind kind = code == Response.NOT_ACCEPTABLE_HERE ? PhoneError.Kind.NO_COMMON_CODEC : PhoneError.Kind.CALL_FAILED;
        if (code == Response.BUSY_HERE || code == Response.BUSY_EVERYWHERE || code == Response.DECLINE) {
            end(c, reason);
        } else {
            failCall(c, kind, reason);
        }
    }

    private void failCall(Call c, PhoneError.Kind kind, String message) {
        LOG.warn("call {}: {}", c.info.callId(), message);
        tell(() -> listener.error(new PhoneError(kind, c.info.callId(), message)));
        end(c, message);
    }

    // ---------------------------------------------------------------- hold / resume

    private CompletableFuture<Void> reinvite(Reinvite kind) throws Exception {
        Call c = requireCall();
        if (!c.state.state().established()) {
            throw new IllegalCallTransitionException(c.info.callId(), c.state.state(),
                    kind == Reinvite.HOLD ? CallState.HELD : CallState.CONNECTED);
        }
        if (c.pendingReinvite != Reinvite.NONE) {
            throw new IllegalStateException("call " + c.info.callId() + ": a " + c.pendingReinvite + " re-INVITE is still pending");
        }
        if (kind == Reinvite.HOLD && c.localHold) {
            throw new IllegalStateException("call " + c.info.callId() + " is already on hold");
        }
        if (kind == Reinvite.RESUME && !c.localHold) {
            throw new IllegalStateException("call " + c.info.callId() + " is not on hold");
        }
        Request re = c.dialog.createRequest(Request.INVITE);
        re.addHeader(contact());
        re.addHeader(headers.createAllowHeader(ALLOW));
        setSdp(re, negotiator.offer(config.localAddress(), c.rtpSocket.getLocalPort(), c.sdpSessionId, ++c.sdpVersion,
                kind == Reinvite.HOLD ? MediaDirection.SENDONLY : MediaDirection.SENDRECV));
        ClientTransaction tx = provider.getNewClientTransaction(re);
        c.pendingReinvite = kind;
        c.reinviteResult = new CompletableFuture<>();
        c.dialog.sendRequest(tx);
        return c.reinviteResult;
    }

    private void onReinviteResponse(Call c, Response r, Dialog dialog) throws Exception {
        int code = r.getStatusCode();
        if (code < 200) {
            return;
        }
        Reinvite kind = c.pendingReinvite;
        CompletableFuture<Void> result = c.reinviteResult;
        if (code / 100 == 2) {
            ack(dialog != null ? dialog : c.dialog, r);
        }
        if (kind == Reinvite.NONE) {
            return; // retransmitted 200
        }
        c.pendingReinvite = Reinvite.NONE;
        c.reinviteResult = null;
        if (code / 100 != 2) {
            String message = "call " + c.info.callId() + ": the far end refused " + (kind == Reinvite.HOLD ? "hold" : "resume")
                    + ": " + describe(r);
            tell(() -> listener.error(new PhoneError(PhoneError.Kind.COMMAND_REFUSED, c.info.callId(), message)));
            result.completeExceptionally(new SipException(message));
            return;
        }
        try {
            Sdp answer = sdpOf(r);
            c.localHold = kind == Reinvite.HOLD;
            if (answer != null) {
                SdpNegotiator.Result res = negotiator.answered(answer,
                        c.localHold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV);
                applyMedia(c, res.media());
            } else {
                applyMedia(c, c.rtp.params());
            }
            updateHoldState(c, describe(r));
            result.complete(null);
        } catch (SdpException e) {
            result.completeExceptionally(e);
            throw e;
        }
    }

    private void updateHoldState(Call c, String reason) {
        boolean held = c.localHold || c.remoteHold;
        String who = c.localHold && c.remoteHold ? "held both ways" : c.localHold ? "held by us" : c.remoteHold ? "held by the far end" : "resumed";
        if (held && c.state.state() == CallState.CONNECTED) {
            move(c, CallState.HELD, who + ", " + reason);
        } else if (!held && c.state.state() == CallState.HELD) {
            move(c, CallState.CONNECTED, who + ", " + reason);
        }
    }

    /** Media per negotiation, muted both ways while we hold the call. */
    private void applyMedia(Call c, MediaParams negotiated) {
        MediaParams p = c.localHold ? negotiated.withDirection(false, false) : negotiated;
        if (c.rtp == null) {
            startMedia(c, p);
        } else {
            c.rtp.update(p);
        }
    }

    private void startMedia(Call c, MediaParams p) {
        RtpSession rtp = new RtpSession(c.rtpSocket, p, config.audioSource().get(), config.audioSink().get(),
                digit -> loop.execute(() -> tell(() -> listener.dtmfReceived(c.info, digit))));
        c.rtp = rtp;
        rtp.mute(c.muted);
        rtp.start();
        LOG.info("call {}: media {} pt {} (telephone-event {}) local :{} <-> {}", c.info.callId(), p.codec(),
                p.audioPayloadType(), p.dtmfPayloadType(), rtp.localPort(), p.remote());
    }

    // ---------------------------------------------------------------- incoming requests

    private void onRequest(Request request, ServerTransaction st) throws Exception {
        switch (request.getMethod()) {
            case Request.INVITE -> onInvite(request, st);
            case Request.BYE -> onBye(request, st);
            case Request.CANCEL -> onCancel(request, st);
            case Request.OPTIONS, Request.NOTIFY, Request.INFO -> st.sendResponse(response(Response.OK, request, newTag()));
            default -> st.sendResponse(response(Response.METHOD_NOT_ALLOWED, request, newTag()));
        }
    }

    private void onInvite(Request request, ServerTransaction st) throws Exception {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
        Call c = call;
        if (toTag != null) {
            if (c != null && c.info.callId().equals(callId) && c.state.state().established()) {
                onReinvite(c, request, st);
            } else {
                st.sendResponse(response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request, null));
            }
            return;
        }
        if (c != null) {
            LOG.info("incoming call {} while busy with {}: 486", callId, c.info.callId());
            st.sendResponse(response(Response.BUSY_HERE, request, newTag()));
            return;
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        URI fromUri = from.getAddress().getURI();
        String number = fromUri instanceof SipURI s && s.getUser() != null ? s.getUser() : fromUri.toString();
        String name = from.getAddress().getDisplayName() != null ? from.getAddress().getDisplayName() : "";
        CallInfo info = new CallInfo(callId, CallInfo.Direction.INBOUND, number, name, fromUri.toString());
        String localTag = newTag();
        Sdp offer;
        try {
            offer = sdpOf(request);
            if (offer == null) {
                throw new SdpException("INVITE without an SDP offer (delayed offer is not supported)");
            }
            negotiator.answer(offer, config.localAddress(), 0, 0, 0, MediaDirection.SENDRECV);
        } catch (SdpException e) {
            Response r = response(Response.NOT_ACCEPTABLE_HERE, request, localTag);
            r.addHeader(headers.createWarningHeader(config.localAddress(), 304, e.getMessage()));
            st.sendResponse(r);
            String message = "incoming call from " + number + " refused (488): " + e.getMessage();
            LOG.warn(message);
            tell(() -> listener.error(new PhoneError(
                    e instanceof NoCommonCodecException ? PhoneError.Kind.NO_COMMON_CODEC : PhoneError.Kind.CALL_FAILED,
                    callId, message)));
            return;
        }
        DatagramSocket socket = RtpSession.bind(InetAddress.getByName(config.localAddress()), config.rtpPortMin(), config.rtpPortMax());
        c = new Call(info, socket);
        c.localTag = localTag;
        c.inviteServerTx = st;
        c.dialog = st.getDialog();
        c.remoteOffer = offer;
        call = c;
        st.sendResponse(response(Response.RINGING, request, localTag));
        move(c, CallState.RINGING_IN, "INVITE from " + fromUri);
        Call ringing = c;
        tell(() -> listener.incomingCall(info));
        if (config.autoAnswer() != null && call == ringing) {
            ringing.autoAnswer = loop.schedule(() -> {
                if (call == ringing && ringing.state.state() == CallState.RINGING_IN) {
                    try {
                        answerCall(ringing, "auto-answered after " + config.autoAnswer().toMillis() + " ms");
                    } catch (Exception e) {
                        failCall(ringing, PhoneError.Kind.CALL_FAILED, "auto-answer failed: " + e.getMessage());
                    }
                }
            }, config.autoAnswer().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void answerCall(Call c, String reason) throws Exception {
        if (c.state.state() != CallState.RINGING_IN) {
            throw new IllegalCallTransitionException(c.info.callId(), c.state.state(), CallState.CONNECTED);
        }
        cancel(c.autoAnswer);
        SdpNegotiator.Answer answer = negotiator.answer(c.remoteOffer, config.localAddress(), c.rtpSocket.getLocalPort(),
                c.sdpSessionId, c.sdpVersion, MediaDirection.SENDRECV);
        Response ok = response(Response.OK, c.inviteServerTx.getRequest(), c.localTag);
        setSdp(ok, answer.sdp());
        c.inviteServerTx.sendResponse(ok);
        c.dialog = c.inviteServerTx.getDialog();
        c.remoteHold = !answer.result().remoteDirection().receives();
        startMedia(c, answer.result().media());
        move(c, CallState.CONNECTED, reason);
        if (c.remoteHold) {
            updateHoldState(c, "offered " + answer.result().remoteDirection().attribute());
        }
    }

    private void onReinvite(Call c, Request request, ServerTransaction st) throws Exception {
        Sdp offer;
        try {
            offer = sdpOf(request);
        } catch (SdpException e) {
            Response r = response(Response.NOT_ACCEPTABLE_HERE, request, c.localTag);
            r.addHeader(headers.createWarningHeader(config.localAddress(), 399, e.getMessage()));
            st.sendResponse(r);
            return;
        }
        MediaDirection wanted = c.localHold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        Response ok = response(Response.OK, request, c.localTag);
        if (offer == null) {
            // the far end asks for our offer; the answer comes in the ACK (we keep the current media)
            setSdp(ok, negotiator.offer(config.localAddress(), c.rtpSocket.getLocalPort(), c.sdpSessionId, ++c.sdpVersion, wanted));
            st.sendResponse(ok);
            return;
        }
        SdpNegotiator.Answer answer;
        try {
            answer = negotiator.answer(offer, config.localAddress(), c.rtpSocket.getLocalPort(), c.sdpSessionId,
                    ++c.sdpVersion, wanted);
        } catch (NoCommonCodecException e) {
            Response r = response(Response.NOT_ACCEPTABLE_HERE, request, c.localTag);
            r.addHeader(headers.createWarningHeader(config.localAddress(), 304, e.getMessage()));
            st.sendResponse(r);
            tell(() -> listener.error(new PhoneError(PhoneError.Kind.NO_COMMON_CODEC, c.info.callId(),
                    "re-INVITE refused (488): " + e.getMessage())));
            return;
        }
        setSdp(ok, answer.sdp());
        st.sendResponse(ok);
        c.remoteHold = !answer.result().remoteDirection().receives();
        applyMedia(c, answer.result().media());
        updateHoldState(c, "re-INVITE with a=" + answer.result().remoteDirection().attribute());
    }

    private void onBye(Request request, ServerTransaction st) throws Exception {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Call c = call;
        if (c == null || !c.info.callId().equals(callId)) {
            st.sendResponse(response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request, null));
            return;
        }
        st.sendResponse(response(Response.OK, request, null));
        end(c, "far end hung up (BYE)");
    }

    private void onCancel(Request request, ServerTransaction st) throws Exception {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Call c = call;
        st.sendResponse(response(Response.OK, request, null));
        if (c == null || !c.info.callId().equals(callId) || c.state.state() != CallState.RINGING_IN) {
            return;
        }
        c.inviteServerTx.sendResponse(response(Response.REQUEST_TERMINATED, c.inviteServerTx.getRequest(), c.localTag));
        end(c, "caller cancelled");
    }

    private void onAck(Request request) {
        Call c = call;
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (c == null || !c.info.callId().equals(callId)) {
            return;
        }
        try {
            Sdp answer = sdpOf(request);
            if (answer != null && c.rtp != null) {
                SdpNegotiator.Result res = negotiator.answered(answer, c.localHold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV);
                c.remoteHold = !res.remoteDirection().receives();
                applyMedia(c, res.media());
                updateHoldState(c, "ACK with a=" + res.remoteDirection().attribute());
            }
        } catch (SdpException e) {
            LOG.warn("call {}: unusable SDP in ACK: {}", callId, e.getMessage());
        }
    }

    private void onTimeout(ClientTransaction tx) {
        if (tx == null) {
            return;
        }
        Request r = tx.getRequest();
        String method = r.getMethod();
        if (Request.REGISTER.equals(method)) {
            registrationFailed("registrar " + config.server() + ":" + config.serverPort() + " did not answer REGISTER for "
                    + aor + " (timeout)");
            return;
        }
        Call c = call;
        if (c == null) {
            return;
        }
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        if (!c.info.callId().equals(callId)) {
            return;
        }
        if (Request.INVITE.equals(method) && tx == c.inviteTx && !c.state.state().established()) {
            failCall(c, PhoneError.Kind.CALL_FAILED, "no answer from " + c.info.remoteUri() + " (INVITE timed out)");
        } else if (Request.INVITE.equals(method) && c.pendingReinvite != Reinvite.NONE) {
            sendByeQuietly(c);
            failCall(c, PhoneError.Kind.CALL_FAILED, "the far end did not answer the " + c.pendingReinvite + " re-INVITE (timeout)");
        }
    }

    private void sendByeQuietly(Call c) {
        try {
            sendBye(c);
        } catch (Exception e) {
            LOG.debug("BYE failed: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- JAIN-SIP edge

    /** Translates JAIN-SIP callbacks into tasks on the phone thread; holds no state. */
    private final class StackListener implements SipListener {

        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            if (Request.ACK.equals(request.getMethod())) {
                handOver("ACK", () -> onAck(request));
                return;
            }
            ServerTransaction st = event.getServerTransaction();
            if (st == null) {
                try {
                    st = provider.getNewServerTransaction(request);
                } catch (TransactionAlreadyExistsException retransmission) {
                    return;
                } catch (Exception e) {
                    LOG.warn("cannot take {} from {}: {}", request.getMethod(),
                            request.getHeader(FromHeader.NAME), e.getMessage());
                    return;
                }
            }
            ServerTransaction tx = st;
            handOver(request.getMethod(), () -> onRequest(request, tx));
        }

        @Override
        public void processResponse(ResponseEvent event) {
            Response response = event.getResponse();
            ClientTransaction tx = event.getClientTransaction();
            Dialog dialog = event.getDialog();
            String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
            switch (method) {
                case Request.REGISTER -> {
                    if (tx != null) {
                        handOver("REGISTER response", () -> onRegisterResponse(response, tx.getRequest()));
                    }
                }
                case Request.INVITE -> handOver("INVITE response " + response.getStatusCode(),
                        () -> onInviteResponse(response, tx, dialog));
                default -> {
                    // BYE / CANCEL answers need nothing
                }
            }
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            ClientTransaction tx = event.isServerTransaction() ? null : event.getClientTransaction();
            handOver("timeout", () -> onTimeout(tx));
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            String message = "SIP transport error towards " + event.getHost() + ":" + event.getPort() + "/" + event.getTransport();
            handOver("IO error", () -> tell(() -> listener.error(new PhoneError(PhoneError.Kind.TRANSPORT_FAILED,
                    call != null ? call.info.callId() : null, message))));
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }
    }
}
