package dev.libos.vfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.vfs.ramfs.RamFs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The VFS used from libos threads contending for one mount lock on a one-CPU kernel. */
class LibosThreadsVfsTest {
    @Test
    @Timeout(30)
    void appendersOnLibosThreadsLoseNoWrite() throws Exception {
        Kernel kernel = TestKernels.boot(1);
        try {
            Vfs vfs = new Vfs(new RamFs());
            int fd = vfs.open("/log", O_RDWR | O_CREAT | OpenFlags.O_APPEND);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(kernel.threads().start("appender-" + t, () -> {
                    try {
                        for (int i = 0; i < 200; i++) {
                            vfs.write(fd, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
                            if (i % 16 == 0) {
                                Thread.yield();
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                TestKernels.join(thread, 20);
            }
            assertEquals(null, failure.get());
            assertEquals(8 * 200 * 4, vfs.fstat(fd).size());
            vfs.close();
        } finally {
            TestKernels.shutdown(kernel);
        }
    }
}
