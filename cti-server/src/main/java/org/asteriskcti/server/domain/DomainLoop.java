package org.asteriskcti.server.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns calls, agents, queues and client sessions. Every change to domain state
 * is a task submitted here; nothing in the domain takes a lock. A failing task is logged and the loop
 * goes on.
 *
 * <p>Production uses a single-threaded scheduled executor; tests pass a manual executor and a fake
 * clock through {@link Scheduler}.
 */
public final class DomainLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(DomainLoop.class);

    /** Runs tasks and timers; one implementation per environment (real thread, manual test loop). */
    public interface Scheduler {
        void execute(Runnable task);

        Cancellable schedule(Runnable task, Duration delay);

        boolean inLoop();

        /** Tasks waiting to run (a gauge: a growing number means the loop is falling behind). */
        int pending();

        void shutdown();
    }

    /** A scheduled timer that can be cancelled. */
    @FunctionalInterface
    public interface Cancellable {
        void cancel();
    }

    private final Scheduler scheduler;
    private final Clock clock;
    private volatile long failedTasks;

    public DomainLoop(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** A loop on its own daemon thread named {@code cti-domain}. */
    public static DomainLoop started(Clock clock) {
        return new DomainLoop(new ThreadScheduler(), clock);
    }

    public Clock clock() {
        return clock;
    }

    /**
     * A clock that stands still during each task: every read inside one task (one input: an Asterisk
     * event, a client command, a timer) gives the time of that task's first read. All facts one input
     * causes then carry the same instant, so logs of them stay in time order however long the task
     * runs. Outside the loop it reads the real clock.
     */
    public Clock taskClock() {
        return taskClock;
    }

    private long taskSeq;
    private final Clock taskClock = new TaskClock();

    private final class TaskClock extends Clock {
        private long seenTask = -1;
        private Instant at;

        @Override
        public Instant instant() {
            if (!scheduler.inLoop()) {
                return clock.instant();
            }
            if (seenTask != taskSeq) {
                seenTask = taskSeq;
                at = clock.instant();
            }
            return at;
        }

        @Override
        public java.time.ZoneId getZone() {
            return clock.getZone();
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the task clock is the loop's own");
        }
    }

    @Override
    public void execute(Runnable task) {
        scheduler.execute(() -> runGuarded(task));
    }

    /** Runs {@code task} on the loop and completes with its result. */
    public <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            taskSeq++;
            try {
                result.complete(task.get());
            } catch (RuntimeException | Error e) {
                log.error("domain task failed", e);
                failedTasks++;
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public Cancellable schedule(Runnable task, Duration delay) {
        return scheduler.schedule(() -> runGuarded(task), delay);
    }

    /** True when the caller is the loop thread. */
    public boolean inLoop() {
        return scheduler.inLoop();
    }

    /** Fails fast when domain state is touched from another thread. */
    public void assertInLoop() {
        if (!scheduler.inLoop()) {
            throw new IllegalStateException("domain state touched outside the domain loop by " + Thread.currentThread().getName());
        }
    }

    public int pending() {
        return scheduler.pending();
    }

    public long failedTasks() {
        return failedTasks;
    }

    public void shutdown() {
        scheduler.shutdown();
    }

    private void runGuarded(Runnable task) {
        taskSeq++;
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            failedTasks++;
            log.error("domain task failed; the loop goes on", e);
        }
    }

    /** The production scheduler: one daemon thread. */
    static final class ThreadScheduler implements Scheduler {
        private final ScheduledExecutorService executor;
        private volatile Thread thread;

        ThreadScheduler() {
            java.util.concurrent.ScheduledThreadPoolExecutor e = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "cti-domain");
                t.setDaemon(true);
                thread = t;
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            this.executor = e;
        }

        @Override
        public void execute(Runnable task) {
            try {
                executor.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("domain loop shut down: task dropped");
            }
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            try {
                ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("domain loop shut down: timer dropped");
                return () -> { };
            }
        }

        @Override
        public int pending() {
            return ((java.util.concurrent.ScheduledThreadPoolExecutor) executor).getQueue().size();
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void shutdown() {
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
