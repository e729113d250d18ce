package dev.libos.vfs.cowfs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.FileSystemContract;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.spi.FileSystem;
import org.junit.jupiter.api.AfterEach;

/** The POSIX contract over cowfs on a memory device, with remount and fsck after each test. */
class CowFsTest extends FileSystemContract {
    private MemoryBlockDevice device;

    @Override
    protected FileSystem newFileSystem() throws Exception {
        device = new MemoryBlockDevice("mem", 4096, 2048);
        CowFs.mkfs(device, groupSize());
        return CowFs.mount(device);
    }

    /** Inode numbers per group for mkfs. */
    protected int groupSize() {
        return InodeGroupIndex.DEFAULT_GROUP_SIZE;
    }

    @Override
    protected boolean remount() throws Exception {
        vfs.close();
        vfs = new Vfs(CowFs.mount(device));
        return true;
    }

    @AfterEach
    void fsckIsClean() throws Exception {
        vfs.close();
        vfs = null;
        CowFsck.Report report = CowFsck.check(device);
        assertTrue(report.clean(), report.problems().toString());
    }
}
