package dev.libos.hw.pci;

import dev.libos.api.device.DmaMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * DMA memory for hosted simulations and tests: ordinary native memory, each buffer in its own
 * shared arena, with the identity translation (the device address is the virtual address).
 * Never hand it to real hardware.
 */
public final class AnonymousDmaMemory implements DmaMemory {
    @Override
    public DmaBuffer allocate(long bytes, long alignment) {
        DmaAllocation.checkRequest(bytes, alignment);
        Arena arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(bytes, alignment);
        return new Buffer(arena, segment);
    }

    private record Buffer(Arena arena, MemorySegment segment) implements DmaBuffer {
        @Override
        public long deviceAddress() {
            return segment.address();
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }
}
