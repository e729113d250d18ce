package dev.libos.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.testing.MemoryLeakCheck;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Several platform threads hammer one small pool. Each writes its owner tag over the whole
 * buffer it holds and checks it is intact before release, and a side table of holders is
 * claimed by CAS: a buffer handed out twice at once trips one or the other.
 * Rerun a failure with {@code -Dlibos.test.seed=<seed printed on stdout>}.
 */
class FixedBufferPoolStressTest {
    private static final int THREADS = 4;
    private static final int CAPACITY = 8; // fewer than THREADS * MAX_HELD: the pool runs dry often
    private static final int MAX_HELD = 3;
    private static final int OPERATIONS_PER_THREAD = 40_000;
    private static final int BUFFER_SIZE = 200;

    @Test
    void noBufferIsEverHandedOutTwiceAtOnce() {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("FixedBufferPoolStressTest seed=" + seed + " (rerun with -Dlibos.test.seed=" + seed + ")");
        try (KernelMemory memory = new KernelMemory(64 * 4096, false)) {
            FixedBufferPool pool = memory.newBufferPool("stress", BUFFER_SIZE, CAPACITY);
            long stride = FixedBufferPool.strideFor(BUFFER_SIZE);
            long base = pool.backing().address();
            AtomicLongArray holder = new AtomicLongArray(CAPACITY); // 0 = nobody
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            long[] emptyPolls = new long[THREADS];
            CyclicBarrier start = new CyclicBarrier(THREADS);

            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                threads.add(Thread.ofPlatform().name("pool-stress-" + t).unstarted(() -> {
                    SplittableRandom random = new SplittableRandom(seed + worker);
                    long owner = worker + 1;
                    ArrayDeque<MemorySegment> held = new ArrayDeque<>();
                    try {
                        start.await();
                        for (int op = 0; op < OPERATIONS_PER_THREAD && failures.isEmpty(); op++) {
                            boolean take = held.isEmpty() || (held.size() < MAX_HELD && random.nextBoolean());
                            if (take) {
                                MemorySegment buffer = pool.acquire();
                                if (buffer == null) {
                                    emptyPolls[worker]++;
                                    continue;
                                }
                                int index = (int) ((buffer.address() - base) / stride);
                                if (!holder.compareAndSet(index, 0, owner)) {
                                    failures.add("buffer " + index + " handed to " + owner + " while held by " + holder.get(index));
                                }
                                long tag = owner << 32 | op;
                                for (long off = 0; off + 8 <= BUFFER_SIZE; off += 8) {
                                    buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, off, tag);
                                }
                                held.add(buffer);
                            } else {
                                MemorySegment buffer = random.nextBoolean() ? held.pollFirst() : held.pollLast();
                                long tag = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                                for (long off = 0; off + 8 <= BUFFER_SIZE; off += 8) {
                                    if (buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, off) != tag || tag >>> 32 != owner) {
                                        failures.add("buffer at offset " + (buffer.address() - base) + " overwritten while held by "
                                                + owner + ": tag " + Long.toHexString(tag));
                                        break;
                                    }
                                }
                                int index = (int) ((buffer.address() - base) / stride);
                                holder.set(index, 0); // cleared before release: then the buffer may go to anyone
                                pool.release(buffer);
                            }
                        }
                        while (!held.isEmpty()) {
                            MemorySegment buffer = held.poll();
                            holder.set((int) ((buffer.address() - base) / stride), 0);
                            pool.release(buffer);
                        }
                    } catch (Throwable e) {
                        failures.add(Thread.currentThread().getName() + ": " + e);
                    }
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                threads.forEach(Thread::start);
                for (Thread thread : threads) {
                    thread.join();
                }
            }, "seed=" + seed);

            assertTrue(failures.isEmpty(), "seed=" + seed + ": " + failures);
            assertEquals(CAPACITY, pool.available(), "seed=" + seed);
            MemoryLeakCheck.assertNoLeaks(memory);
            long empties = 0;
            for (long e : emptyPolls) {
                empties += e;
            }
            System.out.println("FixedBufferPoolStressTest: acquire found the pool empty " + empties + " times");
            // Everything came back exactly once: the pool hands out CAPACITY distinct buffers, then none.
            List<Long> addresses = new ArrayList<>();
            for (MemorySegment b = pool.acquire(); b != null; b = pool.acquire()) {
                addresses.add(b.address());
            }
            assertEquals(CAPACITY, addresses.stream().distinct().count(), "seed=" + seed);
        }
    }
}
