package dev.libos.api.thread;

/**
 * Creates libos threads: {@link Thread} objects (virtual threads) that the libos scheduler runs
 * on its virtual CPUs. Every JDK blocking call in them (park, sleep, monitors, j.u.c. locks,
 * blocking sockets) yields the CPU to other libos threads.
 */
public interface Threads {
    /** A builder for a new libos thread. */
    ThreadSpec builder();

    /** Starts {@code task} on a new libos thread named {@code name}, with no CPU affinity. */
    default Thread start(String name, Runnable task) {
        return builder().name(name).start(task);
    }

    /** True when the calling thread is a libos thread of this kernel. */
    boolean isLibosThread(Thread thread);

    /** Libos threads started and not yet terminated. */
    long liveThreads();

    /** Libos threads started since boot. */
    long startedThreads();
}
