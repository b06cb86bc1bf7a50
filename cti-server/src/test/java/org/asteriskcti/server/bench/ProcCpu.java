package org.asteriskcti.server.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time read from Linux at one instant, for the ACD benchmark: a process's user + system time from
 * {@code /proc/<pid>/stat} (all its threads), the whole machine's busy and steal time from
 * {@code /proc/stat}, and this JVM's CPU time without the bench's own threads. {@code /proc} counts in
 * USER_HZ ticks, 100 per second, so a process figure has 10 ms resolution.
 */
final class ProcCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcCpu() {}

    /** CPU seconds (user + system) the process has used so far, or -1 if it is gone. */
    static double processSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // comm (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, steal} seconds of the whole machine so far; busy = user + nice + system + irq + softirq. */
    static double[] machineSeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return new double[] {busy / TICKS_PER_SECOND, Long.parseLong(f[8]) / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1};
        }
    }

    /** A thread of the bench itself, not of the CTI server. */
    static boolean isBenchThread(String name) {
        return name.equals("main") || name.startsWith("bench-") || name.startsWith("process reaper")
                || name.equals("rx-reader");
    }

    /** CPU nanoseconds of every live thread of this JVM, by "name#id". */
    static java.util.Map<String, Long> threadNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    out.put(info.getThreadName() + "#" + info.getThreadId(), t);
                }
            }
        }
        return out;
    }

    /** Milliseconds the JIT compilers and the garbage collectors have worked so far (elapsed, summed over threads). */
    static long[] jitAndGcMillis() {
        long jit = ManagementFactory.getCompilationMXBean() != null
                && ManagementFactory.getCompilationMXBean().isCompilationTimeMonitoringSupported()
                ? ManagementFactory.getCompilationMXBean().getTotalCompilationTime() : -1;
        long gc = 0;
        for (java.lang.management.GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        return new long[] {jit, gc};
    }

    /**
     * This JVM's CPU seconds (every thread, GC and JIT included) minus those of the bench's own threads:
     * {@code main}, {@code bench-*}, the JDK's {@code process reaper} (waits for the SIPp and
     * {@code asterisk -rx} children) and the harness's {@code rx-reader}. What remains is the CTI server
     * running in this JVM. (A bench thread that ended between two readings drops out of the subtraction;
     * they only wait, so that is noise.)
     */
    static double jvmSecondsWithoutBench() {
        double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double bench = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            if (isBenchThread(info.getThreadName())) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    bench += t / 1e9;
                }
            }
        }
        return process - bench;
    }
}
