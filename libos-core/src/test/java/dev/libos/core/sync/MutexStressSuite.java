package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stress for {@link LockFreeMutex}, run on threads from {@link #threadFactory()}: subclassed for
 * platform threads, JDK virtual threads, and (later) libos threads.
 */
public abstract class MutexStressSuite {
    /** The threads under test. */
    protected abstract ThreadFactory threadFactory();

    /** Plain counter under the mutex with random work, yields, reentry and tryLock. */
    @Test
    @Timeout(30)
    void plainCounterIsExactAndNeverShared() throws Exception {
        for (long seed : TestSeeds.seeds(getClass().getSimpleName() + ".plainCounter", 3)) {
            runCounter(seed, 4, 5_000, true);
        }
    }

    /**
     * The hand-off race: tiny critical sections, 2 to 8 threads, 120 000 acquisitions per run, so
     * unlock constantly meets waiters that have committed but not yet enqueued.
     */
    @Test
    @Timeout(60)
    void handOffHammer() throws Exception {
        hammer("handOffHammer", MutexContentionHook.NONE);
    }

    /**
     * As {@link #handOffHammer()}, with a yield inside each race window (committed but not
     * enqueued; enqueued but token not read; token published but queue not re-checked), so that
     * the rare interleavings become common even where threads are seldom preempted.
     */
    @Test
    @Timeout(60)
    void handOffHammerWithWidenedWindows() throws Exception {
        hammer("handOffHammerWithWidenedWindows", new YieldingHook());
    }

    private void hammer(String name, MutexContentionHook hook) throws Exception {
        int[] threadCounts = {2, 5, 8};
        long[] seeds = TestSeeds.seeds(getClass().getSimpleName() + "." + name, threadCounts.length);
        for (int i = 0; i < threadCounts.length; i++) {
            runCounter(new LockFreeMutex(hook), seeds[i], threadCounts[i], 120_000 / threadCounts[i], false);
        }
    }

    private void runCounter(long seed, int threads, int iterations, boolean randomWork) throws Exception {
        runCounter(new LockFreeMutex(), seed, threads, iterations, randomWork);
    }

    private void runCounter(LockFreeMutex mutex, long seed, int threads, int iterations, boolean randomWork)
            throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        long[] counter = {0}; // plain: only the mutex makes the increments safe
        new ConcurrentRun(threadFactory()).add(threads, index -> {
            SplittableRandom random = new SplittableRandom(seed * 31 + index);
            long sink = 0;
            for (int i = 0; i < iterations; i++) {
                boolean reentrant = randomWork && random.nextInt(16) == 0;
                if (randomWork && random.nextInt(8) == 0) {
                    while (!mutex.tryLock()) {
                        Thread.yield();
                    }
                } else {
                    mutex.lock();
                }
                if (reentrant) {
                    mutex.lock();
                }
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                counter[0]++;
                if (randomWork) {
                    sink += busyWork(random.nextInt(50));
                    if (random.nextInt(16) == 0) {
                        Thread.yield();
                    }
                }
                inside.decrementAndGet();
                if (reentrant) {
                    mutex.unlock();
                }
                mutex.unlock();
                if (randomWork && random.nextInt(4) == 0) {
                    sink += busyWork(random.nextInt(50));
                }
            }
            if (sink == 42) {
                System.out.print(""); // keeps the busy work alive
            }
        }).runAndJoin();
        assertEquals(0, overlaps.get(), "two threads inside at once, seed " + seed);
        assertEquals((long) threads * iterations, counter[0], "lost increments, seed " + seed);
        assertEquals(0, mutex.contenders(), "seed " + seed);
        assertEquals(0, mutex.handoffToken(), "token left behind, seed " + seed);
    }

    /** Yields in every window of the hand-off protocol. */
    private static final class YieldingHook implements MutexContentionHook {
        @Override
        public void afterCommit() {
            Thread.yield();
        }

        @Override
        public void afterEnqueue() {
            Thread.yield();
        }

        @Override
        public void afterHandoffPublished() {
            Thread.yield();
        }
    }

    private static long busyWork(int rounds) {
        long x = rounds;
        for (int i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
