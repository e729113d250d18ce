package dev.libos.core.sync;

import dev.libos.api.sync.CondVar;
import dev.libos.api.sync.Mutex;
import dev.libos.api.time.MonotonicClock;
import dev.libos.api.time.TimerHandle;
import dev.libos.api.time.Timers;
import dev.libos.core.sync.ParkingQueue.Waiter;

/**
 * A condition variable whose waiters are woken in FIFO order. Works with any {@link Mutex}.
 *
 * <p>Protocol: {@code await} queues the caller <em>before</em> releasing the mutex, so a signal
 * issued by anyone who takes the mutex afterwards finds it. Each wait ends by exactly one CAS out
 * of {@link WaitState#WAITING} (signal, timeout or interrupt, see {@link ParkingQueue}), so a
 * signal never lands on a waiter that is leaving: {@link #signal()} then tries the next one. A
 * waiter that is interrupted or times out after it was signalled keeps the signal (returns
 * normally, interrupt status set).
 *
 * <p>Timed waits use libos {@link Timers} when given (the callback decides TIMED_OUT and
 * unparks), so timeouts follow the libos clock; without timers they fall back to {@code
 * LockSupport.parkNanos} with the deadline measured on the given {@link MonotonicClock}.
 */
public final class FifoCondVar implements CondVar {
    private final ParkingQueue waiters = new ParkingQueue();
    private final Timers timers;
    private final MonotonicClock clock;

    /**
     * @param timers libos timers for timed waits, or null to park with a JDK timed park
     * @param clock the clock timed waits are measured against when {@code timers} is null
     * @throws IllegalArgumentException if both are null
     */
    public FifoCondVar(Timers timers, MonotonicClock clock) {
        if (timers == null && clock == null) {
            throw new IllegalArgumentException("clock must not be null when timers is null");
        }
        this.timers = timers;
        this.clock = clock;
    }

    @Override
    public void await(Mutex mutex) throws InterruptedException {
        requireHeld(mutex);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiter self = waiters.enqueue(); // before the release: see class comment
        int holdCount = releaseFully(mutex);
        WaitState outcome = waiters.park(self);
        finish(mutex, holdCount, self, outcome);
    }

    @Override
    public boolean await(Mutex mutex, long timeoutNanos) throws InterruptedException {
        requireHeld(mutex);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        Waiter self = waiters.enqueue();
        WaitState outcome;
        int holdCount;
        if (timers != null) {
            // Scheduled before the release, so a test that takes the mutex knows the timer is set.
            TimerHandle timer = timers.schedule(timeoutNanos, () -> self.decideAndUnpark(WaitState.TIMED_OUT));
            holdCount = releaseFully(mutex);
            outcome = waiters.park(self);
            if (outcome != WaitState.TIMED_OUT) {
                timer.cancel();
            }
        } else {
            long deadlineNanos = clock.nanoTime() + timeoutNanos;
            holdCount = releaseFully(mutex);
            outcome = waiters.parkUntil(self, clock, deadlineNanos);
        }
        finish(mutex, holdCount, self, outcome);
        return outcome == WaitState.WOKEN;
    }

    @Override
    public void signal() {
        waiters.wakeOne();
    }

    @Override
    public void signalAll() {
        waiters.wakeAll();
    }

    /** Relocks, unlinks a waiter that left unsignalled, and reports an interrupt. */
    private void finish(Mutex mutex, int holdCount, Waiter self, WaitState outcome)
            throws InterruptedException {
        if (outcome != WaitState.WOKEN) {
            waiters.remove(self);
        }
        for (int i = 0; i < holdCount; i++) {
            mutex.lock(); // not interruptible; keeps the interrupt status
        }
        if (outcome == WaitState.INTERRUPTED) {
            throw new InterruptedException();
        }
    }

    private static void requireHeld(Mutex mutex) {
        if (!mutex.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("await without holding " + mutex);
        }
    }

    /** Unlocks every level the caller holds; returns how many, to restore on relock. */
    private static int releaseFully(Mutex mutex) {
        int holdCount = 0;
        do {
            mutex.unlock();
            holdCount++;
        } while (mutex.isHeldByCurrentThread());
        return holdCount;
    }
}
