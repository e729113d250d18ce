package dev.libos.examples.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.BlockDevice;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DiskPatternTest {
    private static MemoryBlockDevice diskWithHeader(String header, int mebibytes) throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice("scratch", 512, mebibytes * 2048L + 1);
        byte[] sector = new byte[512];
        byte[] text = header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, sector, 0, text.length);
        disk.write(0, MemorySegment.ofArray(sector));
        return disk;
    }

    @Test
    void wordsMatchTheHostScriptsPython() {
        // Values printed by the splitmix64 function of bin/vm-files-test.
        assertEquals(0x910a2dec89025cc1L, DiskPattern.word(1, 0));
        assertEquals(0xbe2aaa229d0eb539L, DiskPattern.word(-5, 1000));
    }

    @Test
    void writesThePatternFromSectorOneAndVerifiesIt() throws IOException {
        long seed = 0x1234_5678_9abcL;
        MemoryBlockDevice disk = diskWithHeader("libos-pattern seed=" + seed + " bytes=2097152\n", 2);
        DiskPattern.Request request = DiskPattern.readRequest(disk);
        long[] now = {0};
        DiskPattern.Result result = DiskPattern.run(disk, request, () -> now[0] += 1_000_000);
        assertEquals(-1, result.firstMismatch());
        ByteBuffer bytes = ByteBuffer.wrap(disk.contents()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(DiskPattern.word(seed, 0), bytes.getLong(512));
        assertEquals(DiskPattern.word(seed, (2 << 20) / 8 - 1), bytes.getLong(512 + (2 << 20) - 8));
        assertTrue(new String(disk.contents(), 0, 14, StandardCharsets.US_ASCII).startsWith("libos-pattern"), "header kept");
    }

    @Test
    void aDiskThatReturnsOtherBytesIsCaughtAtTheFirstBadOffset() throws IOException {
        MemoryBlockDevice disk = diskWithHeader("libos-pattern seed=7 bytes=1048576\n", 1);
        BlockDevice flipping = new BlockDevice() {
            @Override public String name() { return disk.name(); }
            @Override public int blockSize() { return disk.blockSize(); }
            @Override public long blockCount() { return disk.blockCount(); }
            @Override public void read(long block, MemorySegment dst) throws IOException {
                disk.read(block, dst);
                if (block == 1) {
                    dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 4096 + 3, (byte) ~dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4096 + 3));
                }
            }
            @Override public void write(long block, MemorySegment src) throws IOException { disk.write(block, src); }
            @Override public void flush() { }
        };
        DiskPattern.Result result = DiskPattern.run(flipping, DiskPattern.readRequest(disk), System::nanoTime);
        assertEquals(4096 + 3, result.firstMismatch(), "the first byte that differs");
    }

    @Test
    void missingOrImpossibleHeaderIsAClearError() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> DiskPattern.readRequest(diskWithHeader("", 1)))
                .getMessage().contains("no 'libos-pattern"));
        assertTrue(assertThrows(IOException.class, () -> DiskPattern.readRequest(diskWithHeader("libos-pattern seed=1 bytes=4194304\n", 1)))
                .getMessage().contains("within the disk's"));
    }
}
