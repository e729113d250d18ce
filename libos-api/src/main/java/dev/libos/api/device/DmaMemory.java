package dev.libos.api.device;

import java.lang.foreign.MemorySegment;

/**
 * Memory a device can reach: the CPU's view and the address the device uses. In a guest it is
 * pinned hugepage memory with physical addresses; in hosted simulations the two are the same.
 */
public interface DmaMemory {
    /**
     * Allocates {@code bytes} of device-reachable memory aligned to {@code alignment}.
     *
     * @throws IllegalArgumentException for a non-positive size or an alignment that is not a power of two
     */
    DmaBuffer allocate(long bytes, long alignment);

    /** One allocation. */
    interface DmaBuffer extends AutoCloseable {
        MemorySegment segment();

        /** The address of {@code segment()}'s first byte as the device sees it. */
        long deviceAddress();

        @Override
        void close();
    }
}
