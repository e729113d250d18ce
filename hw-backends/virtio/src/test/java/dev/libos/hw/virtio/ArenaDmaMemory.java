package dev.libos.hw.virtio;

import dev.libos.api.device.DmaMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** DMA memory for in-process device models: native memory whose device address is its CPU address. */
final class ArenaDmaMemory implements DmaMemory, AutoCloseable {
    private final Arena arena = Arena.ofShared();
    int open;

    @Override
    public DmaBuffer allocate(long bytes, long alignment) {
        MemorySegment segment = arena.allocate(bytes, alignment);
        open++;
        return new DmaBuffer() {
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
                open--;
            }
        };
    }

    @Override
    public void close() {
        arena.close();
    }
}
