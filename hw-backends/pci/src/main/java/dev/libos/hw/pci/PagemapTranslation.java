package dev.libos.hw.pci;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Physical addresses from {@code /proc/self/pagemap} (or a crafted file in tests). Valid for
 * memory that cannot move: hugetlbfs pages locked with mlock, which the kernel neither swaps nor
 * migrates.
 */
public final class PagemapTranslation implements AddressTranslation {
    /** The running process's page map. */
    public static final Path SELF = Path.of("/proc/self/pagemap");
    /** The base page size of x86-64 (and of arm64 as Debian builds it). */
    public static final long BASE_PAGE_BYTES = 4096;

    private final Path file;
    private final long basePageBytes;

    /** Reads entries from {@code file}, one per {@code basePageBytes} of virtual memory. */
    public PagemapTranslation(Path file, long basePageBytes) {
        if (basePageBytes <= 0 || Long.bitCount(basePageBytes) != 1) {
            throw new IllegalArgumentException("base page size must be a power of two: " + basePageBytes);
        }
        this.file = file;
        this.basePageBytes = basePageBytes;
    }

    /** This process's page map with 4 KiB base pages. */
    public static PagemapTranslation self() {
        return new PagemapTranslation(SELF, BASE_PAGE_BYTES);
    }

    @Override
    public long deviceAddress(MemorySegment segment) throws IOException {
        long virtualAddress = segment.address();
        long offset = Pagemap.entryOffset(virtualAddress, basePageBytes);
        ByteBuffer entry = ByteBuffer.allocate(Pagemap.ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (entry.hasRemaining()) {
                if (channel.read(entry, offset + entry.position()) <= 0) {
                    throw new MalformedSysfsException(file, "no entry for address 0x"
                            + Long.toHexString(virtualAddress) + " (offset " + offset + ")");
                }
            }
        }
        long physical = Pagemap.physicalAddress(entry.getLong(0), virtualAddress, basePageBytes);
        if (physical == Pagemap.NOT_PRESENT) {
            throw new IOException(file + ": page at 0x" + Long.toHexString(virtualAddress) + " is not present");
        }
        if (physical == Pagemap.HIDDEN) {
            throw new IOException(file + ": frame number of 0x" + Long.toHexString(virtualAddress)
                    + " is hidden (reading physical addresses needs CAP_SYS_ADMIN)");
        }
        return physical;
    }
}
