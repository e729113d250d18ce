package dev.libos.vfs.cowfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.VfsFixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Incremental commits (format 2): a commit writes what changed, not every inode. */
class CowFsIncrementalTest extends VfsFixture {
    private static String path(int i) {
        return "/d" + (i % 50) + "/f" + i;
    }

    /** Writes {@code bytes} at {@code offset} of {@code path}, fsyncs; the device writes it took. */
    private long pwriteAndFsync(CountingBlockDevice device, String path, byte[] bytes, long offset) throws VfsException {
        int fd = vfs.open(path, O_RDWR | O_CREAT);
        vfs.pwrite(fd, ByteBuffer.wrap(bytes), offset);
        long before = device.blocksWritten;
        vfs.fsync(fd);
        long written = device.blocksWritten - before;
        vfs.close(fd);
        return written;
    }

    @Test
    @Timeout(120)
    void fsyncAfterTouchingOneFileAmongManyWritesABoundedNumberOfBlocks() throws Exception {
        int files = 5000;
        // Room for the files and a little metadata: chains a commit replaced must be reused, or
        // the 300 commits below run out of space.
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", 4096, files + 600);
        CowFs.mkfs(disk);
        CountingBlockDevice device = new CountingBlockDevice(disk);
        vfs = new Vfs(CowFs.mount(device));
        long alone = pwriteAndFsync(device, "/alone", new byte[4096], 0);
        for (int d = 0; d < 50; d++) {
            vfs.mkdir("/d" + d);
        }
        for (int i = 0; i < files; i++) {
            write(path(i), new byte[] {(byte) i});
        }
        vfs.sync();
        long seed = System.nanoTime();
        System.out.println("fsyncAfterTouchingOneFileAmongManyWritesABoundedNumberOfBlocks seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[4096];
        long most = 0;
        for (int round = 0; round < 300; round++) {
            random.nextBytes(block);
            int i = random.nextInt(files);
            long written = pwriteAndFsync(device, path(i), block, 0);
            most = Math.max(most, written);
        }
        System.out.println("blocks written by one fsync: " + alone + " with 1 file, at most " + most + " with " + files);
        // One data block, one superblock, the touched file's group (a few blocks for 256 small
        // files) and the index (one block for ~20 groups). Rewriting every inode would take ~45.
        assertTrue(most <= 8, "one fsync wrote " + most + " blocks (seed=" + seed + ")");
        vfs.close();
        CowFsck.Report report = CowFsck.check(disk);
        assertTrue(report.clean(), report.problems().toString());
        assertEquals(files + 52, report.inodes());
    }

    @Test
    @Timeout(120)
    void manyGroupsAndALargeDirectorySurviveRemount() throws Exception {
        long seed = System.nanoTime();
        System.out.println("manyGroupsAndALargeDirectorySurviveRemount seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", 512, 65536);
        CowFs.mkfs(disk, 16);
        vfs = new Vfs(CowFs.mount(disk));
        vfs.mkdir("/big");
        TreeMap<String, byte[]> model = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = new byte[random.nextInt(700)];
            random.nextBytes(bytes);
            String name = "/big/file-with-a-longish-name-" + i;
            write(name, bytes);
            model.put(name, bytes);
            if (random.nextInt(200) == 0) {
                vfs.sync();
            }
        }
        vfs.sync();
        // Empty whole groups (they leave the index), rename across groups, rewrite some files.
        for (int i = 0; i < 3000; i++) {
            String name = "/big/file-with-a-longish-name-" + i;
            if (i >= 800 && i < 1600 || random.nextInt(7) == 0) {
                vfs.unlink(name);
                model.remove(name);
            } else if (random.nextInt(11) == 0) {
                String to = "/moved-" + i;
                vfs.rename(name, to);
                model.put(to, model.remove(name));
            } else if (random.nextInt(13) == 0) {
                byte[] bytes = new byte[random.nextInt(2000)];
                random.nextBytes(bytes);
                write(name, bytes);
                model.put(name, bytes);
            }
            if (random.nextInt(300) == 0) {
                vfs.sync();
            }
        }
        vfs.close();
        CowFsck.Report report = CowFsck.check(disk);
        assertTrue(report.clean(), "seed=" + seed + " " + report.problems());
        vfs = new Vfs(CowFs.mount(disk));
        List<String> listed = new ArrayList<>();
        for (DirEntry e : vfs.readdir("/big")) {
            listed.add("/big/" + e.name());
        }
        for (DirEntry e : vfs.readdir("/")) {
            if (e.name().startsWith("moved-")) {
                listed.add("/" + e.name());
            }
        }
        listed.sort(null);
        assertEquals(new ArrayList<>(model.keySet()), listed, "seed=" + seed);
        for (var e : model.entrySet()) {
            assertArrayEquals(e.getValue(), read(e.getKey()), "seed=" + seed + " " + e.getKey());
        }
        vfs.close();
        vfs = null;
    }

    /**
     * An index whose two groups name the same chain (every checksum made valid again): mount and
     * fsck find the block referenced twice.
     */
    @Test
    void aChainReferencedByTwoGroupsIsFound() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("shared", 512, 256);
        CowFs.mkfs(disk, 1);
        vfs = new Vfs(CowFs.mount(disk));
        write("/a", new byte[] {1});
        write("/b", new byte[] {2});
        vfs.close();
        vfs = null;
        assertTrue(CowFsck.check(disk).clean());
        byte[] image = disk.contents();
        SuperblockDescriptor.Superblock sb = null;
        for (int slot = 0; slot < 2; slot++) {
            byte[] block = Arrays.copyOfRange(image, slot * 512, slot * 512 + 512);
            SuperblockDescriptor.Superblock s = SuperblockDescriptor.decode(block, new String[1]);
            if (s != null && (sb == null || s.generation() > sb.generation())) {
                sb = s;
            }
        }
        int at = (int) sb.indexFirst() * 512;
        int payload = at + MetaBlockDescriptor.HEADER_LENGTH;
        byte[] index = Arrays.copyOfRange(image, payload, payload + (int) sb.indexLength());
        InodeGroupIndex.Index decoded = InodeGroupIndex.decode(index);
        TreeMap<Long, InodeGroupIndex.GroupRef> groups = decoded.groups();
        long a = groups.lastKey();
        long b = groups.lowerKey(a);
        groups.put(b, groups.get(a)); // group b now names group a's chain
        byte[] forged = InodeGroupIndex.encode(decoded.groupSize(), groups);
        System.arraycopy(MetaBlockDescriptor.encode(512, sb.generation(), 0, forged, 0, forged.length), 0, image, at, 512);
        CRC32C crc = new CRC32C();
        crc.update(forged);
        SuperblockDescriptor.Superblock patched = new SuperblockDescriptor.Superblock(sb.blockSize(), sb.blockCount(), sb.generation(),
                sb.indexFirst(), sb.indexLength(), (int) crc.getValue(), sb.nextIno());
        System.arraycopy(SuperblockDescriptor.encode(patched, 512), 0, image, (int) (sb.generation() % 2) * 512, 512);
        disk.load(image);
        CowFsck.Report report = CowFsck.check(disk);
        assertEquals(1, report.problems().size(), report.problems().toString());
        assertTrue(report.problems().get(0).contains("shared"), report.problems().toString());
        // Mount refuses that commit and falls back to the previous one (the empty mkfs tree), read-only.
        CowFs fallback = CowFs.mount(disk);
        assertTrue(fallback.isReadOnly());
        assertEquals(sb.generation() - 1, fallback.generation());
        assertTrue(fallback.damagedCommit().orElseThrow().contains("holds inode"), fallback.damagedCommit().toString());
    }

    @Test
    void formatVersion1IsRefusedWithAClearMessage() throws Exception {
        MemoryBlockDevice disk = new MemoryBlockDevice("old", 512, 64);
        CowFs.mkfs(disk);
        byte[] image = disk.contents();
        // Generation 1 lives in slot 1: make it claim version 1 with a valid checksum.
        ByteBuffer sb = ByteBuffer.wrap(image, 512, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
        sb.putInt(SuperblockDescriptor.VERSION_OFFSET, 1);
        CRC32C crc = new CRC32C();
        crc.update(image, 512, SuperblockDescriptor.CRC_OFFSET);
        sb.putInt(SuperblockDescriptor.CRC_OFFSET, (int) crc.getValue());
        disk.load(image);
        VfsException e = assertThrows(VfsException.class, () -> CowFs.mount(disk));
        assertEquals(Errno.EUCLEAN, e.errno());
        assertTrue(e.getMessage().contains("unsupported format version 1"), e.getMessage());
    }
}
