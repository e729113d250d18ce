package dev.libos.hw.pci;

/** Argument checks shared by the DMA memories. */
final class DmaAllocation {
    private DmaAllocation() {
    }

    /** @throws IllegalArgumentException for a non-positive size or an alignment not a power of two */
    static void checkRequest(long bytes, long alignment) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("DMA allocation size must be positive: " + bytes);
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("DMA alignment must be a power of two: " + alignment);
        }
    }

    /** {@code value} rounded up to a multiple of the power of two {@code alignment}. */
    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
