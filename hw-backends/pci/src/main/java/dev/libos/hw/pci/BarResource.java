package dev.libos.hw.pci;

/**
 * One line of a device's sysfs {@code resource} file: a BAR (lines 0 to 5), the expansion ROM
 * (line 6) or a bridge window, as the kernel assigned it. An unused entry is all zeros.
 *
 * @param index the line number, which is the BAR number for 0 to 5
 * @param start first bus address, inclusive
 * @param end last bus address, inclusive
 * @param flags the kernel's {@code IORESOURCE_*} flags
 */
public record BarResource(int index, long start, long end, long flags) {
    /** {@code IORESOURCE_IO}: a port I/O range. */
    public static final long IORESOURCE_IO = 0x100;
    /** {@code IORESOURCE_MEM}: a memory range, mappable through {@code resourceN}. */
    public static final long IORESOURCE_MEM = 0x200;
    /** {@code IORESOURCE_PREFETCH}. */
    public static final long IORESOURCE_PREFETCH = 0x2000;
    /** {@code IORESOURCE_MEM_64}: a 64-bit memory BAR. */
    public static final long IORESOURCE_MEM_64 = 0x100000;

    /** Bytes in the range; 0 for an unused entry. */
    public long size() {
        return end == 0 && start == 0 ? 0 : end - start + 1;
    }

    /** Whether the entry is assigned at all. */
    public boolean isPresent() {
        return size() > 0;
    }

    /** Whether the range is memory, so can be mapped. */
    public boolean isMemory() {
        return (flags & IORESOURCE_MEM) != 0;
    }

    /** Whether the range is port I/O. */
    public boolean isIo() {
        return (flags & IORESOURCE_IO) != 0;
    }

    /** Whether the memory is prefetchable. */
    public boolean isPrefetchable() {
        return (flags & IORESOURCE_PREFETCH) != 0;
    }

    /** Whether the BAR is 64 bits wide. */
    public boolean is64Bit() {
        return (flags & IORESOURCE_MEM_64) != 0;
    }
}
