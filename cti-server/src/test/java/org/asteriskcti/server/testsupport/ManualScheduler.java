package org.asteriskcti.server.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.asteriskcti.server.domain.DomainLoop;

/**
 * A deterministic domain scheduler for tests: tasks queue up and run when the test calls
 * {@link #runAll()}; timers fire when {@link #advance(Duration)} moves the {@link FakeClock}.
 * Not thread-safe: tests drive it from one thread.
 */
public final class ManualScheduler implements DomainLoop.Scheduler {

    private record Timer(Instant due, long order, Runnable task, boolean[] cancelled) {}

    private final FakeClock clock;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private long order;
    private boolean running;

    public ManualScheduler(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public DomainLoop.Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        timers.add(new Timer(clock.instant().plus(delay), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public boolean inLoop() {
        return running;
    }

    @Override
    public int pending() {
        return tasks.size();
    }

    @Override
    public void shutdown() {
        tasks.clear();
        timers.clear();
    }

    /** Runs queued tasks (and the tasks they queue) until none is left. */
    public void runAll() {
        running = true;
        try {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        } finally {
            running = false;
        }
    }

    /** Moves the clock forward, firing due timers in time order, then runs what they queued. */
    public void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        runAll();
        while (true) {
            Timer next = timers.stream()
                    .filter(t -> !t.cancelled()[0] && !t.due().isAfter(end))
                    .min(Comparator.comparing(Timer::due).thenComparingLong(Timer::order))
                    .orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            if (next.due().isAfter(clock.instant())) {
                clock.set(next.due());
            }
            tasks.add(next.task());
            runAll();
        }
        clock.set(end);
        timers.removeIf(t -> t.cancelled()[0]);
    }

    public int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled()[0]).count();
    }
}
