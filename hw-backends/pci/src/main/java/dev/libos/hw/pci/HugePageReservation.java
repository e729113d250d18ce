package dev.libos.hw.pci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Grows the kernel's pool of default-size huge pages so that a {@link HugepageDmaMemory} of N
 * pages can be opened. Several users in one guest (the boot's disks, the application's network
 * card) each open their own DMA memory; each asks for the pages it needs <em>on top of</em> what
 * is already in use, never for a pool size, so one never takes pages another holds.
 *
 * <p>Available pages are {@code HugePages_Free - HugePages_Rsvd} of {@code /proc/meminfo}
 * (reserved pages are promised to mappings already made, Documentation/mm/hugetlbpage.rst);
 * the pool grows by the shortfall through {@code /proc/sys/vm/nr_hugepages}. In a guest right
 * after boot memory is not yet fragmented, so growing at run time works and the kernel command
 * line needs no {@code hugepages=}. Needs root (PID 1 is). Calls are serialised.
 */
public final class HugePageReservation {
    /** The pool size of default-size huge pages. */
    public static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");
    /** Where the free and reserved counts are read. */
    public static final Path MEMINFO = Path.of("/proc/meminfo");

    private HugePageReservation() {
    }

    /**
     * Makes sure at least {@code pages} huge pages are free and not reserved.
     *
     * @throws IOException when the kernel could not grow the pool that far (the message gives
     *         the counts), or the files cannot be read or written
     */
    public static void ensureAvailable(int pages) throws IOException {
        ensureAvailable(pages, NR_HUGEPAGES, MEMINFO);
    }

    static synchronized void ensureAvailable(int pages, Path nrHugepages, Path meminfo) throws IOException {
        if (pages <= 0) {
            throw new IllegalArgumentException("page count must be positive: " + pages);
        }
        long available = available(Files.readString(meminfo, StandardCharsets.US_ASCII), meminfo);
        if (available >= pages) {
            return;
        }
        long pool = Long.parseLong(Files.readString(nrHugepages, StandardCharsets.US_ASCII).trim());
        long wanted = pool + (pages - available);
        Files.writeString(nrHugepages, Long.toString(wanted), StandardCharsets.US_ASCII);
        long now = available(Files.readString(meminfo, StandardCharsets.US_ASCII), meminfo);
        if (now < pages) {
            throw new IOException("asked the kernel for " + wanted + " huge pages in all (" + pages
                    + " available), it has " + now + " available: not enough memory for huge pages");
        }
    }

    /**
     * {@code HugePages_Free - HugePages_Rsvd} of {@code /proc/meminfo} text.
     *
     * @throws java.io.IOException naming {@code source} when either line is missing or malformed
     */
    static long available(String meminfo, Path source) throws MalformedSysfsException {
        long free = field(meminfo, "HugePages_Free:", source);
        long reserved = field(meminfo, "HugePages_Rsvd:", source);
        return Math.max(0, free - reserved);
    }

    private static long field(String meminfo, String name, Path source) throws MalformedSysfsException {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(name)) {
                try {
                    return Long.parseLong(line.substring(name.length()).trim());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new MalformedSysfsException(source, "no numeric " + name + " line");
    }
}
