package dev.libos.core.sync;

import dev.libos.api.sync.Mutex;
import dev.libos.core.sync.MutexWaiterQueue.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A reentrant mutex that never spins and hands the lock directly to the longest waiting thread,
 * after OSv's {@code lockfree::mutex} ({@code include/lockfree/mutex.hh}).
 *
 * <h2>State</h2>
 * <ul>
 *   <li>{@code count}: threads that hold or want the lock. {@code lock()} increments it; the one
 *       that moves it from 0 owns the lock. Every other incrementer has <em>committed</em> to
 *       waiting and will be handed the lock exactly once.
 *   <li>{@code waiters}: the committed threads that have enqueued themselves ({@link
 *       MutexWaiterQueue}: many producers, one consumer at a time).
 *   <li>{@code handoff}: 0, or a unique token meaning "the lock is free but owed to a committed
 *       waiter that the releasing thread could not find in the queue".
 *   <li>{@code owner}, {@code holdCount}: reentrancy bookkeeping, written only by the owner.
 * </ul>
 *
 * <h2>Responsibility</h2>
 * At any instant at most one thread is <em>responsible</em> for the lock: the owner; or, during
 * {@code unlock()} with {@code count > 0}, the releasing thread until it grants the lock or
 * returns; or the thread that claimed a published token (CAS token -> 0) until it grants. Only
 * the responsible thread consumes the queue, which is why a single-consumer queue suffices, and
 * responsibility always passes through a release/acquire pair (the {@code count} RMW, the {@code
 * granted} flag, or the token write/CAS), so each consumer sees its predecessor's queue state and
 * each owner sees the previous owner's critical section.
 *
 * <h2>Unlock</h2>
 * If decrementing {@code count} gives 0, nobody waits. Otherwise some thread has committed but
 * may not have enqueued yet. The releaser pops the queue head; if there is one it grants it (sets
 * {@code granted}, unparks it), so ownership passes directly, in FIFO order, and no newcomer can
 * barge past a waiter ({@code count > 0} keeps the fast path shut). If the queue is empty it
 * publishes a fresh token and re-checks the queue. Still empty: it returns, and responsibility
 * now rests with the token. Not empty: it tries to take the token back (CAS token -> 0); if that
 * fails a waiter claimed the token and is responsible; if it succeeds nobody claimed it, the
 * queue cannot have been consumed meanwhile, so the next pop finds a waiter: the loop runs at
 * most twice.
 *
 * <h2>Lock, contended</h2>
 * The waiter enqueues itself, then reads the token; if it is non-zero and its CAS to 0 succeeds,
 * the waiter is responsible: it pops the head (the queue holds at least itself) and grants it,
 * perhaps to itself. It then parks until {@code granted}, looping on spurious wake-ups.
 *
 * <h2>Why no committed waiter is forgotten</h2>
 * The enqueue (a CAS on the queue's push list) and the token publication are volatile writes,
 * each followed by a volatile read of the other location. Volatile accesses are sequentially
 * consistent, so (Dekker) the releaser sees the enqueue or the waiter sees the token, or both;
 * with both, the CAS on the token picks exactly one of them to hand over. While a token is out,
 * {@code count > 0} and no thread owns the lock, so the token is the lock. Tokens are unique (a
 * sequence incremented by the responsible thread), so a releaser's CAS back cannot succeed on a
 * token that a later releaser published after a waiter claimed ours (no ABA).
 *
 * <p>Interrupts: {@link #lock()} is not interruptible; an interrupt arriving while it waits is
 * remembered and re-asserted once the lock is held.
 */
public final class HandOffMutex implements Mutex {
    private static final long NO_TOKEN = 0;
    private static final VarHandle COUNT;
    private static final VarHandle HANDOFF;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(HandOffMutex.class, "count", int.class);
            HANDOFF = lookup.findVarHandle(HandOffMutex.class, "handoff", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;

    @SuppressWarnings("unused") // accessed through HANDOFF
    private volatile long handoff;

    /** Last token published; read and written only by the responsible thread (see class comment). */
    private long lastToken;

    /**
     * Plain fields written only by the owner. A non-owner may read a stale {@code owner}, but never
     * its own thread: it only ever wrote itself there while owning, followed by null on release.
     */
    private Thread owner;

    private int holdCount;

    private final MutexWaiterQueue waiters = new MutexWaiterQueue();
    private final MutexContentionHook hook;

    /** A free mutex. */
    public HandOffMutex() {
        this(MutexContentionHook.NONE);
    }

    /** A free mutex that calls {@code hook} in its contended paths (tests only). */
    HandOffMutex(MutexContentionHook hook) {
        this.hook = hook;
    }

    @Override
    public void lock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            incrementHoldCount();
            return;
        }
        // Acquire on success: the getAndAdd reads the releaser's decrement (a release).
        if ((int) COUNT.getAndAdd(this, 1) != 0) {
            awaitHandOff(me);
        }
        owner = me;
        holdCount = 1;
    }

    @Override
    public boolean tryLock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            incrementHoldCount();
            return true;
        }
        // Only from 0: a non-zero count means an owner or a committed waiter, which has priority.
        if (!COUNT.compareAndSet(this, 0, 1)) {
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
        // Release: the next owner's count RMW, or the hand-off below, orders our critical section first.
        if ((int) COUNT.getAndAdd(this, -1) == 1) {
            return;
        }
        handOff();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** Threads holding or committed to waiting (0 when free); racy, for tests and statistics. */
    int contenders() {
        return (int) COUNT.getVolatile(this);
    }

    /** The published hand-off token, 0 if none; racy, for tests. */
    long handoffToken() {
        return (long) HANDOFF.getVolatile(this);
    }

    /** Hand-off tokens published so far; racy unless the caller synchronised with the last unlock, for tests. */
    long tokensPublished() {
        return lastToken;
    }

    /** Called by a responsible releaser when {@code count} shows a committed waiter. */
    private void handOff() {
        while (true) {
            Waiter next = waiters.poll();
            if (next != null) {
                grant(next);
                return;
            }
            // The queue is empty (pop list included): the committed waiter has not enqueued yet.
            long token = ++lastToken;
            // Dekker, releaser side: volatile write of the token, then volatile read of the queue.
            HANDOFF.setVolatile(this, token);
            hook.afterHandoffPublished();
            if (!waiters.hasPushed()) {
                return; // the waiter will see the token after its enqueue
            }
            if (!HANDOFF.compareAndSet(this, token, NO_TOKEN)) {
                return; // a waiter claimed the token and is now responsible
            }
            // Nobody claimed the token, so nobody consumed the queue: the next poll finds a waiter.
        }
    }

    /** The contended half of {@link #lock()}, after this thread committed by incrementing count. */
    private void awaitHandOff(Thread me) {
        hook.afterCommit();
        Waiter self = new Waiter(me);
        waiters.push(self);
        hook.afterEnqueue();
        // Dekker, waiter side: the push was a volatile write (CAS); now a volatile read of the token.
        long token = (long) HANDOFF.getVolatile(this);
        if (token != NO_TOKEN && HANDOFF.compareAndSet(this, token, NO_TOKEN)) {
            // The lock was free and owed; we are responsible. The queue holds at least ourselves.
            grant(waiters.poll());
        }
        boolean interrupted = false;
        // Acquire: reading granted == true orders the previous owner's critical section before ours.
        while (!self.granted) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true; // cleared so the next park blocks; re-asserted below
            }
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    /** Passes ownership to {@code waiter}; the caller stops being responsible. */
    private static void grant(Waiter waiter) {
        Thread thread = waiter.thread;
        // Release: publishes everything the responsible thread did, including its queue state.
        waiter.granted = true;
        if (thread != Thread.currentThread()) {
            LockSupport.unpark(thread);
        }
    }

    private void incrementHoldCount() {
        if (holdCount == Integer.MAX_VALUE) {
            throw new IllegalMonitorStateException("maximum hold count exceeded: " + holdCount);
        }
        holdCount++;
    }
}
