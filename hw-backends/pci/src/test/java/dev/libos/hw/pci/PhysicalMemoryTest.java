package dev.libos.hw.pci;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /dev/mem mapping, with a regular file standing in for physical memory (offset = address). */
class PhysicalMemoryTest {
    private static final int FILE_BYTES = 4 * 4096;

    @TempDir
    Path temp;

    private Path physicalMemory() throws IOException {
        ByteBuffer content = ByteBuffer.allocate(FILE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        content.putInt(0x1e00, 0x74726976);
        content.putInt(0x2000, 0xcafef00d);
        Path file = temp.resolve("mem");
        Files.write(file, content.array());
        return file;
    }

    @Test
    void unalignedRangeIsMappedThroughItsPagesAndSlicedExactly() throws IOException {
        Path file = physicalMemory();
        try (Arena arena = Arena.ofConfined()) {
            // 0x1e00..0x2200 straddles a page boundary: pages 1 and 2 are mapped.
            MemorySegment window = PhysicalMemory.map(file, 0x1e00, 0x400, arena);
            assertEquals(0x400, window.byteSize());
            assertEquals(0x74726976, window.get(JAVA_INT_UNALIGNED, 0));
            assertEquals(0xcafef00d, window.get(JAVA_INT_UNALIGNED, 0x200));
            window.set(JAVA_INT_UNALIGNED, 0x3fc, 0x0badcafe);
        }
        ByteBuffer after = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0badcafe, after.getInt(0x21fc), "MAP_SHARED: the write reached the file at its address");
    }

    @Test
    void badRangesAndMissingFilesAreNamed() throws IOException {
        Path file = physicalMemory();
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> PhysicalMemory.map(file, -4096, 16, arena));
            assertThrows(IllegalArgumentException.class, () -> PhysicalMemory.map(file, 0, 0, arena));
            IOException missing = assertThrows(IOException.class,
                    () -> PhysicalMemory.map(temp.resolve("absent"), 0xfeb00000L, 512, arena));
            assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
        }
    }
}
