package org.asteriskcti.server.storage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * One daemon thread that stores what any thread appends, so that appending never waits for the database.
 * The stores' common part: the backlog, the writer thread, retrying, flushing and closing.
 * <ul>
 *   <li>{@link #append} only adds the item to an in-memory backlog; the writer hands the oldest
 *       {@link Settings#writeBatch} to the {@link Sink}, in order. An item leaves the backlog once the sink
 *       reports it finished (committed, or refused and dealt with by the sink), so nothing is dropped.</li>
 *   <li><b>The sink fails</b> ({@link SQLException} or a {@link RuntimeException}): the items it did not report
 *       stay and are tried again after a backoff doubling from {@link Settings#retryMin} to
 *       {@link Settings#retryMax}. One WARN when the outage starts, one INFO when it ends (how long it lasted,
 *       the backlog), DEBUG in between.</li>
 *   <li><b>Coalescing</b> ({@link #coalescing}): an item appended while one with the same key is pending
 *       replaces it and moves to the end; one being stored while replaced stays pending as the newer one.</li>
 *   <li>{@link #close} stops taking items, waits {@link Settings#closeTimeout} for the backlog to be stored and
 *       returns what is left: what to do with it (log it, spill it) is the store's.</li>
 * </ul>
 * Everything is logged to the store's logger, each line starting with the store's name.
 *
 * @param <T> what is stored
 */
public final class BatchWriter<T> {

    /**
     * @param writeBatch   most items handed to the sink at once
     * @param retryMin     first wait before retrying after the sink failed; doubles per failure
     * @param retryMax     longest wait between retries
     * @param closeTimeout how long {@link #close} waits for the backlog to be stored
     */
    public record Settings(int writeBatch, Duration retryMin, Duration retryMax, Duration closeTimeout) {
        public Settings {
            if (writeBatch < 1) {
                throw new IllegalArgumentException("writeBatch must be at least 1, got " + writeBatch);
            }
            if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
                throw new IllegalArgumentException("need 0 < retryMin <= retryMax, got " + retryMin + ", " + retryMax);
            }
            Objects.requireNonNull(closeTimeout, "closeTimeout");
        }
    }

    /**
     * How the writer names itself.
     *
     * @param log    the store's logger
     * @param store  the store as log lines start, e.g. {@code "queue event store"}
     * @param items  what it stores, plural, e.g. {@code "events"}
     * @param thread the writer thread's name
     */
    public record Names(Logger log, String store, String items, String thread) {}

    /** Stores a batch; called on the writer thread only. */
    @FunctionalInterface
    public interface Sink<T> {
        /**
         * Stores {@code batch}, the oldest pending items in order. {@code done.finished(n)} says the next
         * {@code n} items of the batch are finished (committed, or refused and logged), as soon as they are;
         * returning normally finishes the rest of the batch.
         *
         * @throws SQLException the database failed: the items not reported finished stay and are retried
         */
        void store(List<T> batch, Progress done) throws SQLException;
    }

    /** How a {@link Sink} reports the items of its batch finished, in order. */
    @FunctionalInterface
    public interface Progress {
        void finished(int n);
    }

    /** One append; identity equality, so that a coalesced item is only removed if not replaced meanwhile. */
    private static final class Slot<T> {
        final Object key;
        final T item;
        final long number;

        Slot(Object key, T item, long number) {
            this.key = key;
            this.item = item;
            this.number = number;
        }
    }

    private final Names names;
    private final Logger log;
    private final Settings settings;
    private final Function<? super T, ?> key;
    private final Sink<T> sink;

    private final Object lock = new Object();
    /** Appended, not finished yet, oldest first (append numbers increase along it). Guarded by lock. */
    private final LinkedHashMap<Object, Slot<T>> backlog = new LinkedHashMap<>();
    private long appended;
    private boolean closing;
    private boolean stop;
    private final Thread writer;

    /** A writer storing every item appended; its thread runs from now on. */
    public BatchWriter(Names names, Settings settings, Sink<T> sink) {
        this(names, settings, null, sink);
    }

    /** A writer storing only the latest item appended per {@code key}; its thread runs from now on. */
    public static <T> BatchWriter<T> coalescing(Names names, Settings settings, Function<? super T, ?> key, Sink<T> sink) {
        return new BatchWriter<>(names, settings, Objects.requireNonNull(key, "key"), sink);
    }

    private BatchWriter(Names names, Settings settings, Function<? super T, ?> key, Sink<T> sink) {
        this.names = names;
        this.log = names.log();
        this.settings = settings;
        this.key = key;
        this.sink = sink;
        this.writer = new Thread(this::run, names.thread());
        writer.setDaemon(true);
        writer.setUncaughtExceptionHandler((t, ex) -> log.error("{}: the writer thread died; {} are no longer stored "
                + "({} pending)", names.store(), names.items(), pending(), ex));
        writer.start();
    }

    // ---- appending ----------------------------------------------------------------------------

    /** Adds {@code item} to the backlog; false (and nothing added) once {@link #close} began. */
    public boolean append(T item) {
        Objects.requireNonNull(item, "item");
        synchronized (lock) {
            if (closing) {
                return false;
            }
            Object k = key == null ? new Object() : key.apply(item);
            backlog.remove(k); // re-inserted last: stored in the order of their last append
            backlog.put(k, new Slot<>(k, item, ++appended));
            lock.notifyAll();
            return true;
        }
    }

    /** Items appended and not finished yet. */
    public int pending() {
        synchronized (lock) {
            return backlog.size();
        }
    }

    /** The items not finished yet, oldest first: what a read must lay over the database's rows. */
    public List<T> pendingItems() {
        synchronized (lock) {
            return backlog.values().stream().map(s -> s.item).toList();
        }
    }

    /** Waits until everything appended before this call is finished; false when {@code timeout} passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            return awaitFinished(appended, timeout);
        }
    }

    /** Call holding lock: waits until no item appended up to number {@code target} is pending. */
    private boolean awaitFinished(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!backlog.isEmpty() && backlog.values().iterator().next().number <= target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            lock.wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    // ---- the writer ---------------------------------------------------------------------------

    private void run() {
        Duration backoff = settings.retryMin();
        long outageStart = 0;
        boolean failing = false;
        while (true) {
            List<Slot<T>> batch;
            synchronized (lock) {
                try {
                    while (backlog.isEmpty() && !closing && !stop) {
                        lock.wait();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (stop || backlog.isEmpty()) {
                    return;
                }
                batch = head(settings.writeBatch());
            }
            try {
                store(batch);
                if (failing) {
                    failing = false;
                    backoff = settings.retryMin();
                    log.info("{}: the database takes {} again after {}; catching up {} pending", names.store(),
                            names.items(), fmt(Duration.ofNanos(System.nanoTime() - outageStart)), pending());
                }
            } catch (SQLException | RuntimeException e) {
                if (!failing) {
                    failing = true;
                    outageStart = System.nanoTime();
                    log.warn("{}: cannot write to the database ({}); keeping {} in memory and retrying (after {}, "
                            + "doubling up to {}) until it answers", names.store(), SqlErrors.describe(e), names.items(),
                            fmt(backoff), fmt(settings.retryMax()));
                } else {
                    log.debug("{}: still failing ({}), {} {} pending", names.store(), SqlErrors.describe(e), pending(),
                            names.items());
                }
                if (!sleep(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax()
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** Hands {@code batch} to the sink; what it reports, and on return the rest, leaves the backlog. */
    private void store(List<Slot<T>> batch) throws SQLException {
        int[] reported = {0};
        sink.store(batch.stream().map(s -> s.item).toList(), n -> {
            if (n < 0 || reported[0] + n > batch.size()) {
                throw new IllegalStateException("finished " + n + " more of a batch of " + batch.size() + ", "
                        + reported[0] + " already");
            }
            finished(batch.subList(reported[0], reported[0] + n));
            reported[0] += n;
        });
        finished(batch.subList(reported[0], batch.size()));
    }

    /** The slots are stored: out of the backlog, unless appended again meanwhile (coalescing). */
    private void finished(List<Slot<T>> slots) {
        if (slots.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (Slot<T> s : slots) {
                backlog.remove(s.key, s);
            }
            lock.notifyAll();
        }
    }

    /** Waits {@code d} unless told to stop; false when told to stop. */
    private boolean sleep(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (lock) {
            try {
                while (!stop) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return true;
                    }
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                return false;
            }
            return false;
        }
    }

    /** Call holding lock: the oldest {@code n} pending slots (not removed). */
    private List<Slot<T>> head(int n) {
        List<Slot<T>> out = new ArrayList<>(Math.min(n, backlog.size()));
        Iterator<Slot<T>> it = backlog.values().iterator();
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    // ---- closing ------------------------------------------------------------------------------

    /**
     * Stops taking items, waits up to {@link Settings#closeTimeout} for the backlog to be stored (one WARN if
     * it is not), stops the writer (waiting as long again for a database call it is in) and returns the items
     * not stored, oldest first. A second call returns nothing.
     */
    public List<T> close() {
        synchronized (lock) {
            if (closing) {
                return List.of();
            }
            closing = true;
            lock.notifyAll();
            try {
                if (!awaitFinished(appended, settings.closeTimeout())) {
                    log.warn("{}: {} {} still not stored after {}", names.store(), backlog.size(), names.items(),
                            fmt(settings.closeTimeout()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop = true;
            lock.notifyAll();
        }
        try {
            writer.join(Math.max(1, settings.closeTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pendingItems();
    }

    /** The writer thread still runs: after {@link #close}, it is stuck in a call to the sink. */
    public boolean writing() {
        return writer.isAlive();
    }

    static String fmt(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }
}
