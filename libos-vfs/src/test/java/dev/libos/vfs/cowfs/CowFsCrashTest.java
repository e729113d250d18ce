package dev.libos.vfs.cowfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.libos.hw.hosted.block.FaultInjectingBlockDevice;
import dev.libos.hw.hosted.block.FaultPlan;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.DirEntry;
import dev.libos.vfs.FileType;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded crash consistency: a random workload with fsync at random points runs on a device
 * with a volatile write cache; the power is cut at a random write; after power-on, fsck is
 * clean and the mounted tree equals the model at the commit that survived, which is never older
 * than the last fsync that returned. Rerun one scenario with -Dcowfs.crash.seed=N.
 */
class CowFsCrashTest {
    private static final String[] DIRS = {"", "/a", "/b"};
    private static final String[] NAMES = {"f0", "f1", "f2", "f3"};

    @Test
    @Timeout(90)
    void syncedDataSurvivesPowerCutsAtRandomPoints() throws Exception {
        String fixed = System.getProperty("cowfs.crash.seed");
        long base = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        int scenarios = fixed != null ? 1 : 150;
        System.out.println("CowFsCrashTest base seed=" + base + " scenarios=" + scenarios + " (seed of scenario i = base + i)");
        for (int i = 0; i < scenarios; i++) {
            runScenario(base + i, InodeGroupIndex.DEFAULT_GROUP_SIZE, InodeGroupIndex.SOLO_RECORD_BYTES);
        }
    }

    /**
     * The same with two inode numbers per group and records over 40 bytes written alone, so the
     * workload's inodes spread over many groups, move between shared and solo groups, and each
     * commit rewrites some groups and keeps others (the incremental path under power cuts).
     */
    @Test
    @Timeout(90)
    void syncedDataSurvivesPowerCutsWithManyInodeGroups() throws Exception {
        String fixed = System.getProperty("cowfs.crash.seed");
        long base = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        int scenarios = fixed != null ? 1 : 150;
        System.out.println("CowFsCrashTest tiny groups base seed=" + base + " scenarios=" + scenarios + " (seed of scenario i = base + i)");
        for (int i = 0; i < scenarios; i++) {
            runScenario(base + i, 2, 40);
        }
    }

    private static void runScenario(long seed, int groupSize, int soloRecordBytes) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", 512, 8192);
        CowFs.mkfs(disk, groupSize);
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, FaultPlan.POWER_CUTS, seed);
        device.cutPowerAfterWrites(1 + random.nextInt(400));
        CowFs fs = CowFs.mount(device, CowFs.DEFAULT_CACHE_BYTES, soloRecordBytes);
        Vfs vfs = new Vfs(fs);
        Map<String, byte[]> model = new TreeMap<>();
        Map<Long, Map<String, byte[]>> byGeneration = new HashMap<>();
        byGeneration.put(fs.generation(), copy(model));
        long durable = fs.generation();
        vfs.mkdir("/a");
        vfs.mkdir("/b");
        try {
            for (int op = 0; op < 300; op++) {
                String path = DIRS[random.nextInt(DIRS.length)] + "/" + NAMES[random.nextInt(NAMES.length)];
                int kind = random.nextInt(100);
                Map<String, byte[]> before = copy(model);
                long generationBefore = fs.generation();
                if (kind < 45) {
                    int offset = random.nextInt(6000);
                    byte[] bytes = new byte[1 + random.nextInt(3000)];
                    random.nextBytes(bytes);
                    int fd = vfs.open(path, O_RDWR | O_CREAT);
                    vfs.pwrite(fd, ByteBuffer.wrap(bytes), offset);
                    vfs.close(fd);
                    byte[] old = model.getOrDefault(path, new byte[0]);
                    byte[] now = Arrays.copyOf(old, Math.max(old.length, offset + bytes.length));
                    System.arraycopy(bytes, 0, now, offset, bytes.length);
                    model.put(path, now);
                } else if (kind < 55 && model.containsKey(path)) {
                    int size = random.nextInt(8000);
                    vfs.truncate(path, size);
                    model.put(path, Arrays.copyOf(model.get(path), size));
                } else if (kind < 65 && model.containsKey(path)) {
                    vfs.unlink(path);
                    model.remove(path);
                } else if (kind < 75 && model.containsKey(path)) {
                    String to = DIRS[random.nextInt(DIRS.length)] + "/" + NAMES[random.nextInt(NAMES.length)];
                    vfs.rename(path, to);
                    model.put(to, model.remove(path));
                } else if (kind < 100) {
                    // The commit this fsync makes is generation + 1, with the model as it is now.
                    byGeneration.put(fs.generation() + 1, copy(model));
                    if (model.containsKey(path)) {
                        int fd = vfs.open(path, O_RDONLY);
                        vfs.fsync(fd);
                        vfs.close(fd);
                    } else {
                        vfs.sync();
                    }
                    durable = fs.generation();
                    continue;
                }
                if (fs.generation() != generationBefore) {
                    byGeneration.put(fs.generation(), before); // an implicit commit ran before the change
                }
            }
            device.powerCut();
        } catch (VfsException e) {
            if (device.isPowered()) {
                throw new AssertionError("seed=" + seed + ": failure without a power cut", e);
            }
        }
        device.powerOn();
        CowFsck.Report report = CowFsck.check(disk);
        assertTrue(report.clean(), "seed=" + seed + ": fsck " + report.problems());
        CowFs recovered = CowFs.mount(disk);
        long generation = recovered.generation();
        assertTrue(generation >= durable, "seed=" + seed + ": recovered generation " + generation + " older than the last fsync's " + durable);
        Map<String, byte[]> expected = byGeneration.get(generation);
        assertNotNull(expected, "seed=" + seed + ": no model for generation " + generation);
        Vfs check = new Vfs(recovered);
        Map<String, byte[]> actual = new TreeMap<>();
        collect(check, "", actual);
        assertEquals(expected.keySet(), actual.keySet(), "seed=" + seed + " generation " + generation);
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), "seed=" + seed + " " + e.getKey());
        }
        check.close();
    }

    private static void collect(Vfs vfs, String dir, Map<String, byte[]> into) throws VfsException {
        List<DirEntry> entries = vfs.readdir(dir.isEmpty() ? "/" : dir);
        for (DirEntry e : entries) {
            String path = dir + "/" + e.name();
            if (e.type() == FileType.DIRECTORY) {
                collect(vfs, path, into);
            } else if (e.type() == FileType.REGULAR) {
                int fd = vfs.open(path, O_RDONLY);
                byte[] bytes = new byte[(int) vfs.fstat(fd).size()];
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    if (vfs.read(fd, buffer) < 0) {
                        fail("short file " + path);
                    }
                }
                vfs.close(fd);
                into.put(path, bytes);
            }
        }
    }

    private static Map<String, byte[]> copy(Map<String, byte[]> model) {
        Map<String, byte[]> copy = new TreeMap<>();
        model.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
