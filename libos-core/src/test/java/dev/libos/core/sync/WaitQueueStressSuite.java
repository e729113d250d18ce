package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many waiters and racing wakers on one {@link LockFreeWaitQueue}: wakers release permits one at a
 * time (publish, then wake one or all), waiters take them. A lost wake-up leaves a waiter parked
 * while a permit is free, which hangs the run and trips the timeout. Subclassed per kind of thread.
 */
public abstract class WaitQueueStressSuite {
    private static final int WAITERS = 12;
    private static final int PERMITS_PER_WAITER = 600;
    private static final int WAKERS = 3;

    /** The threads under test. */
    protected abstract ThreadFactory threadFactory();

    @Test
    @Timeout(30)
    void everyPermitReachesAWaiter() throws Exception {
        for (long seed : TestSeeds.seeds(getClass().getSimpleName() + ".permits", 3)) {
            run(seed);
        }
    }

    private void run(long seed) throws Exception {
        LockFreeWaitQueue queue = new LockFreeWaitQueue();
        AtomicLong available = new AtomicLong();
        AtomicInteger taken = new AtomicInteger();
        int total = WAITERS * PERMITS_PER_WAITER;
        new ConcurrentRun(threadFactory())
                .add(WAITERS, index -> {
                    for (int got = 0; got < PERMITS_PER_WAITER; ) {
                        queue.awaitUntil(() -> available.get() > 0);
                        long now = available.get();
                        if (now > 0 && available.compareAndSet(now, now - 1)) {
                            got++;
                            taken.incrementAndGet();
                        }
                    }
                })
                .add(WAKERS, index -> {
                    SplittableRandom random = new SplittableRandom(seed * 31 + index);
                    for (int i = index; i < total; i += WAKERS) {
                        available.incrementAndGet(); // publish (volatile RMW) before waking
                        if (random.nextInt(4) == 0) {
                            queue.wakeAll();
                        } else {
                            queue.wakeOne();
                        }
                        if (random.nextInt(8) == 0) {
                            Thread.yield();
                        }
                    }
                })
                .runAndJoin();
        assertEquals(total, taken.get(), "seed " + seed);
        assertEquals(0, available.get(), "seed " + seed);
    }
}
