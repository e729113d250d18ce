package dev.libos.core.sync;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The mutex, condition variable and wait queue stress suites on libos threads over two virtual CPUs. */
class LibosThreadStressTest {
    private static Kernel kernel;

    @BeforeAll
    static void boot() {
        kernel = TestKernels.boot(2);
    }

    @AfterAll
    static void shutdown() {
        TestKernels.shutdown(kernel);
    }

    private static ThreadFactory libosThreads(String name) {
        return task -> kernel.threads().builder().name(name).unstarted(task);
    }

    @Nested
    class Mutexes extends MutexStressSuite {
        @Override
        protected ThreadFactory threadFactory() {
            return libosThreads("stress-mutex");
        }
    }

    @Nested
    class CondVars extends CondVarStressSuite {
        @Override
        protected ThreadFactory threadFactory() {
            return libosThreads("stress-condvar");
        }
    }

    @Nested
    class WaitQueues extends WaitQueueStressSuite {
        @Override
        protected ThreadFactory threadFactory() {
            return libosThreads("stress-waitqueue");
        }
    }
}
