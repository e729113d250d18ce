package dev.libos.core.sync;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Mutex stress suite on libos threads spread over two virtual CPUs. */
class LibosThreadMutexStressTest extends MutexStressSuite {
    private static Kernel kernel;

    @BeforeAll
    static void boot() {
        kernel = TestKernels.boot(2);
    }

    @AfterAll
    static void shutdown() {
        TestKernels.shutdown(kernel);
    }

    @Override
    protected ThreadFactory threadFactory() {
        return task -> kernel.threads().builder().name("stress-Mutex").unstarted(task);
    }
}
