package dev.libos.api.sync;

/** A condition variable used with a {@link Mutex}; waiters are woken in FIFO order. */
public interface CondVar {
    /**
     * Releases {@code mutex}, parks until signalled, and reacquires it. As with every condition
     * variable, the caller re-checks its condition in a loop.
     *
     * @throws IllegalMonitorStateException when the caller does not hold {@code mutex}
     * @throws InterruptedException if interrupted while waiting (the mutex is held again)
     */
    void await(Mutex mutex) throws InterruptedException;

    /**
     * As {@link #await(Mutex)}, giving up after {@code timeoutNanos} of libos time.
     *
     * @return false if the wait timed out, true if it was signalled
     */
    boolean await(Mutex mutex, long timeoutNanos) throws InterruptedException;

    /** Wakes the longest waiting thread, if any. */
    void signal();

    /** Wakes every waiting thread. */
    void signalAll();
}
