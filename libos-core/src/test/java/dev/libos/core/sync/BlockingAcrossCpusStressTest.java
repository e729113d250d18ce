package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.api.sync.CondVar;
import dev.libos.api.sync.Mutex;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many libos threads on both CPUs block and wake each other through a libos Mutex and CondVar,
 * with random libos-timer delays: every item is consumed exactly once (no lost wakeup), the run
 * ends (no deadlock), and no two threads are ever inside the mutex at once.
 */
@Timeout(60)
class BlockingAcrossCpusStressTest {
    @Test
    void producersAndConsumersWithRandomDelays() throws Exception {
        long seed = System.nanoTime();
        System.out.println("BlockingAcrossCpusStressTest seed " + seed);
        Kernel kernel = TestKernels.boot(2);
        try {
            Mutex mutex = kernel.sync().newMutex();
            CondVar notEmpty = kernel.sync().newCondVar();
            CondVar notFull = kernel.sync().newCondVar();
            ArrayDeque<Integer> buffer = new ArrayDeque<>();
            int capacity = 4;
            int producers = 8;
            int consumers = 8;
            int perProducer = 500;
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger exclusionViolations = new AtomicInteger();
            long[] consumedSum = new long[consumers];
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                SplittableRandom random = new SplittableRandom(seed + p);
                int base = p * perProducer;
                threads.add(kernel.threads().start("producer-" + p, () -> {
                    try {
                        for (int i = 0; i < perProducer; i++) {
                            if (random.nextInt(8) == 0) {
                                kernel.timers().sleep(random.nextLong(1, 200_000));
                            }
                            mutex.lock();
                            try {
                                enter(inside, exclusionViolations);
                                while (buffer.size() == capacity) {
                                    leave(inside);
                                    notFull.await(mutex);
                                    enter(inside, exclusionViolations);
                                }
                                buffer.addLast(base + i + 1);
                                notEmpty.signal();
                                leave(inside);
                            } finally {
                                mutex.unlock();
                            }
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            int total = producers * perProducer;
            AtomicInteger taken = new AtomicInteger();
            for (int c = 0; c < consumers; c++) {
                SplittableRandom random = new SplittableRandom(seed ^ (c + 1000));
                int me = c;
                threads.add(kernel.threads().start("consumer-" + c, () -> {
                    try {
                        while (true) {
                            int item;
                            mutex.lock();
                            try {
                                enter(inside, exclusionViolations);
                                while (buffer.isEmpty() && taken.get() < total) {
                                    leave(inside);
                                    notEmpty.await(mutex, 1_000_000);
                                    enter(inside, exclusionViolations);
                                }
                                if (buffer.isEmpty()) {
                                    leave(inside);
                                    return;
                                }
                                item = buffer.pollFirst();
                                taken.incrementAndGet();
                                notFull.signal();
                                leave(inside);
                            } finally {
                                mutex.unlock();
                            }
                            consumedSum[me] += item;
                            if (random.nextInt(8) == 0) {
                                kernel.timers().sleep(random.nextLong(1, 200_000));
                            }
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread t : threads) {
                TestKernels.join(t, 50);
            }
            long expected = (long) total * (total + 1) / 2;
            long sum = 0;
            for (long s : consumedSum) {
                sum += s;
            }
            assertEquals(0, exclusionViolations.get(), "seed " + seed);
            assertEquals(total, taken.get(), "seed " + seed);
            assertEquals(expected, sum, "seed " + seed);
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    private static void enter(AtomicInteger inside, AtomicInteger violations) {
        if (inside.incrementAndGet() != 1) {
            violations.incrementAndGet();
        }
    }

    private static void leave(AtomicInteger inside) {
        inside.decrementAndGet();
    }
}
