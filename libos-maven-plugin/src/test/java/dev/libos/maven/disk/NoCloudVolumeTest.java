package dev.libos.maven.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.guest.FatVolume;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's NoCloud volume, read by libos-guest's FAT reader; and damaged volumes refused. */
class NoCloudVolumeTest {
    @TempDir
    Path temp;

    private Path directory(Map<String, String> files) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("cidata-" + files.hashCode()));
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    private static MemoryBlockDevice device(byte[] bytes) throws IOException {
        MemoryBlockDevice device = new MemoryBlockDevice("vdb", 512, bytes.length / 512);
        device.write(0, MemorySegment.ofArray(bytes));
        return device;
    }

    @Test
    void theGuestReadsTheLabelAndEveryFile() throws IOException {
        long seed = System.nanoTime();
        System.out.println("NoCloudVolumeTest seed " + seed);
        Random random = new Random(seed);
        StringBuilder big = new StringBuilder("#libos-config\nproperties:\n");
        for (int i = 0; i < 2000 + random.nextInt(2000); i++) {
            big.append("  p").append(i).append(": ").append(random.nextLong()).append('\n');
        }
        Map<String, String> files = Map.of("meta-data", "instance-id: i-1\n", "user-data", big.toString(),
                "network-config", "version: 2\n");
        Path volume = temp.resolve("cidata.img");
        NoCloudVolume.write(directory(files), volume);
        byte[] first = Files.readAllBytes(volume);
        NoCloudVolume.write(directory(files), volume);
        assertArrayEquals(first, Files.readAllBytes(volume), "deterministic");
        FatVolume fat = FatVolume.open(device(first));
        assertNotNull(fat);
        assertEquals("CIDATA", fat.label());
        Map<String, byte[]> read = fat.rootFiles(1 << 20);
        assertEquals(files.keySet(), read.keySet());
        for (Map.Entry<String, String> e : files.entrySet()) {
            assertEquals(e.getValue(), new String(read.get(e.getKey()), StandardCharsets.UTF_8), "seed " + seed + " " + e.getKey());
        }
        IOException tooBig = assertThrows(IOException.class, () -> fat.rootFiles(100));
        assertTrue(tooBig.getMessage().contains("over the limit"), tooBig.getMessage());
    }

    @Test
    void badDirectoriesNameTheSetting() throws IOException {
        for (Map<String, String> files : List.of(Map.of("meta-data", ""), Map.of("user-data", ""),
                Map.of("meta-data", "", "user-data", "", "other", ""))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NoCloudVolume.write(directory(files), temp.resolve("x.img")));
            assertTrue(e.getMessage().startsWith("libos.cidata:"), e.getMessage());
        }
    }

    @Test
    void damagedVolumesGiveErrorsNeverCrashesOrHangs() throws IOException {
        long seed = System.nanoTime();
        System.out.println("NoCloudVolumeTest.damaged seed " + seed);
        Random random = new Random(seed);
        Path volume = temp.resolve("cidata.img");
        NoCloudVolume.write(directory(Map.of("meta-data", "instance-id: x\n", "user-data", "#libos-config\n".repeat(200))), volume);
        byte[] valid = Files.readAllBytes(volume);
        // The boot sector, FSInfo, the start of both FATs and the first data clusters hold every field there is.
        int fatSectors = java.nio.ByteBuffer.wrap(valid).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(36);
        int[] hot = {0, 1, 32, 33, 32 + fatSectors, 32 + fatSectors + 1, 32 + 2 * fatSectors, 32 + 2 * fatSectors + 1,
                32 + 2 * fatSectors + 2, 32 + 2 * fatSectors + 3};
        ArrayDevice device = new ArrayDevice(valid);
        for (int round = 0; round < 3000; round++) {
            int flips = 1 + random.nextInt(6);
            int[] at = new int[flips];
            byte[] was = new byte[flips];
            for (int i = 0; i < flips; i++) {
                at[i] = hot[random.nextInt(hot.length)] * 512 + random.nextInt(512);
                was[i] = valid[at[i]];
                valid[at[i]] = (byte) random.nextInt(256);
            }
            try {
                FatVolume fat = FatVolume.open(device);
                if (fat != null) {
                    fat.label();
                    fat.rootFiles(1 << 16);
                }
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith("FAT"), "seed " + seed + ": " + expected.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + e, e);
            }
            for (int i = flips - 1; i >= 0; i--) {
                valid[at[i]] = was[i];
            }
        }
    }

    /** A read-only block device over an array, shared, so a fuzz round costs no 33 MiB copy. */
    private record ArrayDevice(byte[] bytes) implements dev.libos.api.device.BlockDevice {
        @Override
        public String name() {
            return "array";
        }

        @Override
        public int blockSize() {
            return 512;
        }

        @Override
        public long blockCount() {
            return bytes.length / 512;
        }

        @Override
        public void read(long block, MemorySegment dst) {
            dev.libos.api.device.BlockRange.check(this, block, dst);
            MemorySegment.copy(MemorySegment.ofArray(bytes), block * 512, dst, 0, dst.byteSize());
        }

        @Override
        public void write(long block, MemorySegment src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public void flush() {
        }
    }
}
