package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.sync.Mutex;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * Stress for both libos mutexes ({@link BargingMutex}, the default, and {@link HandOffMutex}), run
 * on threads from {@link #threadFactory()}: subclassed for platform threads, JDK virtual threads
 * and libos threads.
 */
public abstract class MutexStressSuite {
    /** The threads under test. */
    protected abstract ThreadFactory threadFactory();

    /** Plain counter under the mutex with random work, yields, reentry and tryLock. */
    @ParameterizedTest
    @EnumSource(MutexKind.class)
    @Timeout(30)
    void plainCounterIsExactAndNeverShared(MutexKind kind) throws Exception {
        for (long seed : TestSeeds.seeds(getClass().getSimpleName() + ".plainCounter." + kind, 3)) {
            runCounter(kind, seed, 4, 5_000, true);
        }
    }

    /**
     * The hand-off race: tiny critical sections, 2 to 8 threads, 120 000 acquisitions per run, so
     * unlock constantly meets waiters that have committed but not yet enqueued.
     */
    @ParameterizedTest
    @EnumSource(MutexKind.class)
    @Timeout(60)
    void handOffHammer(MutexKind kind) throws Exception {
        int[] threadCounts = {2, 5, 8};
        long[] seeds = TestSeeds.seeds(getClass().getSimpleName() + ".handOffHammer." + kind, threadCounts.length);
        for (int i = 0; i < threadCounts.length; i++) {
            runCounter(kind, seeds[i], threadCounts[i], 120_000 / threadCounts[i], false);
        }
    }

    /** The mutexes under test. */
    enum MutexKind {
        BARGING, HAND_OFF;

        Mutex create() {
            return this == BARGING ? new BargingMutex() : new HandOffMutex();
        }
    }

    private void runCounter(MutexKind kind, long seed, int threads, int iterations, boolean randomWork) throws Exception {
        Mutex mutex = kind.create();
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
        if (mutex instanceof HandOffMutex handOff) {
            assertEquals(0, handOff.contenders(), "seed " + seed);
            assertEquals(0, handOff.handoffToken(), "token left behind, seed " + seed);
        }
        assertTrue(mutex.tryLock(), "the mutex is free after the run, seed " + seed);
        mutex.unlock();
    }

    private static long busyWork(int rounds) {
        long x = rounds;
        for (int i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
