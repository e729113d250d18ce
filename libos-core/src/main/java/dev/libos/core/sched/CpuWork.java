package dev.libos.core.sched;

/**
 * Work a CPU loop does on every pass besides running threads: its timer wheel, the RCU
 * grace-period driver. Runs on the CPU's carrier only.
 */
public interface CpuWork {
    /**
     * Does what is due at {@code nowNanos}.
     *
     * @return the amount of work done (0 lets an idle CPU back off)
     */
    int doWork(long nowNanos);

    /** The libos time at which this work next needs the CPU, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNanos();
}
