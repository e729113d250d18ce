package dev.libos.api.memory;

import java.util.List;

/** Off-heap memory: the page allocator and fixed-size buffer pools, with accounting. */
public interface Memory {
    /** The kernel's page allocator. */
    PageAllocator pages();

    /**
     * Creates a pool of {@code buffers} buffers of {@code bufferSize} bytes each, carved from
     * pages of the page allocator.
     *
     * @throws IllegalArgumentException for a non-positive size or count, or a size above a page run
     * @throws OutOfMemoryError when the page allocator cannot supply the pool
     */
    BufferPool newBufferPool(String name, int bufferSize, int buffers);

    /** The current accounting. */
    MemoryStats stats();

    /**
     * Every allocation not yet freed: page runs and buffers taken from pools. Each entry names
     * its owner, size and (when leak tracking is on, {@code libos.memory.trackLeaks=true}) the
     * stack of its allocation. Tests assert that this is empty after a workload.
     */
    List<String> outstanding();
}
