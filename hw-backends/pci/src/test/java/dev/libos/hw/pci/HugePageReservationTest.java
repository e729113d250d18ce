package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over files standing in for nr_hugepages and meminfo (the kernel's reaction is not modelled). */
class HugePageReservationTest {
    @TempDir
    Path temp;

    private Path meminfo(long free, long reserved) throws IOException {
        return Files.writeString(temp.resolve("meminfo"), "MemTotal:  1000 kB\nHugePages_Total:  8\nHugePages_Free:  "
                + free + "\nHugePages_Rsvd:  " + reserved + "\nHugepagesize:  2048 kB\n");
    }

    private Path pool(long pages) throws IOException {
        return Files.writeString(temp.resolve("nr_hugepages"), pages + "\n");
    }

    @Test
    void enoughAvailableLeavesThePoolAlone() throws IOException {
        Path pool = pool(8);
        HugePageReservation.ensureAvailable(4, pool, meminfo(6, 2));
        assertEquals("8\n", Files.readString(pool));
    }

    @Test
    void growsThePoolByTheShortfallOnTopOfPagesInUse() throws IOException {
        // 8 pages, 6 in use by another DMA memory, 1 free but reserved: 1 available, 4 wanted.
        Path pool = pool(8);
        IOException e = assertThrows(IOException.class, () -> HugePageReservation.ensureAvailable(4, pool, meminfo(2, 1)));
        assertEquals("11", Files.readString(pool), "8 + (4 - 1)");
        // The fake meminfo does not change, so the check after the write reports the shortfall.
        assertTrue(e.getMessage().contains("11 huge pages") && e.getMessage().contains("1 available"), e.getMessage());
    }

    @Test
    void malformedMeminfoNamesTheFileAndTheLine() throws IOException {
        Path meminfo = Files.writeString(temp.resolve("meminfo"), "HugePages_Free: x\n");
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class,
                () -> HugePageReservation.ensureAvailable(1, pool(0), meminfo));
        assertTrue(e.getMessage().contains("HugePages_Free") && e.getMessage().contains(meminfo.toString()), e.getMessage());
    }

    @Test
    void nonPositiveCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HugePageReservation.ensureAvailable(0));
    }
}
