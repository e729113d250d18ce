package dev.libos.vfs.cowfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.VfsFixture;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A full cowfs device: failures with ENOSPC change nothing. */
class CowFsSpaceTest extends VfsFixture {
    private static final int BLOCK = 4096;

    @Test
    void truncateIntoABlockOnAFullDeviceFailsBeforeChangingTheFile() throws Exception {
        MemoryBlockDevice device = new MemoryBlockDevice("mem", BLOCK, 64);
        CowFs.mkfs(device);
        vfs = new Vfs(CowFs.mount(device));
        byte[] original = new byte[2 * BLOCK];
        Arrays.fill(original, (byte) 7);
        write("/f", original);
        vfs.sync();
        fillDevice("/g");
        vfs.sync(); // nothing dirty: the truncate's reservation cannot be met by a commit

        // Cutting into block 0 must make it dirty (zeroing its tail): one more block to hold.
        assertEquals(Errno.ENOSPC, errno(() -> vfs.truncate("/f", 100)));
        assertEquals(original.length, vfs.stat("/f").size());
        assertArrayEquals(original, read("/f"), "a failed truncate leaves the file as it was");

        vfs.close();
        CowFsck.Report report = CowFsck.check(device);
        assertTrue(report.clean(), report.problems().toString());
        vfs = new Vfs(CowFs.mount(device));
        assertArrayEquals(original, read("/f"));
        vfs.close();
    }

    /** Writes whole blocks to {@code path} until the device says ENOSPC. */
    private void fillDevice(String path) throws VfsException {
        int fd = vfs.open(path, O_WRONLY | O_CREAT);
        try {
            while (true) {
                vfs.write(fd, ByteBuffer.allocate(BLOCK));
            }
        } catch (VfsException e) {
            assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
        } finally {
            vfs.close(fd);
        }
    }
}
