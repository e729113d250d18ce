package dev.libos.api.memory;

import java.lang.foreign.MemorySegment;

/**
 * A fixed number of equal off-heap buffers (packet buffers, block buffers). Acquire and release
 * are lock-free and may run on any thread.
 */
public interface BufferPool {
    String name();

    int bufferSize();

    int capacity();

    /** Buffers free right now. */
    int available();

    /**
     * Takes a buffer.
     *
     * @return a buffer of {@link #bufferSize()} bytes, or {@code null} when the pool is empty
     *     (back-pressure is an expected outcome, not an exception)
     */
    MemorySegment acquire();

    /**
     * Gives a buffer back.
     *
     * @throws IllegalArgumentException when {@code buffer} is not one of this pool's, or is already free
     */
    void release(MemorySegment buffer);
}
