package dev.libos.vfs.cowfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.BLOCK;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.BLOCKS;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.device;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.read;
import static dev.libos.vfs.cowfs.CowFsCraftedImageTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a commit takes one device flush. Its superblock is written together with its blocks,
 * so a cut before that flush may keep any subset of them; the seal (written after the flush)
 * tells mount whether a commit that fails on a block it wrote was cut or damaged.
 */
class CowFsOneFlushTest {
    @Test
    void anFsyncTakesOneDeviceFlush() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", BLOCK, BLOCKS);
        CowFs.mkfs(disk);
        CountingBlockDevice device = new CountingBlockDevice(disk);
        Vfs vfs = new Vfs(CowFs.mount(device));
        int fd = vfs.open("/f", O_RDWR | O_CREAT);
        vfs.write(fd, ByteBuffer.wrap(new byte[3 * BLOCK]));
        long before = device.flushes;
        long writesBefore = device.writeRequests;
        vfs.fsync(fd);
        assertEquals(1, device.flushes - before, "one flush per commit");
        // Three data blocks, the file's group, the root's group, the index, the superblock and the
        // seal: the freshly allocated blocks are consecutive, so they go down as one run.
        long requests = device.writeRequests - writesBefore;
        assertTrue(requests <= 4, requests + " device writes: the commit's blocks were not batched");
        vfs.close(fd);
        vfs.close();
    }

    /**
     * Every subset of the writes of a commit cut before its flush (the seal is never written then),
     * on a disk whose previous commit is sealed: fsck is clean, and mount takes the new commit
     * writable when every block it needs arrived, else the previous one writable, naming the
     * unwritten block; the files are those of the commit taken.
     */
    @Test
    void everySubsetOfACutCommitMountsTheNewOrThePreviousCommitWhole() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", BLOCK, BLOCKS);
        CowFs.mkfs(disk);
        Vfs vfs = new Vfs(CowFs.mount(disk));
        vfs.mkdir("/d");
        write(vfs, "/d/f", new byte[] {1, 2, 3});
        vfs.close(); // generation g, sealed, flushed
        byte[] durable = disk.contents();
        long g = CowFs.mount(device(durable)).generation();

        MemoryBlockDevice device = device(durable);
        CowFs fs = CowFs.mount(device);
        vfs = new Vfs(fs);
        byte[] big = new byte[2 * BLOCK + 7];
        new java.util.SplittableRandom(11).nextBytes(big);
        write(vfs, "/d/f", big);
        write(vfs, "/n", new byte[] {9});
        fs.commit();
        // The commit's writes: every block that changed (the seal, written after the flush, aside).
        byte[] complete = device.contents();
        List<Integer> written = new ArrayList<>();
        for (int b = 0; b < BLOCKS; b++) {
            if (!java.util.Arrays.equals(durable, b * BLOCK, (b + 1) * BLOCK, complete, b * BLOCK, (b + 1) * BLOCK)) {
                written.add(b);
            }
        }
        int sealSlot = (int) ((g + 2) % 2); // the seal of g + 1 goes over g's slot: not part of a cut commit
        written.remove(Integer.valueOf(sealSlot));
        assertTrue(written.size() >= 4 && written.size() <= 12, "blocks of the commit: " + written);

        int newestTaken = 0;
        for (int mask = 0; mask < 1 << written.size(); mask++) {
            byte[] cut = durable.clone();
            for (int i = 0; i < written.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    int b = written.get(i);
                    System.arraycopy(complete, b * BLOCK, cut, b * BLOCK, BLOCK);
                }
            }
            String what = "subset " + Integer.toBinaryString(mask) + " of blocks " + written;
            MemoryBlockDevice image = device(cut);
            assertTrue(CowFsck.check(image).clean(), what + ": " + CowFsck.check(image).problems());
            CowFs recovered = CowFs.mount(image);
            assertFalse(recovered.isReadOnly(), what);
            Vfs check = new Vfs(recovered);
            if (recovered.generation() == g + 1) {
                newestTaken++;
                assertArrayEquals(big, read(check, "/d/f"), what);
                assertArrayEquals(new byte[] {9}, read(check, "/n"), what);
            } else {
                assertEquals(g, recovered.generation(), what);
                assertArrayEquals(new byte[] {1, 2, 3}, read(check, "/d/f"), what);
                assertEquals(Errno.ENOENT, org.junit.jupiter.api.Assertions.assertThrows(VfsException.class, () -> check.stat("/n")).errno());
                boolean superblockArrived = (mask & (1 << written.indexOf((int) ((g + 1) % 2)))) != 0;
                assertEquals(superblockArrived, recovered.incompleteCommit().isPresent(), what + ": " + recovered.incompleteCommit());
                // Writable: the next commit reuses the cut commit's slot and must mount cleanly.
                write(check, "/after", new byte[] {4});
            }
            check.close();
            assertTrue(CowFsck.check(image).clean(), what + " after a new commit: " + CowFsck.check(image).problems());
        }
        assertEquals(1, newestTaken, "only the whole commit mounts as the new generation");
    }

    /** A commit that fails in a way a cut cannot cause (its checksums hold) is damage: read-only, even unsealed. */
    @Test
    void anUnsealedCommitWithValidChecksumsButBadContentIsDamage() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", BLOCK, BLOCKS);
        CowFs.mkfs(disk);
        Vfs vfs = new Vfs(CowFs.mount(disk));
        write(vfs, "/f", new byte[] {1});
        vfs.close();
        write(vfs = new Vfs(CowFs.mount(disk)), "/f", new byte[] {2});
        vfs.close();
        CowImageEditor editor = new CowImageEditor(disk.contents(), BLOCK).set("superblock nextIno", 1);
        byte[] image = editor.toBytes();
        int otherSlot = (int) ((editor.generation() + 1) % 2);
        java.util.Arrays.fill(image, otherSlot * BLOCK + SuperblockDescriptor.SEAL_OFFSET, otherSlot * BLOCK + 84, (byte) 0);
        CowFs fs = CowFs.mount(device(image));
        assertTrue(fs.isReadOnly());
        assertTrue(fs.damagedCommit().orElseThrow().contains("next inode number"), fs.damagedCommit().toString());
        assertTrue(fs.incompleteCommit().isEmpty());
    }

    /** Version 2 commits were written with two flushes: complete, so a version 2 image counts as sealed. */
    @Test
    void aVersion2ImageMountsAndItsNextCommitIsVersion3() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", BLOCK, BLOCKS);
        CowFs.mkfs(disk);
        Vfs vfs = new Vfs(CowFs.mount(disk));
        write(vfs, "/f", new byte[] {1, 2});
        vfs.close();
        byte[] image = disk.contents();
        for (int slot = 0; slot < 2; slot++) {
            ByteBuffer sb = ByteBuffer.wrap(image, slot * BLOCK, BLOCK).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (sb.getLong(0) == SuperblockDescriptor.MAGIC) {
                sb.putInt(SuperblockDescriptor.VERSION_OFFSET, SuperblockDescriptor.VERSION_TWO_FLUSHES);
                CRC32C crc = new CRC32C();
                crc.update(image, slot * BLOCK, SuperblockDescriptor.CRC_OFFSET);
                sb.putInt(SuperblockDescriptor.CRC_OFFSET, (int) crc.getValue());
            }
            java.util.Arrays.fill(image, slot * BLOCK + SuperblockDescriptor.SEAL_OFFSET, slot * BLOCK + 84, (byte) 0); // no seals in version 2
        }
        disk.load(image);
        CowFs fs = CowFs.mount(disk);
        assertFalse(fs.isReadOnly());
        long generation = fs.generation();
        vfs = new Vfs(fs);
        assertArrayEquals(new byte[] {1, 2}, read(vfs, "/f"));
        write(vfs, "/g", new byte[] {3});
        vfs.close();
        byte[] after = disk.contents();
        int slot = (int) ((generation + 1) % 2);
        assertEquals(SuperblockDescriptor.VERSION,
                ByteBuffer.wrap(after, slot * BLOCK, BLOCK).slice().order(ByteOrder.LITTLE_ENDIAN).getInt(SuperblockDescriptor.VERSION_OFFSET));
        assertTrue(CowFsck.check(disk).clean());
    }
}
