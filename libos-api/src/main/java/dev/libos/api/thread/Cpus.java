package dev.libos.api.thread;

import dev.libos.api.device.Poller;

/** The virtual CPUs: one carrier thread each, running the scheduler loop. */
public interface Cpus {
    /** Number of virtual CPUs. */
    int count();

    /**
     * The CPU the caller runs on: a libos thread's current CPU, or the CPU whose loop runs a
     * poller or timer callback; -1 on any other thread.
     */
    int current();

    /** Counters of one CPU, readable at run time. */
    CpuStats stats(int cpu);

    /**
     * Wakes {@code cpu} if it is idle and parked, so that it polls again now: what a device's
     * receive listener calls ({@link dev.libos.api.device.NetDevice#setReceiveListener}). Cheap
     * when the CPU is awake; may be called from any thread.
     */
    void wake(int cpu);

    /**
     * Registers {@code poller} on {@code cpu}: the CPU loop calls it on every pass, between
     * threads, so device polling costs no thread switch.
     *
     * @return a handle that unregisters the poller when closed
     */
    AutoCloseable addPoller(int cpu, Poller poller);
}
