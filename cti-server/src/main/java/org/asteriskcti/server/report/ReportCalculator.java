package org.asteriskcti.server.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.asteriskcti.server.acd.EntryId;
import org.asteriskcti.server.acd.EntryOrigin;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Abandoned;
import org.asteriskcti.server.acd.stats.QueueEvent.AgentStateInterval;
import org.asteriskcti.server.acd.stats.QueueEvent.Answered;
import org.asteriskcti.server.acd.stats.QueueEvent.CallbackRequested;
import org.asteriskcti.server.acd.stats.QueueEvent.Completed;
import org.asteriskcti.server.acd.stats.QueueEvent.Entered;
import org.asteriskcti.server.acd.stats.QueueEvent.EntryEvent;
import org.asteriskcti.server.acd.stats.QueueEvent.Overflowed;
import org.asteriskcti.server.acd.stats.QueueEvent.SurveyEnded;
import org.asteriskcti.server.acd.stats.QueueStatistics;
import org.asteriskcti.server.acd.stats.QueueStatistics.Thresholds;
import org.asteriskcti.server.agent.AgentState;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;

/**
 * Report rows from the statistics log: pure functions of the events (no I/O, no clock but the
 * {@code now} given). {@code docs/reports.md} states every rule; in short:
 * <ul>
 *   <li><b>Queues</b>: every event counts in the interval its own time falls in, exactly as
 *       {@link QueueStatistics#period} counts a period: a row is {@code period} of its interval, and the
 *       total row of a day is the day's figures on the wallboard. {@code transfers}: the queue's answered
 *       calls its agents transferred on ({@code Transferred}, when the transfer was done);
 *       {@code transfersIn}: visits entering the queue by a transfer ({@code Entered} origin TRANSFERRED).</li>
 *   <li><b>DIDs</b>: the same figures, with each event put under the DID of its visit's first
 *       {@code Entered} (origin NEW; {@code unknown} when that was stored without a DID). Visits that did not
 *       start with a call to a DID (transfers, overflows, callbacks) are left out, and so are events whose
 *       visit's {@code Entered} is not among the events given (older than the look-back).</li>
 *   <li><b>Agents</b>: each {@link AgentStateInterval} is the time {@code [at − inFromState, at)} in its
 *       {@code from} state, split exactly at interval boundaries and clipped to the range; the state after an
 *       agent's last change is counted up to {@code to} or {@code now}, whichever is first; an agent
 *       without any change in the range is in the state of their last change before it all along.</li>
 * </ul>
 */
public final class ReportCalculator {

    /** The reason shown for NOT_READY time whose reason the log does not hold. */
    public static final String UNKNOWN_REASON = "unknown";
    /** The DID shown for visits stored without one (before DIDs were logged). */
    public static final String UNKNOWN_DID = "unknown";

    private ReportCalculator() {}

    // ---- queues and DIDs ----------------------------------------------------------------------------

    /**
     * One row per (queue, interval) with at least one counted event, then per queue its total row; queues
     * in id order. {@code queues}: the queues to report (also those without events: a zero total row).
     */
    public static List<QueueRow> queues(List<QueueEvent> events, Buckets buckets, Collection<QueueId> queues,
            Function<QueueId, Thresholds> thresholds) {
        Set<QueueId> only = Set.copyOf(queues);
        Map<String, Acc[]> rows = new TreeMap<>();
        for (QueueId q : only) {
            rows.put(q.value(), new Acc[buckets.size()]);
        }
        for (QueueEvent e : events) {
            if (e instanceof EntryEvent ee && only.contains(ee.queue())) {
                count(rows, ee.queue().value(), e, buckets, thresholds.apply(ee.queue()));
            }
        }
        return rows(rows, buckets);
    }

    /**
     * As {@link #queues}, per DID. {@code events} may start before the range (the look-back): those only
     * tell the DIDs of visits that began earlier. {@code did}: only that DID's rows, when given.
     */
    public static List<QueueRow> dids(List<QueueEvent> events, Buckets buckets, Optional<String> did,
            Function<QueueId, Thresholds> thresholds) {
        Map<EntryId, String> didOf = new HashMap<>();
        for (QueueEvent e : events) {
            if (e instanceof Entered en) {
                if (en.origin() == EntryOrigin.NEW) {
                    didOf.put(en.entry(), en.did() == null ? UNKNOWN_DID : en.did());
                } else if (en.origin() != EntryOrigin.RESTORED) {
                    didOf.putIfAbsent(en.entry(), null); // a transfer, overflow, callback: no call to a DID
                }
            }
        }
        Map<String, Acc[]> rows = new TreeMap<>();
        did.ifPresent(d -> rows.put(d, new Acc[buckets.size()]));
        for (QueueEvent e : events) {
            if (!(e instanceof EntryEvent ee) || buckets.indexOf(e.at()) < 0) {
                continue;
            }
            String key = didOf.get(ee.entry());
            if (key == null || did.isPresent() && !did.get().equals(key)) {
                continue;
            }
            rows.computeIfAbsent(key, k -> new Acc[buckets.size()]);
            count(rows, key, e, buckets, thresholds.apply(ee.queue()));
        }
        return rows(rows, buckets);
    }

    private static void count(Map<String, Acc[]> rows, String key, QueueEvent e, Buckets buckets, Thresholds t) {
        int i = buckets.indexOf(e.at());
        if (i < 0 || !counts(e)) {
            return;
        }
        Acc[] row = rows.get(key);
        if (row[i] == null) {
            row[i] = new Acc();
        }
        row[i].add(e, t);
    }

    /** The events that change a queue row (offers and their ends do not). */
    private static boolean counts(QueueEvent e) {
        return e instanceof Entered || e instanceof Answered || e instanceof Abandoned || e instanceof Overflowed
                || e instanceof CallbackRequested || e instanceof Completed || e instanceof SurveyEnded
                || e instanceof QueueEvent.Transferred;
    }

    private static List<QueueRow> rows(Map<String, Acc[]> rows, Buckets buckets) {
        List<QueueRow> out = new ArrayList<>();
        rows.forEach((key, accs) -> {
            Acc total = new Acc();
            for (int i = 0; i < accs.length; i++) {
                if (accs[i] != null) {
                    out.add(accs[i].row(buckets.start(i), key));
                    total.merge(accs[i]);
                }
            }
            out.add(total.row(null, key));
        });
        return out;
    }

    /** The counts of one row, exactly as {@link QueueStatistics#period} counts. */
    private static final class Acc {
        int offered;
        int answered;
        int within;
        int abandoned;
        int shortAbandoned;
        int overflowed;
        int callbacks;
        int transfers;
        int transfersIn;
        int completed;
        long answerWaitMillis;
        long handleMillis;
        Duration longest = Duration.ZERO;
        int surveyOffered;
        int surveyAnswered;
        int surveyTopTwo;

        void add(QueueEvent e, Thresholds t) {
            Duration endedWait = null;
            if (e instanceof Entered en) {
                if (en.origin() != EntryOrigin.RESTORED && en.origin() != EntryOrigin.CALLBACK) {
                    offered++;
                }
                if (en.origin() == EntryOrigin.TRANSFERRED) {
                    transfersIn++;
                }
            } else if (e instanceof QueueEvent.Transferred) {
                transfers++;
            } else if (e instanceof Answered a) {
                answered++;
                if (QueueStatistics.answeredWithin(a.waited(), t.serviceLevel())) {
                    within++;
                }
                answerWaitMillis += a.waited().toMillis();
                endedWait = a.waited();
            } else if (e instanceof Abandoned a) {
                if (QueueStatistics.isShortAbandon(a.waited(), t.shortAbandon())) {
                    shortAbandoned++;
                } else {
                    abandoned++;
                }
                endedWait = a.waited();
            } else if (e instanceof Overflowed o) {
                overflowed++;
                endedWait = o.waited();
            } else if (e instanceof CallbackRequested c) {
                callbacks++;
                endedWait = c.waited();
            } else if (e instanceof Completed c) {
                completed++;
                handleMillis += c.handleTime().toMillis();
            } else if (e instanceof SurveyEnded s) {
                surveyOffered++;
                if (s.outcome() == QueueEvent.SurveyOutcome.ANSWERED) {
                    surveyAnswered++;
                    if (s.score() >= 4) {
                        surveyTopTwo++;
                    }
                }
            }
            if (endedWait != null && endedWait.compareTo(longest) > 0) {
                longest = endedWait;
            }
        }

        void merge(Acc o) {
            offered += o.offered;
            answered += o.answered;
            within += o.within;
            abandoned += o.abandoned;
            shortAbandoned += o.shortAbandoned;
            overflowed += o.overflowed;
            callbacks += o.callbacks;
            transfers += o.transfers;
            transfersIn += o.transfersIn;
            completed += o.completed;
            answerWaitMillis += o.answerWaitMillis;
            handleMillis += o.handleMillis;
            if (o.longest.compareTo(longest) > 0) {
                longest = o.longest;
            }
            surveyOffered += o.surveyOffered;
            surveyAnswered += o.surveyAnswered;
            surveyTopTwo += o.surveyTopTwo;
        }

        QueueRow row(Instant start, String key) {
            return new QueueRow(start, key, offered, answered, within, abandoned, shortAbandoned, overflowed,
                    callbacks, transfers, transfersIn, completed, answerWaitMillis, handleMillis, longest, surveyOffered,
                    surveyAnswered, surveyTopTwo);
        }
    }

    // ---- agents -------------------------------------------------------------------------------------

    /**
     * One row per (agent, interval) with logged-in time or a call handled, then per agent their total row;
     * agents in id order.
     *
     * @param events  the tenant's events of the range (others are ignored)
     * @param before  each agent's last state change before the range (their state when it starts)
     * @param agents  the agents to report (also those without events: a zero total row)
     * @param now     time after which nothing is counted (an agent's current state runs up to now)
     */
    public static List<AgentRow> agents(List<QueueEvent> events, Map<AgentId, AgentStateInterval> before,
            Buckets buckets, Collection<AgentId> agents, Instant now) {
        Set<AgentId> only = Set.copyOf(agents);
        Map<AgentId, AgentAcc[]> rows = new TreeMap<>(java.util.Comparator.comparing(AgentId::value));
        Map<AgentId, AgentStateInterval> last = new HashMap<>();
        for (AgentId a : only) {
            rows.put(a, new AgentAcc[buckets.size()]);
            if (before.containsKey(a)) {
                last.put(a, before.get(a));
            }
        }
        Instant end = now.isBefore(buckets.to()) ? now : buckets.to();
        for (QueueEvent e : events) {
            if (buckets.indexOf(e.at()) < 0) {
                continue;
            }
            if (e instanceof AgentStateInterval s && only.contains(s.agent())) {
                AgentStateInterval previous = last.put(s.agent(), s);
                String reason = s.from() != AgentState.NOT_READY ? null
                        : previous != null && previous.to() == AgentState.NOT_READY && previous.reason() != null
                                ? previous.reason().code() : UNKNOWN_REASON;
                spread(rows.get(s.agent()), buckets, s.at().minus(s.inFromState()), min(s.at(), end), s.from(), reason);
            } else if (e instanceof Completed c && only.contains(c.agent())) {
                acc(rows.get(c.agent()), buckets.indexOf(c.at())).completed(c);
            }
        }
        last.forEach((agent, s) -> spread(rows.get(agent), buckets, s.at(), end, s.to(),
                s.to() == AgentState.NOT_READY ? (s.reason() == null ? UNKNOWN_REASON : s.reason().code()) : null));
        List<AgentRow> out = new ArrayList<>();
        rows.forEach((agent, accs) -> {
            AgentAcc total = new AgentAcc();
            for (int i = 0; i < accs.length; i++) {
                if (accs[i] != null) {
                    out.add(accs[i].row(buckets.start(i), agent.value()));
                    total.merge(accs[i]);
                }
            }
            out.add(total.row(null, agent.value()));
        });
        return out;
    }

    /** Adds {@code [from, to)} in {@code state} to the rows it overlaps, clipped to the range. */
    private static void spread(AgentAcc[] row, Buckets buckets, Instant from, Instant to, AgentState state,
            String reason) {
        if (state == AgentState.LOGGED_OUT) {
            return;
        }
        Instant start = from.isBefore(buckets.from()) ? buckets.from() : from;
        Instant stop = min(to, buckets.to());
        if (!start.isBefore(stop)) {
            return;
        }
        for (int i = buckets.indexOf(start); i < buckets.size() && buckets.start(i).isBefore(stop); i++) {
            Instant s = max(start, buckets.start(i));
            Instant e = min(stop, buckets.end(i));
            acc(row, i).add(state, reason, Duration.between(s, e).toNanos());
        }
    }

    private static AgentAcc acc(AgentAcc[] row, int i) {
        if (row[i] == null) {
            row[i] = new AgentAcc();
        }
        return row[i];
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static final class AgentAcc {
        long loggedIn;
        long ready;
        long notReady;
        final Map<String, Long> byReason = new TreeMap<>();
        long reserved;
        long onCall;
        long wrapUp;
        long onOther;
        int handled;
        long handleMillis;

        void add(AgentState state, String reason, long nanos) {
            loggedIn += nanos;
            switch (state) {
                case READY -> ready += nanos;
                case NOT_READY -> {
                    notReady += nanos;
                    byReason.merge(reason, nanos, Long::sum);
                }
                case RESERVED -> reserved += nanos;
                case ON_CALL -> onCall += nanos;
                case WRAP_UP -> wrapUp += nanos;
                case ON_OTHER -> onOther += nanos;
                case LOGGED_OUT -> throw new IllegalArgumentException("logged-out time is not counted");
            }
        }

        void completed(Completed c) {
            handled++;
            handleMillis += c.handleTime().toMillis();
        }

        void merge(AgentAcc o) {
            loggedIn += o.loggedIn;
            ready += o.ready;
            notReady += o.notReady;
            o.byReason.forEach((k, v) -> byReason.merge(k, v, Long::sum));
            reserved += o.reserved;
            onCall += o.onCall;
            wrapUp += o.wrapUp;
            onOther += o.onOther;
            handled += o.handled;
            handleMillis += o.handleMillis;
        }

        AgentRow row(Instant start, String agent) {
            return new AgentRow(start, agent, loggedIn, ready, notReady, byReason, reserved, onCall, wrapUp, onOther,
                    handled, handleMillis);
        }
    }

    // ---- usage ----------------------------------------------------------------------------------------

    /** The tenant's usage: from the agents' and the queues' total rows of the same range. */
    public static Usage usage(List<AgentRow> agentRows, List<QueueRow> queueRows) {
        long loggedIn = 0;
        long handle = 0;
        int handled = 0;
        for (AgentRow r : agentRows) {
            if (r.intervalStart() == null) {
                loggedIn += r.loggedInNanos();
                handle += r.handleMillis();
                handled += r.callsHandled();
            }
        }
        int offered = queueRows.stream().filter(r -> r.intervalStart() == null).mapToInt(QueueRow::offered).sum();
        return new Usage(loggedIn, handle, handled, offered);
    }
}
