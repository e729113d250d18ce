package dev.libos.bench.net;

import dev.libos.api.LibOS;
import dev.libos.api.thread.CpuStats;

/** The probes' per-CPU scheduler counters: a snapshot now, and what changed per operation since one. */
final class CpuStatsDelta {
    private CpuStatsDelta() {
    }

    /** Every CPU's counters now. */
    static CpuStats[] snapshot(LibOS os) {
        CpuStats[] stats = new CpuStats[os.cpus().count()];
        for (int cpu = 0; cpu < stats.length; cpu++) {
            stats[cpu] = os.cpus().stats(cpu);
        }
        return stats;
    }

    /** Prints, per CPU, each counter's change from {@code before} to {@code after} divided by {@code operations}. */
    static void printPer(String operation, CpuStats[] before, CpuStats[] after, int operations) {
        for (int cpu = 0; cpu < after.length; cpu++) {
            CpuStats a = after[cpu];
            CpuStats b = before[cpu];
            System.out.printf("  cpu %d per %s: dispatches %.2f, local wakeups %.2f, remote wakeups %.2f,"
                    + " idle parks %.2f, poller calls %.1f, timers %.2f%n", cpu, operation,
                    per(a.dispatches() - b.dispatches(), operations),
                    per(a.localWakeups() - b.localWakeups(), operations),
                    per(a.remoteWakeups() - b.remoteWakeups(), operations),
                    per(a.idleParks() - b.idleParks(), operations),
                    per(a.pollerCalls() - b.pollerCalls(), operations),
                    per(a.timersFired() - b.timersFired(), operations));
        }
    }

    private static double per(long count, int operations) {
        return (double) count / operations;
    }
}
