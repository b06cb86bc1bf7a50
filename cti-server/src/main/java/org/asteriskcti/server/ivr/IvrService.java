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
 *
 * <p>Crash-safe: each caller's {@link IvrPosition} is kept on their channel; at every ARI resync
 * ({@link #onEvent} with the channel list) a caller we do not know but whose channel holds a position is
 * taken back into the current version of that flow at that node (the flow's safe node when the node is
 * gone), with what the flow had learnt of them. A position naming no flow we have, or unreadable, sends
 * the caller to the dialplan fallback. Callers who went while ARI was down leave their flows.
 */
public final class IvrService {

    private static final Logger log = LoggerFactory.getLogger(IvrService.class);

    /** Puts a caller into our ACD's queue, with what the flow learnt for the agent's screen; throws to refuse them. */
    @FunctionalInterface
    public interface Queues {
        Object admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language,
                Map<String, Integer> skills, CallData data, Optional<AgentId> onlyAgent);
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
        /** How many times the session was started again at its node (a prompt's end lost with the ARI link). */
        private int generation;

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

        /** The flow version this caller runs (the one they started with). */
        Flow flow() {
            return session != null ? session.flow() : flow;
        }

        TenantId tenant() {
            return tenant;
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
    private final java.util.function.Supplier<IvrCatalog> catalog;
    private final String prefix;
    private final String promptRoot;
    /** Where voicemail nodes send callers (the CTI's own voicemail); null: the dialplan's cti-voicemail. */
    private final org.asteriskcti.server.voicemail.VoicemailEntry voicemail;

    private final Map<ChannelId, Call> calls = new HashMap<>();
    private final Map<String, Playing> playbacks = new HashMap<>();
    // Written on the loop only, read by metrics scrapes.
    private volatile long started;
    private volatile long handedOver;
    private volatile long hungUp;
    private volatile long resumed;
    private volatile long playbacksFailed;
    private java.util.function.BiConsumer<TenantId, String> outcomes = (t, o) -> {};

    /**
     * @param dial            the tenant's dial context and prefix (extension, external number, agent hand-overs)
     * @param agentExtension  the extension that rings an agent's phone
     * @param fallbackContext where a caller goes when the ACD refuses them ({@code routing.unrouted-inbound-context})
     * @param catalog         the flows now (a reload swaps them), for callers taken back after a restart
     * @param prefix          this process's mark in playback ids, so that a playback of the process before
     *                        (still running on a caller when we take them back) is never taken for ours
     * @param promptRoot      the IVR directory as Asterisk sees it ({@code ivr.asterisk-dir}): tenant files are
     *                        played from {@code <promptRoot>/<tenant>/prompts/}
     */
    public IvrService(DomainLoop loop, AsteriskCommands asterisk, HttpLookupClient lookups, Queues queues,
            Function<TenantId, Dial> dial, Function<AgentId, Optional<String>> agentExtension, String fallbackContext,
            java.util.function.Supplier<IvrCatalog> catalog, String prefix, String promptRoot) {
        this(loop, asterisk, lookups, queues, dial, agentExtension, fallbackContext, catalog, prefix, promptRoot, null);
    }

    /**
     * @param voicemail where {@code voicemail:} nodes send callers (they stay in our application); null: to the
     *                  dialplan's {@code cti-voicemail} (app_voicemail), as before the CTI had its own
     */
    public IvrService(DomainLoop loop, AsteriskCommands asterisk, HttpLookupClient lookups, Queues queues,
            Function<TenantId, Dial> dial, Function<AgentId, Optional<String>> agentExtension, String fallbackContext,
            java.util.function.Supplier<IvrCatalog> catalog, String prefix, String promptRoot,
            org.asteriskcti.server.voicemail.VoicemailEntry voicemail) {
        this.voicemail = voicemail;
        this.loop = loop;
        this.asterisk = asterisk;
        this.lookups = lookups;
        this.queues = queues;
        this.dial = dial;
        this.agentExtension = agentExtension;
        this.fallbackContext = fallbackContext;
        this.catalog = catalog;
        this.prefix = prefix;
        this.promptRoot = promptRoot.endsWith("/") ? promptRoot.substring(0, promptRoot.length() - 1) : promptRoot;
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
        } else if (event instanceof AsteriskEvent.ResyncSnapshot r && r.meta().source() == Source.ARI) {
            resync(r);
        }
    }

    /** Asterisk's truth after an ARI (re)connect: callers gone meanwhile leave; callers of a CTI before us resume. */
    private void resync(AsteriskEvent.ResyncSnapshot r) {
        java.util.Set<ChannelId> listed = new java.util.HashSet<>();
        r.channels().forEach(ch -> listed.add(ch.id()));
        for (ChannelId c : java.util.List.copyOf(calls.keySet())) {
            if (!listed.contains(c)) {
                gone(c, "went while ARI was down");
            }
        }
        for (Call c : java.util.List.copyOf(calls.values())) {
            if (c.session != null && c.session.state() == IvrState.PLAYING) {
                replay(c);
            }
        }
        for (ChannelSnapshot ch : r.channels()) {
            if (!calls.containsKey(ch.id())) {
                takeBack(ch);
            }
        }
    }

    /**
     * A caller whose prompt was playing while the ARI link was down: its end may have been lost with the link,
     * which would leave them in silence for good. The prompt is stopped and their node starts again (the prompt
     * from its beginning), with what the flow learnt kept.
     */
    private void replay(Call c) {
        IvrPosition at = c.session.position();
        java.util.List<String> stale = playbacks.entrySet().stream().filter(e -> e.getValue().call() == c)
                .map(Map.Entry::getKey).toList();
        stale.forEach(id -> {
            playbacks.remove(id);
            asterisk.stopPlayback(id).exceptionally(x -> null); // 404 when it had ended: nothing to stop
        });
        c.generation++;
        log.info("ivr {}: the ARI link went while a prompt played at {}; the node starts again", c.channel().id(), at.node());
        c.session = IvrSession.resume(c.session.flow(), at, new AriIvrPort(this, c, asterisk, loop), loop,
                c.channel().id().value(), c.channel().caller().number());
    }

    private void takeBack(ChannelSnapshot ch) {
        String raw = ch.var(AriIvrPort.POSITION_VAR);
        Optional<IvrPosition> kept;
        try {
            kept = IvrPosition.parse(raw);
        } catch (IllegalArgumentException e) {
            log.warn("ivr {}: {} is unreadable ({}); dialplan fallback {}", ch.id(), AriIvrPort.POSITION_VAR, e.getMessage(),
                    fallbackContext);
            asterisk.continueInDialplan(ch.id(), fallbackContext, ch.exten(), 1).exceptionally(x -> null);
            return;
        }
        if (kept.isEmpty()) {
            return;
        }
        if (!blank(ch.var(QUEUE_ENTRY_VAR)) || !blank(ch.var(CONVERSATION_VAR)) || !blank(ch.var(SURVEY_VAR))
                || !blank(ch.var(VOICEMAIL_MSG_VAR))) {
            // Handed to the ACD (or on to call control, a survey or voicemail) just before the CTI went (the clearing of the
            // position had not landed): they own the caller now, and take them back themselves.
            log.info("ivr {}: left the flow for the ACD, a conversation or a survey before the restart; not taken back", ch.id());
            return;
        }
        IvrPosition at = kept.get();
        Optional<Flow> flow = catalog.get().flow(at.tenant(), at.flow());
        if (flow.isEmpty()) {
            log.warn("ivr {}: was in flow {} of tenant {}, which is no more; dialplan fallback {}", ch.id(), at.flow(),
                    at.tenant(), fallbackContext);
            asterisk.continueInDialplan(ch.id(), fallbackContext, ch.exten(), 1).exceptionally(x -> null);
            return;
        }
        Call call = new Call(ch, at.tenant(), flow.get(), Optional.empty());
        calls.put(ch.id(), call);
        resumed++;
        if (!flow.get().version().equals(at.version())) {
            log.info("ivr {}: was in version {} of flow {}; resumes in the current one", ch.id(), at.version(), flow.get());
        }
        call.session = IvrSession.resume(flow.get(), at, new AriIvrPort(this, call, asterisk, loop), loop,
                ch.id().value(), ch.caller().number());
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
            if (p.state() == PlaybackState.FAILED && playbacks.containsKey(p.playbackId())) {
                log.warn("ivr playback {} ({}) failed", p.playbackId(), p.media());
                playbacksFailed++;
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
        outcomes.accept(call.tenant(), "caller_hung_up");
        playbacks.values().removeIf(pl -> pl.call() == call);
        log.info("ivr {}: {} in the flow", channel, why);
        if (call.session != null) {
            call.session.hungUp();
        }
    }

    /**
     * Told of every caller leaving a flow, with their tenant and how: the terminal node's kind (queue, agent,
     * extension, external, voicemail, hangup) or {@code caller_hung_up}. Set once at wiring (metrics).
     */
    public void onOutcome(java.util.function.BiConsumer<TenantId, String> listener) {
        this.outcomes = listener;
    }

    /** The channel variables of the ACD's queue entry and of call control's conversations (owners after the IVR). */
    static final String QUEUE_ENTRY_VAR = "CTI_QUEUE_ENTRY";
    static final String CONVERSATION_VAR = "CTI_CONVERSATION";
    static final String SURVEY_VAR = "CTI_SURVEY";
    static final String VOICEMAIL_MSG_VAR = "CTI_VOICEMAIL_MSG";

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    // ---- for the ports -----------------------------------------------------------------------------------

    /** The ARI media of a tenant's prompt file for this flow and language (an absolute path Asterisk reads). */
    String promptMedia(Flow flow, String name, String language) {
        return "sound:" + promptRoot + "/" + flow.tenant().value() + "/" + FlowLoader.PROMPTS_DIR + "/"
                + flow.promptFile(name, language);
    }

    /** The ARI playback id of a call's playback {@code n}: {@code ivr-<process>-<channel>-<n>}. */
    String playbackId(Call call, long n) {
        return "ivr-" + prefix + "-" + call.channel().id().value() + (call.generation == 0 ? "" : "-g" + call.generation)
                + "-" + n;
    }

    void playing(String playbackId, Call call, long number) {
        playbacks.put(playbackId, new Playing(call, number));
    }

    void playbackEnded(String playbackId) {
        Playing p = playbacks.remove(playbackId);
        if (p != null && calls.get(p.call().channel().id()) == p.call() && p.call().session != null) {
            p.call().session.promptFinished(p.number());
        }
    }

    /** The caller left the flow at a terminal node of {@code kind} (queue, agent, extension, external, voicemail, hangup). */
    void handedOver(Call call, String kind) {
        if (calls.remove(call.channel().id(), call)) {
            handedOver++;
            outcomes.accept(call.tenant(), kind);
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

    /** The tenant's callers in flows now: flow id → version → how many (a reload leaves callers on their version). */
    public Map<String, Map<String, Integer>> callersByFlow(TenantId tenant) {
        Map<String, Map<String, Integer>> out = new java.util.TreeMap<>();
        for (Call c : calls.values()) {
            if (c.tenant().equals(tenant)) {
                Flow f = c.session != null ? c.session.flow() : c.flow;
                out.computeIfAbsent(f.id().value(), k -> new java.util.TreeMap<>()).merge(f.version(), 1, Integer::sum);
            }
        }
        return out;
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

    /** Our playbacks Asterisk could not play (a sound or tenant file missing, or not readable by Asterisk). */
    public long playbacksFailed() {
        return playbacksFailed;
    }

    /** Callers taken back into their flows after a CTI restart. */
    public long resumed() {
        return resumed;
    }
}
