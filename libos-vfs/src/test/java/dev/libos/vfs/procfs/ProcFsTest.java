package dev.libos.vfs.procfs;

import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.vfs.Errno;
import dev.libos.vfs.MountInfo;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsFixture;
import dev.libos.vfs.ramfs.RamFs;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcFsTest extends VfsFixture {
    @Test
    @Timeout(30)
    void countersOfABootedKernel() throws Exception {
        Kernel kernel = TestKernels.boot(2);
        try {
            vfs = new Vfs(new RamFs());
            vfs.mkdir("/proc");
            Vfs self = vfs;
            vfs.mount("/proc", new ProcFs(kernel).register("mounts", () -> {
                StringBuilder sb = new StringBuilder();
                for (MountInfo m : self.mounts()) {
                    sb.append(m.type()).append(' ').append(m.path()).append('\n');
                }
                return sb.toString();
            }));
            assertEquals(List.of("cpus", "memory", "mounts", "threads"), names("/proc"));
            assertTrue(readText("/proc/cpus").startsWith("count 2\n"), readText("/proc/cpus"));
            assertTrue(readText("/proc/memory").contains("freePages "), readText("/proc/memory"));
            assertEquals("ramfs /\nprocfs /proc\n", readText("/proc/mounts"));
            CountDownLatch release = new CountDownLatch(1);
            Thread worker = kernel.threads().start("held", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(readText("/proc/threads").startsWith("live 1\n"), readText("/proc/threads"));
            release.countDown();
            TestKernels.join(worker, 10);
            assertEquals(Errno.EROFS, errno(() -> vfs.open("/proc/cpus", O_WRONLY)));
            vfs.close();
            vfs = null;
        } finally {
            TestKernels.shutdown(kernel);
        }
    }
}
