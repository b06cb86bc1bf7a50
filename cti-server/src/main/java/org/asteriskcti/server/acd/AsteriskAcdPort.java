package org.asteriskcti.server.acd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.agent.AgentStateChanged;
import org.asteriskcti.server.agent.RingFailure;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskCommands.BridgeKind;
import org.asteriskcti.server.asterisk.AsteriskCommands.HangupCause;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.BridgeSnapshot;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.ChannelState;
import org.asteriskcti.server.asterisk.DeviceState;
import org.asteriskcti.server.asterisk.LinkState;
import org.asteriskcti.server.asterisk.Party;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.BridgeId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.voicemail.Mailbox;
import org.asteriskcti.server.voicemail.Origin;
import org.asteriskcti.server.voicemail.VoicemailEntry;
import org.asteriskcti.server.voicemail.VoicemailRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD's hands and ears on Asterisk (ARI): turns the {@link AcdService}'s commands into Asterisk
 * commands and Asterisk's events about the callers and agent legs it placed back into ACD inputs.
 * Everything here runs on the domain loop; Asterisk answers come back onto it.
 *
 * <p>How a call goes (as traced in ari-08/09/10 on Asterisk 22):
 * <ol>
 *   <li>{@link #admit}: the caller, in our Stasis app, is queued at once (so an agent may be rung while
 *       the rest happens), answered, given {@value #ENTRY_VAR} (everything needed to rebuild the entry
 *       after a CTI restart) and put into the queue's holding bridge {@code acd-hold-<queue>} with its
 *       music on hold (started again each time the bridge gets a caller after being empty: Asterisk stops
 *       the bridge's music when the last caller leaves).</li>
 *   <li>{@link #ringAgent}: {@code POST /channels} to the agent's endpoint into our app with
 *       {@code appArgs=agent,<entry>}, the caller as originator and caller id, and {@value #LEG_VAR} on the
 *       leg. Its StasisStart means answered; a ChannelDestroyed (or AMI Hangup) before that means busy
 *       (cause 17), no answer (18/19), declined (21) or failed.</li>
 *   <li>{@link #bridge}: a mixing bridge {@code acd-mix-<leg>}, the caller moved into it (from the
 *       holding bridge, in one request), then the agent leg.</li>
 *   <li>Either side hanging up ends the call: the other side is hung up and the mixing bridge destroyed.</li>
 * </ol>
 * Every Asterisk request for one caller goes out in order (one chain per caller), so a fast agent
 * answer can never move the caller to the mixing bridge before the holding bridge took them.
 *
 * <p>After a restart the first ARI resync lists our channels with their {@value #ENTRY_VAR} /
 * {@value #LEG_VAR} (ari.conf {@code channelvars}): waiting callers are re-queued in their original
 * order, calls in progress given back to their agents, half-made offers hung up (their callers wait
 * again).
 */
public final class AsteriskAcdPort implements AcdPort {

    private static final Logger log = LoggerFactory.getLogger(AsteriskAcdPort.class);

    /** On a queued caller's channel: the entry, URL-form encoded ({@link EntryRecord}). */
    public static final String ENTRY_VAR = "CTI_QUEUE_ENTRY";
    /** On an agent leg: {@code entry=..&agent=..&caller=..}. */
    public static final String LEG_VAR = "CTI_AGENT_LEG";
    /** Set by call control on the parties of a conversation it took over (see {@code CallControl}). */
    static final String CONVERSATION_VAR = "CTI_CONVERSATION";
    /** Set by the post-call survey on a customer whose call is over ({@code survey.SurveyService}). */
    static final String SURVEY_VAR = "CTI_SURVEY";
    /** The tenant of the call, on both legs (the call model reads it). */
    public static final String TENANT_VAR = "CTI_TENANT";
    /** Stasis argument of an agent leg: {@code agent,<entry>}. */
    public static final String AGENT_ARG = "agent";
    /** Stasis argument of a callback's customer leg: {@code callback,<entry>}. */
    public static final String CALLBACK_ARG = "callback";
    /** What a caller hears after pressing the callback key, before the line is closed (dialplan Playback). */
    static final String CALLBACK_CONFIRMATION = "auth-thankyou&vm-goodbye";
    /** Dialplan contexts an overflowing caller is sent to (asterisk-config/extensions.conf). */
    public static final String VOICEMAIL_CONTEXT = "cti-voicemail";
    public static final String MESSAGE_CONTEXT = "cti-message";
    /** Extra ring time Asterisk allows beyond the ACD's own ring timer, which cancels first. */
    private static final Duration ORIGINATE_SLACK = Duration.ofSeconds(5);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final AcdListener listener;
    private final Map<AgentId, String> endpointOf;
    private final Map<String, AgentId> agentAt = new HashMap<>();
    private final String legPrefix;
    private final String callbackContext;
    /** Callback entries (by the channel id standing for the customer) and the customer legs dialled for them. */
    private final Map<ChannelId, Callback> callbacks = new HashMap<>();
    private final Map<ChannelId, Callback> dialling = new HashMap<>();
    private AcdService acd;
    /** Who takes connected calls over (call control); null: this port ends a call when either side hangs up. */
    private ConnectedCalls handoff;

    /** Takes over an ACD call once caller and agent are bridged (transfers, conference, recording...). */
    public interface ConnectedCalls {
        /**
         * @param ready completes when the ACD's requests for this caller (bridge, moves) are done
         */
        void connected(BridgeId mixing, EntryView entry, ChannelId caller, Party party, ChannelId agentLeg, AgentId agent,
                CompletableFuture<Void> ready);
    }

    /**
     * From now on connected calls are handed to {@code handoff}, which then decides when the call ends;
     * this port only tells the ACD when the caller or the agent's leg hangs up.
     */
    public void handOffConnected(ConnectedCalls handoff) {
        this.handoff = handoff;
    }

    /** The CTI's own voicemail; null: overflowing callers go to the dialplan's {@value #VOICEMAIL_CONTEXT}. */
    private VoicemailEntry voicemail;

    /**
     * From now on a queue overflowing to voicemail hands its callers to {@code voicemail} (they stay in our
     * application) instead of the dialplan's {@value #VOICEMAIL_CONTEXT}.
     */
    public void sendToVoicemail(VoicemailEntry voicemail) {
        this.voicemail = voicemail;
    }

    private final Map<ChannelId, Caller> callers = new HashMap<>();
    private final Map<ChannelId, Leg> legs = new HashMap<>();
    private final Map<EntryId, Leg> legOfEntry = new HashMap<>();
    private final Map<QueueId, Holding> holding = new HashMap<>();
    private final Map<String, ChannelId> announcements = new HashMap<>();
    private final Map<AgentId, Boolean> otherCall = new HashMap<>();
    private final Map<AgentId, Boolean> phoneOnline = new HashMap<>();
    private boolean phonesRead;
    private boolean resynced;
    private boolean agentsRestored;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong playbackSeq = new AtomicLong();
    // Written on the loop, read by the metrics scrape.
    private volatile long announcementsPlayed;
    private volatile long restoredWaiting;
    private volatile long restoredConnected;

    /**
     * @param endpointOf each agent's phone, e.g. {@code PJSIP/1001}
     * @param bootId     makes this process's leg ids unique across restarts (e.g. start time in base 36)
     */
    public AsteriskAcdPort(DomainLoop loop, AsteriskCommands asterisk, AcdListener listener,
            Map<AgentId, String> endpointOf, String bootId) {
        this(loop, asterisk, listener, endpointOf, bootId, "from-internal");
    }

    /** @param callbackContext where a callback's customer is dialled: {@code Local/<number>@<context>} */
    public AsteriskAcdPort(DomainLoop loop, AsteriskCommands asterisk, AcdListener listener,
            Map<AgentId, String> endpointOf, String bootId, String callbackContext) {
        this.callbackContext = callbackContext;
        this.loop = loop;
        this.asterisk = asterisk;
        this.listener = listener;
        this.endpointOf = Map.copyOf(endpointOf);
        endpointOf.forEach((agent, endpoint) -> agentAt.put(endpoint, agent));
        this.legPrefix = "acd-" + bootId + "-";
    }

    /** Told after an agent's phone went online or offline (an AcdService call that may publish nothing itself). */
    public void onPhoneChange(java.util.function.Consumer<AgentId> listener) {
        this.phoneChange = listener;
    }

    private java.util.function.Consumer<AgentId> phoneChange = agent -> { };

    /** The ACD this port serves (set once, right after both are built). */
    public void attach(AcdService acd) {
        if (this.acd != null) {
            throw new IllegalStateException("already attached");
        }
        this.acd = acd;
    }

    // ---- callers in -----------------------------------------------------------------------------------

    /**
     * A caller in our Stasis app routed to {@code queue}: queued now, then answered, marked and put on
     * hold. A refused caller (unknown queue...) is not answered here; the caller of this method decides.
     *
     * @throws AcdException when the ACD refuses the caller
     */
    public EntryId admit(ChannelSnapshot channel, QueueId queue) {
        return admit(channel, queue, 0, Optional.empty());
    }

    /** As {@link #admit(ChannelSnapshot, QueueId)} with a priority (higher first) and the caller's language. */
    public EntryId admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language) {
        return admit(channel, queue, priority, language, Map.of());
    }

    /**
     * As {@link #admit(ChannelSnapshot, QueueId, int, Optional)} with skills the caller needs on top of
     * the queue's (skill → minimum level; an IVR flow's queue node).
     */
    public EntryId admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language,
            Map<String, Integer> skills) {
        return admit(channel, queue, priority, language, skills,
                ScreenPop.caller(channel.caller().number(), channel.caller().name()));
    }

    /**
     * As {@link #admit(ChannelSnapshot, QueueId, int, Optional, Map)} with what the agent's screen shows
     * (an IVR flow's findings).
     */
    public EntryId admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language,
            Map<String, Integer> skills, ScreenPop screenPop) {
        return admit(channel, queue, priority, language, skills, screenPop, Optional.empty());
    }

    /**
     * As {@link #admit(ChannelSnapshot, QueueId, int, Optional, Map, ScreenPop)} for {@code onlyAgent} alone
     * when present (an IVR's agent node: the caller waits in {@code queue} until that agent takes them).
     */
    public EntryId admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language,
            Map<String, Integer> skills, ScreenPop screenPop, Optional<AgentId> onlyAgent) {
        return admit(channel, queue, priority, language, skills, screenPop, onlyAgent, Optional.empty());
    }

    /**
     * As {@link #admit(ChannelSnapshot, QueueId, int, Optional, Map, ScreenPop, Optional)}, logging {@code did}
     * (the number the caller dialled that routed them here) with their {@code Entered} for the reports per DID.
     */
    public EntryId admit(ChannelSnapshot channel, QueueId queue, int priority, Optional<String> language,
            Map<String, Integer> skills, ScreenPop screenPop, Optional<AgentId> onlyAgent, Optional<String> did) {
        loop.assertInLoop();
        Caller c = new Caller(channel.id(), channel.caller());
        c.language = language.orElse(null);
        c.skills = Map.copyOf(skills);
        c.onlyAgent = onlyAgent.orElse(null);
        callers.put(c.channel, c);
        // First in the caller's chain: everything else (holding bridge, variables) needs an answered channel.
        step(c, "answer", () -> asterisk.answer(c.channel));
        try {
            EnqueueRequest r = EnqueueRequest.newCaller(channel.id(), queue, loop.clock().instant()).withPriority(priority)
                    .withScreenPop(screenPop).withDid(did.orElse(null));
            if (onlyAgent.isPresent()) {
                r = r.onlyFor(onlyAgent.get());
            }
            if (!skills.isEmpty()) {
                r = r.withSkills(skills);
            }
            return acd.enqueue(language.map(r::withLanguage).orElse(r));
        } catch (RuntimeException e) {
            forgetCaller(c);
            throw e;
        }
    }

    /**
     * A customer of a conversation transferred into {@code queue} (blind transfer): if the ACD still has
     * them connected to an agent, that entry ends now (the agent goes to wrap-up; the leg is hung up by
     * the caller of this method); then they wait in {@code queue} from their first {@code arrival}, which
     * orders the queue and measures their wait.
     */
    public EntryId transferIn(ChannelId customer, Party party, QueueId queue, Instant arrival) {
        loop.assertInLoop();
        Caller old = callers.get(customer);
        // What the first agent's screen showed goes with the caller to the next one.
        ScreenPop pop = old != null && old.record != null ? old.record.screenPop : ScreenPop.caller(party.number(), party.name());
        if (old != null && old.leg != null && old.leg.bridged) {
            Leg leg = old.leg;
            legs.remove(leg.channel, leg);
            legOfEntry.remove(leg.entry, leg);
            forgetCaller(old);
            log.info("caller {} transferred by agent {} to queue {}: entry {} is over", customer, leg.agent, queue, leg.entry);
            acd.agentLegHungUp(leg.entry, leg.agent);
        } else if (old != null) {
            throw new AcdException(AcdError.ALREADY_QUEUED, "caller " + customer + " is already waiting in a queue",
                    Map.of("caller", customer.value()));
        }
        Caller c = new Caller(customer, party);
        callers.put(c.channel, c);
        try {
            return acd.enqueue(new EnqueueRequest(customer, queue, 0, Map.of(), Optional.empty(), arrival,
                    EntryOrigin.TRANSFERRED, pop));
        } catch (RuntimeException e) {
            forgetCaller(c);
            throw e;
        }
    }

    // ---- AcdPort: commands ------------------------------------------------------------------------------

    @Override
    public void ringAgent(EntryView entry, AgentId agent, Duration ringTimeout) {
        Caller c = callers.get(entry.caller());
        String endpoint = endpointOf.get(agent);
        ChannelId legId = ChannelId.of(legPrefix + seq.incrementAndGet());
        Leg leg = new Leg(legId, entry.id(), agent, entry.caller());
        legs.put(legId, leg);
        legOfEntry.put(entry.id(), leg);
        if (endpoint == null) {
            log.warn("entry {}: agent {} has no phone endpoint configured; offer fails", entry.id(), agent);
            loop.execute(() -> legFailed(leg, RingFailure.FAILED, "no endpoint"));
            return;
        }
        Callback cb = callbacks.get(entry.caller());
        Party party = c != null ? c.party : cb != null ? cb.party : Party.EMPTY;
        Map<String, String> vars = new LinkedHashMap<>();
        Map<String, String> legRecord = new LinkedHashMap<>();
        legRecord.put("entry", entry.id().value());
        legRecord.put("agent", agent.value());
        legRecord.put("caller", entry.caller().value());
        vars.put(LEG_VAR, EntryRecord.form(legRecord));
        vars.put(TENANT_VAR, entry.tenant().value());
        AsteriskCommands.Originate o = new AsteriskCommands.Originate(legId, endpoint, List.of(AGENT_ARG,
                entry.id().value().replace(',', '_')), cb != null ? null : entry.caller(), callerId(party),
                ringTimeout.plus(ORIGINATE_SLACK), vars);
        log.info("entry {}: ringing agent {} at {} (leg {}, {}s)", entry.id(), agent, endpoint, legId, ringTimeout.toSeconds());
        asterisk.originate(o).whenCompleteAsync((ok, err) -> {
            if (err != null && legs.get(legId) == leg && !leg.answered) {
                log.warn("entry {}: could not ring agent {} at {}: {}", entry.id(), agent, endpoint, describe(err));
                legFailed(leg, RingFailure.FAILED, "originate failed");
            }
        }, loop);
    }

    @Override
    public void cancelRing(EntryView entry, AgentId agent) {
        Leg leg = legOfEntry.get(entry.id());
        if (leg == null || !leg.agent.equals(agent) || leg.cancelled) {
            return;
        }
        leg.cancelled = true;
        // Ring timeout or agent withdrawn: Q.850 19 "no answer" on the leg; caller gone: normal clearing.
        HangupCause cause = entry.state() == EntryState.ABANDONED ? HangupCause.NORMAL : HangupCause.NO_ANSWER;
        log.info("entry {}: cancelling the ring at agent {} (leg {}, {})", entry.id(), agent, leg.channel, cause);
        asterisk.hangup(leg.channel, cause).whenCompleteAsync((ok, err) -> {
            if (err != null && !notFound(err)) {
                log.warn("could not cancel leg {}: {}", leg.channel, describe(err));
            }
        }, loop);
    }

    @Override
    public void bridge(EntryView entry, AgentId agent) {
        Leg leg = legOfEntry.get(entry.id());
        Caller c = callers.get(entry.caller());
        Callback cb = callbacks.get(entry.caller());
        if (leg != null && cb != null) {
            dialCustomer(entry, leg, cb);
            return;
        }
        if (leg == null || c == null) {
            log.warn("entry {}: asked to bridge agent {} without a known leg/caller", entry.id(), agent);
            return;
        }
        leg.bridged = true;
        BridgeId mix = BridgeId.of("acd-mix-" + leg.channel.value());
        c.mixing = mix;
        c.leg = leg;
        leaveHolding(c);
        step(c, "create mixing bridge", () -> asterisk.createBridge(mix, BridgeKind.MIXING));
        step(c, "move caller to mixing bridge", () -> asterisk.addToBridge(mix, c.channel));
        step(c, "add agent leg to mixing bridge", () -> asterisk.addToBridge(mix, leg.channel));
        if (c.record != null) {
            c.record = c.record.connected(agent, loop.clock().instant());
            String value = c.record.encode();
            step(c, "mark caller connected", () -> asterisk.setVariable(c.channel, ENTRY_VAR, value));
        }
        if (handoff != null) {
            handoff.connected(mix, entry, c.channel, c.party, leg.channel, agent, c.chain);
        }
    }

    @Override
    public void playPosition(EntryView entry, int position, Duration estimatedWait) {
        Caller c = callers.get(entry.caller());
        if (c == null) {
            return;
        }
        String playback = legPrefix + "pos-" + playbackSeq.incrementAndGet();
        List<String> media = announcement(position, estimatedWait);
        announcements.put(playback, c.channel);
        log.info("entry {}: announcing position {} and wait {}s ({})", entry.id(), position, estimatedWait.toSeconds(), media);
        step(c, "announce position", () -> asterisk.play(c.channel, playback, media));
    }

    /** What a caller hears: their position, then the estimated wait in whole minutes (rounded up). */
    static List<String> announcement(int position, Duration estimatedWait) {
        List<String> media = new ArrayList<>();
        if (position <= 1) {
            media.add("sound:queue-youarenext");
        } else {
            media.add("sound:queue-thereare");
            media.add("number:" + position);
            media.add("sound:queue-callswaiting");
        }
        if (estimatedWait.compareTo(Duration.ofSeconds(30)) >= 0) {
            long minutes = Math.max(1, (estimatedWait.toSeconds() + 59) / 60);
            media.add("sound:queue-holdtime");
            media.add("number:" + minutes);
            media.add(minutes == 1 ? "sound:queue-minute" : "sound:queue-minutes");
        }
        return media;
    }

    @Override
    public void overflow(EntryView entry, OverflowTarget target) {
        Caller c = callers.get(entry.caller());
        if (c == null) {
            return;
        }
        if (target instanceof OverflowTarget.ToQueue to) {
            // The ACD re-admits the caller into the other queue; our entry record follows in entryChanged.
            leaveHolding(c);
            joinHolding(c, to.queue());
            return;
        }
        if (target instanceof OverflowTarget.ToVoicemail vm && voicemail != null) {
            toVoicemail(c, entry, vm);
            return;
        }
        String context;
        String var;
        String value;
        if (target instanceof OverflowTarget.ToVoicemail vm) {
            context = VOICEMAIL_CONTEXT;
            var = "CTI_VOICEMAIL";
            value = vm.mailbox();
        } else {
            OverflowTarget.HangupWithMessage m = (OverflowTarget.HangupWithMessage) target;
            context = MESSAGE_CONTEXT;
            var = "CTI_MESSAGE";
            value = m.prompt();
        }
        BridgeId from = c.holding == null ? null : holdingBridge(c.holding);
        leaveHolding(c);
        forgetCaller(c);
        log.info("entry {}: overflow to {} (dialplan {},s,1)", entry.id(), target, context);
        step(c, "set " + var, () -> asterisk.setVariable(c.channel, var, value));
        if (from != null) {
            step(c, "leave holding bridge", () -> asterisk.removeFromBridge(from, c.channel)
                    .exceptionally(e -> null));
        }
        step(c, "continue to " + context, () -> asterisk.continueInDialplan(c.channel, context, "s", 1));
    }

    /**
     * Out of the queue into the CTI's voicemail: the entry is taken off the channel (a restarted CTI must not queue
     * the caller again), the caller leaves the holding bridge, then — once Asterisk did both — leaves a message.
     */
    private void toVoicemail(Caller c, EntryView entry, OverflowTarget.ToVoicemail vm) {
        BridgeId from = c.holding == null ? null : holdingBridge(c.holding);
        leaveHolding(c);
        forgetCaller(c);
        log.info("entry {}: overflow to voicemail box {} (CTI voicemail)", entry.id(), vm.mailbox());
        step(c, "forget the entry", () -> asterisk.setVariable(c.channel, ENTRY_VAR, ""));
        if (from != null) {
            step(c, "leave holding bridge", () -> asterisk.removeFromBridge(from, c.channel).exceptionally(e -> null));
        }
        VoicemailRequest request = new VoicemailRequest(c.channel, c.party, entry.tenant(), Mailbox.of(vm.mailbox()),
                Origin.queue(entry.queue().value()));
        c.chain.whenCompleteAsync((x, e) -> voicemail.leave(request), loop);
    }

    // ---- AcdListener ------------------------------------------------------------------------------------

    @Override
    public void agentStateChanged(AgentStateChanged change) {
        listener.agentStateChanged(change);
    }

    @Override
    public void entryChanged(EntryChanged change) {
        EntryView e = change.entry();
        Caller c = callers.get(e.caller());
        if (c != null && change.from() == null) {
            // A new entry (a new caller, an overflow into another queue, a restore): remember it on the channel.
            c.record = EntryRecord.of(e, c.record, c.language, c.skills, c.onlyAgent);
            String value = c.record.encode();
            if (e.origin() != EntryOrigin.RESTORED) {
                if (c.holding == null && c.mixing == null) {
                    joinHolding(c, e.queue());
                }
                step(c, "remember the entry", () -> asterisk.setVariable(c.channel, ENTRY_VAR, value));
                step(c, "tag the tenant", () -> asterisk.setVariable(c.channel, TENANT_VAR, e.tenant().value()));
            }
        }
        listener.entryChanged(change);
    }

    // ---- Asterisk events --------------------------------------------------------------------------------

    /** Every Asterisk event, on the loop, after the call model has applied it. */
    public void onEvent(AsteriskEvent event) {
        if (acd == null) {
            return;
        }
        if (event instanceof AsteriskEvent.StasisStarted s) {
            if (!s.args().isEmpty() && AGENT_ARG.equals(s.args().get(0))) {
                legAnswered(s.channel());
            } else if (!s.args().isEmpty() && CALLBACK_ARG.equals(s.args().get(0))) {
                customerAnswered(s.channel().id());
            }
        } else if (event instanceof AsteriskEvent.DtmfReceived d) {
            dtmf(d.channel(), d.digit());
        } else if (event instanceof AsteriskEvent.ChannelHungUp h) {
            channelGone(h.channel(), h.cause());
        } else if (event instanceof AsteriskEvent.StasisEnded s) {
            channelGone(s.channel(), -1);
        } else if (event instanceof AsteriskEvent.EndpointStateChanged e) {
            phone(e.endpoint(), e.online());
        } else if (event instanceof AsteriskEvent.DeviceStateChanged d) {
            device(d.device(), d.state());
        } else if (event instanceof AsteriskEvent.PlaybackChanged p) {
            playback(p);
        } else if (event instanceof AsteriskEvent.LinkStateChanged l) {
            if (l.meta().source() == Source.ARI && l.state() == LinkState.UP) {
                watchPhones();
            }
        } else if (event instanceof AsteriskEvent.ResyncSnapshot r && r.meta().source() == Source.ARI) {
            resync(r);
        }
    }

    private void legAnswered(ChannelSnapshot channel) {
        Leg leg = legs.get(channel.id());
        if (leg == null) {
            if (channel.var(LEG_VAR) != null || channel.id().value().startsWith("acd-")) {
                log.info("agent leg {} answered, but no offer of this process waits for it; hanging up", channel.id());
                asterisk.hangup(channel.id(), HangupCause.NORMAL);
            }
            return;
        }
        if (leg.cancelled) {
            log.info("agent leg {} answered after its offer was withdrawn; hanging up", leg.channel);
            asterisk.hangup(leg.channel, HangupCause.NORMAL);
            return;
        }
        leg.answered = true;
        acd.agentLegAnswered(leg.entry, leg.agent);
        if (!leg.bridged) {
            // The ACD no longer offers this entry to them (ring timer, caller gone, agent withdrew).
            leg.cancelled = true;
            log.info("agent leg {} answered too late for entry {}; hanging up", leg.channel, leg.entry);
            asterisk.hangup(leg.channel, HangupCause.NORMAL);
        }
    }

    private void channelGone(ChannelId channel, int cause) {
        Callback dialled = dialling.remove(channel);
        if (dialled != null) {
            customerGone(dialled, cause);
            return;
        }
        Leg leg = legs.remove(channel);
        if (leg != null) {
            legOfEntry.remove(leg.entry, leg);
            Callback cb = callbacks.get(leg.caller);
            if (leg.bridged && cb != null) {
                agentLeftCallback(cb, leg);
            } else if (leg.bridged) {
                Caller c = callers.get(leg.caller);
                log.info("agent {} hung up (leg {}): entry {} is over", leg.agent, channel, leg.entry);
                acd.agentLegHungUp(leg.entry, leg.agent);
                if (c != null && c.leg == leg) {
                    forgetCaller(c);
                    if (handoff == null) {
                        endCall(c, leg);
                    }
                }
            } else if (!leg.cancelled && !leg.answered) {
                legFailed(leg, failureOf(cause), "hangup cause " + cause);
            }
            return;
        }
        Caller c = callers.get(channel);
        if (c == null) {
            return;
        }
        log.info("caller {} hung up", channel);
        forgetCaller(c);
        leaveHolding(c);
        acd.callerHungUp(channel);
        if (handoff == null && c.leg != null && c.leg.bridged && legs.containsKey(c.leg.channel)) {
            endCall(c, c.leg);
        }
    }

    /** The other side of an ended call goes too; the mixing bridge is destroyed. */
    private void endCall(Caller c, Leg leg) {
        asterisk.hangup(leg.channel, HangupCause.NORMAL).exceptionally(e -> null);
        asterisk.hangup(c.channel, HangupCause.NORMAL).exceptionally(e -> null);
        if (c.mixing != null) {
            BridgeId mix = c.mixing;
            c.chain.thenCompose(x -> asterisk.destroyBridge(mix)).exceptionally(e -> null);
        }
    }

    private void legFailed(Leg leg, RingFailure failure, String why) {
        legs.remove(leg.channel, leg);
        legOfEntry.remove(leg.entry, leg);
        if (leg.cancelled) {
            return;
        }
        leg.cancelled = true;
        log.info("entry {}: agent {} was not reached: {} ({})", leg.entry, leg.agent, failure, why);
        acd.agentLegFailed(leg.entry, leg.agent, failure);
    }

    /** Q.850 cause of the leg's hangup → why the offer failed (ari-09: 486 → 17; ari-10: 480 → 19). */
    static RingFailure failureOf(int cause) {
        return switch (cause) {
            case 17 -> RingFailure.BUSY;
            case 18, 19 -> RingFailure.NO_ANSWER;
            case 21 -> RingFailure.REJECTED;
            default -> RingFailure.FAILED;
        };
    }

    // ---- callback ---------------------------------------------------------------------------------------

    /** A waiting caller pressed a key: their queue's callback key turns them into a callback keeping their place. */
    private void dtmf(ChannelId channel, char digit) {
        Caller c = callers.get(channel);
        if (c == null || c.holding == null || c.mixing != null) {
            return;
        }
        QueueDefinition q = acd.queues().stream().filter(d -> d.id().equals(c.holding)).findFirst().orElse(null);
        if (q == null || q.callbackKey().isEmpty() || q.callbackKey().charAt(0) != digit) {
            return;
        }
        String number = c.party.number();
        if (!number.matches("\\+?[0-9]{2,20}")) {
            log.info("caller {} pressed the callback key but has no number to call back ('{}'); stays in line", channel, number);
            return;
        }
        ChannelId virtual = callbackId(number, channel);
        Callback cb = new Callback(virtual, number, c.party);
        callbacks.put(virtual, cb);
        BridgeId from = holdingBridge(c.holding);
        try {
            EntryId entry = acd.requestCallback(channel, virtual);
            log.info("caller {} ({}) will be called back: entry {}", channel, number, entry);
        } catch (AcdException e) {
            callbacks.remove(virtual);
            log.info("caller {} pressed the callback key, refused: {}", channel, e.getMessage());
            return;
        }
        leaveHolding(c);
        forgetCaller(c);
        step(c, "confirm the callback", () -> asterisk.setVariable(c.channel, "CTI_MESSAGE", CALLBACK_CONFIRMATION));
        step(c, "leave holding bridge", () -> asterisk.removeFromBridge(from, c.channel).exceptionally(e -> null));
        step(c, "continue to " + MESSAGE_CONTEXT, () -> asterisk.continueInDialplan(c.channel, MESSAGE_CONTEXT, "s", 1));
    }

    /**
     * The id a callback waits under: {@code callback-<number>-<former channel>}. It carries the number so
     * that a callback restored from the statistics log after a restart can still be dialled.
     */
    static ChannelId callbackId(String number, ChannelId channel) {
        return ChannelId.of("callback-" + number + "-" + channel.value());
    }

    /** A customer leg dialled for a callback by this CTI or an earlier run of it ({@code acd-<boot>-cb-<n>}). */
    static boolean isCallbackLeg(ChannelId channel) {
        return channel.value().matches("acd-[0-9a-z]+-cb-[0-9]+");
    }

    /** The number in a {@link #callbackId}, or null. */
    static String callbackNumber(ChannelId virtual) {
        String v = virtual.value();
        if (!v.startsWith("callback-")) {
            return null;
        }
        int dash = v.indexOf('-', "callback-".length());
        String number = dash < 0 ? "" : v.substring("callback-".length(), dash);
        return number.matches("\\+?[0-9]{2,20}") ? number : null;
    }

    /** The agent answered a callback entry: they wait in a mixing bridge while the customer is dialled. */
    private void dialCustomer(EntryView entry, Leg leg, Callback cb) {
        leg.bridged = true;
        cb.leg = leg;
        cb.entry = entry.id();
        cb.mixing = BridgeId.of("acd-mix-" + leg.channel.value());
        cb.dialled = ChannelId.of(legPrefix + "cb-" + seq.incrementAndGet());
        dialling.put(cb.dialled, cb);
        BridgeId mix = cb.mixing;
        AsteriskCommands.Originate o = new AsteriskCommands.Originate(cb.dialled,
                "Local/" + cb.number + "@" + callbackContext + "/n", List.of(CALLBACK_ARG, entry.id().value().replace(',', '_')),
                leg.channel, null, Duration.ofSeconds(60), Map.of(TENANT_VAR, entry.tenant().value()));
        log.info("entry {}: agent {} took the callback; dialling {} (leg {})", entry.id(), leg.agent, cb.number, cb.dialled);
        asterisk.createBridge(mix, BridgeKind.MIXING)
                .thenCompose(x -> asterisk.addToBridge(mix, leg.channel))
                .thenCompose(x -> asterisk.originate(o))
                .whenCompleteAsync((ok, err) -> {
                    if (err != null && dialling.remove(cb.dialled, cb)) {
                        log.warn("entry {}: could not dial {} for the callback: {}", entry.id(), cb.number, describe(err));
                        callbackOver(cb, QueueEvent.CallbackOutcome.FAILED);
                    }
                }, loop);
    }

    private void customerAnswered(ChannelId channel) {
        Callback cb = dialling.get(channel);
        if (cb == null && isCallbackLeg(channel)) {
            log.info("callback leg {} answered, but no callback of this process waits for it; hanging up", channel);
            asterisk.hangup(channel, HangupCause.NORMAL).exceptionally(e -> null);
            return;
        }
        if (cb == null || cb.answered) {
            return;
        }
        cb.answered = true;
        acd.callbackDialled(cb.entry, QueueEvent.CallbackOutcome.ANSWERED);
        BridgeId mix = cb.mixing;
        asterisk.addToBridge(mix, channel).whenCompleteAsync((ok, err) -> {
            if (err != null) {
                log.warn("callback {}: could not connect the customer: {}", cb.entry, describe(err));
            }
        }, loop);
    }

    /** The customer's leg ended: before answering (busy, no answer...) or after (they hung up). */
    private void customerGone(Callback cb, int cause) {
        if (cb.answered) {
            log.info("callback {}: the customer hung up", cb.entry);
            callbacks.remove(cb.virtual);
            acd.callerHungUp(cb.virtual);
            hangupAgentSide(cb);
            return;
        }
        QueueEvent.CallbackOutcome outcome = switch (failureOf(cause)) {
            case BUSY -> QueueEvent.CallbackOutcome.BUSY;
            case NO_ANSWER -> QueueEvent.CallbackOutcome.NO_ANSWER;
            default -> cause == 16 ? QueueEvent.CallbackOutcome.NO_ANSWER : QueueEvent.CallbackOutcome.FAILED;
        };
        callbackOver(cb, outcome);
    }

    /** The customer was not reached: recorded; the agent's leg is hung up, which ends the entry (wrap-up). */
    private void callbackOver(Callback cb, QueueEvent.CallbackOutcome outcome) {
        acd.callbackDialled(cb.entry, outcome);
        hangupAgentSide(cb);
    }

    private void hangupAgentSide(Callback cb) {
        if (cb.leg != null) {
            asterisk.hangup(cb.leg.channel, HangupCause.NORMAL).exceptionally(e -> null);
        }
        BridgeId mix = cb.mixing;
        if (mix != null) {
            asterisk.destroyBridge(mix).exceptionally(e -> null);
        }
    }

    /** The agent's leg of a callback ended: the entry is over; a customer still being dialled is dropped. */
    private void agentLeftCallback(Callback cb, Leg leg) {
        callbacks.remove(cb.virtual);
        if (cb.dialled != null && dialling.remove(cb.dialled, cb)) {
            if (!cb.answered) {
                acd.callbackDialled(cb.entry, QueueEvent.CallbackOutcome.CANCELLED);
            }
            asterisk.hangup(cb.dialled, HangupCause.NORMAL).exceptionally(e -> null);
        }
        acd.agentLegHungUp(leg.entry, leg.agent);
        if (cb.mixing != null) {
            asterisk.destroyBridge(cb.mixing).exceptionally(e -> null);
        }
    }

    private void phone(String endpoint, boolean online) {
        AgentId agent = agentAt.get(endpoint);
        if (agent == null || Boolean.valueOf(online).equals(phoneOnline.put(agent, online))) {
            return;
        }
        if (online) {
            acd.phoneOnline(agent);
        } else {
            acd.phoneOffline(agent);
        }
        phoneChange.accept(agent);
    }

    /**
     * An agent's device state: UNAVAILABLE means the phone is not registered (offline), any state of use
     * that it is online; a busy phone with no ACD leg of ours on it is a direct/personal call (ON_OTHER).
     */
    private void device(String device, DeviceState state) {
        AgentId agent = agentAt.get(device);
        if (agent == null) {
            return;
        }
        if (state == DeviceState.UNAVAILABLE) {
            phone(device, false);
        } else if (state != DeviceState.UNKNOWN && state != DeviceState.INVALID) {
            phone(device, true);
        }
        boolean busy = switch (state) {
            case INUSE, BUSY, RINGING, RINGINUSE, ONHOLD -> true;
            default -> false;
        };
        boolean ours = legs.values().stream().anyMatch(l -> l.agent.equals(agent));
        boolean was = otherCall.getOrDefault(agent, false);
        if (busy && !ours && !was) {
            otherCall.put(agent, true);
            acd.otherCallStarted(agent);
        } else if (!busy && was) {
            otherCall.put(agent, false);
            acd.otherCallEnded(agent);
        }
    }

    private void playback(AsteriskEvent.PlaybackChanged p) {
        if (p.state() == PlaybackState.FINISHED && announcements.remove(p.playbackId()) != null) {
            announcementsPlayed++;
        } else if (p.state() != PlaybackState.STARTED && p.state() != PlaybackState.CONTINUING) {
            announcements.remove(p.playbackId());
        }
    }

    /** ARI is (back) up: read whether the agents' phones are registered (changes follow as device states). */
    private void watchPhones() {
        List<String> endpoints = List.copyOf(new java.util.TreeSet<>(endpointOf.values()));
        asterisk.watchEndpoints(endpoints).whenCompleteAsync((states, err) -> {
            if (err != null) {
                log.warn("could not read the agents' phone states: {}", describe(err));
                return;
            }
            states.forEach(this::phone);
            phonesRead = true;
            restoreAgentsOnce();
        }, loop);
    }

    /** Once after start, when the phones are known and calls in progress restored: agents back as they were. */
    private void restoreAgentsOnce() {
        if (!agentsRestored && phonesRead && resynced) {
            agentsRestored = true;
            for (ChannelId virtual : acd.restoreCallbacks()) {
                String number = callbackNumber(virtual);
                if (number == null) {
                    log.warn("callback {} restored, but its id names no number to dial", virtual);
                    continue;
                }
                callbacks.put(virtual, new Callback(virtual, number, new Party(number, "")));
            }
            acd.restoreAgentStates();
        }
    }

    // ---- resync and restore -----------------------------------------------------------------------------

    private void resync(AsteriskEvent.ResyncSnapshot r) {
        Map<ChannelId, ChannelSnapshot> listed = new HashMap<>();
        r.channels().forEach(ch -> listed.put(ch.id(), ch));
        // Channels that went while we were not listening.
        for (ChannelId gone : new ArrayList<>(legs.keySet())) {
            if (!listed.containsKey(gone)) {
                channelGone(gone, 16);
            }
        }
        for (ChannelId gone : new ArrayList<>(callers.keySet())) {
            if (!listed.containsKey(gone)) {
                channelGone(gone, 16);
            }
        }
        restore(r.channels(), r.bridges());
        resynced = true;
        restoreAgentsOnce();
    }

    /** Callers and agent legs we do not know but whose channels say they are ours: a restart. */
    private void restore(List<ChannelSnapshot> channels, List<BridgeSnapshot> bridges) {
        Map<ChannelId, BridgeSnapshot> bridgeOf = new HashMap<>();
        for (BridgeSnapshot b : bridges) {
            b.channels().forEach(ch -> bridgeOf.put(ch, b));
        }
        List<Map.Entry<ChannelSnapshot, EntryRecord>> found = new ArrayList<>();
        Map<ChannelId, ChannelSnapshot> orphanLegs = new LinkedHashMap<>();
        for (ChannelSnapshot ch : channels) {
            if (ch.var(LEG_VAR) != null && !legs.containsKey(ch.id())) {
                orphanLegs.put(ch.id(), ch);
            }
            String raw = ch.var(ENTRY_VAR);
            if (raw == null || callers.containsKey(ch.id())) {
                continue;
            }
            String survey = ch.var(SURVEY_VAR);
            if (survey != null && !survey.isBlank()) {
                continue; // the call is over; the customer was in its post-call survey (the survey's to end)
            }
            try {
                found.add(Map.entry(ch, EntryRecord.decode(raw)));
            } catch (IllegalArgumentException e) {
                log.warn("caller {} carries an unreadable {} ({}): sending them to the dialplan fallback", ch.id(),
                        ENTRY_VAR, e.getMessage());
                asterisk.continueInDialplan(ch.id(), MESSAGE_CONTEXT, "s", 1);
            }
        }
        found.sort(Comparator.comparing((Map.Entry<ChannelSnapshot, EntryRecord> e) -> e.getValue().arrivedAt)
                .thenComparing(e -> e.getValue().entry.value()));
        for (Map.Entry<ChannelSnapshot, EntryRecord> f : found) {
            restoreCaller(f.getKey(), f.getValue(), orphanLegs, bridgeOf);
        }
        for (ChannelSnapshot ch : channels) {
            if (isCallbackLeg(ch.id()) && !dialling.containsKey(ch.id())) {
                // A callback's customer leg of the CTI before: its agent leg goes too (an orphan), so it ends.
                log.info("callback leg {} outlived the CTI; hanging up", ch.id());
                asterisk.hangup(ch.id(), HangupCause.NORMAL).exceptionally(e -> null);
            }
        }
        for (ChannelSnapshot leg : orphanLegs.values()) {
            log.info("agent leg {} outlived the CTI without a call to go back to; hanging up", leg.id());
            asterisk.hangup(leg.id(), HangupCause.NORMAL).exceptionally(e -> null);
        }
        if (!found.isEmpty()) {
            log.info("restored {} waiting and {} connected ACD callers after a restart", restoredWaiting, restoredConnected);
        }
    }

    private void restoreCaller(ChannelSnapshot ch, EntryRecord rec, Map<ChannelId, ChannelSnapshot> orphanLegs,
            Map<ChannelId, BridgeSnapshot> bridgeOf) {
        Caller c = new Caller(ch.id(), ch.caller());
        c.record = rec;
        c.onlyAgent = rec.onlyAgent;
        EnqueueRequest request = rec.request(ch.id());
        if (request.screenPop().callerNumber().isEmpty()) {
            // Written before screen pops were kept, or by a caller who came without one: who calls, at least.
            request = request.withScreenPop(new ScreenPop(ch.caller().number(), ch.caller().name(), request.screenPop().region(),
                    request.screenPop().language(), request.screenPop().choices(), request.screenPop().data()));
        }
        BridgeSnapshot inBridge = bridgeOf.get(ch.id());
        // An answered agent leg for this caller is the truth of "connected", whatever the record says: the
        // CTI may have died between the answer and marking the caller (or mid-way through bridging them).
        ChannelSnapshot legCh = orphanLegs.values().stream()
                .filter(l -> ch.id().value().equals(EntryRecord.formValue(l.var(LEG_VAR), "caller")))
                .findFirst().orElse(null);
        if (legCh != null && legCh.state() == ChannelState.UP) {
            orphanLegs.remove(legCh.id());
            AgentId agent = AgentId.of(EntryRecord.formValue(legCh.var(LEG_VAR), "agent"));
            BridgeSnapshot legBridge = bridgeOf.get(legCh.id());
            boolean together = inBridge != null && legBridge != null && inBridge.id().equals(legBridge.id());
            BridgeId mix = together ? inBridge.id() : BridgeId.of("acd-mix-" + legCh.id().value());
            // Talk time from the answer as recorded; if the mark never made it, from the leg's creation (which
            // includes its ring time): the best Asterisk still knows.
            Instant connectedAt = rec.connectedAt != null ? rec.connectedAt
                    : legCh.createdAt() != null ? legCh.createdAt() : loop.clock().instant();
            Leg leg = new Leg(legCh.id(), rec.entry, agent, ch.id());
            leg.answered = true;
            leg.bridged = true;
            c.leg = leg;
            c.mixing = mix;
            callers.put(c.channel, c);
            legs.put(leg.channel, leg);
            legOfEntry.put(leg.entry, leg);
            try {
                acd.restoreConnected(request, rec.entry, agent, connectedAt);
                restoredConnected++;
            } catch (RuntimeException e) {
                log.warn("could not give call {} back to agent {}: {}; ending it", rec.entry, agent, e.getMessage());
                forgetCaller(c);
                legs.remove(leg.channel);
                legOfEntry.remove(leg.entry);
                endCall(c, leg);
                return;
            }
            if (!together) {
                log.info("call {}: caller and agent {} were not bridged yet when the CTI went; bridging them", rec.entry, agent);
                step(c, "create mixing bridge", () -> asterisk.createBridge(mix, BridgeKind.MIXING));
                step(c, "move caller to mixing bridge", () -> asterisk.addToBridge(mix, c.channel));
                step(c, "add agent leg to mixing bridge", () -> asterisk.addToBridge(mix, leg.channel));
            }
            if (rec.agent == null) {
                c.record = rec.connected(agent, connectedAt);
                String value = c.record.encode();
                step(c, "mark caller connected", () -> asterisk.setVariable(c.channel, ENTRY_VAR, value));
            }
            if (handoff != null) {
                acd.entryOf(c.channel).ifPresent(e -> handoff.connected(mix, e, c.channel, c.party, leg.channel, agent, c.chain));
            }
            return;
        }
        if (rec.agent != null && handoff != null && ch.var(CONVERSATION_VAR) != null && !ch.var(CONVERSATION_VAR).isBlank()) {
            // Transferred or conferenced on: call control rebuilds that conversation from the channels.
            log.info("caller {} was connected to agent {}, whose leg is gone; the call went on ({}): call control's",
                    ch.id(), rec.agent, ch.var(CONVERSATION_VAR));
            return;
        }
        if (rec.agent != null) {
            log.info("caller {} was connected to agent {}, whose leg is gone: the call is over; hanging up", ch.id(), rec.agent);
            asterisk.hangup(ch.id(), HangupCause.NORMAL).exceptionally(e -> null);
            return;
        }
        callers.put(c.channel, c);
        BridgeId hold = holdingBridge(rec.queue);
        try {
            acd.restoreWaiting(request, rec.entry);
            restoredWaiting++;
        } catch (RuntimeException e) {
            callers.remove(c.channel);
            log.warn("could not re-queue caller {} ({}): {}; sending them to the dialplan fallback", ch.id(), rec.entry,
                    e.getMessage());
            asterisk.continueInDialplan(ch.id(), MESSAGE_CONTEXT, "s", 1);
            return;
        }
        if (!callers.containsKey(c.channel)) {
            return; // overflowed at once (max wait passed during the outage)
        }
        if (c.mixing == null) {
            if (inBridge != null && inBridge.id().equals(hold)) {
                c.holding = rec.queue; // still there, music and all
                holdingOf(rec.queue).members++;
            } else if (c.holding == null) {
                joinHolding(c, rec.queue);
            }
        }
    }

    // ---- holding bridges ------------------------------------------------------------------------------

    static BridgeId holdingBridge(QueueId queue) {
        return BridgeId.of("acd-hold-" + queue.value());
    }

    private Holding holdingOf(QueueId queue) {
        return holding.computeIfAbsent(queue, q -> new Holding(holdingBridge(q)));
    }

    private void joinHolding(Caller c, QueueId queue) {
        Holding h = holdingOf(queue);
        QueueDefinition q = acd.queues().stream().filter(d -> d.id().equals(queue)).findFirst().orElseThrow();
        c.holding = queue;
        boolean first = h.members++ == 0;
        CompletableFuture<Void> created = h.created();
        step(c, "join holding bridge " + h.id, () -> created.thenCompose(x -> asterisk.addToBridge(h.id, c.channel)));
        if (first) {
            step(c, "music on hold in " + h.id, () -> asterisk.startBridgeMusic(h.id, q.mohClass()));
        }
    }

    private void leaveHolding(Caller c) {
        if (c.holding != null) {
            Holding h = holding.get(c.holding);
            if (h != null && h.members > 0) {
                h.members--;
            }
            c.holding = null;
        }
    }

    private void forgetCaller(Caller c) {
        callers.remove(c.channel, c);
        c.gone = true;
    }

    // ---- ordering per caller --------------------------------------------------------------------------

    /** Runs {@code op} after the caller's previous requests; a failure is logged and does not stop the next. */
    private void step(Caller c, String what, Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> result = c.chain.thenCompose(x -> op.get());
        c.chain = result.handle((x, e) -> null);
        result.whenCompleteAsync((x, err) -> {
            if (err == null) {
                return;
            }
            if (notFound(err)) {
                log.info("caller {}: {}: channel gone", c.channel, what);
            } else {
                log.warn("caller {}: {} failed: {}", c.channel, what, describe(err));
            }
        }, loop);
    }

    private static boolean notFound(Throwable err) {
        return AriException.isNotFound(err);
    }

    private static String describe(Throwable err) {
        return AriException.describeFailure(err);
    }

    private static String callerId(Party p) {
        if (p.number().isEmpty() && p.name().isEmpty()) {
            return null;
        }
        if (p.name().isEmpty()) {
            return "<" + p.number() + ">";
        }
        return "\"" + p.name().replace("\"", "") + "\" <" + p.number() + ">";
    }

    // ---- queries (for metrics and tests) ----------------------------------------------------------------

    public long announcementsPlayed() {
        return announcementsPlayed;
    }

    public long restoredWaiting() {
        return restoredWaiting;
    }

    public long restoredConnected() {
        return restoredConnected;
    }

    /** Agent legs ringing or connected now. */
    public int activeLegs() {
        return legs.size();
    }

    // ---- state ------------------------------------------------------------------------------------------

    private static final class Caller {
        final ChannelId channel;
        final Party party;
        String language;
        Map<String, Integer> skills = Map.of();
        AgentId onlyAgent;
        EntryRecord record;
        QueueId holding;
        BridgeId mixing;
        Leg leg;
        volatile boolean gone;
        CompletableFuture<Void> chain = DONE;

        Caller(ChannelId channel, Party party) {
            this.channel = channel;
            this.party = party;
        }
    }

    private static final class Callback {
        final ChannelId virtual;
        final String number;
        final Party party;
        EntryId entry;
        Leg leg;
        BridgeId mixing;
        ChannelId dialled;
        boolean answered;

        Callback(ChannelId virtual, String number, Party party) {
            this.virtual = virtual;
            this.number = number;
            this.party = party;
        }
    }

    private static final class Leg {
        final ChannelId channel;
        final EntryId entry;
        final AgentId agent;
        final ChannelId caller;
        boolean answered;
        boolean cancelled;
        boolean bridged;

        Leg(ChannelId channel, EntryId entry, AgentId agent, ChannelId caller) {
            this.channel = channel;
            this.entry = entry;
            this.agent = agent;
            this.caller = caller;
        }
    }

    private final class Holding {
        final BridgeId id;
        int members;
        private CompletableFuture<Void> created;

        Holding(BridgeId id) {
            this.id = id;
        }

        /** Created once per process (an existing bridge, kept across our restart, counts); retried after a failure. */
        CompletableFuture<Void> created() {
            if (created == null || created.isCompletedExceptionally()) {
                created = asterisk.createBridge(id, BridgeKind.HOLDING);
            }
            return created;
        }
    }

}
