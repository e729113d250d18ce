package dev.libos.api.sync;

/**
 * A mutual-exclusion lock that never spins: a contended {@link #lock()} queues the caller and
 * parks it (a libos thread yields its CPU). Reentrant. Works from libos threads and from ordinary
 * threads alike. {@link Sync#newMutex()} favours throughput, {@link Sync#newFairMutex()} FIFO order.
 */
public interface Mutex {
    /** Acquires the lock, parking until it is free. */
    void lock();

    /** Acquires the lock if no other thread holds it or waits for it; never parks. */
    boolean tryLock();

    /**
     * Releases one level of the lock.
     *
     * @throws IllegalMonitorStateException when the caller does not hold the lock
     */
    void unlock();

    /** True when the calling thread holds the lock. */
    boolean isHeldByCurrentThread();
}
