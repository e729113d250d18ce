package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.OpenFlags;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.ramfs.RamFs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guest VFS's /proc and /dev: kernel counters, the mount table, one line per disk. */
class GuestProcFilesTest {
    @Test
    @Timeout(30)
    void procListsKernelCountersMountsAndDisksAndDevHasTheStandardNodes() throws Exception {
        Kernel kernel = TestKernels.boot(1);
        try (Vfs vfs = new Vfs(new RamFs())) {
            MemoryBlockDevice scratch = new MemoryBlockDevice("mem0", 512, 64);
            GuestProcFiles.mount(vfs, kernel, List.of(new Disk("scratch", scratch, "test"), new Disk("", scratch, "test")));
            assertEquals("/ ramfs rw\n/proc procfs ro\n/dev devfs rw\n", read(vfs, "/proc/mounts"));
            assertEquals("scratch mem0 blocks 64 x 512\n- mem0 blocks 64 x 512\n", read(vfs, "/proc/disks"));
            assertTrue(read(vfs, "/proc/threads").startsWith("live "), read(vfs, "/proc/threads"));
            assertTrue(vfs.exists("/dev/null") && vfs.exists("/dev/urandom"), vfs.readdir("/dev").toString());
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    private static String read(Vfs vfs, String path) throws VfsException {
        int fd = vfs.open(path, OpenFlags.O_RDONLY);
        try {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (vfs.read(fd, buffer) > 0) {
                // until end of file
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } finally {
            vfs.close(fd);
        }
    }
}
