package dev.libos.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The shared block-range check at its edges: negative, overflow near Long.MAX_VALUE, exact end, one past. */
class BlockRangeTest {
    private static final int BS = 512;

    private static IllegalArgumentException refused(long blockCount, long block, long bytes) {
        return assertThrows(IllegalArgumentException.class, () -> BlockRange.check("disk", BS, blockCount, block, bytes));
    }

    @Test
    void transfersInsideTheDeviceReturnTheirBlockCount() {
        assertEquals(1, BlockRange.check("disk", BS, 8, 0, BS));
        assertEquals(8, BlockRange.check("disk", BS, 8, 0, 8 * BS), "the whole device");
        assertEquals(1, BlockRange.check("disk", BS, 8, 7, BS), "the last block: ends exactly at the end");
        assertEquals(3, BlockRange.check("disk", BS, 8, 5, 3 * BS), "ends exactly at the end");
        assertEquals(1, BlockRange.check("disk", BS, Long.MAX_VALUE, Long.MAX_VALUE - 1, BS), "last block of the largest device");
    }

    @Test
    void onePastTheEndIsRefused() {
        IllegalArgumentException e = refused(8, 8, BS);
        assertTrue(e.getMessage().contains("disk") && e.getMessage().contains("block 8") && e.getMessage().contains("8 blocks"), e.getMessage());
        refused(8, 6, 3 * BS);
        refused(8, 0, 9 * BS);
        refused(Long.MAX_VALUE, Long.MAX_VALUE, BS);
    }

    @Test
    void negativeBlocksAreRefused() {
        refused(8, -1, BS);
        refused(8, Long.MIN_VALUE, BS);
        refused(8, -8, 8 * BS);
    }

    @Test
    void rangesThatOverflowNearLongMaxValueAreRefused() {
        // block + blocks wraps to a negative number, which a naive "block + blocks > count" lets through.
        IllegalArgumentException e = refused(8, Long.MAX_VALUE, BS);
        assertTrue(e.getMessage().contains("past 2^63"), e.getMessage());
        refused(8, Long.MAX_VALUE - 1, 4 * BS);
        refused(Long.MAX_VALUE, Long.MAX_VALUE - 1, 2 * BS);
        refused(8, Long.MAX_VALUE / BS, Long.MAX_VALUE / BS * BS);
    }

    @Test
    void lengthsThatAreNotPositiveMultiplesOfTheBlockSizeAreRefused() {
        refused(8, 0, 0);
        refused(8, 0, -BS);
        refused(8, 0, BS + 1);
        IllegalArgumentException e = refused(8, 0, 100);
        assertTrue(e.getMessage().contains("100 bytes") && e.getMessage().contains("512"), e.getMessage());
    }

    @Test
    void theDeviceFormTakesGeometryFromTheDevice() {
        BlockDevice device = new BlockDevice() {
            public String name() {
                return "vda";
            }

            public int blockSize() {
                return 4096;
            }

            public long blockCount() {
                return 2;
            }

            public void read(long block, MemorySegment dst) {
            }

            public void write(long block, MemorySegment src) {
            }

            public void flush() {
            }
        };
        assertEquals(2, BlockRange.check(device, 0, MemorySegment.ofArray(new byte[8192])));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockRange.check(device, 1, MemorySegment.ofArray(new byte[8192])));
        assertTrue(e.getMessage().startsWith("vda: "), e.getMessage());
    }

    @Test
    void geometryNeedsAPowerOfTwoBlockSizeAndACapacityThatFitsALong() {
        BlockRange.checkGeometry("disk", 512, 1);
        BlockRange.checkGeometry("disk", 4096, Long.MAX_VALUE / 4096);
        assertThrows(IllegalArgumentException.class, () -> BlockRange.checkGeometry("disk", 1000, 8));
        assertThrows(IllegalArgumentException.class, () -> BlockRange.checkGeometry("disk", 256, 8));
        assertThrows(IllegalArgumentException.class, () -> BlockRange.checkGeometry("disk", 512, 0));
        assertThrows(IllegalArgumentException.class, () -> BlockRange.checkGeometry("disk", 4096, Long.MAX_VALUE / 4096 + 1));
    }
}
