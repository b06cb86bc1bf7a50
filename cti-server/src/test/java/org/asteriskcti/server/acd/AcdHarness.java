package org.asteriskcti.server.acd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asteriskcti.server.acd.stats.QueueEvent;
import org.asteriskcti.server.acd.stats.QueueEventLog;
import org.asteriskcti.server.agent.AgentProfile;
import org.asteriskcti.server.agent.AgentView;
import org.asteriskcti.server.agent.NotReadyReasons;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.ChannelId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.asteriskcti.server.testsupport.FakeClock;
import org.asteriskcti.server.testsupport.ManualScheduler;

/** An {@link AcdService} on a manual loop with a fake clock; every call runs as a loop task. */
final class AcdHarness {

    final FakeClock clock = FakeClock.at("2026-11-23T09:00:00Z");
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final DomainLoop loop = new DomainLoop(scheduler, clock);
    final RecordingPort port = new RecordingPort();
    final QueueEventLog log;
    AcdService acd;

    AcdHarness(List<QueueDefinition> queues, List<AgentProfile> agents) {
        this(queues, agents, 20, Duration.ofMinutes(30));
    }

    AcdHarness(List<QueueDefinition> queues, List<AgentProfile> agents, int handleTimeWindow, Duration ewtCap) {
        this(queues, agents, handleTimeWindow, ewtCap, new QueueEventLog());
    }

    /** An ACD writing to {@code log} (one with a sink, or restored from storage). */
    AcdHarness(List<QueueDefinition> queues, List<AgentProfile> agents, int handleTimeWindow, Duration ewtCap,
            QueueEventLog log) {
        this.log = log;
        acd = new AcdService(loop, port, log, new AcdConfig(queues, agents, NotReadyReasons.of("break", "lunch"),
                Map.of(), handleTimeWindow, ewtCap));
    }

    /** Runs {@code task} on the loop and returns its result, or throws what it threw. */
    <T> T call(Supplier<T> task) {
        CompletableFuture<T> f = loop.call(task);
        scheduler.runAll();
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    void advance(long seconds) {
        scheduler.advance(Duration.ofSeconds(seconds));
    }

    /** Phones online and logged in READY one second apart, in order: the first is idle longest. */
    void ready(String... agents) {
        for (String a : agents) {
            run(() -> {
                acd.phoneOnline(AgentId.of(a));
                acd.agentLogin(AgentId.of(a), true);
            });
            advance(1);
        }
    }

    EntryId enqueue(String caller, String queue) {
        return enqueue(EnqueueRequest.newCaller(ChannelId.of(caller), QueueId.of(queue), clock.instant()));
    }

    EntryId enqueue(EnqueueRequest r) {
        return call(() -> acd.enqueue(r));
    }

    AgentView agent(String id) {
        return call(() -> acd.agent(AgentId.of(id)));
    }

    EntryView entry(EntryId id) {
        return call(() -> acd.entry(id)).orElseThrow();
    }

    <T extends QueueEvent> List<T> events(Class<T> type) {
        return log.events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Offer answered and bridged. */
    void answer(EntryId entry, String agent) {
        run(() -> acd.agentLegAnswered(entry, AgentId.of(agent)));
    }

    void agentHangsUp(EntryId entry, String agent) {
        run(() -> acd.agentLegHungUp(entry, AgentId.of(agent)));
    }
}
