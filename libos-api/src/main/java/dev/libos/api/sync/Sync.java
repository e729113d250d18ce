package dev.libos.api.sync;

/** Factories for the libos synchronisation primitives. */
public interface Sync {
    /**
     * A mutex tuned for throughput: a running thread may take a just-released lock ahead of
     * parked waiters (like {@code new ReentrantLock()}). Never spins.
     */
    Mutex newMutex();

    /**
     * A FIFO mutex: unlock hands the lock straight to the longest waiter (OSv's lfmutex design),
     * so no waiter starves; under heavy contention every hand-off costs a wakeup. Never spins.
     */
    Mutex newFairMutex();

    CondVar newCondVar();

    WaitQueue newWaitQueue();

    /** The kernel's RCU domain. */
    Rcu rcu();
}
