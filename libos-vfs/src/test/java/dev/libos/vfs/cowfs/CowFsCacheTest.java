package dev.libos.vfs.cowfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.OpenFlags;
import dev.libos.vfs.Vfs;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read cache never serves stale bytes: random writes, truncates, deletes and commits over a
 * few files, checked after every step against a model, with the cache off, tiny (eviction all the
 * time) and large; then remounted and checked again.
 */
class CowFsCacheTest {
    private static final int BLOCK = 512;
    private static final int FILES = 3;
    private static final int MAX_SIZE = 20 * BLOCK;

    @ParameterizedTest(name = "cache {0} bytes")
    @ValueSource(longs = {0, 3 * BLOCK, 1 << 20})
    void readsAlwaysSeeTheLatestContents(long cacheBytes) throws Exception {
        long seed = new SplittableRandom().nextLong();
        System.out.println("CowFsCacheTest seed=" + seed + " cache=" + cacheBytes);
        SplittableRandom random = new SplittableRandom(seed);
        MemoryBlockDevice device = new MemoryBlockDevice("cache", BLOCK, 512);
        CowFs.mkfs(device);
        CowFs fs = CowFs.mount(device, cacheBytes);
        Vfs vfs = new Vfs(fs);
        byte[][] model = new byte[FILES][];
        for (int step = 0; step < 600; step++) {
            int file = random.nextInt(FILES);
            String path = "/f" + file;
            int op = random.nextInt(10);
            if (op < 4) {
                int at = random.nextInt(MAX_SIZE);
                byte[] data = new byte[1 + random.nextInt(3 * BLOCK)];
                random.nextBytes(data);
                write(vfs, path, at, data);
                byte[] old = model[file] == null ? new byte[0] : model[file];
                byte[] now = Arrays.copyOf(old, Math.max(old.length, at + data.length));
                System.arraycopy(data, 0, now, at, data.length);
                model[file] = now;
            } else if (op < 5 && model[file] != null) {
                int size = random.nextInt(MAX_SIZE);
                vfs.truncate(path, size);
                model[file] = Arrays.copyOf(model[file], size);
            } else if (op < 6 && model[file] != null) {
                vfs.unlink(path);
                model[file] = null;
            } else if (op < 7) {
                vfs.sync();
            } else if (model[file] != null) {
                assertArrayEquals(model[file], read(vfs, path), "step " + step + " " + path + " seed=" + seed);
            }
        }
        vfs.close();
        Vfs remounted = new Vfs(CowFs.mount(device, cacheBytes));
        for (int file = 0; file < FILES; file++) {
            if (model[file] != null) {
                assertArrayEquals(model[file], read(remounted, "/f" + file), "after remount /f" + file + " seed=" + seed);
            }
        }
        remounted.close();
        assertTrue(CowFsck.check(device).clean(), "fsck seed=" + seed);
    }

    @ParameterizedTest(name = "cache {0} bytes")
    @ValueSource(longs = {0, 1 << 20})
    void aSecondReadOfCommittedDataHitsTheCacheWhenThereIsOne(long cacheBytes) throws Exception {
        MemoryBlockDevice device = new MemoryBlockDevice("hits", BLOCK, 256);
        CowFs.mkfs(device);
        byte[] data = new byte[8 * BLOCK];
        new SplittableRandom(7).nextBytes(data);
        try (Vfs writer = new Vfs(CowFs.mount(device, cacheBytes))) {
            write(writer, "/data", 0, data);
        }
        CowFs fs = CowFs.mount(device, cacheBytes);
        try (Vfs vfs = new Vfs(fs)) {
            assertArrayEquals(data, read(vfs, "/data"));
            assertArrayEquals(data, read(vfs, "/data"));
        }
        long[] stats = fs.cacheStatistics();
        assertEquals(cacheBytes == 0 ? 0 : 8, stats[0], "hits (of 16 block reads)");
        assertEquals(cacheBytes == 0 ? 16 : 8, stats[1], "misses");
    }

    private static void write(Vfs vfs, String path, long at, byte[] data) throws Exception {
        int fd = vfs.open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR);
        try {
            vfs.pwrite(fd, ByteBuffer.wrap(data), at);
        } finally {
            vfs.close(fd);
        }
    }

    private static byte[] read(Vfs vfs, String path) throws Exception {
        long size = vfs.stat(path).size();
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        int fd = vfs.open(path, OpenFlags.O_RDONLY);
        try {
            while (buffer.hasRemaining() && vfs.pread(fd, buffer, buffer.position()) > 0) {
                // keep reading
            }
        } finally {
            vfs.close(fd);
        }
        return buffer.array();
    }
}
