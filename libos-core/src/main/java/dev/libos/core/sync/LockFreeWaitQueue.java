package dev.libos.core.sync;

import dev.libos.api.sync.WaitQueue;
import dev.libos.core.sync.ParkingQueue.Waiter;
import java.util.function.BooleanSupplier;

/**
 * Threads parked until a condition holds, without a mutex.
 *
 * <p>Why a wake is never lost: a waker first makes the condition true, then dequeues; a waiter
 * first enqueues, then re-checks the condition. If the condition's state is published with a
 * volatile (or atomic) write, all four steps are sequentially consistent volatile accesses (the
 * queue is linearisable, its enqueue and dequeue are volatile CASes and reads), so either the
 * waker's dequeue sees the waiter, or the waiter's re-check sees the condition. Callers must
 * therefore publish the condition with volatile or atomic writes before calling {@link
 * #wakeOne()} or {@link #wakeAll()}.
 *
 * <p>A wake is spent on a re-check of the condition. A waiter whose post-enqueue re-check already
 * found the condition true while a waker chose it would spend the wake on nothing, so it passes
 * the wake on to the next waiter. An interrupt wins only over a waiter still WAITING; one that
 * arrives after a wake is reported after the re-check.
 */
public final class LockFreeWaitQueue implements WaitQueue {
    private final ParkingQueue waiters = new ParkingQueue();

    @Override
    public void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Waiter self = waiters.enqueue();
            // The re-check after the enqueue: the lost-wakeup argument in the class comment.
            if (condition.getAsBoolean()) {
                leave(self, WaitState.CANCELLED);
                return;
            }
            if (waiters.park(self) == WaitState.INTERRUPTED) {
                waiters.remove(self);
                throw new InterruptedException();
            }
            // WOKEN: re-check (loop). An interrupt that came after the wake is still set and is
            // reported at the top of the loop if the condition is false.
        }
    }

    @Override
    public void wakeOne() {
        waiters.wakeOne();
    }

    @Override
    public void wakeAll() {
        waiters.wakeAll();
    }

    /** Leaves the queue unparked; a wake that chose us meanwhile goes to the next waiter. */
    private void leave(Waiter self, WaitState outcome) {
        if (self.decide(outcome)) {
            waiters.remove(self);
        } else {
            waiters.wakeOne();
        }
    }
}
