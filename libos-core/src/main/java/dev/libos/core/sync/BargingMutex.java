package dev.libos.core.sync;

import dev.libos.api.sync.Mutex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The default libos mutex: never spins, and lets a running thread take a just-released lock
 * ahead of parked waiters (barging), which keeps a contended lock moving at the speed of the
 * running threads instead of at the speed of wakeups. The shape is the three-state futex mutex of
 * Drepper's "Futexes Are Tricky" (mutex 3), with {@link LockFreeWaitQueue} standing in for the
 * futex: FREE, LOCKED (no waiter), CONTENDED (perhaps waiters).
 *
 * <p>Lock: one CAS FREE to LOCKED. Otherwise (and not reentrant) the caller marks the lock CONTENDED with an
 * exchange; if the exchange returned FREE, it owns the lock (marked CONTENDED, which is only
 * pessimistic). Else it waits until the state is not CONTENDED and exchanges again.
 *
 * <p>Unlock: a decrement. LOCKED becomes FREE and nobody waits. From CONTENDED the releaser
 * stores FREE and wakes one waiter, which exchanges CONTENDED in and either owns the lock or
 * waits again (a barging thread was faster).
 *
 * <p>No lost wakeup: a waiter enqueues and then re-reads the state; the releaser writes FREE and
 * then dequeues. All four are sequentially consistent, so the releaser finds the waiter or the
 * waiter sees FREE (the argument of {@link LockFreeWaitQueue}). A waiter never sleeps while the
 * state is FREE or LOCKED, and every thread that goes to sleep first made the state CONTENDED,
 * so the next release wakes someone.
 *
 * <p>Fairness: none. A thread may be overtaken repeatedly under heavy contention; use
 * {@link HandOffMutex} (FIFO hand-off) where that matters more than throughput.
 */
public final class BargingMutex implements Mutex {
    private static final int FREE = 0;
    private static final int LOCKED = 1;
    private static final int CONTENDED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BargingMutex.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    private final LockFreeWaitQueue waiters = new LockFreeWaitQueue();
    private final BooleanSupplier notContended = () -> (int) STATE.getVolatile(this) != CONTENDED;

    /** Written only by the owner; a non-owner can read a stale value but never itself. */
    private Thread owner;
    private int holdCount;

    @Override
    public void lock() {
        Thread me = Thread.currentThread();
        // Acquire: the CAS reads the previous owner's releasing write. It comes first, before the
        // reentrancy check, so that taking a contended lock costs one transfer of its cache line
        // (read for ownership) instead of a shared read of owner followed by an upgrade.
        if (!STATE.compareAndSet(this, FREE, LOCKED)) {
            if (owner == me) {
                incrementHoldCount();
                return;
            }
            lockContended();
        }
        owner = me;
        holdCount = 1;
    }

    private void lockContended() {
        int seen = (int) STATE.getVolatile(this);
        if (seen != CONTENDED) {
            seen = (int) STATE.getAndSet(this, CONTENDED);
        }
        boolean interrupted = false;
        while (seen != FREE) {
            try {
                waiters.awaitUntil(notContended);
            } catch (InterruptedException e) {
                interrupted = true; // lock() is not interruptible; re-asserted once we own the lock
            }
            seen = (int) STATE.getAndSet(this, CONTENDED);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean tryLock() {
        Thread me = Thread.currentThread();
        if (!STATE.compareAndSet(this, FREE, LOCKED)) {
            if (owner == me) {
                incrementHoldCount();
                return true;
            }
            return false;
        }
        owner = me;
        holdCount = 1;
        return true;
    }

    @Override
    public void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("unlock by " + Thread.currentThread() + ", owner is " + owner);
        }
        if (--holdCount > 0) {
            return;
        }
        owner = null;
        // Release: the decrement publishes the critical section to the next acquirer.
        if ((int) STATE.getAndAdd(this, -1) != LOCKED) {
            STATE.setVolatile(this, FREE); // was CONTENDED: free it, then wake (order matters, see above)
            waiters.wakeOne();
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    private void incrementHoldCount() {
        if (holdCount == Integer.MAX_VALUE) {
            throw new IllegalMonitorStateException("maximum lock count exceeded");
        }
        holdCount++;
    }
}
