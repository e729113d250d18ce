package dev.libos.core.sync;

import dev.libos.api.time.MonotonicClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A FIFO queue of parked threads, each with a {@link WaitState} claimed by CAS: the common part of
 * {@link FifoCondVar} and {@link LockFreeWaitQueue}. Any thread may enqueue, wake or leave.
 *
 * <p>The queue is a {@link ConcurrentLinkedQueue}: wakers are many (MPMC), and it is lock-free and
 * linearisable, which the lost-wakeup arguments of its users rely on. A waiter that leaves
 * without being woken (timeout, interrupt, cancel) unlinks itself, so an unsignalled queue does not
 * grow; a waker that meets such a node before it is unlinked fails its CAS and moves on.
 */
final class ParkingQueue {
    /** One wait by one thread. */
    static final class Waiter {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", WaitState.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        /** Enqueue order, so that {@link #wakeAll()} stops at waiters that arrived after it began. */
        final long ticket;

        @SuppressWarnings("unused") // accessed through STATE
        private volatile WaitState state = WaitState.WAITING;

        Waiter(Thread thread, long ticket) {
            this.thread = thread;
            this.ticket = ticket;
        }

        WaitState state() {
            return (WaitState) STATE.getVolatile(this);
        }

        /**
         * Moves WAITING to {@code outcome}. The CAS is the single decision point of the wait; as a
         * volatile RMW it also publishes the deciding thread's prior writes to the waiter.
         *
         * @return false if another outcome was decided first
         */
        boolean decide(WaitState outcome) {
            return STATE.compareAndSet(this, WaitState.WAITING, outcome);
        }

        /** Decides {@code outcome} and, if that won, unparks the waiter. */
        boolean decideAndUnpark(WaitState outcome) {
            if (!decide(outcome)) {
                return false;
            }
            LockSupport.unpark(thread);
            return true;
        }
    }

    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong tickets = new AtomicLong();

    /** Queues the calling thread; linearised at the queue's internal CAS (a volatile write). */
    Waiter enqueue() {
        Waiter waiter = new Waiter(Thread.currentThread(), tickets.getAndIncrement());
        queue.add(waiter);
        return waiter;
    }

    /** Unlinks a waiter that left without being woken. */
    void remove(Waiter waiter) {
        queue.remove(waiter);
    }

    /**
     * Wakes the oldest waiter still {@link WaitState#WAITING}: keeps dequeuing until a CAS wins
     * or the queue is empty, so a waiter that is timing out or being interrupted never absorbs
     * the wake.
     *
     * @return true if a waiter was woken
     */
    boolean wakeOne() {
        Waiter waiter;
        while ((waiter = queue.poll()) != null) {
            if (waiter.decideAndUnpark(WaitState.WOKEN)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wakes every waiter queued before this call. It stops after the first waiter with a later
     * ticket (waking it too, a harmless spurious wake-up), so woken threads that re-queue at once
     * cannot keep it looping.
     *
     * @return how many waiters were woken
     */
    int wakeAll() {
        long end = tickets.get();
        int woken = 0;
        Waiter waiter;
        while ((waiter = queue.poll()) != null) {
            if (waiter.decideAndUnpark(WaitState.WOKEN)) {
                woken++;
            }
            if (waiter.ticket >= end) {
                break;
            }
        }
        return woken;
    }

    /**
     * Parks until {@code waiter} (the caller's own) leaves WAITING. An interrupt claims {@link
     * WaitState#INTERRUPTED} (and clears the interrupt status, which the caller reports by
     * throwing); if some other outcome won first, that outcome stands and the interrupt status is
     * re-asserted.
     *
     * @return the decided state, never WAITING
     */
    WaitState park(Waiter waiter) {
        WaitState state;
        while ((state = waiter.state()) == WaitState.WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted() && !waiter.decide(WaitState.INTERRUPTED)) {
                Thread.currentThread().interrupt();
            }
        }
        return state;
    }

    /**
     * As {@link #park(Waiter)}, but decides {@link WaitState#TIMED_OUT} once {@code clock} reaches
     * {@code deadlineNanos}. The fallback when no libos timers are available: the timed park
     * itself fires on a JDK timer against the host clock, the decision follows {@code clock}.
     */
    WaitState parkUntil(Waiter waiter, MonotonicClock clock, long deadlineNanos) {
        WaitState state;
        while ((state = waiter.state()) == WaitState.WAITING) {
            long remainingNanos = deadlineNanos - clock.nanoTime();
            if (remainingNanos <= 0) {
                waiter.decide(WaitState.TIMED_OUT);
                continue; // re-read: a waker may have won
            }
            LockSupport.parkNanos(this, remainingNanos);
            if (Thread.interrupted() && !waiter.decide(WaitState.INTERRUPTED)) {
                Thread.currentThread().interrupt();
            }
        }
        return state;
    }
}
