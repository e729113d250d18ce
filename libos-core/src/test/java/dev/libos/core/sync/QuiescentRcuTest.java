package dev.libos.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.sync.Rcu;
import dev.libos.api.sync.RcuPointer;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QuiescentRcuTest {
    private Kernel kernel;

    @AfterEach
    void shutdown() {
        TestKernels.shutdown(kernel);
    }

    /** A published object that a writer "reclaims" after a grace period. */
    static final class Box {
        final long value;
        volatile boolean reclaimed;

        Box(long value) {
            this.value = value;
        }
    }

    @Test
    void aReaderNeverSeesAReclaimedObject() throws Exception {
        long seed = System.nanoTime();
        System.out.println("QuiescentRcuTest seed " + seed);
        kernel = TestKernels.boot(2);
        Rcu rcu = kernel.sync().rcu();
        RcuPointer<Box> pointer = rcu.newPointer(new Box(0));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            SplittableRandom random = new SplittableRandom(seed + r);
            readers.add(kernel.threads().builder().name("reader-" + r).cpu(r % 2).start(() -> {
                while (!stop.get()) {
                    rcu.readLock();
                    try {
                        Box box = pointer.read();
                        for (int spin = random.nextInt(64); spin > 0; spin--) {
                            Thread.onSpinWait(); // hold the reference a while, without blocking
                        }
                        if (box.reclaimed) {
                            violations.incrementAndGet();
                        }
                    } finally {
                        rcu.readUnlock();
                    }
                    reads.incrementAndGet();
                    Thread.yield(); // a quiescent state between sections
                }
            }));
        }
        int updates = 2_000;
        CountDownLatch allReclaimed = new CountDownLatch(updates);
        Thread writer = kernel.threads().start("writer", () -> {
            for (int i = 1; i <= updates; i++) {
                Box old = pointer.assign(new Box(i));
                rcu.callAfterGracePeriod(() -> {
                    old.reclaimed = true;
                    allReclaimed.countDown();
                });
                if (i % 100 == 0) {
                    try {
                        rcu.synchronize();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                Thread.yield();
            }
        });
        TestKernels.join(writer, 30);
        assertTrue(allReclaimed.await(30, TimeUnit.SECONDS));
        stop.set(true);
        for (Thread r : readers) {
            TestKernels.join(r, 10);
        }
        System.out.printf("RCU: %d reads, %d grace periods%n", reads.get(), rcu.completedGracePeriods());
        assertEquals(0, violations.get(), "readers saw reclaimed objects (seed " + seed + ")");
        assertTrue(reads.get() > 0);
        assertEquals(0, kernel.scheduler().rcuReadSectionsBlocked());
    }

    @Test
    void synchronizeReturnsOnceAGracePeriodHasPassed() throws Exception {
        kernel = TestKernels.boot(2);
        Rcu rcu = kernel.sync().rcu();
        long before = rcu.completedGracePeriods();
        rcu.synchronize(); // from a platform thread
        Thread t = kernel.threads().start("sync", () -> {
            try {
                rcu.synchronize(); // from a libos thread
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        TestKernels.join(t, 10);
        assertTrue(rcu.completedGracePeriods() >= before + 2);
    }

    @Test
    void readSectionsBelongToLibosThreads() {
        kernel = TestKernels.boot(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kernel.sync().rcu().readLock());
        assertTrue(e.getMessage().contains("libos threads"), e.getMessage());
    }

    @Test
    void blockingInsideAReadSectionIsCounted() throws Exception {
        kernel = TestKernels.boot(1);
        Rcu rcu = kernel.sync().rcu();
        Thread t = kernel.threads().start("bad-reader", () -> {
            rcu.readLock();
            try {
                Thread.sleep(1); // forbidden: blocks inside the section
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                rcu.readUnlock();
            }
        });
        TestKernels.join(t, 10);
        assertEquals(1, kernel.scheduler().rcuReadSectionsBlocked());
    }
}
