package org.asteriskcti.server.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of this JVM at one instant: per Java thread (ThreadMXBean), for the whole process
 * (OperatingSystemMXBean, includes GC and JIT threads), and GC time. {@link #minus} gives the CPU
 * seconds spent in between, by thread group: the bench's clients ({@code bench-client-*}), its AMI
 * replay server ({@code bench-ami-*}), the bare Netty server ({@code bare-*}), and the CTI server
 * (every other application thread: {@code cti-domain}, the API event loops, asterisk-java's reader
 * and event threads, the AMI connector's threads).
 */
record CpuSample(Map<Long, Long> threadNanos, Map<Long, String> names, long processNanos, long gcMillis,
        long gcCount, long machineBusyTicks, long machineStealTicks) {

    /** {@code /proc/stat} counts in USER_HZ, 100 per second on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Set<String> JVM_THREADS = Set.of("Reference Handler", "Finalizer", "Signal Dispatcher",
            "Common-Cleaner", "Notification Thread", "Attach Listener", "main");

    enum Group { CTI_SERVER, BARE_SERVER, CLIENTS, AMI_REPLAY, OTHER }

    static CpuSample take() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long t = threads.getThreadCpuTime(info.getThreadId());
            if (t >= 0) {
                cpu.put(info.getThreadId(), t);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long gcMillis = 0;
        long gcCount = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
        }
        long[] machine = machineTicks();
        return new CpuSample(cpu, names, process, gcMillis, gcCount, machine[0], machine[1]);
    }

    /**
     * Busy (user + nice + system + irq + softirq) and steal ticks of the whole machine from the first
     * line of {@code /proc/stat}; -1 where there is none. Busy minus this process's CPU is what other
     * processes took from the shared cores during a run.
     */
    private static long[] machineTicks() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return new long[] {busy, Long.parseLong(f[8])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** CPU seconds the whole machine was busy between the samples (all processes), or -1. */
    double machineBusySeconds(CpuSample before) {
        return machineBusyTicks < 0 || before.machineBusyTicks < 0 ? -1
                : (machineBusyTicks - before.machineBusyTicks) / TICKS_PER_SECOND;
    }

    /** Seconds the hypervisor gave the machine's vCPUs to someone else between the samples, or -1. */
    double stealSeconds(CpuSample before) {
        return machineStealTicks < 0 || before.machineStealTicks < 0 ? -1
                : (machineStealTicks - before.machineStealTicks) / TICKS_PER_SECOND;
    }

    static Group group(String name) {
        if (name.startsWith("bench-client")) {
            return Group.CLIENTS;
        }
        if (name.startsWith("bench-ami")) {
            return Group.AMI_REPLAY;
        }
        if (name.startsWith("bare-")) {
            return Group.BARE_SERVER;
        }
        if (JVM_THREADS.contains(name)) {
            return Group.OTHER;
        }
        return Group.CTI_SERVER;
    }

    /** CPU seconds per group between {@code before} and this sample; threads born in between count whole. */
    Map<Group, Double> minus(CpuSample before) {
        Map<Group, Double> out = new HashMap<>();
        for (Group g : Group.values()) {
            out.put(g, 0.0);
        }
        threadNanos.forEach((id, nanos) -> {
            long delta = nanos - before.threadNanos.getOrDefault(id, 0L);
            out.merge(group(names.get(id)), delta / 1e9, Double::sum);
        });
        return out;
    }

    double processSeconds(CpuSample before) {
        return (processNanos - before.processNanos) / 1e9;
    }
}
