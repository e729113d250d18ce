package dev.libos.hw.vmxnet3;

import dev.libos.api.device.DmaMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * DMA memory for in-process device models: native memory whose device address is its CPU
 * address, filled with garbage (0xA5) so code that forgets to zero a ring is caught, and
 * counting open allocations so tests see what was released.
 */
final class CountingDmaMemory implements DmaMemory, AutoCloseable {
    private final Arena arena = Arena.ofShared();
    int open;

    @Override
    public DmaBuffer allocate(long bytes, long alignment) {
        MemorySegment segment = arena.allocate(bytes, alignment);
        segment.fill((byte) 0xA5);
        open++;
        return new DmaBuffer() {
            private boolean closed;

            @Override
            public MemorySegment segment() {
                return segment;
            }

            @Override
            public long deviceAddress() {
                return segment.address();
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open--;
                }
            }
        };
    }

    @Override
    public void close() {
        arena.close();
    }
}
