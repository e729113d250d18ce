package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.libos.api.device.BlockDevice;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlockSizeAdapterTest {
    @Test
    void blockKIsTheRatioOfSectorsFromKTimesRatio() throws IOException {
        MemoryBlockDevice sectors = new MemoryBlockDevice("vda", 512, 8 * 4 + 3); // 3 trailing sectors
        BlockDevice blocks = BlockSizeAdapter.of(sectors, 4096);
        assertEquals(4, blocks.blockCount(), "the partial block at the end is not exposed");
        byte[] data = new byte[2 * 4096];
        Arrays.fill(data, (byte) 7);
        blocks.write(1, MemorySegment.ofArray(data));
        assertArrayEquals(data, Arrays.copyOfRange(sectors.contents(), 4096, 3 * 4096));
        MemorySegment back = MemorySegment.ofArray(new byte[4096]);
        blocks.read(2, back);
        assertEquals(7, back.get(ValueLayout.JAVA_BYTE, 4095));
    }

    @Test
    void sameSizeIsTheDeviceItselfAndMisuseNamesTheValues() {
        MemoryBlockDevice device = new MemoryBlockDevice("vdb", 4096, 4);
        assertSame(device, BlockSizeAdapter.of(device, 4096));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockSizeAdapter.of(device, 2048));
        assertEquals("vdb: blocks of 4096 bytes cannot be grouped into blocks of 2048", e.getMessage());
        BlockDevice blocks = BlockSizeAdapter.of(new MemoryBlockDevice("vdc", 512, 16), 4096);
        assertThrows(IllegalArgumentException.class, () -> blocks.read(1, MemorySegment.ofArray(new byte[2 * 4096])));
        assertThrows(IllegalArgumentException.class, () -> blocks.read(0, MemorySegment.ofArray(new byte[512])));
    }
}
