package org.asteriskcti.server.survey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyOutcome;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskCommands.HangupCause;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.asterisk.PlaybackState;
import org.asteriskcti.server.asterisk.Source;
import org.asteriskcti.server.asterisk.ari.AriException;
import org.asteriskcti.server.control.CallControl;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.domain.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The post-call satisfaction survey, on the domain loop. When the agent of an ACD call hangs up and the
 * call's queue has a survey, call control hands the customer's channel (still in our Stasis application,
 * out of the destroyed bridge) to {@link #take}; the customer hears the question and answers 1..5 by
 * DTMF, and one {@link QueueEvent.SurveyEnded} goes into the ACD's statistics log. Then the thank-you,
 * and we hang up.
 *
 * <p>Each customer's survey is an explicit {@link SurveyState} machine fed by ARI's events only: DTMF
 * (AMI reports the same keys; ARI's are those of channels in our application), the end of our playbacks
 * (numbered {@code survey-<channel>-<n>}, so a late end of a stopped one is told apart), and the end of
 * the channel. A key during the question counts (barge-in: the question is stopped). Keys 1..5 are the
 * score; any other key is invalid: the question is asked again (after the invalid prompt) while tries are
 * left, like a timeout; out of tries is no response. Every Asterisk request of one survey goes out after
 * the previous one (play after stop after the bridge's end).
 *
 * <p>Crash safety: the channel carries {@value #SURVEY_VAR} ({@link SurveyMark}: tenant, queue, entry,
 * agent, and the outcome once logged) and loses call control's {@value CallControl#CONVERSATION_VAR}, so
 * that neither call control nor the ACD takes it back after a restart. At the next ARI resync a channel in
 * our application with a survey this process does not know (a CTI restart cut it short) is hung up: a
 * question asked again after a silence of unknown length would measure the outage rather than the call.
 * Its survey is logged as {@link SurveyOutcome#INTERRUPTED} unless its outcome was logged already. A
 * caller who hung up while the CTI was down leaves nothing to read: that survey is not counted.
 */
public final class SurveyService implements CallControl.Surveys {

    private static final Logger log = LoggerFactory.getLogger(SurveyService.class);

    /** On a survey's channel: its {@link SurveyMark}. Read back through ari.conf {@code channelvars}. */
    public static final String SURVEY_VAR = "CTI_SURVEY";

    /** Told after each survey's outcome was logged (metrics, the queue's published statistics). */
    @FunctionalInterface
    public interface Listener {
        void surveyEnded(TenantId tenant, QueueEvent.SurveyEnded event);

        Listener NONE = (tenant, event) -> { };
    }

    /** One customer's survey. Owned by the loop. */
    private static final class Survey {
        final ChannelId channel;
        final SurveyDefinition definition;
        SurveyMark mark;
        SurveyState state = SurveyState.ASKING;
        /** How often the question was asked (the current asking included). */
        int asks;
        long playbacks;
        /** The playback whose end moves the survey on; null when none. */
        String playing;
        DomainLoop.Cancellable timer;
        CompletableFuture<Void> chain;

        Survey(ChannelId channel, SurveyDefinition definition, SurveyMark mark, CompletableFuture<Void> chain) {
            this.channel = channel;
            this.definition = definition;
            this.mark = mark;
            this.chain = chain;
        }

        boolean decided() {
            return mark.outcome().isPresent();
        }
    }

    private final DomainLoop loop;
    private final AsteriskCommands asterisk;
    private final QueueEventLog events;
    private final Map<QueueId, SurveyDefinition> definitions;
    private final Listener listener;
    private final Map<ChannelId, Survey> surveys = new HashMap<>();
    private final Map<String, Survey> playbacks = new HashMap<>();
    private long taken;
    private long interrupted;

    /**
     * @param events      the ACD's statistics log, where each survey's outcome goes
     * @param definitions the queues that have a survey
     */
    public SurveyService(DomainLoop loop, AsteriskCommands asterisk, QueueEventLog events,
            Map<QueueId, SurveyDefinition> definitions, Listener listener) {
        this.loop = loop;
        this.asterisk = asterisk;
        this.events = events;
        this.definitions = Map.copyOf(definitions);
        this.listener = listener;
    }

    // ---- call control hands customers over -----------------------------------------------------------

    @Override
    public boolean offers(QueueId queue) {
        return definitions.containsKey(queue);
    }

    /**
     * The agent hung up; the customer stays on the line for {@code queue}'s survey. {@code ready}
     * completes when call control's last requests for the call are done (the bridge destroyed).
     */
    @Override
    public void take(ChannelId customer, TenantId tenant, QueueId queue, EntryId entry, AgentId agent,
            CompletableFuture<Void> ready) {
        loop.assertInLoop();
        SurveyDefinition d = definitions.get(queue);
        if (d == null) {
            throw new IllegalArgumentException("queue " + queue + " has no survey");
        }
        if (surveys.containsKey(customer)) {
            throw new IllegalStateException("survey of " + customer + " is already going on");
        }
        SurveyMark mark = new SurveyMark(tenant, queue, entry, agent, Optional.empty());
        Survey s = new Survey(customer, d, mark, CompletableFuture.completedFuture(null));
        surveys.put(customer, s);
        taken++;
        log.info("survey {}: queue {}, entry {}, agent {}: the customer stays on the line", customer, queue, entry, agent);
        // Marked first (a crash from now on finds a survey channel, not a conversation's party) ...
        step(s, "mark " + SURVEY_VAR, () -> asterisk.setVariable(customer, SURVEY_VAR, mark.encode()));
        step(s, "clear " + CallControl.CONVERSATION_VAR, () -> asterisk.setVariable(customer, CallControl.CONVERSATION_VAR, ""));
        // ... then, once the call's bridge is gone, the question.
        CompletableFuture<Void> marked = s.chain;
        s.chain = marked.thenCombine(ready.handle((x, e) -> null), (a, b) -> null);
        ask(s, false);
    }

    // ---- the machine ------------------------------------------------------------------------------------

    private void go(Survey s, SurveyState to) {
        if (s.state == to) {
            return;
        }
        if (!s.state.canGo(to)) {
            throw new IllegalStateException("survey " + s.channel + ": " + s.state + " -> " + to + " is not allowed");
        }
        log.info("survey {}: {} -> {}", s.channel, s.state, to);
        s.state = to;
    }

    /** Says the question (after the invalid prompt when {@code afterInvalid}). */
    private void ask(Survey s, boolean afterInvalid) {
        go(s, SurveyState.ASKING);
        s.asks++;
        List<String> media = new ArrayList<>();
        if (afterInvalid) {
            media.addAll(s.definition.invalid());
        }
        media.addAll(s.definition.question());
        play(s, media);
    }

    private void play(Survey s, List<String> media) {
        String id = "survey-" + s.channel.value() + "-" + (++s.playbacks);
        s.playing = id;
        playbacks.put(id, s);
        CompletableFuture<Void> r = s.chain.thenCompose(x -> asterisk.play(s.channel, id, media));
        s.chain = r.handle((x, e) -> null);
        r.whenCompleteAsync((x, err) -> {
            if (err != null) {
                // Nothing will be said: the survey moves on as if it had been (a gone channel ends it anyway).
                log.warn("survey {}: playing {} failed: {}", s.channel, media, describe(err));
                playbackEnded(id);
            }
        }, loop);
    }

    /** The playback the survey waits for ended (finished, stopped or failed). */
    private void playbackEnded(String id) {
        Survey s = playbacks.remove(id);
        if (s == null || !id.equals(s.playing) || surveys.get(s.channel) != s) {
            return;
        }
        s.playing = null;
        if (s.state == SurveyState.ASKING) {
            go(s, SurveyState.WAITING_KEY);
            s.timer = loop.schedule(() -> timedOut(s), s.definition.timeout());
        } else if (s.state == SurveyState.THANKING) {
            hangup(s);
        }
    }

    private void timedOut(Survey s) {
        s.timer = null;
        if (s.state != SurveyState.WAITING_KEY || surveys.get(s.channel) != s) {
            return;
        }
        log.info("survey {}: no key within {}s (asked {} of {} times)", s.channel, s.definition.timeout().toSeconds(),
                s.asks, s.definition.maxAsks());
        nextTry(s, false);
    }

    private void key(Survey s, char digit) {
        if (s.state != SurveyState.ASKING && s.state != SurveyState.WAITING_KEY) {
            log.info("survey {}: key {} ignored ({})", s.channel, digit, s.state);
            return;
        }
        cancelTimer(s);
        stopPlaying(s);
        if (digit >= '1' && digit <= '5') {
            int score = digit - '0';
            log.info("survey {}: score {}", s.channel, score);
            decide(s, SurveyOutcome.ANSWERED, score);
            thank(s);
            return;
        }
        log.info("survey {}: invalid key {} (asked {} of {} times)", s.channel, digit, s.asks, s.definition.maxAsks());
        nextTry(s, true);
    }

    /** Another asking when tries are left, else no response. */
    private void nextTry(Survey s, boolean afterInvalid) {
        if (s.asks < s.definition.maxAsks()) {
            ask(s, afterInvalid);
        } else {
            decide(s, SurveyOutcome.NO_RESPONSE, 0);
            thank(s);
        }
    }

    private void thank(Survey s) {
        go(s, SurveyState.THANKING);
        if (s.definition.thanks().isEmpty()) {
            hangup(s);
        } else {
            play(s, s.definition.thanks());
        }
    }

    private void stopPlaying(Survey s) {
        String id = s.playing;
        if (id == null) {
            return;
        }
        s.playing = null;
        playbacks.remove(id);
        // A playback already over answers 404: harmless.
        CompletableFuture<Void> r = s.chain.thenCompose(x -> asterisk.stopPlayback(id));
        s.chain = r.handle((x, e) -> null);
    }

    private void cancelTimer(Survey s) {
        if (s.timer != null) {
            s.timer.cancel();
            s.timer = null;
        }
    }

    /** Over: we hang the customer up (after the survey's other requests). */
    private void hangup(Survey s) {
        end(s);
        log.info("survey {}: over; hanging up", s.channel);
        step(s, "hang up", () -> asterisk.hangup(s.channel, HangupCause.NORMAL));
    }

    private void end(Survey s) {
        go(s, SurveyState.DONE);
        cancelTimer(s);
        surveys.remove(s.channel, s);
        playbacks.values().removeIf(x -> x == s);
        s.playing = null;
    }

    /** The outcome is known: logged once, and remembered on the channel (while there is one). */
    private void decide(Survey s, SurveyOutcome outcome, int score) {
        if (s.decided()) {
            return;
        }
        SurveyMark m = s.mark;
        s.mark = m.decided(outcome);
        record(m, outcome, score);
        if (outcome != SurveyOutcome.HUNG_UP) {
            String value = s.mark.encode();
            step(s, "mark outcome", () -> asterisk.setVariable(s.channel, SURVEY_VAR, value));
        }
    }

    private void record(SurveyMark m, SurveyOutcome outcome, int score) {
        QueueEvent.SurveyEnded e = new QueueEvent.SurveyEnded(loop.clock().instant(), m.queue(), m.entry(), m.agent(),
                outcome, score);
        events.append(e);
        log.info("survey of entry {} (queue {}, agent {}): {}{}", m.entry(), m.queue(), m.agent(), outcome,
                outcome == SurveyOutcome.ANSWERED ? " " + score : "");
        try {
            listener.surveyEnded(m.tenant(), e);
        } catch (RuntimeException ex) {
            log.error("survey listener failed for {}", e, ex);
        }
    }

    // ---- Asterisk's events ------------------------------------------------------------------------------

    /** Every Asterisk event, on the loop. */
    public void onEvent(AsteriskEvent event) {
        if (event instanceof AsteriskEvent.DtmfReceived d) {
            if (d.meta().source() == Source.ARI) {
                Survey s = surveys.get(d.channel());
                if (s != null) {
                    key(s, d.digit());
                }
            }
        } else if (event instanceof AsteriskEvent.PlaybackChanged p) {
            if (p.state() == PlaybackState.FINISHED || p.state() == PlaybackState.FAILED) {
                if (p.state() == PlaybackState.FAILED && playbacks.containsKey(p.playbackId())) {
                    log.warn("survey playback {} ({}) failed", p.playbackId(), p.media());
                }
                playbackEnded(p.playbackId());
            }
        } else if (event instanceof AsteriskEvent.ChannelHungUp h) {
            gone(h.channel());
        } else if (event instanceof AsteriskEvent.StasisEnded s) {
            gone(s.channel());
        } else if (event instanceof AsteriskEvent.ResyncSnapshot r && r.meta().source() == Source.ARI) {
            resync(r);
        }
    }

    private void gone(ChannelId channel) {
        Survey s = surveys.get(channel);
        if (s == null) {
            return;
        }
        log.info("survey {}: the customer hung up ({})", channel, s.state);
        decide(s, SurveyOutcome.HUNG_UP, 0);
        end(s);
    }

    /**
     * After every ARI (re)connect: surveys whose channels went meanwhile are over (hung up); those still
     * there may have missed their playback's end, so they move on as if it had come; survey channels this
     * process does not know (a restart) are logged as interrupted and hung up.
     */
    private void resync(AsteriskEvent.ResyncSnapshot r) {
        Map<ChannelId, ChannelSnapshot> listed = new HashMap<>();
        r.channels().forEach(ch -> listed.put(ch.id(), ch));
        for (Survey s : List.copyOf(surveys.values())) {
            if (!listed.containsKey(s.channel)) {
                log.info("survey {}: the channel went while ARI was down", s.channel);
                gone(s.channel);
            } else if (s.playing != null) {
                playbackEnded(s.playing);
            }
        }
        for (ChannelSnapshot ch : r.channels()) {
            String raw = ch.var(SURVEY_VAR);
            if (raw == null || raw.isBlank() || surveys.containsKey(ch.id())) {
                continue;
            }
            try {
                SurveyMark m = SurveyMark.decode(raw);
                if (m.outcome().isEmpty()) {
                    record(m, SurveyOutcome.INTERRUPTED, 0);
                    interrupted++;
                }
                log.info("survey {} (entry {}) was cut short by a CTI restart ({}); hanging up", ch.id(), m.entry(),
                        m.outcome().map(o -> "its outcome " + o + " was logged").orElse("logged as interrupted"));
            } catch (IllegalArgumentException e) {
                log.warn("survey channel {} carries an unreadable {} ({}); hanging up", ch.id(), SURVEY_VAR, e.getMessage());
            }
            asterisk.hangup(ch.id(), HangupCause.NORMAL).whenCompleteAsync((x, err) -> {
                if (err != null && !notFound(err)) {
                    log.warn("survey {}: could not hang up: {}", ch.id(), describe(err));
                }
            }, loop);
        }
    }

    // ---- requests ---------------------------------------------------------------------------------------

    /** Runs {@code op} after the survey's previous requests; a failure is logged, the chain goes on. */
    private void step(Survey s, String what, Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> r = s.chain.thenCompose(x -> op.get());
        s.chain = r.handle((x, e) -> null);
        r.whenCompleteAsync((x, err) -> {
            if (err != null) {
                if (notFound(err)) {
                    log.info("survey {}: {}: channel gone", s.channel, what);
                } else {
                    log.warn("survey {}: {} failed: {}", s.channel, what, describe(err));
                }
            }
        }, loop);
    }

    private static boolean notFound(Throwable err) {
        return AriException.isNotFound(err);
    }

    private static String describe(Throwable err) {
        return AriException.describeFailure(err);
    }

    // ---- queries (loop only) -------------------------------------------------------------------------------

    /** The state of {@code customer}'s survey; empty when none goes on. */
    public Optional<SurveyState> state(ChannelId customer) {
        return Optional.ofNullable(surveys.get(customer)).map(s -> s.state);
    }

    /** Surveys going on now. */
    public int active() {
        return surveys.size();
    }

    /** Customers handed over since start. */
    public long taken() {
        return taken;
    }

    /** Survey channels of an earlier run found at a resync with no outcome logged. */
    public long interrupted() {
        return interrupted;
    }
}
