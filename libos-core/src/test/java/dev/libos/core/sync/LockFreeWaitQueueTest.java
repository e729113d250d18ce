package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LockFreeWaitQueueTest {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LockFreeWaitQueue queue = new LockFreeWaitQueue();

    @Test
    void returnsAtOnceWhenTheConditionHolds() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        queue.awaitUntil(() -> checks.incrementAndGet() > 0);
        assertEquals(1, checks.get());
    }

    @Test
    void wakeOneMakesTheWaiterRecheck() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        CountingCondition condition = new CountingCondition(ready::get);
        Thread waiter = ConcurrentRun.start("waiter", failure, i -> queue.awaitUntil(condition));
        ConcurrentRun.await(condition.queued);

        queue.wakeOne(); // condition still false: the waiter re-checks, re-queues, re-checks, parks
        condition.awaitChecks(4);
        ready.set(true);
        queue.wakeOne();
        ConcurrentRun.join(waiter, failure);
        assertEquals(5, condition.checks.get());
    }

    @Test
    void wakeAllWakesEveryWaiter() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        Thread[] waiters = new Thread[3];
        for (int i = 0; i < waiters.length; i++) {
            CountingCondition condition = new CountingCondition(ready::get);
            waiters[i] = ConcurrentRun.start("waiter" + i, failure, n -> queue.awaitUntil(condition));
            ConcurrentRun.await(condition.queued);
        }
        ready.set(true);
        queue.wakeAll();
        for (Thread waiter : waiters) {
            ConcurrentRun.join(waiter, failure);
        }
    }

    @Test
    void interruptedWaiterThrows() throws Exception {
        CountingCondition condition = new CountingCondition(() -> false);
        AtomicBoolean threw = new AtomicBoolean();
        Thread waiter = ConcurrentRun.start("waiter", failure, i -> {
            try {
                queue.awaitUntil(condition);
            } catch (InterruptedException e) {
                threw.set(true);
            }
        });
        ConcurrentRun.await(condition.queued);
        waiter.interrupt();
        ConcurrentRun.join(waiter, failure);
        assertTrue(threw.get());
    }

    @Test
    void interruptedCallerThrowsWhenItWouldWait() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> queue.awaitUntil(() -> false));
    }

    /** Counts evaluations; the second is the re-check after the waiter queued itself. */
    private static final class CountingCondition implements BooleanSupplier {
        final AtomicInteger checks = new AtomicInteger();
        final CountDownLatch queued = new CountDownLatch(1);
        private final BooleanSupplier condition;

        CountingCondition(BooleanSupplier condition) {
            this.condition = condition;
        }

        @Override
        public boolean getAsBoolean() {
            boolean result = condition.getAsBoolean();
            if (checks.incrementAndGet() == 2) {
                queued.countDown();
            }
            return result;
        }

        /** Waits (by yielding; bounded by the test timeout) until {@code count} checks were made. */
        void awaitChecks(int count) {
            while (checks.get() < count) {
                Thread.yield();
            }
        }
    }
}
