package dev.libos.api.memory;

import java.lang.foreign.MemorySegment;

/** Allocates runs of contiguous, page-aligned off-heap pages. */
public interface PageAllocator {
    /** Bytes in one page. */
    int pageSize();

    /**
     * Allocates {@code pages} contiguous pages, zeroed.
     *
     * @return the run, or {@code null} when no run of that length is free
     * @throws IllegalArgumentException when {@code pages} is not positive or exceeds the largest run
     */
    MemorySegment allocate(int pages);

    /**
     * Returns a run obtained from {@link #allocate(int)}.
     *
     * @throws IllegalArgumentException when {@code run} was not allocated here or is already free
     */
    void free(MemorySegment run);

    long totalPages();

    long freePages();
}
