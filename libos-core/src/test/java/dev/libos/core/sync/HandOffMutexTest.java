package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HandOffMutexTest {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Test
    void reentrantLockNeedsAsManyUnlocks() throws Exception {
        HandOffMutex mutex = new HandOffMutex();
        mutex.lock();
        mutex.lock();
        assertTrue(mutex.tryLock());
        assertEquals(1, mutex.contenders(), "reentry must not touch count");
        mutex.unlock();
        mutex.unlock();
        assertTrue(mutex.isHeldByCurrentThread());
        assertFalse(tryLockOnOtherThread(mutex));
        mutex.unlock();
        assertFalse(mutex.isHeldByCurrentThread());
        assertEquals(0, mutex.contenders());
        assertTrue(tryLockOnOtherThread(mutex));
    }

    @Test
    void tryLockSucceedsOnlyWhenFree() throws Exception {
        HandOffMutex mutex = new HandOffMutex();
        assertTrue(mutex.tryLock());
        assertFalse(tryLockOnOtherThread(mutex));
        mutex.unlock();
        assertTrue(tryLockOnOtherThread(mutex)); // that thread ends holding it
        assertFalse(mutex.tryLock());
        assertFalse(mutex.isHeldByCurrentThread());
    }

    @Test
    void unlockByNonOwnerThrows() throws Exception {
        HandOffMutex mutex = new HandOffMutex();
        assertThrows(IllegalMonitorStateException.class, mutex::unlock);
        assertTrue(tryLockOnOtherThread(mutex));
        assertThrows(IllegalMonitorStateException.class, mutex::unlock);
        assertEquals(1, mutex.contenders(), "a failed unlock must not release");
    }

    @Test
    void lockIsNotInterruptibleButKeepsTheInterruptStatus() throws Exception {
        Gate enqueued = new Gate(false);
        HandOffMutex mutex = new HandOffMutex(new Hook(null, enqueued, null));
        mutex.lock();
        AtomicBoolean interruptedWhenAcquired = new AtomicBoolean();
        Thread waiter = ConcurrentRun.start("waiter", failure, i -> {
            Thread.currentThread().interrupt(); // already interrupted when it calls lock()
            mutex.lock();
            interruptedWhenAcquired.set(Thread.currentThread().isInterrupted());
            mutex.unlock();
        });
        ConcurrentRun.await(enqueued.arrived);
        waiter.interrupt(); // and again while parked
        mutex.unlock();
        ConcurrentRun.join(waiter, failure);
        assertTrue(interruptedWhenAcquired.get());
        assertEquals(0, mutex.contenders());
    }

    @Test
    void uncontendedHandOffGrantsTheQueueHead() throws Exception {
        Gate enqueued = new Gate(false);
        HandOffMutex mutex = new HandOffMutex(new Hook(null, enqueued, null));
        mutex.lock();
        Thread waiter = ConcurrentRun.start("waiter", failure, i -> {
            mutex.lock();
            mutex.unlock();
        });
        ConcurrentRun.await(enqueued.arrived);
        mutex.unlock();
        ConcurrentRun.join(waiter, failure);
        assertEquals(0, mutex.handoffToken(), "the waiter was queued: no token needed");
        assertEquals(0, mutex.contenders());
    }

    /** The window: count incremented, not yet enqueued. Unlock must leave a token for the waiter. */
    @Test
    void unlockLeavesTokenForWaiterThatHasNotEnqueued() throws Exception {
        Gate committed = new Gate(true);
        HandOffMutex mutex = new HandOffMutex(new Hook(committed, null, null));
        mutex.lock();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread waiter = ConcurrentRun.start("waiter", failure, i -> {
            mutex.lock();
            acquired.set(mutex.isHeldByCurrentThread());
            mutex.unlock();
        });
        ConcurrentRun.await(committed.arrived);
        assertEquals(2, mutex.contenders());
        mutex.unlock(); // returns although the lock is owed to a thread it cannot see
        assertNotEquals(0, mutex.handoffToken(), "unlock must publish a hand-off token");
        assertEquals(1, mutex.contenders());
        assertFalse(mutex.tryLock(), "the lock is owed to the committed waiter");

        committed.proceed.countDown(); // the waiter enqueues, finds the token, grants itself
        ConcurrentRun.join(waiter, failure);
        assertTrue(acquired.get());
        assertEquals(0, mutex.handoffToken());
        assertEquals(0, mutex.contenders());
    }

    /**
     * Both sides in the Dekker window: the releaser has published a token and not re-checked the
     * queue; the waiter has enqueued and not read the token. The releaser goes first: it sees the
     * enqueue, takes its token back and grants the waiter directly.
     */
    @Test
    void releaserThatSeesTheEnqueueTakesItsTokenBackAndGrants() throws Exception {
        BothInWindow window = new BothInWindow();
        window.published.proceed.countDown();
        ConcurrentRun.join(window.owner, failure);
        assertEquals(0, window.mutex.handoffToken(), "the releaser must have taken its token back");
        window.enqueued.proceed.countDown(); // reads no token, finds itself granted
        ConcurrentRun.join(window.waiter, failure);
        assertTrue(window.waiterAcquired.get());
        assertEquals(0, window.mutex.contenders());
    }

    /**
     * Same window, the waiter goes first: it claims the token, pops itself and owns the lock while
     * the releaser is still inside unlock(); the releaser then finds the queue empty and leaves.
     */
    @Test
    void waiterThatSeesTheTokenBecomesTheReleasersProxy() throws Exception {
        BothInWindow window = new BothInWindow();
        window.enqueued.proceed.countDown();
        ConcurrentRun.join(window.waiter, failure); // finishes while the releaser is still paused
        assertTrue(window.waiterAcquired.get());
        assertEquals(0, window.mutex.handoffToken(), "the waiter must have claimed the token");
        window.published.proceed.countDown();
        ConcurrentRun.join(window.owner, failure);
        assertEquals(0, window.mutex.handoffToken());
        assertEquals(0, window.mutex.contenders());
    }

    /** Sets up an owner paused after publishing a token and a waiter paused after enqueuing. */
    private final class BothInWindow {
        final Gate committed = new Gate(true);
        final Gate enqueued = new Gate(true);
        final Gate published = new Gate(true);
        final HandOffMutex mutex = new HandOffMutex(new Hook(committed, enqueued, published));
        final AtomicBoolean waiterAcquired = new AtomicBoolean();
        final Thread owner;
        final Thread waiter;

        BothInWindow() throws InterruptedException {
            CountDownLatch ownerHolds = new CountDownLatch(1);
            CountDownLatch releaseNow = new CountDownLatch(1);
            owner = ConcurrentRun.start("owner", failure, i -> {
                mutex.lock();
                ownerHolds.countDown();
                releaseNow.await();
                mutex.unlock();
            });
            ConcurrentRun.await(ownerHolds);
            waiter = ConcurrentRun.start("waiter", failure, i -> {
                mutex.lock();
                waiterAcquired.set(mutex.isHeldByCurrentThread());
                mutex.unlock();
            });
            ConcurrentRun.await(committed.arrived); // count is 2, the queue is empty
            releaseNow.countDown();
            ConcurrentRun.await(published.arrived); // the owner found no waiter and published
            long token = mutex.handoffToken();
            assertNotEquals(0, token);
            committed.proceed.countDown();
            ConcurrentRun.await(enqueued.arrived); // the waiter is queued and has not read the token
            assertEquals(token, mutex.handoffToken());
            assertFalse(waiterAcquired.get());
        }
    }

    private static boolean tryLockOnOtherThread(HandOffMutex mutex) throws InterruptedException {
        AtomicBoolean result = new AtomicBoolean();
        Thread thread = Thread.ofPlatform().daemon().start(() -> result.set(mutex.tryLock()));
        thread.join();
        return result.get();
    }

    /** A point where one thread stops: {@code arrived} opens when it gets there. */
    static final class Gate {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        private final boolean holds;

        /** @param holds whether the thread waits for {@link #proceed} or only reports arrival */
        Gate(boolean holds) {
            this.holds = holds;
        }

        void pass() {
            arrived.countDown();
            if (holds) {
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Stops at whichever gates are set, each only the first time it is reached. */
    record Hook(Gate commitGate, Gate enqueueGate, Gate publishGate)
            implements MutexContentionHook {
        @Override
        public void afterCommit() {
            passOnce(commitGate);
        }

        @Override
        public void afterEnqueue() {
            passOnce(enqueueGate);
        }

        @Override
        public void afterHandoffPublished() {
            passOnce(publishGate);
        }

        private static void passOnce(Gate gate) {
            if (gate != null && gate.arrived.getCount() > 0) {
                gate.pass();
            }
        }
    }
}
