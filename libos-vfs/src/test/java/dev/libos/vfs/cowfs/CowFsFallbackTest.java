package dev.libos.vfs.cowfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.BLOCK;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.BLOCKS;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.device;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.read;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, point 7: one damaged metadata block of the newest commit no longer refuses the
 * mount while the other superblock slot holds the previous commit intact: mount falls back to
 * it, read-only, and says which generation and block it refused.
 */
class CowFsFallbackTest {
    private byte[] image;
    private long newest;
    private long newestIndexBlock;
    private long previousIndexBlock;

    @BeforeEach
    void twoCommits() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", BLOCK, BLOCKS);
        CowFs.mkfs(disk);
        Vfs vfs = new Vfs(CowFs.mount(disk));
        vfs.mkdir("/d");
        write(vfs, "/d/f", new byte[] {1, 2, 3});
        vfs.close(); // commit: /d/f = 1 2 3
        previousIndexBlock = new CowImageEditor(disk.contents(), BLOCK).metadataBlocks().getFirst();
        vfs = new Vfs(CowFs.mount(disk));
        write(vfs, "/d/f", new byte[] {4, 5, 6, 7});
        write(vfs, "/new", new byte[] {8});
        vfs.close(); // the next commit: /d/f = 4 5 6 7, /new
        image = disk.contents();
        CowImageEditor editor = new CowImageEditor(image, BLOCK);
        newest = editor.generation();
        newestIndexBlock = editor.metadataBlocks().getFirst(); // the index chain: rewritten by every commit
    }

    /** {@code bytes} with one payload byte of metadata block {@code block} flipped (its checksum now fails). */
    private static byte[] damage(byte[] bytes, long block) {
        byte[] copy = bytes.clone();
        copy[(int) block * BLOCK + MetaBlockDescriptor.HEADER_LENGTH + 5] ^= 0x10;
        return copy;
    }

    @Test
    void aDamagedMetadataBlockOfTheNewestCommitMountsThePreviousReadOnly() throws Exception {
        MemoryBlockDevice disk = device(damage(image, newestIndexBlock));
        byte[] before = disk.contents();
        CowFs fs = CowFs.mount(disk);
        assertTrue(fs.isReadOnly());
        assertEquals(newest - 1, fs.generation());
        String why = fs.damagedCommit().orElseThrow();
        assertTrue(why.contains("generation " + newest) && why.contains("metadata block " + newestIndexBlock)
                && why.contains("checksum") && why.contains("read-only"), why);

        Vfs vfs = new Vfs(fs);
        assertArrayEquals(new byte[] {1, 2, 3}, read(vfs, "/d/f"), "the previous commit's data, whole");
        assertEquals(Errno.ENOENT, assertThrows(VfsException.class, () -> vfs.stat("/new")).errno());
        assertEquals(Errno.EROFS, assertThrows(VfsException.class, () -> vfs.open("/d/f", O_WRONLY)).errno());
        assertEquals(Errno.EROFS, assertThrows(VfsException.class, () -> vfs.open("/x", O_WRONLY | O_CREAT)).errno());
        assertEquals(Errno.EROFS, assertThrows(VfsException.class, () -> vfs.mkdir("/e")).errno());
        assertEquals(Errno.EROFS, assertThrows(VfsException.class, () -> fs.root().create("y", dev.libos.vfs.FileType.REGULAR)).errno(),
                "the file system refuses changes itself, not only through the VFS");
        assertTrue(vfs.mounts().getFirst().readOnly(), "the mount table shows it read-only");
        vfs.sync();
        vfs.close();
        assertArrayEquals(before, disk.contents(), "nothing is written: the damaged commit stays for inspection");
        assertFalse(CowFsck.check(disk).clean(), "fsck still reports the newest commit's damage");
    }

    @Test
    void bothCommitsDamagedIsEucleanNamingBoth() {
        MemoryBlockDevice disk = device(damage(damage(image, newestIndexBlock), previousIndexBlock));
        VfsException e = assertThrows(VfsException.class, () -> CowFs.mount(disk));
        assertEquals(Errno.EUCLEAN, e.errno());
        assertTrue(e.getMessage().contains("generation " + newest) && e.getMessage().contains("generation " + (newest - 1))
                && e.getMessage().contains("metadata block " + previousIndexBlock), e.getMessage());
    }

    @Test
    void anUndamagedImageMountsItsNewestCommitWritable() throws Exception {
        CowFs fs = CowFs.mount(device(image));
        assertFalse(fs.isReadOnly());
        assertEquals(newest, fs.generation());
        assertTrue(fs.damagedCommit().isEmpty());
        Vfs vfs = new Vfs(fs);
        assertArrayEquals(new byte[] {4, 5, 6, 7}, read(vfs, "/d/f"));
        vfs.close();
    }
}
