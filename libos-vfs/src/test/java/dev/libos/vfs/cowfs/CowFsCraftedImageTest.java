package dev.libos.vfs.cowfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.BlockDevice;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crafted cowfs images (issue 16, point 6): fields of the newest commit edited, every checksum
 * recomputed. Each is refused at mount with EUCLEAN naming the inode or field; none mounts and
 * then throws a runtime exception, and none mounts so that a later commit loses data.
 */
class CowFsCraftedImageTest {
    static final int BLOCK = 512;
    static final int BLOCKS = 256;
    private final byte[] data = new byte[3 * BLOCK - 100];
    private byte[] image;
    private long fileIno;

    @BeforeEach
    void buildImage() throws Exception {
        new SplittableRandom(16).nextBytes(data);
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", BLOCK, BLOCKS);
        CowFs.mkfs(disk);
        Vfs vfs = new Vfs(CowFs.mount(disk));
        vfs.mkdir("/d");
        write(vfs, "/d/f", data);
        write(vfs, "/g", new byte[] {1, 2, 3});
        vfs.symlink("/g", "/s");
        fileIno = vfs.stat("/d/f").ino();
        vfs.close();
        image = disk.contents();
    }

    static void write(Vfs vfs, String path, byte[] bytes) throws VfsException {
        int fd = vfs.open(path, O_WRONLY | O_CREAT);
        vfs.write(fd, ByteBuffer.wrap(bytes));
        vfs.close(fd);
    }

    static byte[] read(Vfs vfs, String path) throws VfsException {
        int fd = vfs.open(path, O_RDONLY);
        try {
            byte[] bytes = new byte[(int) vfs.fstat(fd).size()];
            vfs.read(fd, ByteBuffer.wrap(bytes));
            return bytes;
        } finally {
            vfs.close(fd);
        }
    }

    static MemoryBlockDevice device(byte[] bytes) {
        MemoryBlockDevice device = new MemoryBlockDevice("crafted", BLOCK, bytes.length / BLOCK);
        device.load(bytes);
        return device;
    }

    private CowImageEditor editor() {
        return new CowImageEditor(image, BLOCK);
    }

    /** {@code image} with the other superblock slot (the previous commit) zeroed: nothing to fall back to. */
    static byte[] withoutPreviousCommit(byte[] image, long newestGeneration) {
        byte[] copy = image.clone();
        int slot = (int) ((newestGeneration + 1) % 2);
        java.util.Arrays.fill(copy, slot * BLOCK, (slot + 1) * BLOCK, (byte) 0);
        return copy;
    }

    /**
     * The crafted commit is never mounted: with the previous commit in the other slot, mount
     * falls back to it read-only and says why, naming {@code named}; without it, mount fails
     * with EUCLEAN naming {@code named}.
     */
    private static void neverMounted(CowImageEditor editor, String named) throws VfsException {
        byte[] crafted = editor.toBytes();
        CowFs fs = CowFs.mount(device(crafted));
        assertTrue(fs.isReadOnly(), "the crafted commit must not be mounted writable");
        assertEquals(editor.generation() - 1, fs.generation());
        assertTrue(fs.damagedCommit().orElseThrow().contains(named), "names " + named + ": " + fs.damagedCommit());
        fs.unmount();
        VfsException e = assertThrows(VfsException.class, () -> CowFs.mount(device(withoutPreviousCommit(crafted, editor.generation()))));
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(named), "names " + named + ": " + e.getMessage());
    }

    @Test
    void theEditorKeepsAnUneditedImageValid() throws Exception {
        MemoryBlockDevice disk = device(editor().toBytes());
        assertTrue(CowFsck.check(disk).clean(), CowFsck.check(disk).problems().toString());
        Vfs vfs = new Vfs(CowFs.mount(disk));
        assertArrayEquals(data, read(vfs, "/d/f"));
        vfs.close();
    }

    @Test
    void fileSizeOfTwoToTheFiftyIsRefusedAtMount() throws Exception {
        CowImageEditor edited = editor().set("inode " + fileIno + " size", 1L << 50);
        neverMounted(edited, "inode " + fileIno);
        // Before the fix this mounted and reading the last byte threw ArrayIndexOutOfBoundsException.
        VfsException e = assertThrows(VfsException.class, () -> {
            Vfs vfs = new Vfs(CowFs.mount(device(withoutPreviousCommit(edited.toBytes(), edited.generation()))));
            int fd = vfs.open("/d/f", O_RDONLY);
            vfs.pread(fd, ByteBuffer.allocate(1), (1L << 50) - 1);
        });
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("inode " + fileIno), e.getMessage());
    }

    @Test
    void fileSizesBeyondTheLimitOrTheBlocksAreRefused() throws Exception {
        for (long size : new long[] {Long.MAX_VALUE, CowFs.MAX_FILE_SIZE + 1, Long.MAX_VALUE - BLOCK + 2}) {
            neverMounted(editor().set("inode " + fileIno + " size", size), "inode " + fileIno);
        }
        neverMounted(editor().set("inode " + fileIno + " size", 2 * BLOCK - 1), "inode " + fileIno);
    }

    @Test
    void nextInodeNumberOfLongMaxValueIsRefusedAtMount() throws Exception {
        CowImageEditor edited = editor().set("superblock nextIno", Long.MAX_VALUE);
        neverMounted(edited, "next inode number");
        // Before the fix this mounted and the first commit threw IllegalArgumentException
        // (fromKey > toKey) from InodeGroups.write.
        VfsException e = assertThrows(VfsException.class, () -> {
            Vfs vfs = new Vfs(CowFs.mount(device(withoutPreviousCommit(edited.toBytes(), edited.generation()))));
            write(vfs, "/new", new byte[] {9});
            vfs.sync();
        });
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("next inode number"), e.getMessage());
    }

    @Test
    void reachableFileWithLinkCountZeroIsRefusedAtMount() throws Exception {
        // Before the fix this mounted; a later unrelated commit dropped the inode, so the next
        // mount failed (a directory entry named a missing inode): the file was lost.
        neverMounted(editor().set("inode " + fileIno + " links", 0), "inode " + fileIno);
    }

    @Test
    void linkCountsOtherThanTheReferencesAreRefused() throws Exception {
        neverMounted(editor().set("inode " + fileIno + " links", 2), "inode " + fileIno);
        neverMounted(editor().set("inode 1 links", 7), "inode 1");
    }

    @Test
    void generationAtTheEndOfTheRangeIsRefused() throws Exception {
        // A commit could not follow it (generation + 1 overflows); the slot parity is kept. (The
        // index chain's blocks carry the real generation, so this was refused before too.)
        neverMounted(editor().set("superblock generation", Long.MAX_VALUE - 1), "generation");
    }

    @Test
    void blockCountBeyondAnIntIsRefused() {
        CowImageEditor edited = editor().set("superblock blockCount", 1L << 33);
        MemoryBlockDevice disk = device(withoutPreviousCommit(edited.toBytes(), edited.generation()));
        BlockDevice huge = new BlockDevice() { // claims 2^40 blocks; only the first few are read
            public String name() {
                return "huge";
            }

            public int blockSize() {
                return BLOCK;
            }

            public long blockCount() {
                return 1L << 40;
            }

            public void read(long block, MemorySegment dst) {
                disk.read(block, dst);
            }

            public void write(long block, MemorySegment src) {
                disk.write(block, src);
            }

            public void flush() {
            }
        };
        VfsException e = assertThrows(VfsException.class, () -> CowFs.mount(huge));
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("blocks"), e.getMessage());
    }
}
