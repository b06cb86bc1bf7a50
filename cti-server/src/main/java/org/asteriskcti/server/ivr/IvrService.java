package org.asteriskcti.server.ivr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callers in IVR flows, by channel, on the domain loop. {@link #start} answers a caller in our
 * Stasis application and runs an {@link IvrSession} on it (through an {@link AriIvrPort});
 * {@link #onEvent} feeds the sessions Asterisk's events: DTMF (ARI's only: AMI reports the same keys),
 * the end of our playbacks, and the end of the channel. A caller handed over (queue, dialplan, hang-up)
 * is forgotten at once: from then on the ACD or the dialplan owns the channel.
 */
public final class IvrService {

    private static final Logger log = LoggerFactory.getLogger(IvrService.class);

    /** Puts a caller into our ACD's queue; throws to refuse them. */
    @FunctionalInterface
    public interface Queues {
        Object admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language,
                Map<String, Integer> skills);
    }

    /** How a tenant dials: context and prefix for external numbers ({@code tenants[].dial}). */
    public record Dial(String context, String prefix) {}

    /** One caller in a flow; the session is null until the channel is answered. */
    static final class Call {
        private final ChannelSnapshot channel;
        private final TenantId tenant;
        private final Flow flow;
        private final Optional<String> routeLanguage;
        private IvrSession session;

        Call(ChannelSnapshot channel, TenantId tenant, Flow flow, Optional<String> routeLanguage) {
            this.channel = channel;
            this.tenant = tenant;
            this.flow = flow;
            this.routeLanguage = routeLanguage;
        }

        /**
         * The language agents must speak to take this caller from a queue: the caller's, when the route set
         * one or the caller chose one other than the flow's default; none for a caller left in the flow's
         * default language (every agent of the tenant is taken to speak it: agents list only extra languages).
         */
        Optional<String> queueLanguage(String language) {
            return routeLanguage.isPresent() || !language.equals(flow.language()) ? Optional.of(language) : Optional.empty();
        }

        ChannelSnapshot channel() {
            return channel;
        }

        TenantId tenant() {
            return tenant;
        }

        Flow flow() {
            return flow;
        }
    }

    private record Playing(Call call, long number) {}

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final HttpLookupClient lookups;
    private final Queues queues;
    private final Function<TenantId, Dial> dial;
    private final Function<AgentId, Optional<String>> agentExtension;
    private final String fallbackContext;
    /** Where voicemail nodes send callers (the CTI's own voicemail); null: the dialplan's cti-voicemail. */
    private final org.asteriskcti.server.voicemail.VoicemailEntry voicemail;

    private final Map<ChannelId, Call> calls = new HashMap<>();
    private final Map<String, Playing> playbacks = new HashMap<>();
    private long started;
    private long handedOver;
    private long hungUp;

    /**
     * @param dial            the tenant's dial context and prefix (extension, external number, agent hand-overs)
     * @param agentExtension  the extension that rings an agent's phone
     * @param fallbackContext where a caller goes when the ACD refuses them ({@code routing.unrouted-inbound-context})
     */
    public IvrService(DomainLoop loop, AsteriskCommands asterisk, HttpLookupClient lookups, Queues queues,
            Function<TenantId, Dial> dial, Function<AgentId, Optional<String>> agentExtension, String fallbackContext) {
        this(loop, asterisk, lookups, queues, dial, agentExtension, fallbackContext, null);
    }

    /**
     * @param voicemail where {@code voicemail:} nodes send callers (they stay in our application); null: to the
     *                  dialplan's {@code cti-voicemail} (app_voicemail), as before the CTI had its own
     */
    public IvrService(DomainLoop loop, AsteriskCommands asterisk, HttpLookupClient lookups, Queues queues,
            Function<TenantId, Dial> dial, Function<AgentId, Optional<String>> agentExtension, String fallbackContext,
            org.asteriskcti.server.voicemail.VoicemailEntry voicemail) {
        this.voicemail = voicemail;
        this.loop = loop;
        this.asterisk = asterisk;
        this.lookups = lookups;
        this.queues = queues;
        this.dial = dial;
        this.agentExtension = agentExtension;
        this.fallbackContext = fallbackContext;
    }

    /**
     * A caller in our Stasis app enters {@code flow}: answered first, then the flow's entry node runs.
     *
     * @param language the route's language, if it sets one; else the flow's
     */
    public void start(ChannelSnapshot caller, TenantId tenant, Flow flow, Optional<String> language) {
        loop.assertInLoop();
        if (calls.containsKey(caller.id())) {
            throw new IllegalStateException("ivr " + caller.id() + " is already in a flow");
        }
        Call call = new Call(caller, tenant, flow, language);
        calls.put(caller.id(), call);
        started++;
        log.info("ivr {} from {}: enters flow {}", caller.id(), caller.caller().number(), flow);
        asterisk.answer(caller.id()).whenCompleteAsync((ok, e) -> {
            if (calls.get(caller.id()) != call) {
                return; // hung up meanwhile
            }
            if (e != null) {
                log.warn("ivr {}: answer failed ({}); the caller is dropped", caller.id(), e.getMessage());
                calls.remove(caller.id());
                return;
            }
            call.session = IvrSession.start(flow, new AriIvrPort(this, call, asterisk, loop), loop,
                    caller.id().value(), caller.caller().number(), language);
        }, loop);
    }

    /** Called on the domain loop for every event. */
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.DtmfReceived d) {
            onDtmf(d);
        } else if (event instanceof AsteriskEvent.PlaybackChanged p) {
            onPlayback(p);
        } else if (event instanceof AsteriskEvent.ChannelHungUp h) {
            gone(h.channel(), "hung up");
        } else if (event instanceof AsteriskEvent.StasisEnded s) {
            gone(s.channel(), "left the application");
        }
    }

    private void onDtmf(AsteriskEvent.DtmfReceived d) {
        if (d.meta().source() != Source.ARI) {
            return; // the same key comes over ARI for a channel in our application
        }
        Call call = calls.get(d.channel());
        if (call != null && call.session != null) {
            call.session.digit(d.digit());
        }
    }

    private void onPlayback(AsteriskEvent.PlaybackChanged p) {
        if (p.state() == PlaybackState.FINISHED || p.state() == PlaybackState.FAILED) {
            if (p.state() == PlaybackState.FAILED) {
                log.warn("ivr playback {} ({}) failed", p.playbackId(), p.media());
            }
            playbackEnded(p.playbackId());
        }
    }

    private void gone(ChannelId channel, String why) {
        Call call = calls.remove(channel);
        if (call == null) {
            return;
        }
        hungUp++;
        playbacks.values().removeIf(pl -> pl.call() == call);
        log.info("ivr {}: {} in the flow", channel, why);
        if (call.session != null) {
            call.session.hungUp();
        }
    }

    // ---- for the ports -----------------------------------------------------------------------------------

    void playing(String playbackId, Call call, long number) {
        playbacks.put(playbackId, new Playing(call, number));
    }

    void playbackEnded(String playbackId) {
        Playing p = playbacks.remove(playbackId);
        if (p != null && calls.get(p.call().channel().id()) == p.call() && p.call().session != null) {
            p.call().session.promptFinished(p.number());
        }
    }

    void handedOver(Call call) {
        if (calls.remove(call.channel().id(), call)) {
            handedOver++;
        }
        playbacks.values().removeIf(pl -> pl.call() == call);
    }

    HttpLookupClient lookups() {
        return lookups;
    }

    Queues queues() {
        return queues;
    }

    String fallbackContext() {
        return fallbackContext;
    }

    /** The CTI's voicemail, or null (the dialplan's). */
    org.asteriskcti.server.voicemail.VoicemailEntry voicemail() {
        return voicemail;
    }

    String dialContext(TenantId tenant) {
        return dial.apply(tenant).context();
    }

    String dialPrefix(TenantId tenant) {
        return dial.apply(tenant).prefix();
    }

    Optional<String> agentExtension(AgentId agent) {
        return agentExtension.apply(agent);
    }

    // ---- reading -----------------------------------------------------------------------------------------

    /** The session of a caller in a flow (empty before the answer, and once they left it). */
    public Optional<IvrSession> session(ChannelId channel) {
        Call c = calls.get(channel);
        return c == null ? Optional.ofNullable(null) : Optional.ofNullable(c.session);
    }

    public boolean inFlow(ChannelId channel) {
        return calls.containsKey(channel);
    }

    public int active() {
        return calls.size();
    }

    public long started() {
        return started;
    }

    public long handedOver() {
        return handedOver;
    }

    public long hungUp() {
        return hungUp;
    }
}
