package dev.libos.hw.hosted.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.BlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDeviceTest {
    static byte[] block(int size, int fill) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    static byte[] read(BlockDevice device, long block, int blocks) throws IOException {
        MemorySegment dst = MemorySegment.ofArray(new byte[blocks * device.blockSize()]);
        device.read(block, dst);
        return dst.toArray(ValueLayout.JAVA_BYTE);
    }

    static void write(BlockDevice device, long block, byte[] bytes) throws IOException {
        device.write(block, MemorySegment.ofArray(bytes));
    }

    @Test
    void memoryDeviceReadsWhatWasWritten() throws IOException {
        MemoryBlockDevice device = new MemoryBlockDevice("mem", 512, 8);
        write(device, 3, block(1024, 7));
        assertArrayEquals(block(1024, 7), read(device, 3, 2));
        assertArrayEquals(block(512, 0), read(device, 5, 1));
    }

    @Test
    void misuseNamesTheBadValue() {
        MemoryBlockDevice device = new MemoryBlockDevice("mem", 512, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(device, 7, block(1024, 1)));
        assertTrue(e.getMessage().contains("[7, 9)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> write(device, 0, block(100, 1)));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBlockDevice("bad", 1000, 8));
    }

    @Test
    void blockNumbersNearLongMaxValueAreRefusedNotWrapped() {
        // Issue 16: block + blocks used to wrap negative and pass, then the copy threw
        // IndexOutOfBoundsException from inside the device.
        MemoryBlockDevice device = new MemoryBlockDevice("mem", 512, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(device, Long.MAX_VALUE, 1));
        assertTrue(e.getMessage().contains("mem") && e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> write(device, Long.MAX_VALUE - 1, block(1024, 1)));
        assertThrows(IllegalArgumentException.class, () -> read(device, -1, 1));
    }

    @Test
    void fileDeviceKeepsDataAcrossReopen(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("disk.img");
        try (FileBlockDevice device = FileBlockDevice.open(file, 4096, 16)) {
            assertEquals(16 * 4096, Files.size(file));
            write(device, 15, block(4096, 9));
            device.flush();
            assertArrayEquals(block(4096, 0), read(device, 0, 1));
        }
        try (FileBlockDevice device = FileBlockDevice.open(file, 4096, 16)) {
            assertArrayEquals(block(4096, 9), read(device, 15, 1));
        }
    }

    @Test
    void flushedWritesSurviveAPowerCut() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("mem", 512, 8);
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, new FaultPlan(0, 0, 0, 0), 1);
        write(device, 0, block(512, 1));
        device.flush();
        write(device, 1, block(512, 2));
        assertArrayEquals(block(512, 2), read(device, 1, 1), "reads see the cache");
        assertArrayEquals(block(512, 0), read(disk, 1, 1), "the medium does not yet");
        device.powerCut();
        assertThrows(IOException.class, () -> read(device, 0, 1));
        device.powerOn();
        assertArrayEquals(block(512, 1), read(device, 0, 1));
        assertArrayEquals(block(512, 0), read(device, 1, 1), "keep probability 0 drops every unflushed block");
    }

    @Test
    void keptBlocksHoldOneOfTheirWrittenVersions() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("mem", 512, 4);
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, new FaultPlan(1, 0, 0, 0), 7);
        for (int v = 1; v <= 5; v++) {
            write(device, 2, block(512, v));
        }
        device.powerCut();
        device.powerOn();
        byte first = read(device, 2, 1)[0];
        assertTrue(first >= 1 && first <= 5, "survivor is one of the versions: " + first);
        assertArrayEquals(block(512, first), read(device, 2, 1));
    }

    @Test
    void multiBlockWritesTearAndTheSeedReproducesIt() throws IOException {
        long seed = System.nanoTime();
        System.out.println("multiBlockWritesTear seed=" + seed);
        byte[] first = cutDuringLargeWrite(seed);
        assertArrayEquals(first, cutDuringLargeWrite(seed), "same seed, same surviving image; seed=" + seed);
        int kept = 0;
        for (int b = 0; b < 64; b++) {
            kept += first[b * 512] == 3 ? 1 : 0;
        }
        assertTrue(kept > 0 && kept < 64, "a 64-block write survives in part (kept " + kept + "); seed=" + seed);
    }

    private static byte[] cutDuringLargeWrite(long seed) throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("mem", 512, 64);
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, new FaultPlan(0.5, 0, 0, 0), seed);
        device.cutPowerAfterWrites(1);
        assertThrows(IOException.class, () -> write(device, 0, block(64 * 512, 3)));
        return disk.contents();
    }

    @Test
    void tornBlocksMixNewAndOldSectors() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("mem", 4096, 64);
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, new FaultPlan(1, 1, 0, 0), 11);
        write(device, 0, block(4096 * 64, 5));
        device.powerCut();
        byte[] image = disk.contents();
        int torn = 0;
        for (int b = 0; b < 64; b++) {
            if (image[b * 4096] == 5 && image[b * 4096 + 4095] == 0) {
                torn++;
            }
            for (int s = 0; s < 8; s++) {
                byte sector = image[b * 4096 + s * 512];
                for (int i = 1; i < 512; i++) {
                    assertEquals(sector, image[b * 4096 + s * 512 + i], "sectors tear whole");
                }
            }
        }
        assertTrue(torn > 0, "some blocks torn");
    }

    @Test
    void bitFlipsCorruptReadsNotTheMedium() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("mem", 512, 4);
        write(disk, 0, block(512, 0));
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, new FaultPlan(0, 0, 1, 0), 3);
        byte[] flipped = read(device, 0, 1);
        int bits = 0;
        for (byte b : flipped) {
            bits += Integer.bitCount(b & 0xff);
        }
        assertEquals(1, bits);
        assertArrayEquals(block(512, 0), read(disk, 0, 1));
    }

    @Test
    void ioErrorsFailTheCallAndChangeNothing() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("mem", 512, 4);
        FaultInjectingBlockDevice device = new FaultInjectingBlockDevice(disk, new FaultPlan(0, 0, 0, 1), 3);
        IOException e = assertThrows(IOException.class, () -> write(device, 1, block(512, 4)));
        assertTrue(e.getMessage().contains("block 1"), e.getMessage());
        assertThrows(IOException.class, device::flush);
        assertEquals(0, device.unflushedBlocks());
    }
}
