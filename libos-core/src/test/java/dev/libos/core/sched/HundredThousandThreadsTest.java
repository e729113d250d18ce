package dev.libos.core.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100,000 libos threads that each block and are woken from another CPU all finish: each thread
 * parks until its predecessor in a ring wakes it, and the wakers are spread over both CPUs.
 */
@Timeout(120)
class HundredThousandThreadsTest {
    @Test
    void everyOneOf100000BlockingThreadsFinishes() throws Exception {
        Kernel kernel = TestKernels.boot(2);
        try {
            int count = 100_000;
            Thread[] threads = new Thread[count];
            AtomicInteger finished = new AtomicInteger();
            AtomicInteger[] tokens = new AtomicInteger[count];
            for (int i = 0; i < count; i++) {
                tokens[i] = new AtomicInteger();
            }
            for (int i = 0; i < count; i++) {
                int me = i;
                threads[i] = kernel.threads().builder().name("t" + i).cpu(i % 2).unstarted(() -> {
                    // Wait for the token, pass it on to the next thread (pinned to the other CPU).
                    while (tokens[me].get() == 0) {
                        LockSupport.park();
                    }
                    if (me + 1 < count) {
                        tokens[me + 1].set(1);
                        LockSupport.unpark(threads[me + 1]);
                    }
                    finished.incrementAndGet();
                });
            }
            for (Thread t : threads) {
                t.start();
            }
            tokens[0].set(1);
            LockSupport.unpark(threads[0]);
            TestKernels.join(threads[count - 1], 100);
            for (Thread t : threads) {
                TestKernels.join(t, 10);
            }
            assertEquals(count, finished.get());
            long remote = kernel.cpus().stats(0).remoteWakeups() + kernel.cpus().stats(1).remoteWakeups();
            System.out.printf("100000 threads: remote wakeups %d, started %d%n", remote,
                    kernel.threads().startedThreads());
        } finally {
            TestKernels.shutdown(kernel);
        }
    }
}
