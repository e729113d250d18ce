package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.sync.Mutex;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * Stress for {@link HandOffMutex}, run on threads from {@link #threadFactory()}: subclassed for
 * platform threads, JDK virtual threads, and (later) libos threads.
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
            runCounter(kind.create(), seed, 4, 5_000, true);
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
            runCounter(kind.create(), seeds[i], threadCounts[i], 120_000 / threadCounts[i], false);
        }
    }

    /** The mutexes under test: the default (barging) and the fair (hand-off) one. */
    enum MutexKind {
        BARGING, HAND_OFF;

        Mutex create() {
            return this == BARGING ? new BargingMutex() : new HandOffMutex();
        }
    }

    /**
     * As {@link #handOffHammer(MutexKind)} for the hand-off mutex, with random delays inside each race window (committed but not
     * enqueued; enqueued but token not read; token published but queue not re-checked). Left
     * alone, a waiter is almost always queued long before anyone unlocks (a wake-up takes
     * microseconds, the window nanoseconds), so the token path would hardly ever run; the run
     * fails unless it did.
     */
    @Test
    @Timeout(60)
    void handOffHammerWithWidenedWindows() throws Exception {
        // Few threads with work between acquisitions: with many, the queue never empties.
        int[] threadCounts = {2, 3, 4};
        long[] seeds = TestSeeds.seeds(getClass().getSimpleName() + ".handOffHammerWithWidenedWindows", 3);
        long tokens = 0;
        for (int i = 0; i < threadCounts.length; i++) {
            HandOffMutex mutex = new HandOffMutex(new DelayingHook(seeds[i]));
            runCounter(mutex, seeds[i], threadCounts[i], 30_000 / threadCounts[i], true);
            tokens += mutex.tokensPublished();
        }
        assertTrue(tokens > 0, "the token path never ran");
    }

    private void runCounter(Mutex mutex, long seed, int threads, int iterations, boolean randomWork)
            throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        long[] counter = {0}; // plain: only the mutex makes the increments safe
        new ConcurrentRun(threadFactory()).add(threads, index -> {
            SplittableRandom random = new SplittableRandom(seed * 31 + index);
            long sink = 0;
            for (int i = 0; i < iterations; i++) {
                boolean reentrant = randomWork && random.nextInt(16) == 0;
                // No tryLock-and-yield loop: it spins, and tryLock rightly fails while anyone waits.
                if (!(randomWork && random.nextInt(8) == 0 && mutex.tryLock())) {
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
            System.out.println("  seed " + seed + ", " + threads + " threads: " + handOff.tokensPublished()
                    + " hand-off tokens");
        }
        assertTrue(mutex.tryLock(), "the mutex is free after the run, seed " + seed);
        mutex.unlock();
    }

    /**
     * Delays threads inside the hand-off windows at random (one random per thread, derived from
     * the seed): a short timed park after committing, yields at the other two points.
     */
    private static final class DelayingHook implements MutexContentionHook {
        private static final long MAX_DELAY_NANOS = 20_000;
        private final AtomicInteger threadsSeen = new AtomicInteger();
        private final ThreadLocal<SplittableRandom> random;

        DelayingHook(long seed) {
            random = ThreadLocal.withInitial(() -> new SplittableRandom(seed * 41 + threadsSeen.incrementAndGet()));
        }

        @Override
        public void afterCommit() {
            SplittableRandom r = random.get();
            if (r.nextInt(4) == 0) {
                LockSupport.parkNanos(1 + r.nextLong(MAX_DELAY_NANOS)); // delay injection, not a wait
            }
        }

        @Override
        public void afterEnqueue() {
            maybeYield();
        }

        @Override
        public void afterHandoffPublished() {
            maybeYield();
        }

        private void maybeYield() {
            if (random.get().nextBoolean()) {
                Thread.yield();
            }
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
