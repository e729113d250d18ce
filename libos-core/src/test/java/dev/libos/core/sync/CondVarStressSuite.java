package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.api.sync.CondVar;
import dev.libos.api.sync.Mutex;
import dev.libos.api.time.MonotonicClock;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Producers and consumers over a small bounded buffer guarded by a {@link HandOffMutex} and two
 * {@link FifoCondVar}s, with {@code signal()} (not signalAll) so that a lost wake-up hangs the run
 * and trips the timeout. Subclassed per kind of thread.
 */
public abstract class CondVarStressSuite {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;
    private static final int ITEMS_PER_PRODUCER = 4_000;

    /** The threads under test. */
    protected abstract ThreadFactory threadFactory();

    @Test
    @Timeout(30)
    void boundedBufferLosesNoWakeUp() throws Exception {
        for (long seed : TestSeeds.seeds(getClass().getSimpleName() + ".boundedBuffer", 3)) {
            run(seed, false);
        }
    }

    /** Consumers mix very short timed waits in, so timeouts race with signals on the same waiters. */
    @Test
    @Timeout(30)
    void timeoutsRacingWithSignalsKeepTheSumsExact() throws Exception {
        for (long seed : TestSeeds.seeds(getClass().getSimpleName() + ".timedBuffer", 2)) {
            run(seed, true);
        }
    }

    private void run(long seed, boolean timedConsumers) throws Exception {
        SplittableRandom setup = new SplittableRandom(seed);
        BoundedBuffer buffer = new BoundedBuffer(1 + setup.nextInt(4), PRODUCERS * ITEMS_PER_PRODUCER);
        AtomicLong producedSum = new AtomicLong();
        AtomicLong consumedSum = new AtomicLong();
        AtomicLong consumedCount = new AtomicLong();
        new ConcurrentRun(threadFactory())
                .add(PRODUCERS, index -> {
                    SplittableRandom random = new SplittableRandom(seed * 31 + index);
                    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
                        long item = random.nextLong(1_000_000);
                        buffer.put(item, random.nextInt(8) == 0);
                        producedSum.addAndGet(item);
                    }
                })
                .add(CONSUMERS, index -> {
                    SplittableRandom random = new SplittableRandom(seed * 37 + index);
                    long item;
                    while ((item = buffer.take(timedConsumers ? 1 + random.nextInt(20_000) : -1)) >= 0) {
                        consumedSum.addAndGet(item);
                        consumedCount.incrementAndGet();
                    }
                })
                .runAndJoin();
        assertEquals(PRODUCERS * ITEMS_PER_PRODUCER, consumedCount.get(), "seed " + seed);
        assertEquals(producedSum.get(), consumedSum.get(), "seed " + seed);
    }

    /** The classic monitor-style buffer; {@code take} returns -1 once every item was taken. */
    private static final class BoundedBuffer {
        private final Mutex mutex = new HandOffMutex();
        private final CondVar notFull = new FifoCondVar(null, MonotonicClock.system());
        private final CondVar notEmpty = new FifoCondVar(null, MonotonicClock.system());
        private final long[] items;
        private final int total;
        private int head;
        private int size;
        private int taken;

        BoundedBuffer(int capacity, int total) {
            this.items = new long[capacity];
            this.total = total;
        }

        void put(long item, boolean reentrant) throws InterruptedException {
            mutex.lock();
            if (reentrant) {
                mutex.lock(); // await must release and restore both levels
            }
            try {
                while (size == items.length) {
                    notFull.await(mutex);
                }
                items[(head + size) % items.length] = item;
                size++;
                notEmpty.signal();
            } finally {
                if (reentrant) {
                    mutex.unlock();
                }
                mutex.unlock();
            }
        }

        /** @param timeoutNanos a timed wait per round if positive, else untimed */
        long take(long timeoutNanos) throws InterruptedException {
            mutex.lock();
            try {
                while (size == 0 && taken < total) {
                    if (timeoutNanos > 0) {
                        notEmpty.await(mutex, timeoutNanos);
                    } else {
                        notEmpty.await(mutex);
                    }
                }
                if (taken == total) {
                    return -1;
                }
                long item = items[head];
                head = (head + 1) % items.length;
                size--;
                if (++taken == total) {
                    notEmpty.signalAll(); // let the other consumers see the end
                }
                notFull.signal();
                return item;
            } finally {
                mutex.unlock();
            }
        }
    }
}
