package dev.libos.api.sync;

import java.util.function.BooleanSupplier;

/**
 * Threads waiting for a condition that other threads make true, without a mutex: the waiter
 * re-checks {@code condition} after it has queued itself, so a wake that races with the wait is
 * never lost.
 */
public interface WaitQueue {
    /** Parks until {@code condition} is true; returns at once if it already is. */
    void awaitUntil(BooleanSupplier condition) throws InterruptedException;

    /** Wakes one waiter so it re-checks its condition. */
    void wakeOne();

    /** Wakes every waiter so each re-checks its condition. */
    void wakeAll();
}
