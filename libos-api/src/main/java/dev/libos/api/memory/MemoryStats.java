package dev.libos.api.memory;

import java.util.List;

/**
 * Memory accounting at one instant.
 *
 * @param pageSize bytes per page
 * @param totalPages pages managed by the allocator
 * @param freePages pages free
 * @param pools one entry per buffer pool
 */
public record MemoryStats(int pageSize, long totalPages, long freePages, List<Pool> pools) {
    public MemoryStats {
        pools = List.copyOf(pools);
    }

    public long usedPages() {
        return totalPages - freePages;
    }

    /** One buffer pool's accounting. */
    public record Pool(String name, int bufferSize, int capacity, int inUse) {
    }
}
