package dev.libos.core.sched;

/** The platform thread of one virtual CPU: it runs {@link Cpu#run()} and mounts libos threads. */
final class CpuCarrier extends Thread {
    final Cpu cpu;

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
