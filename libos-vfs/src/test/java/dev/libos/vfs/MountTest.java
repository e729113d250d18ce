package dev.libos.vfs;

import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.vfs.ramfs.RamFs;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mount table and path resolution across mounts. */
class MountTest extends VfsFixture {
    @BeforeEach
    void mountSecondRamFs() throws Exception {
        vfs = new Vfs(new RamFs());
        vfs.mkdir("/mnt");
        write("/mnt/hidden", "under the mount");
        write("/top", "on root");
        vfs.mount("/mnt", new RamFs());
    }

    @Test
    void mountHidesTheDirectoryAndUnmountRevealsIt() throws Exception {
        assertFalse(vfs.exists("/mnt/hidden"));
        write("/mnt/new", "on the mount");
        assertNotEquals(vfs.stat("/top").device(), vfs.stat("/mnt/new").device());
        vfs.unmount("/mnt");
        assertEquals("under the mount", readText("/mnt/hidden"));
        assertFalse(vfs.exists("/mnt/new"));
    }

    @Test
    void dotDotLeavesAMountThroughTheCoveredDirectory() throws Exception {
        assertEquals("on root", readText("/mnt/../top"));
        vfs.mkdir("/mnt/sub");
        assertEquals("on root", readText("/mnt/sub/../../top"));
        vfs.symlink("../top", "/mnt/up");
        assertEquals("on root", readText("/mnt/up"));
    }

    @Test
    void operationsAcrossMountsAreExdev() throws Exception {
        write("/mnt/f", "x");
        assertEquals(Errno.EXDEV, errno(() -> vfs.rename("/mnt/f", "/f")));
        assertEquals(Errno.EXDEV, errno(() -> vfs.link("/mnt/f", "/f")));
    }

    @Test
    void busyMountsRefuseUnmountAndRemoval() throws Exception {
        write("/mnt/f", "x");
        int fd = vfs.open("/mnt/f", O_RDONLY);
        assertEquals(Errno.EBUSY, errno(() -> vfs.unmount("/mnt")));
        vfs.close(fd);
        assertEquals(Errno.EBUSY, errno(() -> vfs.rmdir("/mnt")));
        assertEquals(Errno.EBUSY, errno(() -> vfs.rename("/mnt", "/elsewhere")));
        assertEquals(Errno.EINVAL, errno(() -> vfs.unmount("/top")));
        assertEquals(Errno.EINVAL, errno(() -> vfs.unmount("/")));
        assertEquals(Errno.EBUSY, errno(() -> vfs.mount("/", new RamFs())));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.mount("/top", new RamFs())));
        vfs.mkdir("/mnt/inner");
        vfs.mount("/mnt/inner", new RamFs());
        assertEquals(Errno.EBUSY, errno(() -> vfs.unmount("/mnt")));
        vfs.unmount("/mnt/inner");
        vfs.unmount("/mnt");
        assertTrue(vfs.exists("/mnt/hidden"));
    }

    @Test
    void mountTableListsMounts() {
        List<MountInfo> mounts = vfs.mounts();
        assertEquals(2, mounts.size());
        assertEquals("/", mounts.get(0).path());
        assertEquals("/mnt", mounts.get(1).path());
        assertEquals("ramfs", mounts.get(1).type());
    }
}
