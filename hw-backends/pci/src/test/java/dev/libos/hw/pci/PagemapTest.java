package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagemapTest {
    private static final long PAGE = 4096;

    @TempDir
    Path temp;

    @Test
    void presentEntryGivesFrameTimesPagePlusOffset() {
        long entry = Pagemap.PRESENT | (1L << 61) | 0x12345L;
        assertEquals(0x12345L * PAGE + 0x123, Pagemap.physicalAddress(entry, 0x7f0000000123L, PAGE));
    }

    @Test
    void frameNumberIsBitsZeroToFiftyFour() {
        // Bits 55-62 (soft-dirty, exclusive, file/shared, swapped) must not leak into the frame number.
        long entry = Pagemap.PRESENT | (0xffL << 55) | Pagemap.FRAME_NUMBER_MASK;
        assertEquals(Pagemap.FRAME_NUMBER_MASK * PAGE, Pagemap.physicalAddress(entry, 0, PAGE));
    }

    @Test
    void absentAndHiddenAreSentinels() {
        assertEquals(Pagemap.NOT_PRESENT, Pagemap.physicalAddress(0x12345L, 0, PAGE));
        assertEquals(Pagemap.NOT_PRESENT, Pagemap.physicalAddress(1L << 62 | 0x77, 0, PAGE), "swapped out");
        assertEquals(Pagemap.HIDDEN, Pagemap.physicalAddress(Pagemap.PRESENT, 0, PAGE));
    }

    @Test
    void entryOffsetIsEightBytesPerBasePage() {
        assertEquals(0, Pagemap.entryOffset(0xfff, PAGE));
        assertEquals(8, Pagemap.entryOffset(0x1000, PAGE));
        assertEquals((0x7f0000200000L >>> 12) * 8, Pagemap.entryOffset(0x7f0000200000L, PAGE));
    }

    private Path craftedPagemap(long... entries) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(entries.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long entry : entries) {
            bytes.putLong(entry);
        }
        return Files.write(temp.resolve("pagemap"), bytes.array());
    }

    @Test
    void translationReadsTheEntryOfTheSegmentsPage() throws IOException {
        Path file = craftedPagemap(0, 0, Pagemap.PRESENT | 0xabcdeL, Pagemap.PRESENT, 0x99);
        PagemapTranslation translation = new PagemapTranslation(file, PAGE);

        assertEquals(0xabcdeL * PAGE + 0x10, translation.deviceAddress(MemorySegment.ofAddress(2 * PAGE + 0x10)));

        IOException hidden = assertThrows(IOException.class,
                () -> translation.deviceAddress(MemorySegment.ofAddress(3 * PAGE)));
        assertTrue(hidden.getMessage().contains("CAP_SYS_ADMIN"), hidden.getMessage());
        IOException absent = assertThrows(IOException.class,
                () -> translation.deviceAddress(MemorySegment.ofAddress(4 * PAGE)));
        assertTrue(absent.getMessage().contains("not present"), absent.getMessage());
        MalformedSysfsException past = assertThrows(MalformedSysfsException.class,
                () -> translation.deviceAddress(MemorySegment.ofAddress(9 * PAGE)));
        assertEquals(file, past.file());
    }

    @Test
    void basePageMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new PagemapTranslation(temp, 3000));
    }
}
