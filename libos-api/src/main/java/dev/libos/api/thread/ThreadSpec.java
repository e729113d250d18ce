package dev.libos.api.thread;

/** Describes a libos thread before it starts. */
public interface ThreadSpec {
    /** The thread's name (shown in dumps and the kernel log). */
    ThreadSpec name(String name);

    /**
     * Pins the thread to one virtual CPU: it always runs there and load balancing leaves it
     * alone. Without a pin the thread may run on, and be moved to, any CPU.
     *
     * @throws IllegalArgumentException when {@code cpu} is not a CPU of this kernel
     */
    ThreadSpec cpu(int cpu);

    /** Creates the thread without starting it. */
    Thread unstarted(Runnable task);

    /** Creates and starts the thread. */
    default Thread start(Runnable task) {
        Thread thread = unstarted(task);
        thread.start();
        return thread;
    }
}
