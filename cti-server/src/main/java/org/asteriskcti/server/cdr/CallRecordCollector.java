package org.asteriskcti.server.cdr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.asteriskcti.server.acd.EntryChanged;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.ScreenPop;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.asterisk.EventMeta;
import org.asteriskcti.server.call.CallModelListener;
import org.asteriskcti.server.call.CallView;
import org.asteriskcti.server.call.Direction;
import org.asteriskcti.server.call.PhoneState;
import org.asteriskcti.server.call.SyncStatus;
import org.asteriskcti.server.control.Conversation;
import org.asteriskcti.server.control.PartyState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.CallId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.tenant.TenantDirectory;
import org.asteriskcti.server.voicemail.VoicemailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one {@link CallRecord} per call from what the features already publish on the domain loop: the
 * call model's views ({@link CallModelListener}), the ACD's statistics log ({@link #queueEvent}: entries,
 * answers, abandons, transfers, wrap-up, surveys), queue entries' screen pops ({@link #entryChanged}: the
 * IVR choices), IVR starts ({@link #ivrStarted}), call control's conversations ({@link #partiesChanged}:
 * holds and conference joins) and voicemail ({@link #voicemailAdded}).
 *
 * <p>A call's facts are kept in a draft from its first view (facts about a channel that arrive before its
 * call's first view wait for it). The record is finished — handed to the {@link CallRecordStore}, which
 * writes it off the loop — when the call has ended <em>and</em> {@link Settings#settle} has passed (facts
 * published right after the hang-up: a survey's or voicemail message's end) <em>and</em> every answered
 * queue visit has its wrap-up finished; or, at the latest, {@link Settings#grace} after the end, with what
 * is known then.
 *
 * <p>Time is the loop's clock: ring, talk and hold are summed over the intervals between the facts seen
 * (docs/reports.md). Runs on the domain loop only. After a restart, calls that began before this process are
 * recorded when they end with what this process saw, flagged {@code complete = false} (so are calls first seen
 * while the model was stale or at a resync); calls that ended while no process ran get no record.
 */
public final class CallRecordCollector implements CallModelListener {

    private static final Logger log = LoggerFactory.getLogger(CallRecordCollector.class);
    /** Q.850 causes that mean the network failed the call, not the called party (docs/reports.md). */
    static final Set<Integer> FAILURE_CAUSES = Set.of(1, 2, 3, 22, 27, 28, 34, 38, 41, 42, 44, 47, 58, 63, 66, 79, 88,
            111, 127);
    private static final int MAX_ORPHANS = 10_000;

    /** The call's recording ids, when the record is finished. */
    @FunctionalInterface
    public interface Recordings {
        List<String> of(TenantId tenant, CallId call);
    }

    /** Is {@code number} one of the tenant's DIDs (the called number of an inbound call without a queue)? */
    @FunctionalInterface
    public interface Dids {
        boolean isDid(TenantId tenant, String number);
    }

    /**
     * @param settle how long after the end facts published right after the hang-up are waited for
     * @param grace  the longest a finished call waits for wrap-up and survey; then it is written as it is
     */
    public record Settings(Duration settle, Duration grace) {
        public Settings {
            if (settle.isNegative() || grace.compareTo(settle) < 0) {
                throw new IllegalArgumentException("need 0 <= settle <= grace, got " + settle + ", " + grace);
            }
        }

        /** The server's: 5 s to settle, 15 min for wrap-up and surveys. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofMinutes(15));
    }

    /** A party of a conversation, as the collector needs it (call control's {@link Conversation} translated). */
    public record Party(ChannelId channel, String role, AgentId agent, String number, PartyState state,
            Instant joinedAt) {}

    private final DomainLoop loop;
    private final CallRecordStore store;
    private final Recordings recordings;
    private final Dids dids;
    private final Settings settings;
    private final Instant processStart;

    private final Map<CallId, Draft> drafts = new HashMap<>();
    private final Map<ChannelId, Draft> byChannel = new HashMap<>();
    private final Map<EntryId, Draft> byEntry = new HashMap<>();
    /** Facts about channels whose call has not been seen yet; the oldest are dropped beyond MAX_ORPHANS. */
    private final LinkedHashMap<ChannelId, Draft> orphans = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ChannelId, Draft> eldest) {
            return size() > MAX_ORPHANS;
        }
    };
    private long written;
    /** The model is a faithful picture of Asterisk (its last {@link SyncStatus}); false until told so. */
    private boolean synced;
    /** A resync has just finished: the calls it publishes in the same loop task were not seen begin. */
    private boolean resyncing;

    public CallRecordCollector(DomainLoop loop, CallRecordStore store, Recordings recordings, Dids dids,
            Settings settings) {
        this.loop = loop;
        this.store = store;
        this.recordings = recordings;
        this.dids = dids;
        this.settings = settings;
        this.processStart = loop.clock().instant();
    }

    /** Records handed to the store so far. */
    public long written() {
        return written;
    }

    /** Calls being followed (not written yet). */
    public int following() {
        return drafts.size();
    }

    // ---- the call model ----------------------------------------------------------------------------

    @Override
    public void callChanged(CallView view, EventMeta cause) {
        try {
            onView(view);
        } catch (RuntimeException e) {
            log.error("call records: following call {} failed; the model goes on", view.callId(), e);
        }
    }

    @Override
    public void agentPhoneChanged(TenantDirectory.Agent agent, PhoneState state, EventMeta cause) {
        // not a call's
    }

    /**
     * Calls first seen while the picture is stale (before the first resync, during an outage) or published
     * by a resync (in the same loop task as the status turning synced) were not seen from their start: their
     * records are marked incomplete.
     */
    @Override
    public void syncChanged(SyncStatus status) {
        if (status.synced() && !synced) {
            resyncing = true;
            loop.execute(() -> resyncing = false); // after the task that publishes the resync's calls
        }
        synced = status.synced();
    }

    private void onView(CallView view) {
        loop.assertInLoop();
        if (view.tenant() == null) {
            return;
        }
        CallId id = CallId.of(view.callId());
        Draft d = drafts.get(id);
        Instant now = now();
        if (d == null) {
            d = new Draft(id, TenantId.of(view.tenant()), view, now);
            d.seenFromStart = synced && !resyncing && !view.startedAt().isBefore(processStart);
            drafts.put(id, d);
        }
        d.advance(now);
        d.last = view;
        d.state = view.state();
        d.legHeld = view.legs().stream().anyMatch(l -> l.onHold() && l.endedAt() == null);
        for (CallView.LegView l : view.legs()) {
            ChannelId ch = ChannelId.of(l.channelId());
            if (byChannel.get(ch) != d) {
                byChannel.put(ch, d);
                Draft orphan = orphans.remove(ch);
                if (orphan != null) {
                    d.absorb(orphan);
                    repoint(orphan, d);
                }
            }
        }
        for (int i = d.viewTransfers; i < view.transfers().size(); i++) {
            CallView.TransferView t = view.transfers().get(i);
            d.chain.add(new CallRecord.ChainLink(t.kind(), null, t.target(), t.at()));
        }
        d.viewTransfers = view.transfers().size();
        if ("ENDED".equals(view.state()) && !d.ended) {
            if ("MERGED".equals(view.disposition()) && view.mergedInto() != null) {
                merge(d, CallId.of(view.mergedInto()));
                return;
            }
            d.ended = true;
            Draft ended = d;
            d.settleTimer = loop.schedule(() -> {
                ended.settled = true;
                tryFinish(ended);
            }, settings.settle());
            d.graceTimer = loop.schedule(() -> finish(ended, "its wrap-up or survey did not end within "
                    + settings.grace().toSeconds() + " s"), settings.grace());
        }
    }

    /** The call's legs moved to another call: its facts go with them; it gets no record of its own. */
    private void merge(Draft d, CallId into) {
        drafts.remove(d.call);
        Draft target = drafts.get(into);
        if (target == null) {
            log.info("call records: call {} merged into {}, not followed; its facts are dropped", d.call, into);
            forget(d);
            return;
        }
        target.absorb(d);
        repoint(d, target);
        log.debug("call records: call {} merged into {}", d.call, into);
    }

    private void repoint(Draft from, Draft to) {
        byChannel.replaceAll((k, v) -> v == from ? to : v);
        byEntry.replaceAll((k, v) -> v == from ? to : v);
    }

    // ---- the ACD's statistics log ------------------------------------------------------------------

    /** One event appended to the ACD's statistics log (also call control's transfers and the surveys'). */
    public void queueEvent(QueueEvent event) {
        try {
            onQueueEvent(event);
        } catch (RuntimeException e) {
            log.error("call records: taking {} failed", event, e);
        }
    }

    private void onQueueEvent(QueueEvent event) {
        loop.assertInLoop();
        if (event instanceof QueueEvent.Entered e) {
            Draft d = draftOf(e.caller());
            d.advance(now());
            d.visits.add(new Visit(e.queue().value(), e.entry().value(), e.at()));
            byEntry.put(e.entry(), d);
            if (d.did == null && e.did() != null) {
                d.did = e.did();
            }
            return;
        }
        if (!(event instanceof QueueEvent.EntryEvent ee)) {
            return;
        }
        Draft d = byEntry.get(ee.entry());
        if (d == null) {
            log.debug("call records: {} of an entry not followed", event);
            return;
        }
        Visit v = d.visit(ee.entry().value());
        if (v == null) {
            return;
        }
        if (event instanceof QueueEvent.Answered a) {
            v.end("ANSWERED", a.waited(), a.agent().value(), true);
        } else if (event instanceof QueueEvent.Abandoned a) {
            v.end(a.shortAbandon() ? "SHORT_ABANDON" : "ABANDONED", a.waited(), null, false);
        } else if (event instanceof QueueEvent.Overflowed o) {
            v.end("OVERFLOWED", o.waited(), null, false);
        } else if (event instanceof QueueEvent.CallbackRequested c) {
            v.end("CALLBACK", c.waited(), null, false);
        } else if (event instanceof QueueEvent.Transferred t) {
            d.chain.add(new CallRecord.ChainLink(t.kind().name(), t.agent().value(), t.target(), t.at()));
        } else if (event instanceof QueueEvent.Completed c) {
            v.completed = true;
            d.wrapUp = d.wrapUp.plus(c.wrapUp());
            tryFinish(d);
        } else if (event instanceof QueueEvent.SurveyEnded s) {
            d.surveyOutcome = s.outcome().name();
            d.surveyScore = s.score();
            tryFinish(d);
        }
        // offers and callback dials are not in the record
    }

    // ---- queue entries, IVR, call control, voicemail -------------------------------------------------

    /** A queue entry changed: its screen pop carries the IVR choices made before the queue. */
    public void entryChanged(EntryChanged change) {
        guarded("entry change " + change.entry().id(), () -> onEntryChanged(change));
    }

    private void onEntryChanged(EntryChanged change) {
        ScreenPop pop = change.entry().screenPop();
        if (pop == null || pop.choices().isEmpty() && pop.region().isEmpty() && pop.language().isEmpty()) {
            return;
        }
        Draft d = draftOf(change.entry().caller());
        if (d.choices == null || d.choices.size() < pop.choices().size()) {
            d.choices = pop.choices().stream().map(c -> new CallRecord.Choice(c.node(), c.key())).toList();
        }
        d.language = pop.language().orElse(d.language);
        d.region = pop.region().orElse(d.region);
    }

    /** An IVR flow started for the caller on {@code channel}. */
    public void ivrStarted(ChannelId channel, String flow) {
        guarded("IVR start of " + channel, () -> {
            Draft d = draftOf(channel);
            if (d.flow == null) {
                d.flow = flow;
            }
        });
    }

    /** A message the caller on the message's channel left. */
    public void voicemailAdded(VoicemailMessage message) {
        if (message.channel() == null) {
            return;
        }
        guarded("voicemail " + message.id().value(), () -> {
            Draft d = draftOf(message.channel());
            d.voicemail = message.id().value();
            tryFinish(d);
        });
    }

    /** Call control's conversation changed (translated by {@link #parties}). */
    public void conversationChanged(Conversation c) {
        guarded("conversation " + c.id(), () -> partiesChanged(c.id(), c.ended(), c.transferState().isPresent(),
                parties(c)));
    }

    /** A failure here is logged, never thrown back into the feature that published the fact. */
    private static void guarded(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("call records: taking {} failed", what, e);
        }
    }

    /** The parties of a conversation as the collector sees them. */
    public static List<Party> parties(Conversation c) {
        return c.parties().stream().map(p -> new Party(p.channel(), p.role().name(), p.agent(), p.number(), p.state(),
                p.joinedAt())).toList();
    }

    /**
     * A conversation changed: whether any party is held (hold time), and parties joining two others who
     * already talk, outside a transfer (conference joins).
     *
     * @param conversation call control's conversation id
     * @param transferring a transfer is in progress (a consultation is not a conference)
     */
    public void partiesChanged(String conversation, boolean ended, boolean transferring, List<Party> parties) {
        loop.assertInLoop();
        Draft d = null;
        for (Party p : parties) {
            Draft x = byChannel.get(p.channel());
            if (x != null && (d == null || "CUSTOMER".equals(p.role()))) {
                d = x;
            }
        }
        if (d == null) {
            return;
        }
        d.advance(now());
        boolean held = !ended && parties.stream().anyMatch(p -> p.state() == PartyState.HELD);
        d.conversationsHeld.put(conversation, held);
        if (ended || transferring) {
            return;
        }
        List<Party> connected = parties.stream().filter(p -> p.state() == PartyState.CONNECTED)
                .sorted(Comparator.comparing(Party::joinedAt, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        Set<ChannelId> counted = d.conferenced.computeIfAbsent(conversation, k -> new HashSet<>());
        if (connected.size() < 3) {
            connected.forEach(p -> counted.add(p.channel()));
            return;
        }
        Instant now = now();
        for (Party p : connected) {
            if (counted.add(p.channel()) && counted.size() > 2) {
                d.chain.add(new CallRecord.ChainLink("CONFERENCE", null,
                        p.agent() != null ? "agent:" + p.agent().value() : p.number(), now));
            }
        }
    }

    // ---- finishing -----------------------------------------------------------------------------------

    private void tryFinish(Draft d) {
        if (!d.ended || !d.settled || !drafts.containsKey(d.call)) {
            return;
        }
        if (d.visits.stream().anyMatch(v -> v.answered && !v.completed)) {
            return; // the agent is in wrap-up: the grace timer writes it at the latest
        }
        finish(d, null);
    }

    private void finish(Draft d, String late) {
        if (drafts.get(d.call) != d) {
            return;
        }
        drafts.remove(d.call);
        if (d.settleTimer != null) {
            d.settleTimer.cancel();
        }
        if (d.graceTimer != null) {
            d.graceTimer.cancel();
        }
        forget(d);
        CallRecord r;
        try {
            r = d.record();
        } catch (RuntimeException e) {
            log.error("call records: call {} cannot be recorded", d.call, e);
            return;
        }
        if (late != null) {
            log.info("call records: call {} written without all its facts: {}", d.call, late);
        }
        log.debug("call records: {} {} {} talk {}s", r.call(), r.direction(), r.disposition(), r.talkSeconds());
        written++;
        store.append(r);
    }

    private void forget(Draft d) {
        byChannel.values().removeIf(v -> v == d);
        byEntry.values().removeIf(v -> v == d);
    }

    private Draft draftOf(ChannelId channel) {
        Draft d = byChannel.get(channel);
        if (d != null) {
            return d;
        }
        return orphans.computeIfAbsent(channel, c -> new Draft(null, null, null, now()));
    }

    private Instant now() {
        return loop.clock().instant();
    }

    // ---- a call being followed -------------------------------------------------------------------------

    /** One queue visit being followed. */
    private static final class Visit {
        final String queue;
        final String entry;
        final Instant enteredAt;
        String outcome = "WAITING";
        Duration waited = Duration.ZERO;
        String agent;
        boolean answered;
        boolean completed;

        Visit(String queue, String entry, Instant enteredAt) {
            this.queue = queue;
            this.entry = entry;
            this.enteredAt = enteredAt;
        }

        void end(String how, Duration waited, String agent, boolean answered) {
            this.outcome = how;
            this.waited = waited;
            this.agent = agent;
            this.answered = answered;
        }
    }

    private final class Draft {
        final CallId call;
        final TenantId tenant;
        final CallView first;
        CallView last;
        String state;
        Instant lastAt;
        boolean legHeld;
        final Map<String, Boolean> conversationsHeld = new HashMap<>();
        final Map<String, Set<ChannelId>> conferenced = new HashMap<>();
        Duration ring = Duration.ZERO;
        Duration talk = Duration.ZERO;
        Duration hold = Duration.ZERO;
        Duration wrapUp = Duration.ZERO;
        final List<Visit> visits = new ArrayList<>();
        final List<CallRecord.ChainLink> chain = new ArrayList<>();
        int viewTransfers;
        String did;
        String flow;
        String language;
        String region;
        List<CallRecord.Choice> choices;
        String voicemail;
        String surveyOutcome;
        int surveyScore;
        boolean ended;
        boolean settled;
        /** First seen with a synced picture, after this process started: nothing before is missing. */
        boolean seenFromStart;
        DomainLoop.Cancellable settleTimer;
        DomainLoop.Cancellable graceTimer;

        Draft(CallId call, TenantId tenant, CallView first, Instant now) {
            this.call = call;
            this.tenant = tenant;
            this.first = first;
            this.last = first;
            this.state = first == null ? null : first.state();
            this.lastAt = now;
        }

        /** Adds the time since the last fact to the bucket the call was in: hold, talk or ring. */
        void advance(Instant now) {
            if (now.isAfter(lastAt)) {
                Duration d = Duration.between(lastAt, now);
                if (!ended && state != null) {
                    boolean held = legHeld || conversationsHeld.containsValue(true);
                    if (held && last != null && last.connectedAt() != null) {
                        hold = hold.plus(d);
                    } else if ("CONNECTED".equals(state)) {
                        talk = talk.plus(d);
                    } else if ("RINGING".equals(state)) {
                        ring = ring.plus(d);
                    }
                }
                lastAt = now;
            }
        }

        Visit visit(String entry) {
            for (int i = visits.size() - 1; i >= 0; i--) {
                if (visits.get(i).entry.equals(entry)) {
                    return visits.get(i);
                }
            }
            return null;
        }

        /** Takes the facts of a draft about the same call (an orphan, a merged call). */
        void absorb(Draft o) {
            visits.addAll(o.visits);
            chain.addAll(o.chain);
            wrapUp = wrapUp.plus(o.wrapUp);
            did = did != null ? did : o.did;
            flow = flow != null ? flow : o.flow;
            language = language != null ? language : o.language;
            region = region != null ? region : o.region;
            choices = choices != null ? choices : o.choices;
            voicemail = voicemail != null ? voicemail : o.voicemail;
            if (surveyOutcome == null) {
                surveyOutcome = o.surveyOutcome;
                surveyScore = o.surveyScore;
            }
            if (o.first != null) {
                ring = ring.plus(o.ring);
                talk = talk.plus(o.talk);
                hold = hold.plus(o.hold);
            }
        }

        CallRecord record() {
            CallView v = last;
            Instant started = first.startedAt();
            Instant answered = v.connectedAt();
            Instant endedAt = v.endedAt() != null ? v.endedAt() : lastAt;
            Direction direction = v.direction() == null ? Direction.INBOUND : Direction.valueOf(v.direction());
            String didOf = did;
            if (didOf == null && direction == Direction.INBOUND && v.dialled() != null && !v.dialled().isEmpty()
                    && dids.isDid(tenant, v.dialled())) {
                didOf = v.dialled();
            }
            CallRecord.IvrPath ivr = flow == null && choices == null ? null
                    : new CallRecord.IvrPath(flow, language, region, choices == null ? List.of() : choices);
            List<CallRecord.QueueVisit> queues = visits.stream().map(x -> new CallRecord.QueueVisit(x.queue, x.entry,
                    x.enteredAt, x.outcome, x.waited.toSeconds(), x.agent)).toList();
            Duration wait = Duration.between(started, answered != null ? answered : endedAt);
            return new CallRecord(call, tenant, direction, started, answered, endedAt, v.callerNumber(), v.callerName(),
                    v.dialled(), didOf, ivr, queues, Math.max(0, wait.toSeconds()), ring.toSeconds(), talk.toSeconds(),
                    hold.toSeconds(), wrapUp.toSeconds(), v.agents(), chain, recordings.of(tenant, call), voicemail,
                    surveyOutcome, surveyOutcome == null ? 0 : surveyScore, disposition(answered),
                    seenFromStart, legs(v));
        }

        CdrDisposition disposition(Instant answered) {
            if (answered != null) {
                return CdrDisposition.ANSWERED;
            }
            if (voicemail != null) {
                return CdrDisposition.VOICEMAIL;
            }
            if (visits.stream().anyMatch(x -> x.outcome.equals("CALLBACK"))) {
                return CdrDisposition.CALLBACK;
            }
            if (!visits.isEmpty()) {
                switch (visits.get(visits.size() - 1).outcome) {
                    case "SHORT_ABANDON" -> {
                        return CdrDisposition.SHORT_ABANDON;
                    }
                    case "ABANDONED" -> {
                        return CdrDisposition.ABANDONED;
                    }
                    case "OVERFLOWED" -> {
                        return CdrDisposition.OVERFLOWED;
                    }
                    default -> {
                        // decided below
                    }
                }
            }
            if ("ABANDONED".equals(last.disposition())) {
                return CdrDisposition.ABANDONED;
            }
            boolean failed = last.legs().stream().anyMatch(l -> l.hangupCause() != null
                    && FAILURE_CAUSES.contains(l.hangupCause()));
            return failed ? CdrDisposition.FAILED : CdrDisposition.UNANSWERED;
        }

        List<CallRecord.LegRecord> legs(CallView v) {
            Optional<CallView.LegView> origin = v.legs().stream().min(Comparator.comparing(CallView.LegView::createdAt,
                    Comparator.nullsLast(Comparator.naturalOrder())));
            List<CallRecord.LegRecord> out = new ArrayList<>();
            for (CallView.LegView l : v.legs()) {
                String role = origin.isPresent() && origin.get() == l ? "ORIGIN" : l.agent() != null ? "AGENT" : "PARTY";
                out.add(new CallRecord.LegRecord(l.channelId(), l.device(), role, l.agent(), l.createdAt(),
                        l.answeredAt(), l.endedAt(), l.hangupCause()));
            }
            return out;
        }

        @Override
        public String toString() {
            return "draft of call " + Objects.toString(call, "(not seen yet)");
        }
    }
}
