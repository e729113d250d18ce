package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BargingMutexTest {
    private final BargingMutex mutex = new BargingMutex();

    @Test
    void isReentrantAndReleasesOnTheLastUnlock() throws Exception {
        mutex.lock();
        mutex.lock();
        assertTrue(mutex.tryLock());
        mutex.unlock();
        mutex.unlock();
        assertTrue(mutex.isHeldByCurrentThread());
        assertFalse(tryLockOnAnotherThread());
        mutex.unlock();
        assertFalse(mutex.isHeldByCurrentThread());
        assertTrue(tryLockOnAnotherThread());
    }

    @Test
    void unlockByANonOwnerIsRejected() {
        assertThrows(IllegalMonitorStateException.class, mutex::unlock);
    }

    @Test
    void aWaiterIsWokenByTheRelease() throws Exception {
        mutex.lock();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            mutex.lock();
            acquired.set(true);
            mutex.unlock();
        });
        waiting.await();
        while (waiter.getState() != Thread.State.WAITING) { // parked in the contended path
            Thread.onSpinWait();
        }
        assertFalse(acquired.get());
        mutex.unlock();
        waiter.join();
        assertTrue(acquired.get());
    }

    @Test
    void lockIsNotInterruptibleButKeepsTheInterrupt() throws Exception {
        mutex.lock();
        AtomicBoolean interruptedAfterLock = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            mutex.lock();
            interruptedAfterLock.set(Thread.currentThread().isInterrupted());
            mutex.unlock();
        });
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        while (waiter.getState() != Thread.State.WAITING) { // back to waiting after the interrupt
            Thread.onSpinWait();
        }
        mutex.unlock();
        waiter.join();
        assertTrue(interruptedAfterLock.get());
        assertEquals(false, mutex.isHeldByCurrentThread());
    }

    private boolean tryLockOnAnotherThread() throws InterruptedException {
        AtomicBoolean got = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            if (mutex.tryLock()) {
                got.set(true);
                mutex.unlock();
            }
        });
        t.join();
        return got.get();
    }
}
