package dev.libos.core.sched;

/** The platform thread of one virtual CPU: it runs {@link Cpu#run()} and mounts libos threads. */
final class CpuCarrier extends Thread {
    final Cpu cpu;
    /**
     * The CPU whose loop this carrier runs now: its own, or another one it runs a pass for while
     * that one's carrier sleeps. Written and read by this thread only (the libos threads it
     * mounts read it through {@code Scheduler.currentCpuOrNull}).
     */
    Cpu current;

    CpuCarrier(Cpu cpu, String name) {
        super(null, null, name, 0, false);
        this.cpu = cpu;
        setDaemon(true);
    }

    @Override
    public void run() {
        cpu.run();
    }
}
