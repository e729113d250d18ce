package dev.libos.api.thread;

/**
 * A snapshot of one CPU's counters.
 *
 * @param cpu the CPU number
 * @param dispatches thread runs started by this CPU (one per context switch in)
 * @param localWakeups wakeups queued directly on this CPU's own run queue
 * @param remoteWakeups wakeups that arrived through the CPU's incoming (MPSC) queue
 * @param migratedOut threads this CPU handed to an idle CPU by load balancing
 * @param idleParks times the CPU went to sleep after polling found no work
 * @param pollerCalls poller invocations
 * @param timersFired timer callbacks run
 * @param runQueueLength threads ready to run on this CPU at snapshot time
 */
public record CpuStats(
        int cpu,
        long dispatches,
        long localWakeups,
        long remoteWakeups,
        long migratedOut,
        long idleParks,
        long pollerCalls,
        long timersFired,
        int runQueueLength) {
}
