package dev.libos.hw.pci;

/**
 * The layout of one {@code /proc/PID/pagemap} entry (Linux Documentation/admin-guide/mm/pagemap.rst):
 * one little-endian 64-bit word per base page of virtual memory, at file offset
 * {@code (virtualAddress / basePageBytes) * 8}.
 *
 * <pre>
 *  bit 63     page present in RAM
 *  bit 62     page swapped
 *  bit 61     file-page or shared-anonymous
 *  bits 0-54  page frame number, when present (zero unless the reader has CAP_SYS_ADMIN)
 * </pre>
 */
public final class Pagemap {
    /** Bytes per entry. */
    public static final int ENTRY_BYTES = 8;
    /** Bit 63: the page is present. */
    public static final long PRESENT = 1L << 63;
    /** Bits 0-54: the page frame number. */
    public static final long FRAME_NUMBER_MASK = (1L << 55) - 1;
    /** Sentinel for "no physical address": the page is not present. */
    public static final long NOT_PRESENT = -1L;
    /** Sentinel for "present, but the kernel hid the frame number" (the reader lacks CAP_SYS_ADMIN). */
    public static final long HIDDEN = -2L;

    private Pagemap() {
    }

    /** File offset of the entry for {@code virtualAddress}. */
    public static long entryOffset(long virtualAddress, long basePageBytes) {
        return Long.divideUnsigned(virtualAddress, basePageBytes) * ENTRY_BYTES;
    }

    /**
     * The physical address of {@code virtualAddress} given its page's {@code entry}, or
     * {@link #NOT_PRESENT} or {@link #HIDDEN}.
     */
    public static long physicalAddress(long entry, long virtualAddress, long basePageBytes) {
        if ((entry & PRESENT) == 0) {
            return NOT_PRESENT;
        }
        long frame = entry & FRAME_NUMBER_MASK;
        if (frame == 0) {
            return HIDDEN;
        }
        return frame * basePageBytes + Long.remainderUnsigned(virtualAddress, basePageBytes);
    }
}
