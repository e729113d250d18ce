package dev.libos.vfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.libos.vfs.ramfs.RamFs;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A full descriptor table: EMFILE first, nothing left behind. */
class DescriptorTableTest extends VfsFixture {
    @BeforeEach
    void oneDescriptorVfs() throws Exception {
        vfs = new Vfs(new RamFs(), 1);
        vfs.mkdir("/mnt");
        vfs.mount("/mnt", new RamFs());
        write("/mnt/existing", "x");
    }

    @Test
    void createWithAFullTableIsEmfileAndLeavesNoFileNorOpenCount() throws Exception {
        int fd = vfs.open("/held", O_WRONLY | O_CREAT);
        assertEquals(Errno.EMFILE, errno(() -> vfs.open("/mnt/new", O_WRONLY | O_CREAT)));
        assertFalse(vfs.exists("/mnt/new"), "EMFILE is decided before the file is created (Linux)");
        vfs.close(fd);
        // A leaked open count on the mount would make this EBUSY.
        vfs.unmount("/mnt");
        assertEquals(List.of(), vfs.openDescriptors());
    }

    @Test
    void openOfAnExistingFileWithAFullTableLeavesNoOpenCount() throws Exception {
        int fd = vfs.open("/held", O_WRONLY | O_CREAT);
        assertEquals(Errno.EMFILE, errno(() -> vfs.open("/mnt/existing", O_RDONLY)));
        vfs.close(fd);
        vfs.unmount("/mnt");
    }

    @Test
    void aFailedOpenGivesItsNumberBack() throws Exception {
        assertEquals(Errno.ENOENT, errno(() -> vfs.open("/missing", O_RDONLY)));
        assertEquals(List.of(), vfs.openDescriptors());
        assertEquals(Errno.EBADF, errno(() -> vfs.close(0)));
        int fd = vfs.open("/mnt/existing", O_RDONLY);
        assertEquals(0, fd);
        vfs.close(fd);
    }
}
