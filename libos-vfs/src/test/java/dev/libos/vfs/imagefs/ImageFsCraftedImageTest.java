package dev.libos.vfs.imagefs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.spi.Vnode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Crafted images (issue 16, point 5): fields edited, checksums recomputed. Each must fail to
 * mount with EUCLEAN naming the inode, never mount and then throw a runtime exception on read.
 */
class ImageFsCraftedImageTest {
    private static final int BLOCK = 512;
    /** Inode 1 the root, 2 the symlink "l", 3 the file "z" (5 blocks from block 1, the table's last inode). */
    private static final byte[] IMAGE = new ImageWriter()
            .addFile("/z", new byte[5 * BLOCK - 7])
            .addSymlink("/l", "z")
            .toBytes(BLOCK);

    private static MemoryBlockDevice device(byte[] bytes) {
        MemoryBlockDevice device = new MemoryBlockDevice("crafted", BLOCK, bytes.length / BLOCK);
        device.load(bytes);
        return device;
    }

    private static VfsException mountFails(ImageEditor editor) {
        return assertThrows(VfsException.class, () -> {
            ImageFs fs = ImageFs.mount(device(editor.toBytes()));
            // Mounted: reading every byte of the file must then be a clean error, not a crash.
            Vnode file = fs.root().lookup("z");
            file.read(0, ByteBuffer.allocate(BLOCK));
            file.read(file.size() - 1, ByteBuffer.allocate(1));
        });
    }

    @Test
    void theEditorKeepsAnUneditedImageValid() throws Exception {
        ImageFs fs = ImageFs.mount(device(new ImageEditor(IMAGE).toBytes()));
        assertEquals(5 * BLOCK - 7, fs.root().lookup("z").size());
    }

    @Test
    void startBlockOfLongMaxValueIsRefusedAtMount() {
        VfsException e = mountFails(new ImageEditor(IMAGE).set("inode 3 firstBlock", Long.MAX_VALUE));
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("inode 3"), e.getMessage());
    }

    @Test
    void startBlockThatWrapsPastTheTableIsRefused() {
        for (long first : new long[] {Long.MAX_VALUE - 3, -1, 0, Long.MIN_VALUE}) {
            VfsException e = mountFails(new ImageEditor(IMAGE).set("inode 3 firstBlock", first));
            assertEquals(Errno.EUCLEAN, e.errno(), first + ": " + e.getMessage());
        }
    }

    @Test
    void fileSizeOfLongMaxValueIsRefusedAtMount() {
        VfsException e = mountFails(new ImageEditor(IMAGE).set("inode 3 size", Long.MAX_VALUE));
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("inode 3"), e.getMessage());
    }

    @Test
    void tableLocationThatOverflowsIsRefused() {
        for (long length : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - BLOCK + 2, -1}) {
            VfsException e = assertThrows(VfsException.class,
                    () -> ImageFs.mount(device(new ImageEditor(IMAGE).set("header.tableLength", length).toBytes())));
            assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        }
        for (long block : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0}) {
            VfsException e = assertThrows(VfsException.class,
                    () -> ImageFs.mount(device(new ImageEditor(IMAGE).set("header.tableBlock", block).toBytes())));
            assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        }
    }

    @Test
    void symlinkSizeMustBeItsTargetLength() {
        VfsException e = assertThrows(VfsException.class,
                () -> ImageFs.mount(device(new ImageEditor(IMAGE).set("inode 2 size", Long.MAX_VALUE).toBytes())));
        assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains("inode 2"), e.getMessage());
    }
}
