package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.time.MonotonicClock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FifoCondVarTest {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final HandOffMutex mutex = new HandOffMutex();
    private final FakeTimers timers = new FakeTimers();
    private final FifoCondVar condVar = new FifoCondVar(timers, null);
    /** Ids of waiters as their await returns, with the result of timed waits. */
    private final BlockingQueue<String> returned = new LinkedBlockingQueue<>();

    @Test
    void awaitWithoutTheMutexThrows() {
        assertThrows(IllegalMonitorStateException.class, () -> condVar.await(mutex));
        assertThrows(IllegalMonitorStateException.class, () -> condVar.await(mutex, 1));
    }

    @Test
    void constructorNeedsTimersOrClock() {
        assertThrows(IllegalArgumentException.class, () -> new FifoCondVar(null, null));
    }

    @Test
    void signalWakesWaitersInArrivalOrder() throws Exception {
        Thread[] waiters = new Thread[4];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = startQueuedWaiter("w" + i, -1);
        }
        for (int i = 0; i < waiters.length; i++) {
            mutex.lock();
            condVar.signal();
            mutex.unlock();
            assertEquals("w" + i, nextReturned());
            ConcurrentRun.join(waiters[i], failure);
        }
        assertNull(returned.poll());
    }

    @Test
    void signalAllWakesEveryWaiter() throws Exception {
        Thread[] waiters = new Thread[3];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = startQueuedWaiter("w" + i, -1);
        }
        mutex.lock();
        condVar.signalAll();
        mutex.unlock();
        for (Thread waiter : waiters) {
            ConcurrentRun.join(waiter, failure);
        }
        assertEquals(3, returned.size());
    }

    @Test
    void awaitRestoresTheHoldCount() throws Exception {
        AtomicBoolean stillHeldAfterOneUnlock = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = ConcurrentRun.start("reentrant", failure, i -> {
            mutex.lock();
            mutex.lock();
            waiting.countDown();
            condVar.await(mutex);
            mutex.unlock();
            stillHeldAfterOneUnlock.set(mutex.isHeldByCurrentThread());
            mutex.unlock();
        });
        ConcurrentRun.await(waiting);
        mutex.lock(); // succeeds only once await released both levels
        condVar.signal();
        mutex.unlock();
        ConcurrentRun.join(waiter, failure);
        assertTrue(stillHeldAfterOneUnlock.get());
        assertEquals(0, mutex.contenders());
    }

    @Test
    void timedAwaitTimesOutWhenTheLibosTimerFires() throws Exception {
        Thread waiter = startQueuedWaiter("timed", 100);
        List<FakeTimers.Scheduled> scheduled = timers.scheduled();
        assertEquals(1, scheduled.size());
        assertEquals(0, timers.advance(99));
        assertNull(returned.poll());
        assertEquals(1, timers.advance(1));
        assertEquals("timed=false", nextReturned());
        ConcurrentRun.join(waiter, failure);
    }

    @Test
    void signalledTimedAwaitReturnsTrueAndCancelsItsTimer() throws Exception {
        Thread waiter = startQueuedWaiter("timed", 100);
        mutex.lock();
        condVar.signal();
        mutex.unlock();
        assertEquals("timed=true", nextReturned());
        ConcurrentRun.join(waiter, failure);
        assertTrue(timers.scheduled().getFirst().isCancelled());
        assertEquals(0, timers.advance(1_000));
    }

    /** A waiter that timed out but has not relocked yet must not absorb the next signal. */
    @Test
    void signalSkipsAWaiterThatTimedOut() throws Exception {
        Thread timed = startQueuedWaiter("timed", 100);
        Thread untimed = startQueuedWaiter("untimed", -1);
        mutex.lock(); // both are queued, the timed one first
        assertEquals(1, timers.advance(100)); // decides TIMED_OUT now, on this thread
        condVar.signal(); // must go to the untimed waiter
        mutex.unlock();
        ConcurrentRun.join(untimed, failure);
        ConcurrentRun.join(timed, failure);
        assertEquals(
                List.of("timed=false", "untimed"),
                returned.stream().sorted().toList());
    }

    @Test
    void interruptedAwaitThrowsWithTheMutexHeld() throws Exception {
        AtomicBoolean heldWhenThrown = new AtomicBoolean();
        AtomicBoolean interruptStatusWhenThrown = new AtomicBoolean(true);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = ConcurrentRun.start("interrupted", failure, i -> {
            mutex.lock();
            waiting.countDown();
            try {
                condVar.await(mutex);
            } catch (InterruptedException e) {
                heldWhenThrown.set(mutex.isHeldByCurrentThread());
                interruptStatusWhenThrown.set(Thread.currentThread().isInterrupted());
            }
            mutex.unlock();
        });
        ConcurrentRun.await(waiting);
        mutex.lock(); // the waiter is queued and has released the mutex
        waiter.interrupt();
        mutex.unlock();
        ConcurrentRun.join(waiter, failure);
        assertTrue(heldWhenThrown.get());
        assertFalse(interruptStatusWhenThrown.get());

        // The interrupted waiter left the queue: a new waiter gets the next signal.
        Thread next = startQueuedWaiter("next", -1);
        mutex.lock();
        condVar.signal();
        mutex.unlock();
        assertEquals("next", nextReturned());
        ConcurrentRun.join(next, failure);
    }

    @Test
    void interruptedBeforeAwaitThrowsAtOnce() throws Exception {
        mutex.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> condVar.await(mutex));
        assertTrue(mutex.isHeldByCurrentThread());
        mutex.unlock();
    }

    @Test
    void withoutTimersATimedAwaitFollowsTheGivenClock() throws Exception {
        FifoCondVar clocked = new FifoCondVar(null, MonotonicClock.system());
        mutex.lock();
        long startNanos = System.nanoTime();
        assertFalse(clocked.await(mutex, TimeUnit.MILLISECONDS.toNanos(2)));
        assertTrue(System.nanoTime() - startNanos >= TimeUnit.MILLISECONDS.toNanos(2));
        assertTrue(mutex.isHeldByCurrentThread());
        assertFalse(clocked.await(mutex, 0));
        mutex.unlock();
    }

    /**
     * Starts a thread that awaits (untimed if {@code timeoutNanos < 0}) and reports to {@link
     * #returned}; returns once the waiter is queued and has released the mutex.
     */
    private Thread startQueuedWaiter(String id, long timeoutNanos) throws InterruptedException {
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = ConcurrentRun.start(id, failure, i -> {
            mutex.lock();
            waiting.countDown();
            if (timeoutNanos < 0) {
                condVar.await(mutex);
                returned.add(id);
            } else {
                returned.add(id + "=" + condVar.await(mutex, timeoutNanos));
            }
            mutex.unlock();
        });
        ConcurrentRun.await(waiting);
        mutex.lock(); // the waiter enqueued before it released the mutex
        mutex.unlock();
        return waiter;
    }

    private String nextReturned() throws InterruptedException {
        String id = returned.poll(10, TimeUnit.SECONDS);
        if (id == null) {
            throw new AssertionError("no waiter returned");
        }
        return id;
    }
}
